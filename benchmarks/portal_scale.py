"""Portal ingest scale benchmark (not a test): SYNTHETIC respondent data, 10 million rows.

The data are SYNTHETIC: random draws made here, labelled ``survey = "SYNTHETIC"``, written
under ``benchmarks/data/`` only (git-ignored, never ``data/raw``). They stand in for no real
survey and no result of the pipeline is computed from them.

Measured (each in a fresh child process, median of ``--runs``):

* ingest + aggregation of the respondent file to the counts table
  (:func:`kzopen.portal.survey.counts_from_respondents`), for Parquet and CSV: wall time and peak
  resident memory (``resource.getrusage(RUSAGE_CHILDREN).ru_maxrss``);
* model fitting (:func:`kzopen.portal.analysis.analyse`) on the resulting counts, for a 1,000-row file
  and the full file: the counts table has the same shape, so the time should not depend on
  the row count.

Writes the section "## Portal ingest scale benchmark" of ``benchmarks/RESULTS.md`` between
its own markers; the rest of the file is kept. Usage::

    .venv/bin/python benchmarks/portal_scale.py [--rows 10000000] [--runs 3]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.csv as pacsv
import pyarrow.parquet as pq
from results_md import write_block

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
DATA = HERE / "data"
START = "<!-- portal-scale:start -->"
END = "<!-- portal-scale:end -->"

# Units drawn by the generator: every region of data/raw/portal/units.csv in its BNS name and
# the four ministries named in the article.
REGIONS = [
    "Abai",
    "Akmola",
    "Aktobe",
    "Almaty oblast",
    "Astana city",
    "Atyrau",
    "Karaganda",
    "East Kazakhstan",
    "Zhetysu",
    "Kostanay",
    "Kyzylorda",
    "Mangystau",
    "Pavlodar",
    "Shymkent city",
    "North Kazakhstan",
    "Turkistan",
    "Ulytau",
    "Zhambyl",
    "West Kazakhstan",
    "Almaty city",
]
MINISTRIES = [
    "Ministry of Education and Science",
    "Ministry of Finance",
    "Ministry of Internal Affairs",
    "Ministry of Labor and Social Protection",
]
RESPONSES = ["satisfied", "neutral", "dissatisfied"]


def generate(
    path: Path, n_rows: int, seed: int = 1, weighted: bool = True, chunk: int = 1_000_000
) -> Path:
    """Write a SYNTHETIC respondent file (.parquet or .csv) in chunks (bounded memory)."""
    rng = np.random.default_rng(seed)
    units = np.array(REGIONS + MINISTRIES, dtype=object)
    types = np.array(["region"] * len(REGIONS) + ["ministry"] * len(MINISTRIES), dtype=object)
    # SYNTHETIC unit-specific response probabilities (no relation to any real data)
    probs = rng.dirichlet([2.0, 1.0, 2.0], size=len(units))
    path.parent.mkdir(parents=True, exist_ok=True)
    writer = None
    try:
        for start in range(0, n_rows, chunk):
            m = min(chunk, n_rows - start)
            u = rng.integers(0, len(units), m)
            cum = probs[u].cumsum(axis=1)
            r = (rng.random(m)[:, None] > cum).sum(axis=1)
            cols = {
                "respondent_id": pa.array(np.arange(start, start + m, dtype=np.int64)),
                "survey": pa.array(np.full(m, "SYNTHETIC", dtype=object)),
                "unit_type": pa.array(types[u]),
                "unit": pa.array(units[u]),
                "response": pa.array(np.array(RESPONSES, dtype=object)[r]),
            }
            if weighted:
                cols["weight"] = pa.array(rng.gamma(4.0, 0.25, m))
            table = pa.table(cols)
            if writer is None:
                if path.suffix == ".parquet":
                    writer = pq.ParquetWriter(path, table.schema, compression="zstd")
                else:
                    writer = pacsv.CSVWriter(path, table.schema)
            writer.write_table(table)
    finally:
        if writer is not None:
            writer.close()
    return path


_CHILD = """
import json, resource, sys, time
t0 = time.perf_counter()
from kzopen.portal.survey import Outcome, counts_from_respondents, read_units
t_import = time.perf_counter() - t0
units = read_units(sys.argv[2])
outcomes = [Outcome("ministry_satisfied", "ministry", ("satisfied",)),
            Outcome("region_dissatisfied", "region", ("dissatisfied",))]
t1 = time.perf_counter()
counts = counts_from_respondents(sys.argv[1], units, outcomes, int(sys.argv[3]))
t_ingest = time.perf_counter() - t1
t2 = time.perf_counter()
if sys.argv[4] == "1":
    import pandas as pd
    from kzopen.portal.analysis import analyse
    from kzopen.pipeline.config import load_config
    from kzopen.portal.settings import PortalSettings
    from kzopen.portal.survey import read_reported
    rep = read_reported(sys.argv[5], units)
    pop = pd.read_parquet(sys.argv[6])
    cfg = load_config("config/config.yaml")  # the project's settings (cwd: the repository)
    analyse(rep, counts, units, pop, PortalSettings.from_config(cfg["portal"], seed=1))
t_models = time.perf_counter() - t2
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(json.dumps({"ingest_s": t_ingest, "models_s": t_models, "import_s": t_import,
                  "peak_rss_mb": peak}))
