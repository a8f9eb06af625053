"""Benchmark job (f): incremental rebuilds; the jobs that ran are compared with the jobs
downstream of the change in the DAG.
"""

from __future__ import annotations

import ast
import os
import re
from collections import defaultdict
from pathlib import Path
from typing import Any

import compute_floor
from harness import BIG_CHECKSUM_LIMIT, NO_MTIME, TOUCH_LARGE, TOUCH_SMALL, log, snakemake

from kzopen.pipeline.codedeps import SHARED_INFRASTRUCTURE, kzopen_sources, notebook_code

JOB_HEADER = re.compile(r"^(?:local)?(?:rule|checkpoint) (\w+):$")


def jobs_ran(output: str, known_rules: set[str]) -> list[str]:
    """Jobs announced in Snakemake's output, as 'rule[wildcards]' (aggregate rules dropped)."""
    jobs, current = [], None
    for line in output.splitlines():
        m = JOB_HEADER.match(line.strip())
        if m:
            if current:
                jobs.append(current)
            current = [m.group(1), ""]
        elif current and line.strip().startswith("wildcards:"):
            current[1] = line.split(":", 1)[1].strip()
        elif current and not line.strip():
            jobs.append(current)
            current = None
    if current:
        jobs.append(current)
    return sorted({job_id(r, w) for r, w in jobs if r in known_rules})


def job_id(rule: str, wildcards: str) -> str:
    return f"{rule}[{wildcards}]" if wildcards else rule


def dag_graph(plan: list[compute_floor.PlannedJob]) -> list[dict[str, Any]]:
    return [
        {
            "id": job_id(j.rule, j.wildcards),
            "inputs": set(j.inputs),
            "outputs": set(j.outputs),
        }
        for j in plan
    ]


def downstream(graph: list[dict[str, Any]], changed: set[str]) -> list[str]:
    """Jobs that read one of ``changed``, and every job after them: what must rerun."""
    files, hit = set(changed), set()
    grew = True
    while grew:
        grew = False
        for job in graph:
            if job["id"] not in hit and job["inputs"] & files:
                hit.add(job["id"])
                files |= job["outputs"]
                grew = True
    return sorted(hit)


def job_code(root: Path, job: compute_floor.PlannedJob) -> set[str]:
    """The kzopen source files a job's script (and any notebook it executes) imports."""
    texts = []
    if job.kind in ("script", "notebook"):
        p = root / job.path
        texts.append(notebook_code(str(p)) if p.suffix == ".ipynb" else p.read_text())
    texts += [notebook_code(str(root / f)) for f in job.inputs if f.endswith(".ipynb")]
    return set().union(*(kzopen_sources(root, t) for t in texts)) if texts else set()


def undeclared_code(root: Path, plan: list[compute_floor.PlannedJob]) -> dict[str, list[str]]:
    """Per rule: kzopen modules its script imports but the rule does not list as input (an
    edit to them does not rerun the rule). Infrastructure every job uses is left out."""
    common = {f"src/kzopen/{m}.py" for m in SHARED_INFRASTRUCTURE}
    out: dict[str, set[str]] = defaultdict(set)
    for job in plan:
        missing = {
            f
            for f in job_code(root, job) - set(job.inputs) - common
            if not f.endswith("__init__.py")
        }
        if missing:
            out[job.rule] |= missing
    return {k: sorted(v) for k, v in sorted(out.items())}


def code_downstream(
    root: Path, plan: list[compute_floor.PlannedJob], graph: list[dict[str, Any]], path: str
) -> list[str]:
    """Jobs whose script imports ``path`` (the true code dependency), and all after them."""
    direct = [j for j in plan if path in job_code(root, j) or path in j.inputs]
    outputs = set().union(*(set(j.outputs) for j in direct)) if direct else set()
    return sorted({job_id(j.rule, j.wildcards) for j in direct} | set(downstream(graph, outputs)))


