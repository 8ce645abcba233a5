"""pytest set-up shared by `make test` and `make nbval` (the notebooks and tests/).

nbval 0.11.0 formats every kernel message with ``pprint.pformat`` for a debug log line, whether
or not debug logging is on (``logger.debug("...%s", pformat(msg))`` in nbval/kernel.py): about
a quarter of a second of CPU per run of the eight notebooks here, measured as the pytest
process's own CPU time (1.31-1.50 s against 1.05-1.29 s). The message is now formatted only
when a debug record is actually written; what such a record says is unchanged.
"""

from __future__ import annotations

import pprint
from typing import Any

try:
    import nbval.kernel
except ImportError:  # pragma: no cover - nbval is pinned in requirements.txt
    nbval = None


class _FormattedWhenLogged:
    """``pprint.pformat(obj)``, computed only when logging turns the record into text."""

    __slots__ = ("obj",)

    def __init__(self, obj: Any) -> None:
        self.obj = obj

    def __str__(self) -> str:
        return pprint.pformat(self.obj)


if nbval is not None and getattr(nbval.kernel, "pformat", None) is pprint.pformat:
    nbval.kernel.pformat = _FormattedWhenLogged