"""


def measure(path: Path, batch_rows: int, models: bool, population: Path | None) -> dict:
    """Run ingest (+ models) in a fresh child; return its timings and peak RSS (MB)."""
    args = [
        sys.executable,
        "-c",
        _CHILD,
        str(path),
        str(REPO / "data/raw/portal/units.csv"),
        str(batch_rows),
        "1" if models else "0",
        str(REPO / "data/raw/article/portal_reported.csv"),
        str(population or ""),
    ]
    t0 = time.perf_counter()
    out = subprocess.run(args, check=True, capture_output=True, text=True, cwd=REPO)
    wall = time.perf_counter() - t0
    res = json.loads(out.stdout.strip().splitlines()[-1])
    res.update(process_wall_s=wall)
    return res


def machine() -> dict:
    mem = next(ln for ln in Path("/proc/meminfo").read_text().splitlines() if "MemTotal" in ln)
    cpu = next(
        (
            ln.split(":", 1)[1].strip()
            for ln in Path("/proc/cpuinfo").read_text().splitlines()
            if ln.startswith("model name")
        ),
        platform.processor(),
    )
    return {
        "nproc": os.cpu_count(),
        "memory_gb": round(int(mem.split()[1]) / 1024**2, 1),
        "cpu": cpu,
        "python": platform.python_version(),
        "pyarrow": pa.__version__,
        "load_1min": round(os.getloadavg()[0], 2),
    }


def write_section(text: str) -> None:
    """Replace this benchmark's block in RESULTS.md; keep everything else."""
    write_block(f"{START}\n{text.rstrip()}\n{END}", START, END)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rows", type=int, default=10_000_000)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--batch-rows", type=int, default=1_000_000)
    ap.add_argument("--formats", default="parquet,csv")
    ap.add_argument(
        "--population",
        type=Path,
        default=None,
        help="kz_region_population.parquet for the model timing (from a build)",
    )
    ap.add_argument("--no-write", action="store_true")
    ap.add_argument(
        "--render-only",
        action="store_true",
        help="rewrite the RESULTS.md section from benchmarks/data/portal_scale.json",
    )
    args = ap.parse_args(argv)
    if args.render_only:
        saved = json.loads((DATA / "portal_scale.json").read_text())
        info = saved.pop("machine")
        return render(args, info, saved)
    info = machine()
    results = {}
    for fmt in args.formats.split(","):
        big = generate(DATA / f"portal_synthetic_{args.rows}.{fmt}", args.rows, seed=1)
        runs = [measure(big, args.batch_rows, False, None) for _ in range(args.runs)]
        results[fmt] = {
            "size_mb": big.stat().st_size / 1e6,
            "ingest_s": statistics.median(r["ingest_s"] for r in runs),
            "process_wall_s": statistics.median(r["process_wall_s"] for r in runs),
            "peak_rss_mb": max(r["peak_rss_mb"] for r in runs),
            "runs": runs,
        }
        print(fmt, json.dumps(results[fmt], default=float), flush=True)
    if args.population is not None:
        small = generate(DATA / "portal_synthetic_1000.parquet", 1000, seed=2)
        big = DATA / f"portal_synthetic_{args.rows}.parquet"
        results["models_1k_s"] = statistics.median(
            measure(small, args.batch_rows, True, args.population)["models_s"] for _ in range(3)
        )
        results["models_big_s"] = measure(big, args.batch_rows, True, args.population)["models_s"]
    (DATA / "portal_scale.json").write_text(
        json.dumps({"machine": info, **results}, indent=1, default=float)
    )
    return render(args, info, results)


def render(args: argparse.Namespace, info: dict, results: dict) -> int:
    """Write (and print) the RESULTS.md section from measured results."""
    lines = [
        "## Portal ingest scale benchmark",
        "",
        "`benchmarks/portal_scale.py`: ingest + aggregation of a **synthetic** respondent-level "
        f"file of {args.rows:,} rows (survey `SYNTHETIC`, 24 units, 3 response categories, "
        f"gamma weights) to the counts table, in one pass of {args.batch_rows:,}-row record "
        f"batches. Each run is a fresh process; median of {args.runs} runs; peak = max resident "
        "set size of the child process (`resource.getrusage(RUSAGE_SELF).ru_maxrss`). Target: "
        "≤ 30 s wall and ≤ 3 GB peak for ingest + aggregation (timed inside the process, "
        "excluding Python start-up and library imports, which are shown separately).",
        "",
        f"Machine: {info['nproc']} CPUs ({info['cpu']}), {info['memory_gb']} GB RAM, "
        f"Python {info['python']}, pyarrow {info['pyarrow']}; 1-min load average at the start "
        f"{info['load_1min']} (the machine is shared).",
        "",
        "| file | size (MB) | ingest + aggregation (s, median) | process wall incl. imports (s) "
        "| peak RSS (MB) | target met |",
        "|---|---:|---:|---:|---:|---|",
    ]
    for fmt in args.formats.split(","):
        r = results[fmt]
        met = r["ingest_s"] <= 30 and r["peak_rss_mb"] <= 3072
        lines.append(
            f"| {fmt} | {r['size_mb']:.0f} | {r['ingest_s']:.1f} | {r['process_wall_s']:.1f} | "
            f"{r['peak_rss_mb']:.0f} | {'yes' if met else 'no'} |"
        )
    if "models_1k_s" in results:
        lines += [
            "",
            f"Model fitting (`kzopen.portal.analysis.analyse`, all tests, GRIM and sensitivity) on the "
            f"counts of a 1,000-row file: {results['models_1k_s']:.2f} s; on the counts of the "
            f"{args.rows:,}-row file: {results['models_big_s']:.2f} s (same counts-table shape, "
            "so independent of the row count; the difference between the two is load noise on "
            "the shared machine).",
        ]
    if not args.no_write:
        write_section("\n".join(lines))
    print("\n".join(lines))
    return 0


if __name__ == "__main__":
    sys.exit(main())
