"""The cluster code path on one machine: profiles/local-cluster (cluster-generic executor).

Every job is submitted through submit.sh as a separate detached process and polled through
status.sh, as on a batch cluster with a shared filesystem; the outputs must be identical to
those of the ordinary local build.
"""

from __future__ import annotations

import subprocess
import time
from pathlib import Path

import pytest
from support import REPO, copy_repo, run_snakemake

PROFILE = REPO / "profiles" / "local-cluster"
TARGET = "data/processed/indices.parquet"


def _sh(script: str, *args: str, cwd: Path) -> str:
    res = subprocess.run(
        [str(PROFILE / script), *args], cwd=cwd, capture_output=True, text=True, check=True
    )
    return res.stdout.strip()


def _wait(jobid: str, cwd: Path, timeout: float = 20) -> str:
    deadline = time.monotonic() + timeout
    while (state := _sh("status.sh", jobid, cwd=cwd)) == "running":
        assert time.monotonic() < deadline, "job did not finish"
        time.sleep(0.1)
    return state


@pytest.mark.parametrize(("code", "state"), [(0, "success"), (3, "failed")])
def test_submit_and_status_scripts(tmp_path: Path, code: int, state: str):
    job = tmp_path / "job.sh"
    job.write_text(f"#!/bin/sh\nsleep 0.5\necho ran > ran.txt\nexit {code}\n")
    job.chmod(0o755)
    jobid = _sh("submit.sh", str(job), cwd=tmp_path)
    assert jobid and "\n" not in jobid
    assert _sh("status.sh", jobid, cwd=tmp_path) == "running"
    assert _wait(jobid, tmp_path) == state
    assert (tmp_path / "ran.txt").read_text() == "ran\n"


def test_status_of_unknown_job_is_failed(tmp_path: Path):
    assert _sh("status.sh", "job-unknown", cwd=tmp_path) == "failed"


def test_cancel_stops_the_job(tmp_path: Path):
    job = tmp_path / "job.sh"
    job.write_text("#!/bin/sh\nsleep 30\n")
    job.chmod(0o755)
    jobid = _sh("submit.sh", str(job), cwd=tmp_path)
    _sh("cancel.sh", jobid, cwd=tmp_path)
    assert _wait(jobid, tmp_path, timeout=10) == "failed"


@pytest.mark.e2e
def test_local_cluster_build_equals_local_build(tmp_path: Path, built_repo: Path):
    work = copy_repo(tmp_path / "repo")
    res = run_snakemake(work, "--profile", "profiles/local-cluster", TARGET, timeout=300)
    assert res.returncode == 0, res.stdout[-6000:]
    # Every job went through the submit script and was reported done by the status script.
    spool = work / ".snakemake" / "local-cluster"
    exits = sorted(spool.glob("*.exit"))
    submitted = res.stdout.count("with external jobid")
    assert submitted >= 2 and len(exits) == submitted
    assert all(f.read_text().strip() == "0" for f in exits)
    # The same bytes as the local build of the same target (built_repo: `snakemake --cores 2`).
    produced = sorted(
        p.relative_to(work).as_posix()
        for d in ("data/processed", "results")
        for p in (work / d).rglob("*")
        if p.is_file() and p.name != ".gitkeep"
    )
    assert TARGET in produced
    for rel in produced:
        assert (work / rel).read_bytes() == (built_repo / rel).read_bytes(), rel
    # Nothing left to do afterwards, through the ordinary local executor.
    again = run_snakemake(work, "-n", TARGET)
    assert "Nothing to be done" in again.stdout, again.stdout[-3000:]
