"""benchmarks/RESULTS.md from the measurements of benchmarks/run.py: timings, targets,
findings.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from bench_env import VARIANT_LABEL
from harness import med
from results_md import write_block

START, END = "<!-- build-bench:start -->", "<!-- build-bench:end -->"


def fmt_s(x: float) -> str:
    if x != x:  # NaN: not measured
        return "—"
    return f"{x:.2f} s" if x < 10 else f"{x:.1f} s"


def render(r: dict[str, Any]) -> str:
    """benchmarks/RESULTS.md's build-time section, from the measurements in ``r``."""
    t = r["timings"]
    L = [START, "", "## Build-time benchmark", ""]
    L += _machine_section(r) + _timings_section(r) + _baseline_section(r) + _targets_section(r)
    L += _incremental_section(t) + _diff_section(t) + _time_breakdown_section(t)
    L += _notes_section(r)
    L.append(END)
    return "\n".join(L)


BASELINE_ROWS = {  # measurement -> (its section of the timings, how to read it)
    "compute floor (one process)": ("floor", lambda s: s["floor"]),
    "cold full build": ("make-env", lambda s: s["build"]),
    "clean clone to complete build (set-up included)": (
        "make-env",
        lambda s: _sum(s["clone"], s["env"], s["build"]),
    ),
    "no-op rerun": ("make-env", lambda s: s["noop"]["noop"]),
    "bare `snakemake --version`": ("make-env", lambda s: s["noop"]["version"]),
}


def _same_commit(t: dict[str, Any], a: str, b: str) -> bool:
    """Whether two sections of the timings were measured at the same commit."""
    first, second = (str(t[s].get("measured", "")).rpartition("commit ")[2] for s in (a, b))
    return bool(first) and first == second


def baseline_of(previous: dict[str, Any]) -> dict[str, Any] | None:
    """The headline figures of an earlier run (with when each was measured), kept to be
    shown beside the new ones."""
    timings = previous.get("timings") or {}
    found = {}
    for name, (section, read) in BASELINE_ROWS.items():
        try:
            series = read(timings[section])
        except KeyError:  # the section is not there, or that run did not measure it
            continue
        found[name] = {"series": series, "measured": timings[section].get("measured", "?")}
    return {"figures": found} if found else None


def _baseline_section(r: dict[str, Any]) -> list[str]:
    """Before and after: the baseline run's headline figures beside this run's."""
    base = r.get("baseline")
    if not base:
        return []
    L = [
        "### Before and after",
        "",
        "Medians of the baseline (the run before the compare stage's batched permutations, the "
        "single table job, the parse-time caches and the new layout) beside this run's, same "
        "machine and script.",
        "",
        "| measurement | before: wall | before: cpu | measured | now: wall | now: cpu |",
        "|---|---|---|---|---|---|",
    ]
    for name, (section, read) in BASELINE_ROWS.items():
        old = base["figures"].get(name)
        if section not in r["timings"] or not old:
            continue
        try:
            now = read(r["timings"][section])
        except KeyError:  # not measured yet (the report is rewritten after every run)
            continue
        L.append(
            f"| {name} | {fmt_s(med(old['series']['wall']))} | {fmt_s(med(old['series']['cpu']))}"
            f" | {old['measured']} | {fmt_s(med(now['wall']))} | {fmt_s(med(now['cpu']))} |"
        )
    return [*L, ""]


def _row(label: str, ser: dict[str, list[float]]) -> list[str]:
    """One timing row: medians of wall and cpu time, every run's wall time and load."""
    return [
        f"| {label} | {fmt_s(med(ser['wall']))} | {fmt_s(med(ser['cpu']))} | "
        f"{', '.join(f'{x:.1f}' for x in ser['wall'])} | "
        f"{', '.join(f'{x:.1f}' for x in ser['load'])} |"
    ]


