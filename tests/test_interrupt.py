"""Interruption: a build killed with SIGKILL midway recovers to exactly the clean build.

SIGKILL gives neither Snakemake nor its jobs a chance to clean up: the lock stays in
.snakemake/locks, the running jobs stay marked incomplete, and an output may already be in
place without Snakemake's record of it. The documented recovery is

    snakemake --unlock && snakemake --cores N --rerun-incomplete   (make unlock && make)

This test kills the whole process group of a running build once at least one job has
finished and another is running, checks that a plain rerun refuses with a clear message
instead of building on top of half-finished work, runs the recovery, and compares every
output with the session's clean build (`built_repo`). To keep `make test` fast the build
requests the ingest stage only (nine jobs: every raw file read, two at a time); the kill,
the recovery and the comparison are the same as for the full build.
"""

from __future__ import annotations

import os
import signal
import subprocess
import time
from pathlib import Path

import pytest
from conftest import SNAKEMAKE, build_env, copy_repo, run_snakemake
from test_reproducible import compare_trees, output_files

pytestmark = [pytest.mark.e2e, pytest.mark.xdist_group("build")]


def _running_jobs(work: Path) -> int:
    inc = work / ".snakemake" / "incomplete"
    return sum(1 for _ in inc.iterdir()) if inc.exists() else 0


TARGETS = [
    "data/processed/indices.parquet",
    "results/indicator_catalogue.csv",
    "data/processed/kz_region_population.parquet",
]


def _kill_midway(work: Path, timeout: float = 600) -> bool:
    """Start a clean build; SIGKILL its process group once a job is done and another runs."""
    log = open(work / "interrupted-build.log", "w")  # noqa: SIM115 - closed below
    proc = subprocess.Popen(
        [SNAKEMAKE, "--cores", "2", *TARGETS], cwd=work, env=build_env(), stdout=log,
        stderr=subprocess.STDOUT, start_new_session=True,
    )  # fmt: skip
    deadline = time.monotonic() + timeout
    killed = False
    try:
        while time.monotonic() < deadline and proc.poll() is None:
            if output_files(work) and _running_jobs(work) > 0:
                os.killpg(proc.pid, signal.SIGKILL)
                killed = True
                break
            time.sleep(0.02)
    finally:
        if proc.poll() is None and not killed:
            os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()
        log.close()
    return killed


def test_sigkill_midway_then_recovery_equals_clean_build(built_repo: Path, tmp_path: Path):
    work = copy_repo(tmp_path / "repo")
    assert _kill_midway(work), "the build finished before it could be interrupted"
    assert _running_jobs(work) > 0, "no job was running when the build was killed"
    partial = set(output_files(work))
    assert partial and not set(TARGETS) <= partial, "not interrupted midway"

    # A plain rerun must not build on top of the killed run; it says what to do instead.
    plain = run_snakemake(work, *TARGETS)
    assert plain.returncode != 0, plain.stdout[-3000:]
    assert "--unlock" in plain.stdout or "--rerun-incomplete" in plain.stdout, plain.stdout[-3000:]
    assert "Traceback" not in plain.stdout

    # The documented recovery.
    unlock = run_snakemake(work, "--unlock")
    assert unlock.returncode == 0, unlock.stdout[-3000:]
    res = run_snakemake(work, "--rerun-incomplete", *TARGETS)
    assert res.returncode == 0, res.stdout[-6000:]

    built = set(output_files(work))
    assert set(TARGETS) <= built
    problems = [p for p in compare_trees(built_repo, work) if not p.startswith("only in first")]
    assert not problems, "recovered build differs from a clean build:\n" + "\n".join(problems)
    stray = [p for p in output_files(work) if Path(p).name.startswith(".")]
    assert not stray, f"temporary files left behind: {stray}"

    again = run_snakemake(work, "-n", *TARGETS)
    assert again.returncode == 0 and "Nothing to be done" in again.stdout, again.stdout[-3000:]


def test_next_write_removes_a_temporary_file_left_by_a_killed_job(tmp_path: Path):
    """SIGKILL skips atomic_path's cleanup; the next write of the same output removes the debris."""
    import pandas as pd

    from kzopen.io import write_csv

    stale = tmp_path / ".out.csv.k1ll3d.tmp"
    stale.write_text("half a fi", encoding="utf-8")
    other = tmp_path / ".other.csv.k1ll3d.tmp"
    other.write_text("not ours", encoding="utf-8")
    write_csv(pd.DataFrame({"x": [1]}), tmp_path / "out.csv")
    assert not stale.exists() and other.exists()
    assert (tmp_path / "out.csv").read_text(encoding="utf-8") == "x\n1\n"
