"""Build-time benchmark (`make bench`): measures this machine, writes benchmarks/RESULTS.md.

Measured, each in a fresh scratch copy of the repository (never in the working tree):

(a) set-up: `git clone` of the repository + `make env` (uv package cache warm), then a cold
    build with that fresh environment: the "clean clone to results" path;
(b) cold full build: `snakemake --cores N` from a checkout without outputs;
(c) compute floor: the same jobs run in one Python process (benchmarks/compute_floor.py);
(d) no-op rerun: `snakemake --cores N` again once everything is built;
(e) bare `snakemake --version`;
(f) incremental rebuilds: touch a raw index file (small and large), edit a plotting function;
    the jobs that ran are compared with the jobs downstream of the change in the DAG.

Medians over ``--runs`` repetitions; the 1-minute load average is recorded with each run
(the machine is shared, so timings are noisy when the load exceeds the core count).
Everything runs on the committed HEAD by default (`--source worktree` for uncommitted work).
Raw timings also go to benchmarks/results.json. Not part of the test suite.
"""

from __future__ import annotations

import argparse
import ast
import datetime as dt
import json
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from collections.abc import Sequence
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
VENV_BIN = Path(sys.executable).parent
SNAKEMAKE = VENV_BIN / "snakemake"
PYTHON = VENV_BIN / "python"
RESULTS_MD = HERE / "RESULTS.md"
RESULTS_JSON = HERE / "results.json"
START, END = "<!-- build-bench:start -->", "<!-- build-bench:end -->"

sys.path.insert(0, str(HERE))
import compute_floor  # noqa: E402

# Never copied into a scratch checkout: environments, caches, build outputs.
IGNORE = shutil.ignore_patterns(
    ".git", ".venv", ".tools", ".snakemake", "__pycache__", ".pytest_cache", ".ruff_cache",
    ".hypothesis", "logs", "build", "runs",
)  # fmt: skip
OUTPUT_DIRS = ("results", "figures", "data/processed")

# Raw files touched in (f): one below Snakemake's --max-checksum-file-size default (1 MB),
# whose checksum Snakemake records, and one above it, whose checksum it does not.
TOUCH_SMALL = "data/raw/indices/ti_cpi/CPI2023_Global_Results__Trends.xlsx"
TOUCH_LARGE = "data/raw/indices/wb_wgi/wgidataset.csv"
BIG_CHECKSUM_LIMIT = "64MB"


# ---------------------------------------------------------------- machine and processes


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
    commit = git("rev-parse", "--short", "HEAD")
    dirty = bool(git("status", "--porcelain", "--untracked-files=no"))
    return {
        "nproc": len(os.sched_getaffinity(0))
        if hasattr(os, "sched_getaffinity")
        else os.cpu_count(),
        "memory": mem,
        "cpu": cpu,
        "os": platform.platform(),
        "python": platform.python_version(),
        "snakemake": sm,
        "commit": commit,
        "worktree_dirty": dirty,
        "date": dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC"),
    }


def git(*args: str, cwd: Path = REPO) -> str:
    return subprocess.run(
        ["git", *args], cwd=cwd, capture_output=True, text=True, check=True
    ).stdout.strip()


def build_env(workdir: Path | None = None, venv_bin: Path = VENV_BIN) -> dict[str, str]:
    env = dict(os.environ)
    env.setdefault("SOURCE_DATE_EPOCH", "1704067200")
    env["PYTHONHASHSEED"] = "0"
    env["PATH"] = f"{venv_bin}{os.pathsep}{env.get('PATH', '')}"
    env.pop("SNAKEMAKE_PROFILE", None)
    if workdir is not None:  # the checkout's own package, not the editable install's
        env["PYTHONPATH"] = str(workdir / "src")
    return env


def timed(
    cmd: Sequence[str | Path], cwd: Path, env: dict[str, str], check: bool = True
) -> tuple[float, float, str]:
    """Run ``cmd``; return (wall seconds, 1-min load average before the run, output)."""
    load = os.getloadavg()[0]
    t0 = time.perf_counter()
    res = subprocess.run(
        [str(c) for c in cmd], cwd=cwd, env=env, text=True,
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
    )  # fmt: skip
    secs = time.perf_counter() - t0
    if check and res.returncode != 0:
        raise RuntimeError(f"{' '.join(map(str, cmd))} failed in {cwd}:\n{res.stdout[-5000:]}")
    return secs, load, res.stdout


