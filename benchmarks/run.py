"""Build-time benchmark (`make bench`): measures this machine, writes benchmarks/RESULTS.md.

Every measurement runs in a clean clone of the committed HEAD, in a scratch directory (never
in the working tree), with the environment that `make env` creates in that clone:

(a) set-up: `git clone` + `make env` (uv package cache warm), once as committed and once with
    `UV_COMPILE_BYTECODE=1` (modules compiled to bytecode at install time);
(b) cold full build: `snakemake --cores N` in that fresh clone;
(c) compute floor: the same jobs in one Python process (benchmarks/compute_floor.py);
(d) no-op rerun: `snakemake --cores N` again once everything is built;
(e) bare `snakemake --version`;
(f) incremental rebuilds: touch a raw index file (below and above Snakemake's checksum size
    limit), edit a plotting function; the jobs that ran are compared with the jobs downstream
    of the change in the DAG;
(g) comparing two versions (`make diff`, docs/changes.md): the comparison itself on two
    built checkouts, and `make diff BASE=HEAD` with the base built and cached.

Medians over ``--runs`` repetitions, wall and CPU time, with the 1-minute load average of
each run (the machine may be shared). Raw numbers also go to benchmarks/results.json.
Not part of the test suite.

This script only chooses and sequences the jobs; each job is a module of its own: bench_env
(a, b, e), bench_build (c, d), bench_incremental (f), bench_diff (g), with the shared plumbing
in harness and the rendering of RESULTS.md in bench_report.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import signal
import sys
import tempfile
from pathlib import Path
from typing import Any

import compute_floor
from bench_build import measure_floor, measure_noop
from bench_diff import measure_diff
from bench_env import ENV_VARIANTS, env_run
from bench_incremental import measure_incremental, undeclared_code
from bench_report import baseline_of, findings, render, targets, write_results
from harness import COMMIT, REPO, RESULTS_JSON, fresh_copy, git, log, machine, snapshot
from results_md import RESULTS_MD


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=3, help="repetitions per measurement (≥3)")
    ap.add_argument("--cores", type=int, default=os.cpu_count() or 1)
    ap.add_argument(
        "--only",
        default="make-env,make-env-no-bytecode,floor,noop,incremental,diff",
        help="subset of: make-env,make-env-no-bytecode,floor,noop,incremental,diff; the sections "
        "not measured are kept from the previous benchmarks/results.json",
    )
    ap.add_argument("--edit", help="plotting function to edit in (f), as path:function")
    ap.add_argument("--no-write", action="store_true", help="print, do not write RESULTS.md")
    ap.add_argument("--keep", action="store_true", help="keep the scratch directory")
    ap.add_argument(
        "--baseline",
        action="store_true",
        help="keep the previous results.json's figures as the baseline shown beside the new ones",
    )
    return ap.parse_args(argv)


def main(argv: list[str] | None = None) -> None:
    args = parse_args(argv)
    only = set(args.only.split(","))
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))  # clean up the scratch directory
    COMMIT[0] = git("rev-parse", "HEAD")
    r: dict[str, Any] = {
        "machine": machine(),
        "runs": args.runs,
        "cores": args.cores,
        "timings": {},
    }
    every = set(ENV_VARIANTS) | {"floor", "noop", "incremental", "diff"}
    previous = json.loads(RESULTS_JSON.read_text()) if RESULTS_JSON.exists() else {}
    if only != every:
        r["timings"] = dict(previous.get("timings", {}))
    r["baseline"] = baseline_of(previous) if args.baseline else previous.get("baseline")
    log(f"machine: {r['machine']}")
    tmp = Path(tempfile.mkdtemp(prefix="kzopen-bench-"))
    try:
        measure_all(args, only, r, tmp)
    finally:
        if not args.keep:
            shutil.rmtree(tmp, ignore_errors=True)
        else:
            log(f"scratch kept in {tmp}")
    if args.no_write:
        print(render(r))
    else:
        log(f"wrote {RESULTS_MD.relative_to(REPO)} and {RESULTS_JSON.relative_to(REPO)}")


def measure_all(args: argparse.Namespace, only: set[str], r: dict[str, Any], tmp: Path) -> None:
    """Every requested section, each written as soon as it is measured: the first bytecode
    build, then what needs a built checkout, then the repetitions."""
    t = r["timings"]
    snap = snapshot(tmp / "snapshot", "head")
    info: dict[str, Any] = {}
    plan = compute_floor.plan(fresh_copy(snap, tmp / "plan"), info)
    os.chdir(REPO)
    r["undeclared_resources"] = {
        rule: sorted({"mem_mb", "runtime"} - set(res))
        for rule, res in info["resources"].items()
        if not {"mem_mb", "runtime"} <= set(res)
    }
    r["undeclared_code"] = undeclared_code(snap, plan)
    stamp = f"{r['machine']['date']}, commit {r['machine']['commit']}"

    def save() -> None:
        r["targets"], r["findings"] = targets(r), findings(r)
        if not args.no_write:
            write_results(render(r))
            RESULTS_JSON.write_text(json.dumps(r, indent=1, default=list) + "\n", encoding="utf-8")

    main_v = "make-env"
    res_main: dict[str, Any] = {"measured": stamp}
    best = None
    if main_v in only or only & {"floor", "noop", "incremental", "diff"}:
        best = env_run(tmp, main_v, res_main, args.cores)
        if main_v in only:
            t[main_v] = res_main
            save()
    if best:
        measure_on_built(args, only, t, best, snap, plan, tmp, stamp, save)
    repeat_env_runs(args, only, t, res_main, tmp, stamp, save)


def measure_on_built(args, only, t, best, snap, plan, tmp, stamp, save) -> None:
    """What needs a built checkout: no-op rerun, diff, incremental rebuilds, compute floor."""
    if "noop" in only and "make-env" in t:
        t["make-env"]["noop"] = measure_noop(best / ".venv", best, max(args.runs, 5), args.cores)
        save()
    if "diff" in only:
        t["diff"] = measure_diff(best / ".venv", best, tmp, max(args.runs, 3), args.cores)
        t["diff"]["measured"] = stamp
        save()
    if "incremental" in only:
        t["incremental"] = measure_incremental(best / ".venv", best, plan, args.cores, args.edit)
        t["incremental_measured"] = stamp
        save()
    if "floor" in only:
        t["floor"] = measure_floor(best / ".venv", snap, tmp, args.runs)
        t["floor"]["measured"] = stamp
        save()


def repeat_env_runs(args, only, t, res_main, tmp, stamp, save) -> None:
    """The two environments alternately, so that a cut-short run still has both."""
    before_v, main_v = "make-env-no-bytecode", "make-env"
    res_before: dict[str, Any] = {"measured": stamp}
    for i in range(args.runs):
        if before_v in only:
            t[before_v] = res_before
            d = env_run(tmp, before_v, res_before, args.cores)
            if i == 0 and "noop" in only:
                res_before["noop"] = measure_noop(d / ".venv", d, max(args.runs, 5), args.cores)
            shutil.rmtree(d, ignore_errors=True)
            save()
        if main_v in only and i < args.runs - 1:
            shutil.rmtree(env_run(tmp, main_v, res_main, args.cores), ignore_errors=True)
            save()


if __name__ == "__main__":
    main()
