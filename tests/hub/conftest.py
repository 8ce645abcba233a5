"""The hub test runs only when named (`make test-hub`, or `pytest tests/hub`): `make test`'s
`pytest tests notebooks` leaves it out, since it takes minutes, not seconds."""

from __future__ import annotations

from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent


def pytest_ignore_collect(collection_path: Path, config: pytest.Config) -> bool | None:
    named = [Path(arg.split("::")[0]).resolve() for arg in config.args]
    if any(path == HERE or HERE in path.parents for path in named):
        return None  # asked for: collect as usual
    return True