def _machine_section(r: dict[str, Any]) -> list[str]:
    """What was measured on: the machine table."""
    L: list[str] = []
    m = r["machine"]
    L += [
        f"Written by `make bench` (`benchmarks/run.py`) on {m['date']}, commit `{m['commit']}` "
        f"(every measurement runs on a clean clone of HEAD). Medians of the runs listed in each row; "
        "every number below was measured by that script on this machine. *wall* = elapsed "
        "time; *cpu* = user + system time of all processes involved (far less sensitive to "
        "other load); *load* = 1-minute load average before each run: above the number of "
        "cores, other work was competing for the CPU and wall times are inflated "
        "accordingly.",
        "",
        "| machine | |",
        "|---|---|",
        f"| CPU | {m['cpu']} |",
        f"| cores (nproc) | {m['nproc']} |",
        f"| memory | {m['memory']} |",
        f"| OS | {m['os']} |",
        f"| Python | {m['python']} |",
        f"| Snakemake | {m['snakemake']} |",
        f"| uv | {m['uv']} |",
        f"| `PYTHONDONTWRITEBYTECODE` | {m['PYTHONDONTWRITEBYTECODE']} |",
        f"| build command | `snakemake --cores {r['cores']}` |",
        "",
    ]
    return L


def _timings_section(r: dict[str, Any]) -> list[str]:
    """Set-up, cold build, no-op rerun and compute floor, per environment."""
    L: list[str] = []
    t = r["timings"]
    L += [
        "| measurement | wall (median) | cpu (median) | wall, each run | load, each run |",
        "|---|---|---|---|---|",
    ]

    for variant, label in VARIANT_LABEL.items():
        if variant not in t:
            continue
        v = t[variant]
        tag = f"[{label}]"
        L += _row(
            f"(a) set-up {tag}: `git clone` + `make env`{BYTECODE_NOTE[variant]}",
            _sum(v["clone"], v["env"]),
        )
        L += _row(f"(b) cold full build {tag}", v["build"])
        L += _row(
            f"(a)+(b) clean clone to complete build {tag}", _sum(v["clone"], v["env"], v["build"])
        )
        if "noop" in v:
            L += _row(f"(d) no-op rerun {tag}", v["noop"]["noop"])
            L += _row(f"(e) bare `snakemake --version` {tag}", v["noop"]["version"])
    if "floor" in t:
        L += _row("(c) compute floor (one process) [bytecode]", t["floor"]["floor"])
    L += [
        "",
        "*as committed* = `make env` as in the Makefile (which now sets "
        "`UV_COMPILE_BYTECODE=1`); *bytecode* = `make env UV_COMPILE_BYTECODE=1`, measured "
        "before the Makefile set it, i.e. the same environment; *no bytecode* = `make env "
        "UV_COMPILE_BYTECODE=0`, the environment before the fix: no module compiled at set-up "
        "and, with `PYTHONDONTWRITEBYTECODE` set as here, none ever cached, so every process "
        "recompiles everything it imports. The compute floor runs in a bytecode environment.",
        "",
    ]
    when = {k: v["measured"] for k, v in t.items() if isinstance(v, dict) and "measured" in v}
    if "incremental_measured" in t:
        when["incremental"] = t["incremental_measured"]
    if len(set(when.values())) > 1:
        L += [
            "Sections were measured in separate runs of the script: "
            + "; ".join(f"{k}: {v}" for k, v in when.items())
            + ".",
            "",
        ]
    return L


def _targets_section(r: dict[str, Any]) -> list[str]:
    """The performance targets and whether each was met."""
    L: list[str] = []
    L += ["### Targets", "", "| target | environment | measured | met |", "|---|---|---|---|"]
    for tg in r["targets"]:
        L.append(
            f"| {tg['target']} | {tg['env']} | {tg['measured']} | "
            f"{'yes' if tg['met'] else '**no**'} |"
        )
    L.append("")
    return L


