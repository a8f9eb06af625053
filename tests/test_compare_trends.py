"""Trend estimates on SYNTHETIC series with known slopes, and the summary renderer."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from kzopen.trends import kz_trend, newey_west_lags, openness_profile, trends


def _panel():
    """SYNTHETIC: Kazakhstan rises 2 points a year, three others 1 point a year (+ noise)."""
    rng = np.random.default_rng(0)
    rows = []
    for iso, slope, start in (
        ("KAZ", 2.0, 20),
        ("AAA", 1.0, 50),
        ("BBB", 1.0, 60),
        ("CCC", 1.0, 55),
    ):
        for k, year in enumerate(range(2012, 2024)):
            rows.append((iso, iso, year, "src", "ind", "Label",
                         start + slope * k + rng.normal(0, 0.3), np.nan, 0.0, 100.0))  # fmt: skip
    cols = ["iso3", "country", "year", "source", "indicator", "indicator_label", "value",
            "std_error", "scale_min", "scale_max"]  # fmt: skip
    return pd.DataFrame(rows, columns=cols)


def _mem():
    return pd.DataFrame(
        [("g", y, i) for y in range(2012, 2024) for i in ("AAA", "BBB", "CCC")],
        columns=["group", "year", "iso3"],
    )


def test_kz_trend_exact_line():
    slope, se, lo, hi, p, lags = kz_trend(np.arange(2000, 2010), 3 + 0.5 * np.arange(10), None)
    assert slope == pytest.approx(0.5) and se == pytest.approx(0, abs=1e-10)
    assert lags == newey_west_lags(10) == 2


def test_slope_difference_recovers_known_slopes():
    t = trends(_panel(), _mem(), ["g"]).iloc[0]
    assert t["kz_slope"] == pytest.approx(2.0, abs=0.1)
    assert t["group_slope"] == pytest.approx(1.0, abs=0.1)
    assert t["slope_diff"] == pytest.approx(1.0, abs=0.15)
    assert t["slope_diff_p_combined"] < 0.01 and t["n_countries"] == 4 and t["n_obs"] == 48
    assert t["slope_diff_se_combined"] >= t["slope_diff_se_cluster"] * 0.99


def test_too_few_years_gives_reason():
    d = _panel()
    t = trends(d[d.year >= 2022], _mem(), ["g"]).iloc[0]
    assert "fewer than 3 years" in t["reason"] and np.isnan(t["kz_slope"])


def test_openness_profile_rescales():
    d = _panel()
    prof = openness_profile(d, _mem(), ["src/ind"], ["g"])
    k = prof[prof.series == "kazakhstan"].iloc[0]
    assert k["year"] == 2023 and k["value_01"] == pytest.approx(k["value"] / 100)
    assert prof.loc[prof.series == "g", "n"].iat[0] == 3


def test_summary_numbers_come_from_the_tables():
    from test_compare import CFG, DEFS, FAST, _indices, _membership  # noqa: F401

    from kzopen.compare import Primary, build_tasks, finalize, kazakhstan_position, run_comparisons
    from kzopen.compare_summary import render_summary

    ind, mem = _indices(), _membership()
    comp = finalize(
        [run_comparisons(ind, mem, build_tasks(ind, CFG, DEFS), random_seed=1, settings=FAST)],
        Primary("src", "ind", 2023, "ga", "gb"), "welch_p",
    )  # fmt: skip
    pos = kazakhstan_position(ind, mem, ["ga", "gb"])
    tr = trends(ind, mem, ["ga"], min_years=3)
    rep = pd.DataFrame({"group": ["ga", "gb"], "reported_value": [42.2, 54.1],
                        "label": ["reported in the article; source index not located"] * 2})  # fmt: skip
    cfg = {**CFG, "alpha": 0.05, "trend_min_years": 3}
    groups = {"definitions": {"ga": {"label": "Group A"}, "gb": {"label": "Group B"}}}
    text = render_summary(comp, pos, tr, rep, cfg, groups)
    prim = comp[comp.is_primary].iloc[0]
    assert f"average {prim.mean_a:.1f}" in text and "Group A" in text
    assert "same direction as the article's reported averages" in text
    comp2 = comp.copy()
    comp2.loc[comp2.is_primary, "mean_a"] = 99.25
    assert "average 99.2" in render_summary(comp2, pos, tr, rep, cfg, groups)


def test_constant_series_is_flagged():
    d = _panel()
    d.loc[d.iso3 == "KAZ", "value"] = 0.0
    t = trends(d, _mem(), ["g"]).iloc[0]
    assert t["kz_slope"] == 0 and np.isnan(t["kz_slope_p"]) and "constant" in t["note"]
