"""The test configuration, .test/config.yaml, is merged over config/config.yaml by every build the
suite runs (through the test profile .test/profile, see tests/conftest.py), and the Snakefile's
config checks validate the merged config, not config/config.yaml alone."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
import yaml
from support import REPO, run_snakemake, schema_defaults

TEST_CONFIG = yaml.safe_load((REPO / ".test/config.yaml").read_text(encoding="utf-8"))


def test_test_config_changes_only_keys_of_the_default_config():
    default = yaml.safe_load((REPO / "config/config.yaml").read_text(encoding="utf-8"))

    def unknown(test: dict, base: dict, where: str = "") -> list[str]:
        out = []
        for key, value in test.items():
            if key not in base:
                out.append(f"{where}{key}")
            elif isinstance(value, dict):
                out += unknown(value, base[key], f"{where}{key}.")
        return out

    assert unknown(TEST_CONFIG, default) == []
    assert default["compare"]["years"] != TEST_CONFIG["compare"]["years"]


@pytest.mark.e2e
def test_session_build_used_the_test_config(built_repo: Path):
    comparisons = pd.read_csv(built_repo / "results/group_comparisons.csv")
    assert sorted(comparisons["year"].unique()) == TEST_CONFIG["compare"]["years"]


@pytest.mark.workflow  # a dry run: Snakemake parses the workflow, builds nothing
def test_a_bad_value_in_the_merged_config_is_reported_with_both_files(repo_copy: Path):
    (repo_copy / ".test/config.yaml").write_text("compare:\n  years: sometimes\n", "utf-8")
    res = run_snakemake(repo_copy, "--dry-run", timeout=300)
    assert res.returncode != 0 and "Traceback" not in res.stdout
    assert (
        "config check failed: file config/config.yaml + .test/config.yaml, "
        "column 'compare.years': value 'sometimes' is not allowed"
    ) in res.stdout, res.stdout[-3000:]


@pytest.mark.e2e
def test_session_build_used_the_test_configs_monte_carlo_sizes(built_repo: Path):
    """The smaller sizes reached the jobs that use them (a merge that dropped them, or a rule
    that read the default, would show the default's sizes here)."""
    test = TEST_CONFIG["compare"]
    defaults = schema_defaults("compare")
    for key in ("confirmatory_n_bootstrap", "bootstrap_mc_repeats"):
        assert test[key] != defaults[key], f"{key}: the test value is the default"
    for key, value in test["coverage"].items():
        assert value != defaults["coverage"][key], f"coverage.{key}: the test value is the default"
    mc = pd.read_csv(built_repo / "results/bootstrap_mc_error.csv")
    assert set(mc["n_repeats"]) == {test["bootstrap_mc_repeats"]}
    assert set(mc["n_resamples"]) == {test["confirmatory_n_bootstrap"]}
    coverage = pd.read_csv(built_repo / "results/interval_coverage.csv")
    boot = coverage["interval"] == "bootstrap_g"
    assert set(coverage.loc[boot, "n_samples"]) == {test["coverage"]["bootstrap_samples"]}
    assert set(coverage.loc[~boot, "n_samples"]) == {test["coverage"]["analytic_samples"]}
