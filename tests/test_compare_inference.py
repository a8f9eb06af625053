"""Known answers from published references, the small-group rule, the families, and a check that
the built article calls no confirmatory comparison a finding unless Holm's adjustment allows it."""

from __future__ import annotations

import json
import re
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from statsmodels.stats.multitest import multipletests
from support import compare_settings

from kzopen.compare.robustness import robustness_counts
from kzopen.compare.stats import compare_two, hedges_g_and_var, hedges_olkin_ci

# Wikipedia, "Welch's t-test", Example 1 (two samples of 15): printed t = -2.46, nu = 24.99 (25.0),
# p = 0.021.
WELCH_A = [27.5, 21.0, 19.0, 23.6, 17.0, 17.9, 16.9, 20.1, 21.9, 22.6, 23.1, 19.6, 19.0, 21.7, 21.4]
WELCH_B = [27.1, 22.0, 20.8, 23.4, 23.4, 23.5, 25.8, 22.0, 24.8, 20.2, 21.9, 22.1, 22.9, 20.5, 24.4]


def test_welch_textbook_example() -> None:
    """Welch's t, df and p of Wikipedia's 'Welch's t-test', Example 1, to the printed digits."""
    r = compare_two(WELCH_A, WELCH_B, seed=1, settings=compare_settings(n_bootstrap=200))
    assert round(r["welch_t"], 2) == -2.46
    assert round(r["welch_df"], 2) == 24.99
    assert round(r["welch_p"], 3) == 0.021


def test_hedges_g_and_hedges_olkin_interval_published_example() -> None:
    """Borenstein, Hedges, Higgins & Rothstein (2009), Introduction to Meta-Analysis, ch. 4:
    means 103 and 100, SDs 5.5 and 4.5, n = 50 each: g = 0.5924, V = 0.0418 (large-sample
    variance), 95 % interval 0.1950 to 0.9898. The book multiplies V_d by J^2 (SE 0.2028);
    statsmodels uses the Hedges-Olkin large-sample variance evaluated at g (SE 0.2045), so the
    limits agree to within 0.005."""
    rng = np.random.default_rng(0)
    x = rng.standard_normal(50)
    y = rng.standard_normal(50)
    # rescale to the published summary statistics exactly
    x = 103 + 5.5 * (x - x.mean()) / x.std(ddof=1)
    y = 100 + 4.5 * (y - y.mean()) / y.std(ddof=1)
    g, var = hedges_g_and_var(x, y)
    assert round(float(g), 4) == 0.5924
    assert float(var) == pytest.approx(0.0418, abs=1e-4)
    lo, hi = hedges_olkin_ci(float(g), float(var), 0.95)
    assert lo == pytest.approx(0.1950, abs=0.005) and hi == pytest.approx(0.9898, abs=0.005)


def test_holm_published_example() -> None:
    """Wikipedia, 'Holm-Bonferroni method', example: p = 0.01, 0.04, 0.03, 0.005 at alpha 0.05:
    H1 and H4 are rejected, H2 and H3 are not (adjusted 0.03, 0.06, 0.06, 0.02)."""
    reject, adjusted, _, _ = multipletests([0.01, 0.04, 0.03, 0.005], alpha=0.05, method="holm")
    assert list(reject) == [True, False, False, True]
    assert np.allclose(adjusted, [0.03, 0.06, 0.06, 0.02])


def test_groups_below_min_n_keep_only_rank_tests() -> None:
    """Two countries against seven: descriptives, exact permutation and Mann-Whitney, a reason,
    and neither Welch's test nor any interval of g."""
    r = compare_two(
        [1.0, 2.0], [3, 4, 5, 6, 7, 9, 10], seed=1, settings=compare_settings(min_group_n=5)
    )
    assert r["reason"].startswith("fewer than 5 countries in group_a")
    assert r["perm_method"] == "exact" and r["perm_n_resamples"] == 36
    assert np.isfinite(r["perm_p"]) and np.isfinite(r["mwu_p"]) and np.isfinite(r["hedges_g"])
    for col in ("welch_t", "welch_p", "g_ci_low", "g_ci_high", "g_ci_low_ho", "g_ci_high_ho"):
        assert np.isnan(r[col]), col


def test_hedges_olkin_interval_flips_with_the_groups() -> None:
    a = compare_two(WELCH_A, WELCH_B, seed=3, settings=compare_settings(n_bootstrap=200))
    b = compare_two(WELCH_B, WELCH_A, seed=3, settings=compare_settings(n_bootstrap=200))
    assert a["g_ci_low_ho"] == pytest.approx(-b["g_ci_high_ho"])
    assert a["g_ci_high_ho"] == pytest.approx(-b["g_ci_low_ho"])


