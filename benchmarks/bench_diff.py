"""Benchmark job (g): comparing two versions (`make diff`)."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

from harness import TOUCH_SMALL, Series, build_env, log, med, snakemake, timed

from kzopen.pipeline.scratch import copy_build


def measure_diff(venv: Path, built: Path, tmp: Path, runs: int, cores: int) -> dict[str, Any]:
    """(g) comparing two versions (docs/changes.md): ``python -m kzopen.diff`` on two built
    checkouts after a raw change (Kazakhstan's CPI 2023 score + 7, a SYNTHETIC edit in a
    scratch copy), and ``make diff BASE=HEAD`` in the built clone, first building the base,
    then with the base cached."""
    import openpyxl

    new = tmp / "diff-new"
    copy_build(built, new)
    wb = openpyxl.load_workbook(new / TOUCH_SMALL)
    ws = wb["CPI Timeseries 2012 - 2023"]
    header = [c.value for c in ws[4]]
    col, iso = header.index("CPI score 2023") + 1, header.index("ISO3") + 1
    row = next(r for r in range(5, ws.max_row + 1) if ws.cell(r, iso).value == "KAZ")
    ws.cell(row, col).value = ws.cell(row, col).value + 7
    wb.save(new / TOUCH_SMALL)
    env = build_env(new, venv / "bin")
    timed(
        [venv / "bin/python", "-m", "kzopen.pipeline.manifest", "lock", "data/raw/manifest.csv"],
        new,
        env,
    )
    res: dict[str, Any] = {
        "rebuild": Series(),
        "diff": Series(),
        "make_cold": Series(),
        "make_cached": Series(),
    }
    omit = ("--omit-from", "article_notebook", "article_pdf")
    res["rebuild"].add(snakemake(venv, new, *omit, cores=cores))
    cmd = [
        venv / "bin/python",
        "-m",
        "kzopen.diff",
        built,
        new,
        "--html",
        tmp / "changes.html",
        "--csv",
        tmp / "changes.csv",
    ]
    for _ in range(runs):
        out = res["diff"].add(timed(cmd, new, env)).out
    res["summary"] = [ln.strip() for ln in out.splitlines() if ln.startswith("  ")]
    make = ["make", "-s", "diff", "BASE=HEAD", f"CORES={cores}"]
    res["make_cold"].add(timed(make, built, build_env(built, venv / "bin")))
    for _ in range(runs):
        res["make_cached"].add(timed(make, built, build_env(built, venv / "bin")))
    log(
        f"diff {med(res['diff']['wall']):.2f} s; make diff cached {med(res['make_cached']['wall']):.1f} s"
    )
    shutil.rmtree(new, ignore_errors=True)
    return res