def _incremental_section(t: dict[str, Any]) -> list[str]:
    """Which jobs reran after each kind of change."""
    L: list[str] = []
    if "incremental" in t:
        L += [
            "### Incremental rebuilds",
            "",
            "Each case runs Snakemake on the complete build after the change. *Should run*: "
            "nothing for a touch (the content is unchanged); for an edit, the jobs that read the "
            "edited file plus every job after them in the DAG (computed from the DAG, not from "
            "Snakemake's decision). Dry runs list what Snakemake would run.",
            "",
            "| change | jobs run | should run | exact | wall | load |",
            "|---|---|---|---|---|---|",
        ]
        for c in t["incremental"]:
            L.append(
                f"| {c['case']} | {len(c['ran'])} | {len(c['expected'])} | "
                f"{'yes' if c['exact'] else '**no**'} | {fmt_s(c['wall'])} | {c['load']:.1f} |"
            )
        L.append("")
        for c in t["incremental"]:
            L.append(f"- {c['case']}: {', '.join(f'`{j}`' for j in c['ran']) or 'nothing'}.")
            missing = sorted(set(c["expected"]) - set(c["ran"]))
            if missing:
                L.append(f"  Required but not run: {', '.join(f'`{j}`' for j in missing)}.")
        L.append("")
    return L


def _diff_section(t: dict[str, Any]) -> list[str]:
    """The timings of `make diff`."""
    L: list[str] = []
    if "diff" in t:
        dd = t["diff"]
        L += [
            "### Comparing two versions (`make diff`)",
            "",
            "(g) The comparison of docs/changes.md after a raw change (Kazakhstan's CPI 2023 "
            "score + 7, a synthetic edit in a scratch copy of the built clone): the rebuild, "
            "`python -m kzopen.diff` on the two built checkouts (the comparison itself), and "
            f"`make diff BASE=HEAD` in the clone. Measured {dd['measured']}.",
            "",
            "| measurement | wall (median) | cpu (median) | wall, each run | load, each run |",
            "|---|---|---|---|---|",
        ]
        L += _row("(g) rebuild after the raw change (no notebooks, no PDF)", dd["rebuild"])
        L += _row("(g) `python -m kzopen.diff OLD NEW` (the comparison itself)", dd["diff"])
        L += _row("(g) `make diff BASE=HEAD`, first time (builds the base)", dd["make_cold"])
        L += _row("(g) `make diff BASE=HEAD`, base cached", dd["make_cached"])
        found = "; ".join(x.rstrip(".") for x in dd["summary"])
        L += ["", f"What the comparison found: {found}.", ""]
    return L


def _time_breakdown_section(t: dict[str, Any]) -> list[str]:
    """Per rule: build time against the compute floor."""
    L: list[str] = []
    if ("make-env-bytecode" in t or "make-env" in t) and "floor" in t:
        L += [
            "### Where the time goes",
            "",
            "Per rule: summed wall time of its jobs in the first cold build of each environment "
            "(from Snakemake's metadata; each job is a separate Python process that starts the "
            "interpreter, runs Snakemake's script preamble and imports its packages) against "
            "the same jobs' compute time inside the one-process floor.",
            "",
            "| rule | jobs | build [no bytecode] | build [bytecode] | floor |",
            "|---|---|---|---|---|",
        ]
        floor_rule: dict[str, float] = defaultdict(float)
        for j in t["floor"]["per_job"] or []:
            floor_rule[j["rule"]] += j["seconds"]
        before = t.get("make-env-no-bytecode", {}).get("rules", {})
        after = t.get("make-env-bytecode", t.get("make-env"))["rules"]
        nan = {"jobs": 0, "seconds": float("nan")}
        for rule in sorted(after, key=lambda x: -after[x]["seconds"]):
            L.append(
                f"| {rule} | {after[rule]['jobs']} | "
                f"{fmt_s(before.get(rule, nan)['seconds'])} | {fmt_s(after[rule]['seconds'])} | "
                f"{fmt_s(floor_rule.get(rule, float('nan')))} |"
            )
        L += [
            f"| **total** | {sum(v['jobs'] for v in after.values())} | "
            f"{fmt_s(sum(v['seconds'] for v in before.values()))} | "
            f"{fmt_s(sum(v['seconds'] for v in after.values()))} | "
            f"{fmt_s(sum(floor_rule.values()))} |",
            "",
        ]
    return L


