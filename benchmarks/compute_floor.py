"""The compute floor: every job of the workflow, run in ONE Python process, no orchestration.

The list of jobs is not written out by hand (it would drift from the workflow): it is taken
from Snakemake's own DAG for the default target (``rule all``, every job forced), and each
job's ``script:`` is executed in this process with the same ``snakemake`` object that
Snakemake's script preamble would unpickle (input, output, params, wildcards, threads,
resources, log, config). ``notebook:`` jobs run their code cells in-process with ``snakemake``
injected; ``shell:`` jobs (external tools) run their command. Packages are imported once and
shared by all jobs, so the run time is the cost of the computation itself: what a build could
take without interpreter start-up, per-job imports and scheduling.

Two phases, so that the planning (Snakemake parses the workflow and builds the DAG: that is
orchestration) is not counted in the floor::

    python benchmarks/compute_floor.py plan  --workdir REPO --out plan.pkl   # needs Snakemake
    python benchmarks/compute_floor.py run   --workdir REPO --plan plan.pkl  # the floor
    python benchmarks/compute_floor.py all   --workdir REPO                  # both, for a check

``run`` expects a checkout without outputs (like a cold build) and prints one JSON line with
the wall time of each job and the total.
"""

from __future__ import annotations

import argparse
import json
import os
import pickle
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from kzopen.pipeline.codedeps import notebook_code


@dataclass
class PlannedJob:
    """One job of the DAG, with everything its script sees as ``snakemake``."""

    rule: str
    kind: str  # "script", "notebook" or "shell"
    path: str  # script or notebook (absolute) or the formatted shell command
    snakemake: Any  # snakemake.iocontainers.Snakemake, pickled as the script preamble does
    wildcards: str = ""  # as Snakemake prints them: "name=value, ..."
    inputs: list[str] = field(default_factory=list)
    outputs: list[str] = field(default_factory=list)
    logs: list[str] = field(default_factory=list)


def plan(workdir: Path, info: dict[str, Any] | None = None) -> list[PlannedJob]:
    """All jobs needed for the default target, in a topological order, from Snakemake's DAG.

    ``info``, if given, receives ``resources``: each rule's explicitly declared resources.
    """
    from snakemake.api import SnakemakeApi
    from snakemake.iocontainers import Snakemake
    from snakemake.settings.types import (
        DAGSettings,
        OutputSettings,
        Quietness,
        ResourceSettings,
    )

    with SnakemakeApi(OutputSettings(quiet={Quietness.ALL})) as api:
        wf_api = api.workflow(
            resource_settings=ResourceSettings(cores=1),
            snakefile=workdir / "Snakefile",
            workdir=workdir,
        )
        dag_api = wf_api.dag(dag_settings=DAGSettings(forceall=True))
        workflow = dag_api.workflow_api._workflow  # no public API hands out the job list
        workflow.dag_settings = dag_api.dag_settings
        workflow._prepare_dag(forceall=True, ignore_incomplete=True, lock_warn_only=True)
        workflow._build_dag()
        dag = workflow.dag
        if info is not None:
            info["resources"] = {
                r.name: sorted(k for k in r.resources if not k.startswith("_"))
                for r in workflow.rules
                if not r.norun
            }
        jobs: list[PlannedJob] = []
        for level in dag.toposorted():
            for job in sorted(level, key=lambda j: (j.rule.name, str(j.wildcards))):
                rule = job.rule
                if rule.norun:  # e.g. `rule all`: only collects inputs
                    continue
                basedir = rule.basedir.get_path_or_uri(secret_free=True)
                sm = Snakemake(
                    job.input._plainstrings(),
                    job.output._plainstrings(),
                    job.params,
                    job.wildcards,
                    job.threads,
                    job.resources,
                    job.log._plainstrings(),
                    workflow.config,
                    rule.name,
                    None,
                    _relative(Path(basedir), workdir),
                )
                # Paths relative to the workdir, so that the plan applies to any copy.
                if rule.script:
                    kind, path = "script", _relative(Path(basedir) / rule.script, workdir)
                elif rule.notebook:
                    kind, path = "notebook", _relative(Path(basedir) / rule.notebook, workdir)
                elif rule.shellcmd:
                    kind, path = "shell", job.shellcmd
                else:
                    raise SystemExit(f"compute floor: rule {rule.name} has no script/shell")
                if kind != "shell" and not path.endswith((".py", ".ipynb")):
                    raise SystemExit(f"compute floor: {rule.name}: unsupported {path}")
                jobs.append(
                    PlannedJob(
                        rule=rule.name,
                        kind=kind,
                        path=path,
                        snakemake=sm,
                        wildcards=", ".join(f"{k}={v}" for k, v in job.wildcards.items()),
                        inputs=[str(f) for f in job.input],
                        outputs=list(job.output._plainstrings()),
                        logs=list(job.log._plainstrings()),
                    )
                )
    return jobs


