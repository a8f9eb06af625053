"""End to end: the same rules switch from the article's percentages to counts by config only."""

from __future__ import annotations

import pandas as pd
import pytest
import yaml
from support import run_snakemake

TARGETS = ["results/portal_units.csv", "results/portal_tests.csv", "figures/portal_units.png"]


def _set_portal(repo, **kw) -> None:
    path = repo / "config" / "config.yaml"
    cfg = yaml.safe_load(path.read_text(encoding="utf-8"))
    cfg["portal"].update(kw)
    path.write_text(yaml.safe_dump(cfg, sort_keys=False), encoding="utf-8")


@pytest.mark.e2e
def test_counts_form_by_config_and_bad_counts_write_nothing(repo_copy):
    bad = repo_copy / "tests" / "fixtures" / "bad_counts.csv"
    bad.write_text(
        "outcome,unit_type,unit,successes,trials\nregion_dissatisfied,region,Almaty city,70,67\n",
        encoding="utf-8",
    )
    _set_portal(repo_copy, input_form="counts", counts="tests/fixtures/bad_counts.csv")
    res = run_snakemake(repo_copy, *TARGETS)
    assert res.returncode != 0
    assert "bad_counts.csv, row 2, column 'successes'" in res.stdout
    assert not (repo_copy / "data/processed/portal_counts.parquet").exists()
    assert not (repo_copy / "results/portal_units.csv").exists()

    _set_portal(repo_copy, counts="tests/fixtures/portal_synthetic_counts.csv")
    res = run_snakemake(repo_copy, *TARGETS)
    assert res.returncode == 0, res.stdout[-4000:]
    units = pd.read_csv(repo_copy / "results/portal_units.csv")
    almaty = units[units.unit == "Almaty city"].iloc[0]
    assert almaty["n"] == 67 and almaty["successes"] == 33 and almaty["grim_min_n"] == 67
    tests = pd.read_csv(repo_copy / "results/portal_tests.csv")
    real = tests[tests["assumed_n"].isna() & tests["p"].notna()]
    assert {"homogeneity_chi2", "glm_binomial_unit_lr"} <= set(real["test"])
