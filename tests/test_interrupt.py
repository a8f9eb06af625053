"""Interruption and concurrency: a killed build recovers by itself; two builds never collide.

SIGKILL gives neither Snakemake nor its jobs a chance to clean up: Snakemake's lock stays in
.snakemake/locks, the running jobs stay marked incomplete, and an output may already be in
place without Snakemake's record of it. `make` runs Snakemake through `kzopen.pipeline.buildlock`,
which holds an OS-level lock for the build, removes the lock a killed build left and lets
`--rerun-incomplete` redo the unfinished jobs, so plain `make` recovers.

One scratch build is killed (SIGKILL to the whole process group) three times, at three
stages: while an index file is being ingested, while the groups are being compared and while
the article is being rendered; each time the next build is the same command `make` runs.
The last restart is two builds started at once in the same folder: one builds, the other
says it waits and then finds nothing to do. The outputs must equal the session's clean build
byte for byte. Chaining the kills in one build keeps `make test` within its budget (about
one extra build for all three kills).
"""

from __future__ import annotations

import fcntl
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from support import REPO, SNAKEMAKE, build_env, copy_repo, run_snakemake
from test_reproducible import compare_trees, output_files

from kzopen.pipeline.buildlock import EXIT_BUSY, LOCK_FILE, clear_stale_locks, foreign_snakemake

# The command `make` runs (Makefile: BUILD_LOCK, build); checked against the Makefile below.
BUILD = [
    sys.executable,
    "-m",
    "kzopen.pipeline.buildlock",
    "--",
    SNAKEMAKE,
    "--cores",
    "2",
    "--rerun-incomplete",
]

# Kill points: a job of that stage has started (its log exists) and is still running.
STAGES = {
    "ingest": "logs/ingest_index/*.log",
    "compare": "logs/compare_source/*.log",
    "article rendering": "logs/article_*",
}


def _running_jobs(work: Path) -> int:
    inc = work / ".snakemake" / "incomplete"
    return sum(1 for _ in inc.iterdir()) if inc.exists() else 0


def _start(work: Path, name: str) -> tuple[subprocess.Popen, Path]:
    log = work / f"{name}.log"
    with open(log, "w") as fh:
        proc = subprocess.Popen(
            BUILD,
            cwd=work,
            env=build_env(),
            stdout=fh,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    return proc, log


def _kill_during(work: Path, stage: str, timeout: float = 900) -> None:
    """Run the build; SIGKILL its process group once a job of ``stage`` runs."""
    proc, log = _start(work, f"killed-during-{stage.split()[0]}")
    deadline = time.monotonic() + timeout
    killed = False
    try:
        while time.monotonic() < deadline and proc.poll() is None:
            if any(work.glob(STAGES[stage])) and _running_jobs(work) > 0:
                os.killpg(proc.pid, signal.SIGKILL)
                killed = True
                break
            time.sleep(0.02)
    finally:
        if proc.poll() is None and not killed:
            os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()
    assert killed, f"the build ended before it reached {stage}:\n{log.read_text()[-3000:]}"
    assert proc.returncode == -signal.SIGKILL
    assert _running_jobs(work) > 0, f"no job was running when killed during {stage}"


@pytest.mark.e2e
@pytest.mark.xdist_group("build")
def test_killed_three_times_then_make_recovers_and_two_makes_do_not_collide(
    built_repo: Path, tmp_path: Path
):
    work = copy_repo(tmp_path / "repo")
    for stage in STAGES:
        _kill_during(work, stage)
        locks = list((work / ".snakemake" / "locks").glob("*.lock"))
        assert locks, f"killed during {stage}, yet Snakemake left no lock (nothing to recover)"

    # the last restart: two builds at once in the same folder
    first, first_log = _start(work, "build-1")
    time.sleep(0.5)  # let the first take the lock
    second, second_log = _start(work, "build-2")
    assert first.wait(timeout=1800) == 0, first_log.read_text()[-6000:]
    assert second.wait(timeout=600) == 0, second_log.read_text()[-6000:]
    outs = [first_log.read_text(), second_log.read_text()]
    assert "Traceback" not in "".join(outs)
    # whichever took the lock first built (normally the first, started half a second earlier)
    waited = [o for o in outs if "Another build is running in this folder" in o]
    built = [o for o in outs if o not in waited]
    assert len(waited) == 1 and len(built) == 1, "\n-----\n".join(o[-2000:] for o in outs)
    assert "Removed the Snakemake lock left by an interrupted build" in built[0], built[0][-3000:]
    assert "Nothing to be done" in waited[0], waited[0][-3000:]

    # The session build may also hold the Snakemake report, which `make report` adds after a
    # build (test_reproducible makes it there); the build itself never writes it.
    diffs = [p for p in compare_trees(built_repo, work) if not p.endswith("/report.html")]
    problems = [p for p in diffs if not p.startswith("only in first")]
    missing = [p for p in diffs if p.startswith("only in first")]
    assert not problems and not missing, "recovered build differs from a clean build:\n" + (
        "\n".join(problems + missing)
    )
    stray = [p for p in output_files(work) if Path(p).name.startswith(".")]
    assert not stray, f"temporary files left behind: {stray}"
    again = run_snakemake(work, "-n")
    assert again.returncode == 0 and "Nothing to be done" in again.stdout, again.stdout[-3000:]


def test_makefile_builds_through_the_lock():
    """The Makefile's build runs the command this test kills and restarts."""
    text = (REPO / "Makefile").read_text(encoding="utf-8")
    assert "BUILD_LOCK := $(VENV)/bin/python -m kzopen.pipeline.buildlock --" in text
    assert "$(BUILD_LOCK) $(SNAKEMAKE) --cores $(CORES) --rerun-incomplete" in text


def _wrapper(cwd: Path, *args: str, timeout: float = 30) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "kzopen.pipeline.buildlock", *args],
        cwd=cwd,
        env=build_env(),
        capture_output=True,
        text=True,
        timeout=timeout,
    )


