"""Shared plumbing of the benchmark jobs (benchmarks/run.py): the machine, timed runs,
clean clones, medians.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import platform
import resource
import shutil
import statistics
import subprocess
import sys
import time
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from kzopen.pipeline.scratch import build_env as scratch_build_env
from kzopen.pipeline.scratch import clear_outputs, copy_sources

HERE = Path(__file__).resolve().parent


REPO = HERE.parent


VENV_BIN = Path(sys.executable).parent


SNAKEMAKE = VENV_BIN / "snakemake"


PYTHON = VENV_BIN / "python"


RESULTS_JSON = HERE / "results.json"


COMMIT = [""]  # the commit measured: HEAD when the script starts


# Raw files touched in (f): one below Snakemake's --max-checksum-file-size default (1 MB),
# whose checksum Snakemake records, and one above it, whose checksum it does not.
TOUCH_SMALL = "data/raw/indices/ti_cpi/CPI2023_Global_Results__Trends.xlsx"


TOUCH_LARGE = "data/raw/indices/wb_wgi/wgidataset.csv"


BIG_CHECKSUM_LIMIT = "64MB"


NO_MTIME = ("code", "input", "params", "software-env")


def machine() -> dict[str, Any]:
    cpu = platform.processor() or "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem = "unknown"
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal"):
                mem = f"{int(line.split()[1]) / 1024**2:.1f} GiB"
    except OSError:
        pass
    sm = subprocess.run([SNAKEMAKE, "--version"], capture_output=True, text=True).stdout.strip()
    uv = REPO / ".tools/bin/uv"
    uv_version = (
        subprocess.run([uv, "--version"], capture_output=True, text=True).stdout.strip()
        if uv.exists()
        else "not installed"
    )
    return {
        "nproc": len(os.sched_getaffinity(0))
        if hasattr(os, "sched_getaffinity")
        else os.cpu_count(),
        "memory": mem,
        "cpu": cpu,
        "os": platform.platform(),
        "python": platform.python_version(),
        "snakemake": sm,
        "uv": uv_version,
        "PYTHONDONTWRITEBYTECODE": os.environ.get("PYTHONDONTWRITEBYTECODE", "(unset)"),
        "commit": git("rev-parse", "--short", "HEAD"),
        "worktree_dirty": bool(git("status", "--porcelain", "--untracked-files=no")),
        "date": dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC"),
    }


def git(*args: str, cwd: Path = REPO) -> str:
    return subprocess.run(
        ["git", *args], cwd=cwd, capture_output=True, text=True, check=True
    ).stdout.strip()


def build_env(workdir: Path | None = None, venv_bin: Path = VENV_BIN) -> dict[str, str]:
    """The environment of a benchmarked build (kzopen.pipeline.scratch.build_env): the clone's
    own virtual environment instead of this one, no profile, and with ``workdir`` the
    checkout's own package, not an editable install elsewhere."""
    drop = {"SNAKEMAKE_PROFILE", "VIRTUAL_ENV"} | ({"PYTHONPATH"} if workdir is not None else set())
    base = {k: v for k, v in os.environ.items() if k not in drop}
    base["PATH"] = os.pathsep.join(
        p for p in base.get("PATH", "").split(os.pathsep) if Path(p) != VENV_BIN
    )
    src = workdir / "src" if workdir is not None else None
    return scratch_build_env(venv_bin, package_src=src, base=base)


@dataclass
class Run:
    wall: float  # seconds
    cpu: float  # user + system seconds of the process and all its (waited-for) descendants
    load: float  # 1-minute load average just before the run
    out: str


def timed(cmd: Sequence[str | Path], cwd: Path, env: dict[str, str], check: bool = True) -> Run:
    load = os.getloadavg()[0]
    r0 = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    res = subprocess.run(
        [str(c) for c in cmd],
        cwd=cwd,
        env=env,
        text=True,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    wall = time.perf_counter() - t0
    r1 = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (r1.ru_utime - r0.ru_utime) + (r1.ru_stime - r0.ru_stime)
    if check and res.returncode != 0:
        raise RuntimeError(f"{' '.join(map(str, cmd))} failed in {cwd}:\n{res.stdout[-5000:]}")
    return Run(wall, cpu, load, res.stdout)


class Series(dict):
    """Repeated runs of one measurement: lists of wall, cpu and load."""

    def __init__(self) -> None:
        super().__init__(wall=[], cpu=[], load=[])

    def add(self, run: Run) -> Run:
        self["wall"].append(run.wall)
        self["cpu"].append(run.cpu)
        self["load"].append(run.load)
        return run


def med(xs: Sequence[float]) -> float:
    return statistics.median(xs) if xs else float("nan")


def log(msg: str) -> None:
    print(f"[bench {time.strftime('%H:%M:%S')}] {msg}", flush=True)


def snapshot(dest: Path, source: str) -> Path:
    """The sources to benchmark: a clone of HEAD, or a copy of the working tree."""
    if source == "head":
        subprocess.run(["git", "clone", "-q", "--no-hardlinks", str(REPO), str(dest)], check=True)
        subprocess.run(["git", "checkout", "-q", COMMIT[0]], cwd=dest, check=True)
        shutil.rmtree(dest / ".git")
        return clear_outputs(dest)
    return copy_sources(REPO, dest)


def fresh_copy(snap: Path, dest: Path) -> Path:
    shutil.copytree(snap, dest, symlinks=True)
    return dest


def rule_times(workdir: Path) -> dict[str, dict[str, float]]:
    """Wall time per rule (sum over its jobs) from Snakemake's metadata records."""
    per_job: dict[Any, tuple[str, float]] = {}
    meta = workdir / ".snakemake" / "metadata"
    for f in meta.iterdir() if meta.exists() else []:
        try:
            rec = json.loads(f.read_text())
        except (OSError, ValueError):
            continue
        start, end = rec.get("starttime"), rec.get("endtime")
        if start and end and end >= start:
            per_job[(rec["rule"], rec.get("job_hash"))] = (rec["rule"], end - start)
    out: dict[str, dict[str, float]] = defaultdict(lambda: {"jobs": 0, "seconds": 0.0})
    for rule, secs in per_job.values():
        out[rule]["jobs"] += 1
        out[rule]["seconds"] += secs
    return dict(out)


def snakemake(venv: Path, workdir: Path, *args: str, cores: int) -> Run:
    env = build_env(workdir, venv / "bin")
    return timed([venv / "bin/snakemake", "--cores", str(cores), *args], workdir, env)


def clean_env(extra: dict[str, str]) -> dict[str, str]:
    env = dict(os.environ)
    env.pop("VIRTUAL_ENV", None)
    env["PATH"] = os.pathsep.join(p for p in env["PATH"].split(os.pathsep) if Path(p) != VENV_BIN)
    env.update(extra)
    return env


def has_bytecode(venv: Path) -> bool:
    return any((venv / "lib").glob("python3*/site-packages/pandas/__pycache__/*.pyc"))


def _last_json(out: str) -> dict[str, Any]:
    """The last line of ``out`` that is a JSON object (jobs may print after it on exit)."""
    for line in reversed(out.strip().splitlines()):
        if line.startswith("{"):
            return json.loads(line)
    raise ValueError("no JSON result in the output")