def snakemake(workdir: Path, *args: str, cores: int) -> tuple[float, float, str]:
    return timed([SNAKEMAKE, "--cores", str(cores), *args], workdir, build_env(workdir))


def med(xs: Sequence[float]) -> float:
    return statistics.median(xs) if xs else float("nan")


def log(msg: str) -> None:
    print(f"[bench {time.strftime('%H:%M:%S')}] {msg}", flush=True)


# ---------------------------------------------------------------- checkouts


def snapshot(dest: Path, source: str) -> Path:
    """The sources to benchmark: a clone of HEAD, or a copy of the working tree."""
    if source == "head":
        subprocess.run(["git", "clone", "-q", "--no-hardlinks", str(REPO), str(dest)], check=True)
        shutil.rmtree(dest / ".git")
    else:
        shutil.copytree(REPO, dest, ignore=IGNORE, symlinks=True)
    for d in OUTPUT_DIRS:
        out = dest / d
        if out.exists():
            for child in out.iterdir():
                if child.name != ".gitkeep":
                    shutil.rmtree(child) if child.is_dir() else child.unlink()
        out.mkdir(parents=True, exist_ok=True)
    return dest


def fresh_copy(snap: Path, dest: Path) -> Path:
    shutil.copytree(snap, dest, symlinks=True)
    return dest


# ---------------------------------------------------------------- which jobs ran

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


# ---------------------------------------------------------------- the edit in (f)


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


# ---------------------------------------------------------------- the measurements


def measure_setup(tmp: Path, runs: int, cores: int) -> dict[str, Any]:
    """(a) git clone + make env with a warm uv cache; then a cold build in that env."""
    res: dict[str, Any] = {"clone": [], "env": [], "setup": [], "build": [], "load": []}
    for i in range(runs):
        d = tmp / f"setup-{i}"
        env = dict(os.environ)
        env.pop("VIRTUAL_ENV", None)
        env["PATH"] = os.pathsep.join(
            p for p in env["PATH"].split(os.pathsep) if Path(p) != VENV_BIN
        )
        t_clone, load, _ = timed(["git", "clone", "-q", str(REPO), str(d)], tmp, env)
        t_env, _, _ = timed(["make", "env"], d, env)
        t_build, _, out = timed(
            [d / ".venv/bin/snakemake", "--cores", str(cores)], d, build_env(None, d / ".venv/bin")
        )
        res["clone"].append(t_clone)
        res["env"].append(t_env)
        res["setup"].append(t_clone + t_env)
        res["build"].append(t_build)
        res["load"].append(load)
        log(f"set-up {i + 1}/{runs}: clone {t_clone:.1f} s, make env {t_env:.1f} s, "
            f"cold build in the new env {t_build:.1f} s (load {load:.2f})")  # fmt: skip
        shutil.rmtree(d, ignore_errors=True)
    return res


def measure_cold(snap: Path, tmp: Path, runs: int, cores: int) -> tuple[dict[str, Any], Path]:
    """(b) cold builds; returns the first built copy for (d) and (f)."""
    res: dict[str, Any] = {"seconds": [], "load": []}
    keep = None
    for i in range(runs):
        d = fresh_copy(snap, tmp / f"cold-{i}")
        secs, load, _ = snakemake(d, cores=cores)
        res["seconds"].append(secs)
        res["load"].append(load)
        log(f"cold build {i + 1}/{runs}: {secs:.1f} s (load {load:.2f})")
        if i == 0:
            keep = d
            res["rules"] = rule_times(d)
        else:
            shutil.rmtree(d, ignore_errors=True)
    assert keep is not None
    return res, keep


