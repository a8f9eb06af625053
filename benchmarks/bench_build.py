"""Benchmark jobs (c) and (d): the compute floor in one process, and the no-op rerun."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

from harness import HERE, Series, _last_json, build_env, fresh_copy, log, med, snakemake, timed


def measure_floor(venv: Path, snap: Path, tmp: Path, runs: int) -> dict[str, Any]:
    """(c) the compute floor: plan once (orchestration, not timed), run in one process."""
    py = venv / "bin/python"
    plan_file = tmp / "floor-plan.pkl"
    d = fresh_copy(snap, tmp / "floor-plan")
    plan_run = timed(
        [py, HERE / "compute_floor.py", "plan", "--workdir", d, "--out", plan_file],
        d,
        build_env(d, venv / "bin"),
    )
    shutil.rmtree(d, ignore_errors=True)
    res: dict[str, Any] = {"floor": Series(), "plan_seconds": plan_run.wall, "per_job": None}
    for i in range(runs):
        d = fresh_copy(snap, tmp / f"floor-{i}")
        cmd = [py, HERE / "compute_floor.py", "run", "--workdir", d, "--plan", plan_file]
        run = res["floor"].add(timed(cmd, d, build_env(d, venv / "bin")))
        if res["per_job"] is None:
            res["per_job"] = _last_json(run.out)["per_job"]
        log(
            f"compute floor {i + 1}/{runs}: {run.wall:.1f} s (cpu {run.cpu:.1f}, load {run.load:.2f})"
        )
        shutil.rmtree(d, ignore_errors=True)
    return res


def measure_noop(venv: Path, built: Path, runs: int, cores: int) -> dict[str, Any]:
    """(d) no-op reruns of a complete build and (e) bare `snakemake --version`."""
    res: dict[str, Any] = {"noop": Series(), "version": Series()}
    env = build_env(built, venv / "bin")
    for _ in range(runs):
        out = res["noop"].add(snakemake(venv, built, cores=cores)).out
        if "Nothing to be done" not in out:
            raise RuntimeError(f"the rerun of a complete build was not a no-op:\n{out[-4000:]}")
        res["version"].add(timed([venv / "bin/snakemake", "--version"], built, env))
    log(
        f"{venv}: no-op {med(res['noop']['wall']):.2f} s, --version {med(res['version']['wall']):.2f} s"
    )
    # Where the no-op time goes: interpreter, imports the Snakefile triggers, DAG checks.
    py = venv / "bin/python"
    anatomy = {
        "python -c pass": [py, "-c", "pass"],
        "import snakemake.cli": [py, "-c", "import snakemake.cli"],
        "import pandas": [py, "-c", "import pandas"],
        "import kzopen.pipeline.manifest (parse-time raw check)": [
            py,
            "-c",
            "import kzopen.pipeline.manifest",
        ],
        "import scipy.stats": [py, "-c", "import scipy.stats"],
        "import matplotlib.pyplot": [py, "-c", "import matplotlib.pyplot"],
        "snakemake -n (complete build)": [venv / "bin/snakemake", "--cores", str(cores), "-n"],
    }
    res["anatomy"] = {}
    for name, cmd in anatomy.items():
        ser = Series()
        for _ in range(runs):
            ser.add(timed(cmd, built, env))
        res["anatomy"][name] = ser
    return res
