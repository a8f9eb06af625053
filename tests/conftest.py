"""Shared fixtures: the repository root, scratch copies of it, and one real build per session."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
VENV_BIN = Path(sys.executable).parent
SNAKEMAKE = str(VENV_BIN / "snakemake")

# Never copied into a scratch repository: environments, caches and build outputs.
_IGNORE = shutil.ignore_patterns(
    ".git", ".venv", ".tools", ".snakemake", "__pycache__", ".pytest_cache", ".ruff_cache",
    ".hypothesis", "logs", "build", "runs",
)  # fmt: skip
_OUTPUT_DIRS = ("results", "figures", "data/processed")


def copy_repo(dest: Path) -> Path:
    """Copy the repository's sources and raw data (no outputs) to ``dest``."""
    shutil.copytree(REPO, dest, ignore=_IGNORE, symlinks=True)
    for d in _OUTPUT_DIRS:
        out = dest / d
        if out.exists():
            for child in out.iterdir():
                if child.name != ".gitkeep":
                    shutil.rmtree(child) if child.is_dir() else child.unlink()
    return dest


def build_env() -> dict[str, str]:
    env = dict(os.environ)
    env.setdefault("SOURCE_DATE_EPOCH", "1704067200")
    env["PYTHONHASHSEED"] = "0"
    env["PATH"] = f"{VENV_BIN}{os.pathsep}{env.get('PATH', '')}"
    return env


def run_snakemake(
    workdir: Path, *args: str, timeout: int = 900, cores: str = "2"
) -> subprocess.CompletedProcess:
    """Run Snakemake in ``workdir``; stdout and stderr are captured together in ``.stdout``."""
    return subprocess.run(
        [SNAKEMAKE, "--cores", cores, *args],
        cwd=workdir,
        env=build_env(),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        timeout=timeout,
    )


def lock_manifest(workdir: Path) -> None:
    """Re-lock raw checksums in a scratch copy (what `make data-lock` does)."""
    subprocess.run(
        [sys.executable, "-m", "kzopen.manifest", "lock", "data/raw/manifest.csv"],
        cwd=workdir, check=True, capture_output=True, env=build_env(),
    )  # fmt: skip


@pytest.fixture(scope="session")
def built_repo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One full clean build of a scratch copy, shared by the end-to-end tests of a worker."""
    work = copy_repo(tmp_path_factory.mktemp("built") / "repo")
    res = run_snakemake(work)
    if res.returncode != 0:
        pytest.fail(f"full build failed:\n{res.stdout[-6000:]}")
    return work


@pytest.fixture
def repo_copy(tmp_path: Path) -> Path:
    """A fresh scratch copy of the repository for a test that changes inputs."""
    return copy_repo(tmp_path / "repo")