def measure_floor(snap: Path, tmp: Path, runs: int) -> dict[str, Any]:
    """(c) the compute floor: plan once (orchestration, not timed), run in one process."""
    plan_file = tmp / "floor-plan.pkl"
    d = fresh_copy(snap, tmp / "floor-plan")
    t_plan, _, out = timed(
        [PYTHON, HERE / "compute_floor.py", "plan", "--workdir", d, "--out", plan_file],
        d, build_env(d),
    )  # fmt: skip
    shutil.rmtree(d, ignore_errors=True)
    res: dict[str, Any] = {"seconds": [], "load": [], "plan_seconds": t_plan, "per_job": None}
    for i in range(runs):
        d = fresh_copy(snap, tmp / f"floor-{i}")
        cmd = [PYTHON, HERE / "compute_floor.py", "run", "--workdir", d, "--plan", plan_file]
        secs, load, out = timed(cmd, d, build_env(d))
        res["seconds"].append(secs)
        res["load"].append(load)
        if res["per_job"] is None:
            res["per_job"] = json.loads(out.strip().splitlines()[-1])["per_job"]
        log(f"compute floor {i + 1}/{runs}: {secs:.1f} s (load {load:.2f})")
        shutil.rmtree(d, ignore_errors=True)
    return res


def measure_noop(built: Path, runs: int, cores: int) -> dict[str, Any]:
    """(d) no-op reruns of a complete build and (e) bare `snakemake --version`."""
    res: dict[str, Any] = {"noop": [], "noop_load": [], "version": [], "version_load": []}
    for _ in range(runs):
        secs, load, out = snakemake(built, cores=cores)
        if "Nothing to be done" not in out:
            raise RuntimeError(f"the rerun of a complete build was not a no-op:\n{out[-4000:]}")
        res["noop"].append(secs)
        res["noop_load"].append(load)
        secs, load, _ = timed([SNAKEMAKE, "--version"], built, build_env(built))
        res["version"].append(secs)
        res["version_load"].append(load)
    log(f"no-op {med(res['noop']):.2f} s, --version {med(res['version']):.2f} s")
    # Where the no-op time goes: interpreter, imports the Snakefile triggers, DAG checks.
    anatomy = {
        "python -c pass": [PYTHON, "-c", "pass"],
        "import snakemake.cli": [PYTHON, "-c", "import snakemake.cli"],
        "import pandas": [PYTHON, "-c", "import pandas"],
        "import kzopen.manifest (parse-time raw check)": [
            PYTHON, "-c", "import kzopen.manifest",
        ],
        "snakemake --dry-run (complete build)": [SNAKEMAKE, "--cores", str(cores), "-n"],
    }  # fmt: skip
    res["anatomy"] = {}
    for name, cmd in anatomy.items():
        xs = [timed(cmd, built, build_env(built))[0] for _ in range(runs)]
        res["anatomy"][name] = xs
    return res


def measure_incremental(
    built: Path, graph: list[dict[str, Any]], known: set[str], cores: int, edit: str | None
) -> list[dict[str, Any]]:
    """(f) touch raw files / edit a plotting function; which jobs ran vs. the DAG's downstream."""
    cases = []

    def case(name: str, changed: set[str], expected: list[str], *args: str) -> None:
        secs, load, out = snakemake(built, *args, cores=cores)
        ran = jobs_ran(out, known)
        cases.append(
            {
                "case": name,
                "seconds": secs,
                "load": load,
                "ran": ran,
                "downstream": downstream(graph, changed),
                "expected": expected,
                "exact": ran == expected,
                "args": list(args),
            }
        )
        log(f"{name}: {len(ran)} job(s) ran in {secs:.1f} s; expected {len(expected)}")

    # Touch: the content is unchanged, so nothing needs to rerun.
    for label, f in (("small", TOUCH_SMALL), ("large", TOUCH_LARGE)):
        size = (built / f).stat().st_size
        os.utime(built / f)
        case(f"touch {f} ({size / 1e6:.2f} MB, {label})", {f}, [])
    # The same with a checksum limit above the file size: the first run records the checksum
    # (a one-off rerun), after which a touch is a no-op.
    os.utime(built / TOUCH_LARGE)
    snakemake(built, "--max-checksum-file-size", BIG_CHECKSUM_LIMIT, cores=cores)
    os.utime(built / TOUCH_LARGE)
    case(
        f"touch {TOUCH_LARGE} with --max-checksum-file-size {BIG_CHECKSUM_LIMIT}",
        {TOUCH_LARGE}, [], "--max-checksum-file-size", BIG_CHECKSUM_LIMIT,
    )  # fmt: skip
    # Edit a plotting function: its module's consumers and what follows them must rerun.
    try:
        path, func = find_plot_function(built, edit)
    except SystemExit as exc:
        log(f"skipped the plotting-function edit: {exc}")
        return cases
    edit_function(built, path, func)
    down = downstream(graph, {path})
    case(f"edit {func}() in {path}", {path}, down)
    return cases