def test_robustness_counts_only_exploratory_rows_without_reason() -> None:
    """SYNTHETIC table: a confirmatory row and a small-group row never enter the counts."""
    base = dict(
        source="s",
        indicator="i",
        group_a="a",
        group_b="b",
        g_ci_low=-2.0,
        g_ci_high=-0.5,
        hedges_g=-1.0,
    )
    comp = pd.DataFrame(
        [
            {
                **base,
                "year": 2020,
                "diff": -3.0,
                "p_bh": 0.01,
                "family": "confirmatory",
                "is_primary": True,
                "reason": "",
            },
            {
                **base,
                "year": 2021,
                "diff": -2.0,
                "p_bh": 0.01,
                "family": "exploratory",
                "is_primary": False,
                "reason": "",
            },
            {
                **base,
                "year": 2022,
                "diff": 1.0,
                "p_bh": 0.30,
                "family": "exploratory",
                "is_primary": False,
                "reason": "",
            },
            {
                **base,
                "year": 2023,
                "diff": -5.0,
                "p_bh": np.nan,
                "family": "exploratory",
                "is_primary": False,
                "reason": "fewer than 5 countries in group_a",
            },
        ]
    )
    out = robustness_counts(comp, 0.05, "synthetic.csv")
    overall = out[out["scope"] == "all"].iloc[0]
    assert overall["comparisons"] == 2 and overall["same_direction"] == 1
    assert overall["same_direction_bh"] == 1 and overall["not_counted"] == 1


def test_a_pair_with_no_counted_comparison_keeps_its_row() -> None:
    """SYNTHETIC: a pair whose every row has a reason (Central Asia below the small-group rule)
    is listed with 0 comparisons and all of its rows not counted, and adds no pair to n_pairs."""
    row = dict(source="s", indicator="i", g_ci_low=-2.0, g_ci_high=-0.5, hedges_g=-1.0)
    comp = pd.DataFrame(
        [
            {
                **row,
                "group_a": "a",
                "group_b": "b",
                "year": 2020,
                "diff": -3.0,
                "p_bh": 0.01,
                "family": "confirmatory",
                "is_primary": True,
                "reason": "",
            },
            {
                **row,
                "group_a": "a",
                "group_b": "b",
                "year": 2021,
                "diff": -2.0,
                "p_bh": 0.01,
                "family": "exploratory",
                "is_primary": False,
                "reason": "",
            },
        ]
        + [
            {
                **row,
                "group_a": "small",
                "group_b": "b",
                "year": y,
                "diff": -1.0,
                "p_bh": np.nan,
                "family": "exploratory",
                "is_primary": False,
                "reason": "fewer than 5 countries",
            }
            for y in (2021, 2022, 2023)
        ]
    )
    out = robustness_counts(comp, 0.05, "synthetic.csv")
    small = out[(out["scope"] == "pair") & (out["group_a"] == "small")].iloc[0]
    assert small["comparisons"] == 0 and small["not_counted"] == 3
    assert out[out["scope"] == "all"].iloc[0]["n_pairs"] == 1


CLAIM = re.compile(
    r"^- (?P<label>.+?) \((?P<year>\d{4});.*Holm-adjusted \*p\* (?P<p>[^:]+): (?P<verdict>.+)$"
)


@pytest.mark.e2e
def test_article_calls_confirmatory_finding_only_when_holm_allows(built_repo: Path) -> None:
    """Every confirmatory line of the built article matches its Holm verdict in the table: a
    difference is stated only where the Holm-adjusted permutation p is below alpha."""
    comp = pd.read_csv(built_repo / "results" / "group_comparisons.csv")
    conf = comp[comp["family"] == "confirmatory"]
    alpha = json.loads((built_repo / "results" / "article_values.json").read_text())["values"][
        "config.compare.alpha"
    ]
    lines = [
        m
        for line in (built_repo / "build/article/article.md").read_text().splitlines()
        if (m := CLAIM.match(line))
    ]
    assert len(lines) == len(conf) > 0
    # Holm recomputed here from the studentized permutation p, the test of record
    conf = conf.assign(holm_t=multipletests(conf["perm_p_t"], method="holm")[1])
    assert conf["p_adjusted_from"].str.startswith("perm_p_t ").all()
    assert np.allclose(conf["holm_t"], conf["p_holm"])
    by_label = {(r.indicator_label, int(r.year)): r for r in conf.itertuples()}
    for m in lines:
        r = by_label[(m["label"], int(m["year"]))]
        states_finding = "scores lower" in m["verdict"] or "scores higher" in m["verdict"]
        assert states_finding == bool(r.holm_t < alpha), (m["label"], r.holm_t)