def find_plot_function(root: Path, spec: str | None) -> tuple[str, str]:
    """(module path, function) to edit: ``spec`` as 'path:function', else the first
    ``plot_*`` function of the first module under src/kzopen that defines one."""
    if spec:
        path, func = spec.split(":")
        return path, func
    for path in sorted((root / "src/kzopen").rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in tree.body:
            if isinstance(node, ast.FunctionDef) and node.name.startswith("plot_"):
                return path.relative_to(root).as_posix(), node.name
    raise SystemExit("no plot_* function found under src/kzopen; pass --edit path:function")


def edit_function(root: Path, path: str, func: str) -> None:
    """A behaviour-neutral edit inside ``func``'s body (a new statement, as a real edit)."""
    file = root / path
    src = file.read_text(encoding="utf-8")
    tree = ast.parse(src)
    node = next(n for n in ast.walk(tree) if isinstance(n, ast.FunctionDef) and n.name == func)
    first = node.body[0]
    lines = src.splitlines(keepends=True)
    indent = " " * first.col_offset
    lines.insert(first.lineno - 1, f"{indent}_benchmark_edit = None  # benchmark edit\n")
    file.write_text("".join(lines), encoding="utf-8")


def measure_incremental(
    venv: Path, built: Path, plan: list[compute_floor.PlannedJob], cores: int, edit: str | None
) -> list[dict[str, Any]]:
    """(f) touch raw files / edit a plotting function; which jobs ran vs. what had to.

    A touch leaves the content unchanged, so nothing needs to rerun. Snakemake 9 reruns a job
    whose input is newer than its outputs unless the input's checksum was recorded and is
    unchanged, and it records checksums only for files up to --max-checksum-file-size (1 MB by
    default). Cases marked "dry run" list the jobs Snakemake would run without running them.
    """
    cases = []
    known, graph = {j.rule for j in plan}, dag_graph(plan)

    def case(name: str, changed: set[str], expected: list[str], *args: str) -> None:
        run = snakemake(venv, built, *args, cores=cores)
        ran = jobs_ran(run.out, known)
        cases.append(
            {
                "case": name,
                "wall": run.wall,
                "cpu": run.cpu,
                "load": run.load,
                "ran": ran,
                "downstream": downstream(graph, changed),
                "expected": expected,
                "exact": ran == expected,
                "args": list(args),
            }
        )
        log(f"{name}: {len(ran)} job(s) in {run.wall:.1f} s; should run {len(expected)}")

    # First, on the settled build: edit a plotting function; the jobs whose script imports
    # its module, and every job after them, must rerun (and nothing else).
    try:
        path, func = find_plot_function(built, edit)
    except SystemExit as exc:
        log(f"skipped the plotting-function edit: {exc}")
    else:
        expected = code_downstream(built, plan, graph, path)
        edit_function(built, path, func)
        case(f"edit `{func}()` in `{path}`", {path}, expected)
    small = (built / TOUCH_SMALL).stat().st_size / 1e6
    large = (built / TOUCH_LARGE).stat().st_size / 1e6
    os.utime(built / TOUCH_SMALL)
    case(f"touch `{TOUCH_SMALL}` ({small:.2f} MB)", {TOUCH_SMALL}, [])
    os.utime(built / TOUCH_LARGE)
    case(f"touch `{TOUCH_LARGE}` ({large:.2f} MB), dry run", {TOUCH_LARGE}, [], "-n")
    case(
        f"same, dry run with `--rerun-triggers {' '.join(NO_MTIME)}`",
        {TOUCH_LARGE},
        [],
        "-n",
        "--rerun-triggers",
        *NO_MTIME,
    )
    flag = ("--max-checksum-file-size", BIG_CHECKSUM_LIMIT)
    case(
        f"same, run with `{' '.join(flag)}` (once: the checksum was not recorded yet)",
        {TOUCH_LARGE},
        [],
        *flag,
    )
    os.utime(built / TOUCH_LARGE)
    case(f"touch `{TOUCH_LARGE}` again, run with `{' '.join(flag)}`", {TOUCH_LARGE}, [], *flag)
    return cases
