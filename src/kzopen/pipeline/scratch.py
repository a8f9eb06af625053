"""Scratch checkouts and the environment of a Snakemake run outside the working tree.

One home for what the test suite, the benchmarks and the version comparison (``kzopen.diff``)
each need: a copy of a checkout's sources and raw data without outputs, a copy of a built
checkout with its outputs and Snakemake's records, and the environment every such build runs
in (the project's virtual environment first on ``PATH``, a fixed ``SOURCE_DATE_EPOCH`` and hash
seed, and optionally a Snakemake profile and the package of the checkout itself).
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Collection, Mapping
from pathlib import Path

# Never copied into a scratch checkout: environments, caches and build outputs.
IGNORED = (
    ".git",
    ".venv",
    ".tools",
    ".snakemake",
    "__pycache__",
    ".pytest_cache",
    ".ruff_cache",
    ".hypothesis",
    "logs",
    "build",
    "runs",
    ".cache",
)
# Folders whose contents a build writes (emptied in a scratch copy; `.gitkeep` stays).
OUTPUT_DIRS = ("results", "figures", "data/processed")
# Snakemake's run-time records that a copy of a built checkout must not carry over.
RUN_STATE = ("locks", "incomplete", "__pycache__", ".cache", ".git")
# A fixed build date for tools that stamp one (2024-01-01 00:00 UTC).
SOURCE_DATE_EPOCH = "1704067200"


def clear_outputs(checkout: Path) -> Path:
    """Empty the output folders of ``checkout`` (keeping ``.gitkeep``); each exists after."""
    for d in OUTPUT_DIRS:
        out = checkout / d
        if out.exists():
            for child in out.iterdir():
                if child.name != ".gitkeep":
                    shutil.rmtree(child) if child.is_dir() else child.unlink()
        out.mkdir(parents=True, exist_ok=True)
    return checkout


def copy_sources(repo: Path, dest: Path, skip: Collection[Path] = ()) -> Path:
    """Copy ``repo``'s sources and raw data (no environments, caches or outputs) to ``dest``;
    ``skip`` lists further paths under ``repo`` to leave out."""
    patterns = shutil.ignore_patterns(*IGNORED)
    skipped = {Path(p) for p in skip}

    def ignore(folder: str, names: list[str]) -> set[str]:
        return set(patterns(folder, names)) | {n for n in names if Path(folder) / n in skipped}

    shutil.copytree(repo, dest, ignore=ignore, symlinks=True)
    return clear_outputs(dest)


def copy_build(src: Path, dest: Path) -> Path:
    """A copy of a built checkout with its outputs and Snakemake's records (not its locks or
    unfinished-job markers), so that a change rebuilds only what it touches."""
    shutil.copytree(src, dest, symlinks=True, ignore=shutil.ignore_patterns(*RUN_STATE))
    return dest


def build_env(
    venv_bin: Path,
    *,
    profile: Path | None = None,
    package_src: Path | None = None,
    base: Mapping[str, str] | None = None,
) -> dict[str, str]:
    """The environment of a scratch build: ``base`` (default: this process's), the virtual
    environment's ``bin`` first on ``PATH``, ``SOURCE_DATE_EPOCH`` (unless set) and
    ``PYTHONHASHSEED=0``; ``profile`` sets ``SNAKEMAKE_PROFILE``; ``package_src`` puts a
    checkout's own ``src`` first on ``PYTHONPATH`` (to build another version of the package)."""
    env = dict(os.environ if base is None else base)
    env.setdefault("SOURCE_DATE_EPOCH", SOURCE_DATE_EPOCH)
    env["PYTHONHASHSEED"] = "0"
    env["PATH"] = f"{venv_bin}{os.pathsep}{env.get('PATH', '')}"
    if profile is not None:
        env["SNAKEMAKE_PROFILE"] = str(profile)
    if package_src is not None:
        env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(package_src), env.get("PYTHONPATH")]))
    return env
