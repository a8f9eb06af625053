"""Fuzzing benchmark (`make fuzz`, not a test): 1,000 generated corruptions of the raw files.

Runs the harness of ``benchmarks/fuzzing.py`` (the same one ``tests/test_fuzz.py`` runs with a few
hundred cases in ``make test``): every reader of raw data and the config check, each on a
mutated copy of its real vendored file, through the Snakemake adapter, in-process. hypothesis
draws the cases deterministically (``derandomize=True``, no example database), so a run at the
same commit draws the same cases. All mutated values are SYNTHETIC.

Writes ``benchmarks/fuzz.json`` (cases, clear_errors, correct_reads, tracebacks, wrong, the
seed and the commit, and the counts per reader) and the section "## Fuzzing" of
``benchmarks/RESULTS.md``. Exit status 1 if any case ended in a traceback or a wrong read.
"""

from __future__ import annotations

import argparse
import collections
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(HERE))

import fuzzing  # noqa: E402  (the harness, beside this script; tests/test_fuzz.py runs it too)
from results_md import write_block  # noqa: E402  (beside this script)

START, END = "<!-- fuzz:start -->", "<!-- fuzz:end -->"
# hypothesis's derandomised search is seeded from the test function; this names it.
SEED = "hypothesis derandomize=True (search seeded from the test function), database off"


def git(*args: str) -> str:
    return subprocess.run(
        ["git", *args], cwd=REPO, capture_output=True, text=True, check=True
    ).stdout.strip()


def measure(cases: int) -> dict:
    with tempfile.TemporaryDirectory(prefix="kzopen-fuzz-") as tmp:
        folder = Path(tmp)
        bases = fuzzing.make_bases(folder)
        start = time.perf_counter()
        results = fuzzing.run_fuzz(bases, folder, cases)
        seconds = time.perf_counter() - start
    counts = fuzzing.tally(results)
    per_target = collections.defaultdict(lambda: collections.Counter())
    for r in results:
        per_target[r.target][r.outcome] += 1
    failures = [vars(r) for r in results if r.outcome in ("traceback", "wrong")]
    return {
        "cases": counts["cases"],
        "clear_errors": counts["clear_error"],
        "correct_reads": counts["correct_read"],
        "tracebacks": counts["traceback"],
        "wrong": counts["wrong"],
        "seed": SEED,
        "commit": git("rev-parse", "--short", "HEAD"),
        "worktree_dirty": bool(git("status", "--porcelain", "--untracked-files=no")),
        "seconds": round(seconds, 1),
        "per_reader": {k: dict(sorted(v.items())) for k, v in sorted(per_target.items())},
        "failures": failures[:50],
    }


def section(res: dict) -> str:
    lines = [
        "## Fuzzing",
        "",
        "`benchmarks/fuzz.py` (`make fuzz`): generated corruptions of every reader's real "
        "vendored file and of the config (harness: `benchmarks/fuzzing.py`; `make test` runs "
        f"{fuzzing.CASES_IN_MAKE_TEST} cases of the same harness). Seed: {res['seed']}; commit `{res['commit']}`; "
        f"{res['seconds']} s in one process.",
        "",
        "| cases | correct reads | clear errors | tracebacks | wrong |",
        "|---:|---:|---:|---:|---:|",
        f"| {res['cases']} | {res['correct_reads']} | {res['clear_errors']} | "
        f"{res['tracebacks']} | {res['wrong']} |",
        "",
        "| reader | cases | correct reads | clear errors | tracebacks + wrong |",
        "|---|---:|---:|---:|---:|",
    ]
    for name, c in res["per_reader"].items():
        bad = c.get("traceback", 0) + c.get("wrong", 0)
        lines.append(
            f"| {name} | {sum(c.values())} | {c.get('correct_read', 0)} | "
            f"{c.get('clear_error', 0)} | {bad} |"
        )
    return "\n".join(lines)


def write_section(text: str) -> None:
    """Replace this benchmark's block in RESULTS.md; keep everything else."""
    write_block(f"{START}\n{text.rstrip()}\n{END}", START, END)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--cases", type=int, default=1000)
    ap.add_argument("--no-write", action="store_true")
    args = ap.parse_args(argv)
    res = measure(args.cases)
    text = section(res)
    print(text)
    if not args.no_write:
        (HERE / "fuzz.json").write_text(json.dumps(res, indent=2) + "\n", encoding="utf-8")
        write_section(text)
    return 1 if res["tracebacks"] or res["wrong"] else 0


if __name__ == "__main__":
    sys.exit(main())
