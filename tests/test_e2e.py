"""End-to-end: the real Snakemake build in a scratch copy of the repository."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from support import lock_manifest, run_snakemake

from kzopen.ingest.common import INDEX_COLUMNS

pytestmark = pytest.mark.e2e


def test_full_build_produces_indices(built_repo: Path):
    idx = pd.read_parquet(built_repo / "data/processed/indices.parquet")
    assert list(idx.columns) == INDEX_COLUMNS
    assert set(idx.source) == {
        "ti_cpi",
        "wb_wgi",
        "ibp_open_budget_survey",
        "un_egov_survey",
        "wjp_rule_of_law",
        "freedom_house_fiw",
        "vdem",
    }
    assert not idx.duplicated(["source", "indicator", "year", "iso3"]).any()
    kaz = idx[(idx.iso3 == "KAZ") & (idx.source == "ti_cpi") & (idx.year == 2023)]
    assert len(kaz) == 1 and 0 <= kaz.value.iat[0] <= 100 and kaz.std_error.notna().all()
    pop = pd.read_parquet(built_repo / "data/processed/kz_region_population.parquet")
    assert pop.region_code.nunique() == 21
    assert (built_repo / "results/indicator_catalogue.csv").stat().st_size > 0


# runs Snakemake in the session build: on the worker of the tests that do (xdist_group)
@pytest.mark.xdist_group("build")
def test_second_dry_run_has_nothing_to_do(built_repo: Path):
    res = run_snakemake(built_repo, "-n")
    assert res.returncode == 0, res.stdout
    assert "Nothing to be done" in res.stdout, res.stdout[-3000:]


def test_changed_raw_file_stops_the_build(repo_copy: Path):
    target = repo_copy / "data/raw/indices/wb_wgi/wgidataset.csv"
    target.write_bytes(target.read_bytes() + b"\n")
    res = run_snakemake(repo_copy, "data/processed/indices.parquet")
    assert res.returncode != 0
    assert "data/raw/indices/wb_wgi/wgidataset.csv" in res.stdout
    assert "checksum mismatch" in res.stdout
    assert not (repo_copy / "data/processed/indices.parquet").exists()


def test_out_of_range_cpi_stops_the_build(repo_copy: Path):
    path = repo_copy / "data/raw/indices/ti_cpi/CPI2023_Global_Results__Trends.xlsx"
    wb = openpyxl.load_workbook(path)
    ws = wb["CPI Timeseries 2012 - 2023"]
    header = [c.value for c in ws[4]]
    col = header.index("CPI score 2023") + 1
    ws.cell(row=5, column=col, value=140)
    wb.save(path)
    lock_manifest(repo_copy)
    res = run_snakemake(repo_copy, "data/processed/indices.parquet")
    assert res.returncode != 0
    assert "CPI2023_Global_Results__Trends.xlsx, row 5, column 'CPI score 2023'" in res.stdout
    assert "out of range" in res.stdout
    assert "Traceback" not in res.stdout
    assert not (repo_copy / "data/processed/indices/ti_cpi.parquet").exists()
    assert not (repo_copy / "data/processed/indices.parquet").exists()