# ---------------------------------------------------------------- RESULTS.md


def fmt_s(x: float) -> str:
    return f"{x:.2f} s" if x < 10 else f"{x:.1f} s"


def loads(xs: Sequence[float]) -> str:
    return ", ".join(f"{x:.1f}" for x in xs)


def render(r: dict[str, Any]) -> str:
    m = r["machine"]
    L = [START, "", "## Build-time benchmark", ""]
    L += [
        f"Written by `make bench` (`benchmarks/run.py`) on {m['date']}, commit `{m['commit']}`"
        + (" (working tree had uncommitted changes)" if m["worktree_dirty"] else "")
        + f", sources: {r['source']}. Medians of {r['runs']} runs; every number below was "
        "measured by that script on this machine. Load = 1-minute load average before each "
        "run: above the core count, other processes were competing for the CPU and the "
        "timings are inflated.",
        "",
        "| machine | |",
        "|---|---|",
        f"| CPU | {m['cpu']} |",
        f"| cores (nproc) | {m['nproc']} |",
        f"| memory | {m['memory']} |",
        f"| OS | {m['os']} |",
        f"| Python | {m['python']} |",
        f"| Snakemake | {m['snakemake']} |",
        f"| build command | `snakemake --cores {r['cores']}` |",
        "",
    ]
    t = r["timings"]
    L += ["| measurement | median | runs | load |", "|---|---|---|---|"]

    def row(label: str, xs: Sequence[float], ld: Sequence[float]) -> None:
        L.append(f"| {label} | {fmt_s(med(xs))} | {', '.join(f'{x:.1f}' for x in xs)} | "
                 f"{loads(ld)} |")  # fmt: skip

    if "setup" in t:
        s = t["setup"]
        row("(a) set-up: `git clone` + `make env` (uv cache warm)", s["setup"], s["load"])
        row("(a') cold build in that fresh environment", s["build"], s["load"])
        row(
            "(a+a') clean clone to complete build",
            [a + b for a, b in zip(s["setup"], s["build"], strict=True)], s["load"],
        )  # fmt: skip
    if "cold" in t:
        row("(b) cold full build", t["cold"]["seconds"], t["cold"]["load"])
    if "floor" in t:
        row("(c) compute floor (one process)", t["floor"]["seconds"], t["floor"]["load"])
    if "noop" in t:
        row("(d) no-op rerun", t["noop"]["noop"], t["noop"]["noop_load"])
        row("(e) bare `snakemake --version`", t["noop"]["version"], t["noop"]["version_load"])
    L.append("")

    L += ["### Targets", "", "| target | measured | met |", "|---|---|---|"]
    for tg in r["targets"]:
        L.append(f"| {tg['target']} | {tg['measured']} | {'yes' if tg['met'] else '**no**'} |")
    L.append("")

    if "incremental" in t:
        L += [
            "### Incremental rebuilds",
            "",
            "Each case runs `snakemake --cores N` on the complete build of (b) after the change; "
            "'should run' is what the change requires: nothing for a touch (the content is "
            "unchanged), and for an edit the jobs that read the edited file plus every job after "
            "them in the DAG.",
            "",
            "| change | jobs ran | should run | exact | time | load |",
            "|---|---|---|---|---|---|",
        ]
        for c in t["incremental"]:
            L.append(
                f"| {c['case']} | {len(c['ran'])} | {len(c['expected'])} | "
                f"{'yes' if c['exact'] else '**no**'} | {fmt_s(c['seconds'])} | {c['load']:.1f} |"
            )
        L.append("")
        for c in t["incremental"]:
            L.append(f"- {c['case']}: ran {', '.join(f'`{j}`' for j in c['ran']) or 'nothing'}.")
            extra = sorted(set(c["ran"]) - set(c["expected"]))
            missing = sorted(set(c["expected"]) - set(c["ran"]))
            if extra:
                L.append(f"  Not required: {', '.join(f'`{j}`' for j in extra)}.")
            if missing:
                L.append(f"  Required but not run: {', '.join(f'`{j}`' for j in missing)}.")
        L.append("")

    if "cold" in t and "floor" in t:
        L += [
            "### Where the time goes",
            "",
            "Per rule: summed wall time of its jobs in the first cold build (from Snakemake's "
            "metadata: each job is a separate Python process that starts the interpreter and "
            "imports its packages) against the same jobs in the one-process compute floor.",
            "",
            "| rule | jobs | build: job wall time | floor: compute time |",
            "|---|---|---|---|",
        ]
        floor_rule: dict[str, float] = defaultdict(float)
        for j in t["floor"]["per_job"] or []:
            floor_rule[j["rule"]] += j["seconds"]
        rules = t["cold"]["rules"]
        for rule in sorted(rules, key=lambda x: -rules[x]["seconds"]):
            v = rules[rule]
            L.append(
                f"| {rule} | {v['jobs']} | {fmt_s(v['seconds'])} | "
                f"{fmt_s(floor_rule.get(rule, float('nan')))} |"
            )
        tot_jobs = sum(v["jobs"] for v in rules.values())
        tot_build = sum(v["seconds"] for v in rules.values())
        L += [
            f"| **total** | {tot_jobs} | {fmt_s(tot_build)} | {fmt_s(sum(floor_rule.values()))} |",
            "",
        ]
    if "noop" in t:
        L += ["Start-up costs (medians):", ""]
        for name, xs in t["noop"]["anatomy"].items():
            L.append(f"- `{name}`: {fmt_s(med(xs))}")
        L.append("")
    if r.get("findings"):
        L += ["### Findings", ""] + [f"- {f}" for f in r["findings"]] + [""]
    L.append(END)
    return "\n".join(L)


