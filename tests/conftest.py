"""Settings for the unit tests, kept out of the notebook-only run (``make nbval``).

pytest imports every warning class that a ``filterwarnings`` line names. Set in
``pyproject.toml``, the line below made every pytest process import pandas (about 0.3 s), even
``make nbval``, whose own process only drives kernels and never uses pandas. As a conftest of
``tests/`` it is read only when the unit tests run (``make test``, ``make unit``).
"""

from __future__ import annotations

import pytest

#: The fixture class of ``make test-grade``: made-up students' notebooks, some of which loop
#: forever on purpose; nbval must not collect them (tests/grading_class.py grades them).
collect_ignore_glob = ["fixtures/*/submissions/*"]


def pytest_configure(config: pytest.Config) -> None:
    # Fail on pandas' warnings of behaviour that changes in pandas 4, so helpers move first.
    config.addinivalue_line("filterwarnings", "error::pandas.errors.Pandas4Warning")
    # pytest-xdist then hands out files in collection order (below), not most tests first.
    if hasattr(config.option, "loadscopereorder"):
        config.option.loadscopereorder = False


#: The one proof that executes every notebook once more (on the grown table of
#: test_living_table.py, about half a minute). With ``-n 2 --dist loadfile`` it starts first, so
#: that the short tests fill in around it instead of it starting last and running alone. This
#: needs xdist's reordering off (above): by default xdist sends the files with the most tests
#: first, and this file, with few tests, went last.
LONG_FIRST = ("tests/test_living_table.py",)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    items.sort(key=lambda item: not item.nodeid.startswith(LONG_FIRST))  # a stable sort