def _notes_section(r: dict[str, Any]) -> list[str]:
    """Start-up costs, rules on default resources, undeclared code, findings."""
    t = r["timings"]
    L: list[str] = []
    for variant, label in VARIANT_LABEL.items():
        if variant in t and "noop" in t[variant]:
            L += [
                f"Start-up costs [{label}] (medians): "
                + "; ".join(
                    f"`{name}` {fmt_s(med(x['wall']))} wall / {fmt_s(med(x['cpu']))} cpu"
                    for name, x in t[variant]["noop"]["anatomy"].items()
                )
                + ".",
                "",
            ]
    if "undeclared_resources" in r:
        missing = r["undeclared_resources"]
        L += [
            "Rules that state no `resources:` of their own (they use the profile's "
            "`default-resources`): "
            + (", ".join(f"`{k}` ({', '.join(v)})" for k, v in sorted(missing.items())) or "none")
            + ".",
            "",
        ]
    if r.get("undeclared_code") is not None:
        uc = r["undeclared_code"]
        L += [
            "Rules whose script imports package modules that the rule does not declare as input "
            "(Snakemake's code trigger sees only the script, so an edit to these modules does "
            "not rerun the rule; rules derive their `code` input from the imports with "
            "`script_code(...)`, kzopen.pipeline.codedeps; the shared infrastructure is left out): "
            + (
                "; ".join(f"`{k}`: {', '.join(f'`{m}`' for m in v)}" for k, v in uc.items())
                or "none"
            )
            + ".",
            "",
        ]
    if r.get("findings"):
        L += ["### Findings", ""] + [f"- {f}" for f in r["findings"]] + [""]
    return L


BYTECODE_NOTE = {
    "make-env": "",
    "make-env-bytecode": " `UV_COMPILE_BYTECODE=1`",
    "make-env-no-bytecode": " `UV_COMPILE_BYTECODE=0`",
}


def _sum(*series: dict[str, list[float]]) -> dict[str, list[float]]:
    return {
        "wall": [sum(x) for x in zip(*(s["wall"] for s in series), strict=True)],
        "cpu": [sum(x) for x in zip(*(s["cpu"] for s in series), strict=True)],
        "load": series[-1]["load"],
    }


def _target(target: str, env: str, measured: str, met: bool) -> dict[str, Any]:
    return {"target": target, "env": env, "measured": measured, "met": bool(met)}


def targets(r: dict[str, Any]) -> list[dict[str, Any]]:
    t, out = r["timings"], []
    for variant, label in VARIANT_LABEL.items():
        if variant not in t:
            continue
        v = t[variant]
        b = med(v["build"]["wall"])
        if "floor" in t and _same_commit(t, variant, "floor"):  # a ratio of one commit's runs
            c = med(t["floor"]["floor"]["wall"])
            out.append(
                _target(
                    "cold build ≤ 2 × compute floor",
                    label,
                    f"(b)/(c) = {b:.1f} / {c:.1f} = {b / c:.2f}",
                    b <= 2 * c,
                )
            )
        if "noop" in v:
            d, e = med(v["noop"]["noop"]["wall"]), med(v["noop"]["version"]["wall"])
            out.append(
                _target(
                    "no-op rerun ≤ 1.5 × bare `snakemake --version`",
                    label,
                    f"(d)/(e) = {d:.2f} / {e:.2f} = {d / e:.2f}",
                    d <= 1.5 * e,
                )
            )
        s = med(_sum(v["clone"], v["env"], v["build"])["wall"])
        out.append(
            _target("set-up + cold build from a clean clone ≤ 120 s", label, f"{s:.1f} s", s <= 120)
        )
    if "floor" in t:
        c = med(t["floor"]["floor"]["wall"])
        out.append(_target("compute floor ≤ 40 s", "bytecode", f"{c:.1f} s", c <= 40))
    if "make-env" in t:
        v = t["make-env"]
        s = med(_sum(v["clone"], v["env"], v["build"])["wall"])
        out.append(
            _target(
                "clean clone to complete build (set-up included) ≤ 70 s",
                "as committed",
                f"{s:.1f} s",
                s <= 70,
            )
        )
    if "diff" in t:
        d = med(t["diff"]["diff"]["wall"])
        out.append(
            _target(
                "comparing two built versions (`python -m kzopen.diff`) < 5 s",
                "as committed",
                f"{d:.2f} s",
                d < 5,
            )
        )
    for c in t.get("incremental", []):
        out.append(
            _target(
                f"{c['case']}: exactly the required jobs",
                "bytecode",
                f"{len(c['ran'])} run / {len(c['expected'])} required",
                c["exact"],
            )
        )
    return out