def targets(r: dict[str, Any]) -> list[dict[str, Any]]:
    t, out = r["timings"], []
    if "cold" in t and "floor" in t:
        b, c = med(t["cold"]["seconds"]), med(t["floor"]["seconds"])
        out.append({"target": "cold build ≤ 2 × compute floor",
                    "measured": f"(b)/(c) = {b:.1f} / {c:.1f} = {b / c:.2f}", "met": b <= 2 * c})  # fmt: skip
    if "noop" in t:
        d, e = med(t["noop"]["noop"]), med(t["noop"]["version"])
        out.append({"target": "no-op rerun ≤ 1.5 × bare `snakemake --version`",
                    "measured": f"(d)/(e) = {d:.2f} / {e:.2f} = {d / e:.2f}", "met": d <= 1.5 * e})  # fmt: skip
    if "setup" in t:
        s = med([a + b for a, b in zip(t["setup"]["setup"], t["setup"]["build"], strict=True)])
        out.append({"target": "set-up + cold build from a clean clone ≤ 120 s",
                    "measured": f"{s:.1f} s", "met": s <= 120})  # fmt: skip
    if "incremental" in t:
        for c in t["incremental"]:
            out.append({"target": f"incremental, {c['case']}: exactly the downstream jobs",
                        "measured": f"{len(c['ran'])} ran / {len(c['expected'])} needed",
                        "met": c["exact"]})  # fmt: skip
    return out


def write_results(text: str) -> None:
    """Replace the block between the markers; everything else in the file is kept."""
    old = RESULTS_MD.read_text(encoding="utf-8") if RESULTS_MD.exists() else "# Benchmarks\n"
    if START in old and END in old:
        head, rest = old.split(START, 1)
        tail = rest.split(END, 1)[1]
        new = head + text + tail
    else:
        lines = old.rstrip("\n").split("\n")
        # After the title (first line) if there is one, else at the top.
        if lines and lines[0].startswith("# "):
            new = "\n".join([lines[0], "", text, *lines[1:]]) + "\n"
        else:
            new = "# Benchmarks\n\n" + text + "\n\n" + old
    RESULTS_MD.write_text(new.rstrip("\n") + "\n", encoding="utf-8")