def _relative(path: Path, workdir: Path) -> str:
    return os.path.relpath(path.resolve(), workdir)


def run_job(job: PlannedJob) -> None:
    for f in job.outputs + job.logs:
        Path(f).parent.mkdir(parents=True, exist_ok=True)
    if job.kind == "shell":
        subprocess.run(job.path, shell=True, check=True, executable="/bin/bash")
        return
    job.snakemake.scriptdir = os.path.abspath(job.snakemake.scriptdir)
    path = os.path.abspath(job.path)
    if job.kind == "script":
        code = compile(Path(path).read_text(encoding="utf-8"), path, "exec")
    else:
        code = compile(notebook_code(path), path, "exec")
    namespace = {"__name__": "__main__", "__file__": path, "snakemake": job.snakemake}
    try:
        exec(code, namespace)
    except SystemExit as exc:  # the adapter exits 1 on an InputError
        if exc.code not in (None, 0):
            raise RuntimeError(f"job of rule {job.rule} failed (exit {exc.code})") from exc
    finally:
        try:
            import matplotlib.pyplot as plt

            plt.close("all")
        except ImportError:
            pass


def run(jobs: list[PlannedJob]) -> dict[str, Any]:
    t0 = time.perf_counter()
    per_job = []
    for job in jobs:
        t = time.perf_counter()
        run_job(job)
        per_job.append({"rule": job.rule, "seconds": round(time.perf_counter() - t, 4)})
        print(f"floor: {job.rule} {job.wildcards} {per_job[-1]['seconds']:.2f} s", file=sys.stderr)
    missing = [f for job in jobs for f in job.outputs if not os.path.exists(f)]
    if missing:
        raise SystemExit(f"compute floor: outputs not produced: {missing[:5]}")
    return {"jobs": len(jobs), "seconds": time.perf_counter() - t0, "per_job": per_job}


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("phase", choices=["plan", "run", "all"])
    ap.add_argument("--workdir", type=Path, default=Path.cwd())
    ap.add_argument("--plan", type=Path, help="plan file written by the `plan` phase")
    ap.add_argument("--out", type=Path, help="where `plan` writes the plan file")
    args = ap.parse_args(argv)
    workdir = args.workdir.resolve()
    start = time.perf_counter()
    if args.phase in ("plan", "all"):
        jobs = plan(workdir)
        if args.phase == "plan":
            args.out.write_bytes(pickle.dumps(jobs, protocol=4))
            print(json.dumps({"jobs": len(jobs), "plan_seconds": time.perf_counter() - start}))
            return
    else:
        jobs = pickle.loads(args.plan.read_bytes())
    os.chdir(workdir)
    sys.path.insert(0, str(workdir / "src"))  # the checkout's package, as the build would
    result = run(jobs)
    result["process_seconds"] = time.perf_counter() - start
    print(json.dumps(result))


if __name__ == "__main__":
    main()
