"""Resource faults: a full disk, a read-only output folder, a missing raw file, a dangling
symlink, an output folder that belongs to another user.

Each gives a clear message naming the path and what to do, exit status 1, no traceback, and
no half-written output a later build would trust. The full disk and the read-only folder are
real file systems in a private mount namespace (``unshare -m``: a 16 KiB tmpfs, a read-only
bind mount), which disappear with the build; the foreign folder is a build run as the user
``nobody``. Where the machine does not allow these (no root, no ``unshare``), the test is
skipped with the reason.
"""

from __future__ import annotations

import os
import shutil
import stat
import subprocess
import tempfile
from pathlib import Path

import pytest
from support import SNAKEMAKE, build_env, copy_repo, run_snakemake

pytestmark = [pytest.mark.e2e]

WGI_OUT = "data/processed/indices/wb_wgi.parquet"
WGI_RAW = "data/raw/indices/wb_wgi/wgidataset.csv"
POP_RAW = "data/raw/indices/kz_bns_regions/population_avg_by_region_total_2009_2025.csv"
MEANS_OUT = "results/reported_group_means.csv"


def _can_mount() -> str | None:
    """None if ``unshare -m`` + mount work here, else the reason they do not."""
    if not shutil.which("unshare"):
        return "unshare (util-linux) is not installed"
    with tempfile.TemporaryDirectory() as d:
        res = subprocess.run(
            ["unshare", "-m", "sh", "-c", f"mount -t tmpfs -o size=4k tmpfs {d}"],
            capture_output=True,
            text=True,
        )
    if res.returncode != 0:
        return f"mounting a file system is not permitted here: {res.stderr.strip()}"
    return None


def _in_mount_namespace(work: Path, mount: str, *targets: str) -> subprocess.CompletedProcess:
    script = f'{mount} && exec "$@"'
    return subprocess.run(
        ["unshare", "-m", "sh", "-c", script, "sh", SNAKEMAKE, "--cores", "1", *targets],
        cwd=work,
        env=build_env(),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        timeout=600,
    )


def _leftovers(work: Path, target: str) -> list[str]:
    out = work / target
    stray = list(out.parent.glob(f".{out.name}.*")) if out.parent.exists() else []
    return [p.name for p in [out, *stray] if p.exists()]


def _assert_clear_failure(res: subprocess.CompletedProcess, *wanted: str) -> None:
    assert res.returncode != 0, res.stdout[-3000:]
    assert "Traceback" not in res.stdout, res.stdout[-5000:]
    for w in wanted:
        assert w in res.stdout, f"{w!r} missing from:\n{res.stdout[-3000:]}"


def test_full_disk_is_named_before_anything_runs(repo_copy: Path):
    reason = _can_mount()
    if reason:
        pytest.skip(reason)
    res = _in_mount_namespace(repo_copy, "mount -t tmpfs -o size=16k tmpfs data/processed", WGI_OUT)
    _assert_clear_failure(res, "folder data/processed", "is full", "free space on that disk")
    assert "wb_wgi" not in res.stdout  # stopped before any job
    assert not _leftovers(repo_copy, WGI_OUT)


def test_disk_filling_up_during_the_build_leaves_no_half_written_output(repo_copy: Path):
    reason = _can_mount()
    if reason:
        pytest.skip(reason)
    # two inodes: the folder itself and the one Snakemake creates for the output; the job's
    # own file then finds the disk full (ENOSPC), after the check before the build passed
    res = _in_mount_namespace(
        repo_copy, "mount -t tmpfs -o size=8m,nr_inodes=2 tmpfs data/processed", WGI_OUT
    )
    _assert_clear_failure(res, f"file {WGI_OUT}", "the disk is full", "free space on the disk")
    assert not _leftovers(repo_copy, WGI_OUT)
    # the disk has room again: the next build makes the output, the same as a clean build
    again = run_snakemake(repo_copy, WGI_OUT)
    assert again.returncode == 0, again.stdout[-3000:]
    assert "wb_wgi" in again.stdout  # the job ran: nothing from the failed build was trusted


def test_read_only_output_folder_is_named_before_anything_runs(repo_copy: Path):
    reason = _can_mount()
    if reason:
        pytest.skip(reason)
    res = _in_mount_namespace(
        repo_copy, "mount --bind results results && mount -o remount,ro,bind results", MEANS_OUT
    )
    _assert_clear_failure(res, "folder results", "read-only file system", "What to do")
    assert not _leftovers(repo_copy, MEANS_OUT)
    assert "reported_group_means" not in res.stdout.split("What to do", 1)[1]  # no job ran


def test_missing_raw_file_names_it_and_how_to_restore_it(repo_copy: Path):
    (repo_copy / POP_RAW).unlink()
    res = run_snakemake(repo_copy, "-n", "data/processed/kz_region_population.parquet")
    _assert_clear_failure(
        res, POP_RAW, "does not exist", f"git checkout -- {POP_RAW}", "make data-lock"
    )


def test_dangling_symlink_raw_file_is_named(repo_copy: Path):
    raw = repo_copy / POP_RAW
    raw.unlink()
    raw.symlink_to("population_download_in_progress.csv")
    res = run_snakemake(repo_copy, "-n", "data/processed/kz_region_population.parquet")
    _assert_clear_failure(
        res, POP_RAW, "symbolic link", "population_download_in_progress.csv", "does not exist"
    )


def test_results_folder_of_another_user_is_named():
    if os.geteuid() != 0:
        pytest.skip("needs root to hand the results folder to another user")
    if not shutil.which("setpriv"):
        pytest.skip("setpriv (util-linux) is not installed: cannot act as another user")
    prefix = ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"]  # nobody
    check = subprocess.run([*prefix, SNAKEMAKE, "--version"], capture_output=True, env=build_env())
    if check.returncode != 0:
        pytest.skip(f"the environment is not usable by another user: {check.stderr[-300:]!r}")
    # a world-readable scratch copy (pytest's own folders are private to root)
    top = Path(tempfile.mkdtemp(prefix="kzopen-foreign-"))
    try:
        work = copy_repo(top / "repo")
        for p in [top, *work.rglob("*"), work]:
            if not p.is_symlink():
                p.chmod(p.stat().st_mode | stat.S_IRWXU | stat.S_IRWXG | stat.S_IRWXO)
        (work / "results").chmod(0o755)  # belongs to root, not writable for nobody
        env = build_env()
        env.update(HOME=str(top), XDG_CACHE_HOME=str(top / "cache"))
        res = subprocess.run(
            [*prefix, SNAKEMAKE, "--cores", "1", MEANS_OUT],
            cwd=work,
            env=env,
            text=True,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            timeout=600,
        )
        _assert_clear_failure(res, "folder results", "is not writable for you", "root", "chown")
        assert not _leftovers(work, MEANS_OUT)
    finally:
        shutil.rmtree(top, ignore_errors=True)
