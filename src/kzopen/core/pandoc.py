"""The one pandoc wrapper: where pandoc is (pypandoc's binary), its version, and a run that
fails loudly. Every caller (HTML, Word, PDF source, bibliography conversion) goes through it."""

from __future__ import annotations

import os
import re
import subprocess
from pathlib import Path

from kzopen.core.errors import InputError


def pandoc_path() -> str:
    import pypandoc

    return pypandoc.get_pandoc_path()


def pandoc_version() -> str:
    out = subprocess.run([pandoc_path(), "--version"], capture_output=True, text=True, check=True)
    return out.stdout.split("\n", 1)[0].split()[-1]


def run_pandoc(
    args: list[str],
    cwd: str | Path | None = None,
    stdin: str | None = None,
    strict: bool = False,
) -> str:
    """Run pandoc with ``args`` and return its standard output, with a fixed
    ``SOURCE_DATE_EPOCH``. A failure, a citation key pandoc cannot resolve, or (``strict``) any
    warning is an :class:`InputError` naming ``args[0]``, the file pandoc was reading."""
    env = {**os.environ, "SOURCE_DATE_EPOCH": os.environ.get("SOURCE_DATE_EPOCH", "1704067200")}
    res = subprocess.run(
        [pandoc_path(), *args], input=stdin, capture_output=True, text=True, cwd=cwd, env=env
    )
    if res.returncode != 0 or (strict and "[WARNING]" in res.stderr):
        raise InputError(args[0], f"pandoc failed ({res.returncode}): {res.stderr.strip()}")
    # pandoc only warns about a citation it cannot resolve; here that is an error
    unresolved = re.findall(r"Citeproc: citation (\S+) not found", res.stderr)
    if unresolved:
        raise InputError(args[0], f"citation key(s) not in the bibliography: {unresolved}")
    return res.stdout
