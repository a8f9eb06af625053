"""User-facing input errors: which file, which row or column, what was expected."""

from __future__ import annotations

import errno
import os
import re
import sys
from collections.abc import Callable
from pathlib import Path

# The file of a configuration error, as library code names it: it is not told where the
# workflow keeps its config; the adapter (kzopen.pipeline.adapter) puts the path in its place.
CONFIGURATION = "the configuration"


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
        where = [self.file if self.file == CONFIGURATION else f"file {self.file}"]
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


# errno -> (what happened, what to do); %s is the folder
_RESOURCE_FAULTS = {
    errno.ENOSPC: ("the disk is full", "free space on the disk that holds %s"),
    errno.EDQUOT: ("the disk quota is used up", "free space in your quota on %s"),
    errno.EROFS: ("the file system is read-only", "make %s writable, or build in a writable copy"),
    errno.EACCES: (
        "permission denied",
        "make %s writable for you (it may belong to another user: chown it, or build as its owner)",
    ),
    errno.EPERM: (
        "operation not permitted",
        "make %s writable for you (it may belong to another user: chown it, or build as its owner)",
    ),
}


def resource_fault(exc: OSError, outputs: list[str]) -> str | None:
    """A one-paragraph message for a disk-full, read-only or permission error, else None.

    Names the path (the one the error carries, else the job's first output) and what to do.
    Outputs are written atomically, so nothing half-written is left for a later build.
    """
    code = exc.errno
    if code is None:  # pyarrow puts the errno only in its message
        m = re.search(r"errno (\d+)", str(exc), re.IGNORECASE)
        code = int(m.group(1)) if m else None
    if code not in _RESOURCE_FAULTS:
        return None
    what, todo = _RESOURCE_FAULTS[code]
    path = exc.filename or (outputs[0] if outputs else None)
    if path is None:
        return None
    # a temporary file of kzopen.core.io.atomic_path: name the output it was to become
    tmp = re.fullmatch(r"\.(.+)\.[^.]+\.tmp", os.path.basename(str(path)))
    if tmp:
        path = os.path.join(os.path.dirname(str(path)), tmp.group(1))
    if os.path.isabs(path) and os.path.abspath(path).startswith(os.getcwd() + os.sep):
        path = os.path.relpath(path)  # as the rule names it
    folder = os.path.dirname(str(path)) or "."
    return (
        f"file {path}: cannot write ({what}): {exc.strerror or exc}. "
        f"What to do: {todo % folder}, then run `make` again; "
        "no half-written output was left behind"
    )


class ResourceError(InputError):
    """The machine, not the data: a read-only or foreign output folder, a full disk.

    ``file`` is the folder; ``expected`` says what to do.
    """

    def format(self) -> str:
        msg = f"folder {self.file}: {self.problem}"
        return f"{msg}. What to do: {self.expected}" if self.expected else msg


def cli_exit_code(action: Callable[[], object]) -> int:
    """Run a command-line action: an :class:`InputError` is printed as ``error: ...`` on
    stderr, without a traceback, and gives exit status 1."""
    try:
        action()
    except InputError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    return 0
