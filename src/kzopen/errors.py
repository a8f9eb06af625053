"""User-facing input errors: which file, which row or column, what was expected."""

from __future__ import annotations

from pathlib import Path


class InputError(Exception):
    """Bad input supplied by a user (a raw file, a config value).

    The message always names the file and, where there is one, the row and column,
    and says what was expected. Adapters print it without a traceback and exit 1.
    Rows are 1-based data rows as a spreadsheet user counts them (header = row 1).
    """

    def __init__(
        self,
        file: str | Path,
        problem: str,
        *,
        row: int | None = None,
        column: str | None = None,
        expected: str | None = None,
    ) -> None:
        self.file = str(file)
        self.problem = problem
        self.row = row
        self.column = column
        self.expected = expected
        super().__init__(self.format())

    def format(self) -> str:
        where = [f"file {self.file}"]
        if self.row is not None:
            where.append(f"row {self.row}")
        if self.column is not None:
            where.append(f"column {self.column!r}")
        msg = f"{', '.join(where)}: {self.problem}"
        if self.expected:
            msg += f" (expected {self.expected})"
        return msg


class ConfigError(InputError):
    """A configuration value that is unknown, of the wrong type, or refers to nothing."""