# ---------------------------------------------------------------- main


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=3, help="repetitions per measurement (≥3)")
    ap.add_argument("--cores", type=int, default=os.cpu_count() or 1)
    ap.add_argument("--source", choices=["head", "worktree"], default="head")
    ap.add_argument(
        "--only", default="setup,cold,floor,noop,incremental",
        help="comma-separated subset of: setup,cold,floor,noop,incremental",
    )  # fmt: skip
    ap.add_argument("--edit", help="plotting function to edit in (f), as path:function")
    ap.add_argument("--no-write", action="store_true", help="print, do not write RESULTS.md")
    ap.add_argument("--keep", action="store_true", help="keep the scratch directory")
    args = ap.parse_args(argv)
    only = set(args.only.split(","))

    r: dict[str, Any] = {"machine": machine(), "runs": args.runs, "cores": args.cores,
                         "source": "git HEAD" if args.source == "head" else "working tree",
                         "timings": {}}  # fmt: skip
    log(f"machine: {r['machine']}")
    tmp = Path(tempfile.mkdtemp(prefix="kzopen-bench-"))
    try:
        snap = snapshot(tmp / "snapshot", args.source)
        t = r["timings"]
        if "setup" in only:
            t["setup"] = measure_setup(tmp, args.runs, args.cores)
        built = None
        if only & {"cold", "noop", "incremental"}:
            t["cold"], built = measure_cold(snap, tmp, args.runs, args.cores)
        if "floor" in only or "incremental" in only:
            d = fresh_copy(snap, tmp / "plan")
            plan = compute_floor.plan(d)
            os.chdir(REPO)
            known = {j.rule for j in plan}
            graph = dag_graph(plan)
            r["jobs"] = len(plan)
            shutil.rmtree(d, ignore_errors=True)
        if "floor" in only:
            t["floor"] = measure_floor(snap, tmp, args.runs)
        if "noop" in only and built:
            t["noop"] = measure_noop(built, max(args.runs, 5), args.cores)
        if "incremental" in only and built:
            t["incremental"] = measure_incremental(built, graph, known, args.cores, args.edit)
    finally:
        if not args.keep:
            shutil.rmtree(tmp, ignore_errors=True)
        else:
            log(f"scratch kept in {tmp}")
    r["targets"] = targets(r)
    r["findings"] = findings(r)
    text = render(r)
    if args.no_write:
        print(text)
    else:
        write_results(text)
        RESULTS_JSON.write_text(json.dumps(r, indent=1, default=list) + "\n", encoding="utf-8")
        log(f"wrote {RESULTS_MD.relative_to(REPO)} and {RESULTS_JSON.relative_to(REPO)}")


def findings(r: dict[str, Any]) -> list[str]:
    """Observations derived from the numbers (the interpretation lives in docs/performance.md)."""
    t, out = r["timings"], []
    if "cold" in t and "floor" in t:
        rules = t["cold"]["rules"]
        n = sum(v["jobs"] for v in rules.values())
        job_wall = sum(v["seconds"] for v in rules.values())
        floor = med(t["floor"]["seconds"])
        b = med(t["cold"]["seconds"])
        out.append(
            f"The cold build runs {n} jobs; their summed wall time is {job_wall:.1f} s against "
            f"{floor:.1f} s for the same work in one process, i.e. about "
            f"{(job_wall - floor) / max(n, 1):.2f} s of per-job overhead (interpreter start-up, "
            f"imports, Snakemake's script preamble). With {r['cores']} cores the build takes "
            f"{b:.1f} s."
        )
    if "noop" in t:
        a = {k: med(v) for k, v in t["noop"]["anatomy"].items()}
        out.append(
            f"A no-op rerun is Snakemake's start-up ({med(t['noop']['version']):.2f} s for "
            f"`--version`) plus parsing the Snakefile, whose raw-data check imports pandas "
            f"(`import kzopen.manifest` alone: {a.get('import kzopen.manifest (parse-time raw check)', 0):.2f} s), "
            f"plus building the DAG and checking {r.get('jobs', '?')} jobs' outputs."
        )  # fmt: skip
    return out


if __name__ == "__main__":
    main()
