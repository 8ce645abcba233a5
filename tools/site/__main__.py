"""``python -m tools.site build|screenshots``: see :mod:`tools.site`."""

from tools.site import main

raise SystemExit(main())
