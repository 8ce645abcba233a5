"""One exception type for every problem found in the course's data files: a learner reads where
the problem is (file, line, column) and what to do, not a traceback from inside a parser."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Problem:
    """One thing wrong in one place of a data file. ``line`` counts as a text editor does (the
    header is line 1); it is ``None`` when the problem concerns the whole file or a column."""

    file: str
    message: str
    line: int | None = None
    column: str | None = None
    record: str | None = None

    def __str__(self) -> str:
        where = [self.file]
        if self.line is not None:
            where.append(f"line {self.line}" + (f" ({self.record})" if self.record else ""))
        if self.column is not None:
            where.append(f"column '{self.column}'")
        return ", ".join(where) + f": {self.message}"


class DataError(ValueError):
    """Raised when a data file is missing, unreadable or inconsistent.

    The message lists each problem with its file, line and column; the ``problems`` attribute
    keeps them as :class:`Problem` objects for tests and tools. Only the first few problems are
    spelled out so that the message stays readable.
    """

    MAX_SHOWN = 5

    def __init__(self, problems: Sequence[Problem]):
        if not problems:
            raise ValueError("DataError needs at least one problem")
        self.problems: tuple[Problem, ...] = tuple(problems)
        lines = [str(p) for p in self.problems[: self.MAX_SHOWN]]
        hidden = len(self.problems) - self.MAX_SHOWN
        if hidden > 0:
            lines.append(f"... and {hidden} more problem(s) of the same kind.")
        head = "1 problem" if len(self.problems) == 1 else f"{len(self.problems)} problems"
        super().__init__(f"{head} in the course data:\n  - " + "\n  - ".join(lines))


def display_name(path: Path) -> str:
    """Name a data file the way a learner sees it: relative to the repository when possible."""
    from helpers.paths import REPO_ROOT

    try:
        return path.resolve().relative_to(REPO_ROOT).as_posix()
    except ValueError:
        return path.name