def _hold_lock(folder: Path) -> int:
    (folder / LOCK_FILE).parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(folder / LOCK_FILE, os.O_RDWR | os.O_CREAT)
    fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    os.write(fd, b"4242\n")
    return fd


def test_second_build_refuses_with_one_line_when_told_not_to_wait(tmp_path: Path):
    fd = _hold_lock(tmp_path)
    try:
        res = _wrapper(tmp_path, "--no-wait", "--", "touch", "ran")
    finally:
        os.close(fd)
    assert res.returncode == EXIT_BUSY
    assert res.stderr.strip().count("\n") == 0 and "another build is running" in res.stderr
    assert not (tmp_path / "ran").exists()


def test_second_build_waits_for_the_first(tmp_path: Path):
    fd = _hold_lock(tmp_path)
    proc = subprocess.Popen(
        [sys.executable, "-m", "kzopen.pipeline.buildlock", "--", "touch", "ran"],
        cwd=tmp_path,
        env=build_env(),
        stderr=subprocess.PIPE,
        text=True,
    )
    time.sleep(1.5)
    assert proc.poll() is None and not (tmp_path / "ran").exists(), "did not wait"
    os.close(fd)  # the first build ends
    assert proc.wait(timeout=30) == 0
    assert (tmp_path / "ran").exists()
    assert "Another build is running in this folder (process 4242); waiting" in proc.stderr.read()


def test_lock_is_released_when_the_build_is_killed(tmp_path: Path):
    proc = subprocess.Popen(
        [sys.executable, "-m", "kzopen.pipeline.buildlock", "--", "sleep", "60"],
        cwd=tmp_path,
        env=build_env(),
        start_new_session=True,
    )
    deadline = time.monotonic() + 20
    while not (tmp_path / LOCK_FILE).exists() and time.monotonic() < deadline:
        time.sleep(0.05)
    time.sleep(0.5)  # exec'd into sleep, still holding the lock
    busy = _wrapper(tmp_path, "--no-wait", "--", "true")
    os.killpg(proc.pid, signal.SIGKILL)
    proc.wait()
    assert busy.returncode == EXIT_BUSY, "the running command did not hold the lock"
    assert _wrapper(tmp_path, "--no-wait", "--", "true").returncode == 0


def test_stale_snakemake_lock_is_removed_but_not_a_live_ones(tmp_path: Path):
    locks = tmp_path / ".snakemake" / "locks"
    locks.mkdir(parents=True)
    (locks / "0.input.lock").write_text("data/raw/x.csv\n")
    res = _wrapper(tmp_path, "--", "true")
    assert res.returncode == 0 and not list(locks.iterdir()), res.stderr
    assert "Removed the Snakemake lock" in res.stderr

    # a Snakemake started outside `make` still runs here: its lock is not stale
    (locks / "0.input.lock").write_text("data/raw/x.csv\n")
    fake = tmp_path / "snakemake"
    fake.write_text("#!/bin/sh\nsleep 30\n")
    fake.chmod(0o755)
    live = subprocess.Popen([str(fake)], cwd=tmp_path, start_new_session=True)
    try:
        time.sleep(0.3)
        assert live.pid in foreign_snakemake(tmp_path)
        assert clear_stale_locks(tmp_path) == []
        assert (locks / "0.input.lock").exists()
    finally:
        os.killpg(live.pid, signal.SIGKILL)
        live.wait()


def test_next_write_removes_a_temporary_file_left_by_a_killed_job(tmp_path: Path):
    """SIGKILL skips atomic_path's cleanup; the next write of the same output removes the debris."""
    import pandas as pd

    from kzopen.core.io import write_csv

    stale = tmp_path / ".out.csv.k1ll3d.tmp"
    stale.write_text("half a fi", encoding="utf-8")
    other = tmp_path / ".other.csv.k1ll3d.tmp"
    other.write_text("not ours", encoding="utf-8")
    write_csv(pd.DataFrame({"x": [1]}), tmp_path / "out.csv")
    assert not stale.exists() and other.exists()
    assert (tmp_path / "out.csv").read_text(encoding="utf-8") == "x\n1\n"
