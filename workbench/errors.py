"""One error family for everything an analyst can get wrong: file, row and column named."""
from __future__ import annotations

from collections.abc import Iterable


class WorkbenchError(Exception):
    """A problem the analyst can fix, told in plain words with file, row and column."""

    def __init__(
        self,
        message: str,
        *,
        file: str | None = None,
        row: int | None = None,
        column: str | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.file = file
        self.row = row
        self.column = column

    def __str__(self) -> str:
        where = []
        if self.file:
            where.append(str(self.file))
        if self.row is not None:
            where.append(f"row {self.row}")
        if self.column:
            where.append(f"column '{self.column}'")
        return (", ".join(where) + ": " if where else "") + self.message

    def _render_traceback_(self) -> list[str]:
        """What a notebook shows: the problem in plain words, not a Python traceback."""
        # IPython calls this hook instead of formatting the stack; the analyst cannot act on it.
        return [f"Problem: {self}"]


class InputFileError(WorkbenchError):
    """The incoming file cannot be read as a table."""


class DefinitionError(WorkbenchError):
    """The import definition is invalid; holds every problem found, not only the first."""

    def __init__(self, problems: Iterable[str], *, file: str | None = None) -> None:
        self.problems = list(problems)
        super().__init__("; ".join(self.problems), file=file)


class SnapshotError(WorkbenchError):
    """The CRM export or snapshot cannot be used."""
