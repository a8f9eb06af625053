"""Confine user-supplied paths (from the config or the manifest) to the repository.

A path in ``config/config.yaml`` or ``data/raw/manifest.csv`` is data, not code: it must be
relative, must not climb out with ``..`` or through a symlink, and must stay below the folder
it is meant for. Anything else is an :class:`~kzopen.core.errors.InputError`, not a file read
from elsewhere on the machine.
"""

from __future__ import annotations

from pathlib import Path, PurePosixPath

from kzopen.core.errors import InputError


def confined(
    path: str | Path,
    root: str | Path,
    under: str = "",
    *,
    file: str | Path,
    row: int | None = None,
    column: str | None = None,
) -> Path:
    """Return ``root / path`` after checking that it stays inside ``root / under``.

    ``file``, ``row`` and ``column`` say where the path was written, for the error message.
    """
    text = str(path)
    pure = PurePosixPath(text.replace("\\", "/"))
    where = f"{under.rstrip('/')}/" if under else "the repository"
    if not text or pure.is_absolute() or ".." in pure.parts:
        raise InputError(
            file,
            f"path {text!r} leaves {where}",
            row=row,
            column=column,
            expected=f"a relative path below {where} without '..'",
        )
    if under and not pure.as_posix().startswith(f"{under.rstrip('/')}/"):
        raise InputError(
            file,
            f"path {text!r} is not below {where}",
            row=row,
            column=column,
            expected=f"a path starting with {where}",
        )
    root = Path(root).resolve()
    base = (root / under).resolve() if under else root
    full = root / pure
    if not full.resolve().is_relative_to(base):
        raise InputError(
            file,
            f"path {text!r} resolves outside {where} (symlink?)",
            row=row,
            column=column,
            expected=f"a file below {where}",
        )
    return full