def write_results(text: str) -> None:
    """Replace the block between the markers; everything else in the file is kept."""
    write_block(text, START, END, first=True)


def findings(r: dict[str, Any]) -> list[str]:
    """Plain observations computed from the numbers (docs/performance.md interprets them)."""
    t, out = r["timings"], []
    if "make-env-no-bytecode" in t and ("make-env-bytecode" in t or "make-env" in t):
        a, b = t["make-env-no-bytecode"], t.get("make-env-bytecode", t.get("make-env"))
        out.append(
            "Compiling bytecode at set-up: `make env` "
            f"{med(a['env']['wall']):.1f} → {med(b['env']['wall']):.1f} s wall; cold build "
            f"{med(a['build']['wall']):.1f} → {med(b['build']['wall']):.1f} s wall, "
            f"{med(a['build']['cpu']):.1f} → {med(b['build']['cpu']):.1f} s cpu."
        )
    # the overhead of a build over the floor: only from a build and a floor of the same commit
    if "make-env-bytecode" in t and "floor" in t and _same_commit(t, "make-env-bytecode", "floor"):
        v = t["make-env-bytecode"]
        n = sum(x["jobs"] for x in v["rules"].values())
        b_cpu, c_cpu = med(v["build"]["cpu"]), med(t["floor"]["floor"]["cpu"])
        b_wall, c_wall = med(v["build"]["wall"]), med(t["floor"]["floor"]["wall"])
        top: dict[str, float] = defaultdict(float)
        for j in t["floor"]["per_job"] or []:
            top[j["rule"]] += j["seconds"]
        heavy = max(top, key=lambda k: top[k]) if top else "?"
        out.append(
            f"Orchestration overhead [bytecode]: the build uses {b_cpu:.0f} s of CPU for {n} jobs, "
            f"the one-process floor {c_cpu:.0f} s for the same work, i.e. "
            f"{(b_cpu - c_cpu) / max(n, 1):.1f} s of CPU per job (a new interpreter, Snakemake's "
            f"script preamble, the job's imports, plus Snakemake's own scheduling). With "
            f"{r['cores']} cores the build takes {b_wall:.0f} s wall against the floor's "
            f"{c_wall:.0f} s: parallelism recovers only part of the overhead because one rule "
            f"dominates: `{heavy}` is {top[heavy]:.0f} s of the floor's {sum(top.values()):.0f} s "
            f"({100 * top[heavy] / max(sum(top.values()), 1e-9):.0f} %)."
        )
        s_wall = med(_sum(v["clone"], v["env"], v["build"])["wall"])
        setup = med(_sum(v["clone"], v["env"])["wall"])
        longest = max(
            t["floor"]["per_job"] or [{"rule": "?", "seconds": 0.0}], key=lambda j: j["seconds"]
        )
        verdict = "already exceeds it" if c_wall + setup > 120 else "stays within it"
        out.append(
            f"Set-up + cold build [bytecode] takes {s_wall:.0f} s against the 120 s target. In one "
            f"process the computation alone (the floor, {c_wall:.0f} s) plus set-up ({setup:.0f} s) "
            f"{verdict}; spread perfectly over {r['cores']} cores the computation would "
            f"need about {c_cpu / r['cores']:.0f} s, but its longest single job "
            f"(`{longest['rule']}`, {longest['seconds']:.0f} s in the floor) and the per-job "
            f"overhead above stand in the way. Meeting it needs less computation in `{heavy}` "
            "(its resampling counts are set in config `compare:`) or finer jobs (index × year) "
            "so that both cores stay busy."
        )
    return out
