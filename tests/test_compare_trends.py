"""Trend estimates on SYNTHETIC series with known slopes."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from kzopen.compare.trends import (
    choose_se,
    kz_trend,
    newey_west_lags,
    openness_profile,
    trends,
    welch_satterthwaite,
)
from kzopen.ingest.common import INDEX_COLUMNS


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
            rows.append(
                (
                    iso,
                    iso,
                    year,
                    "src",
                    "ind",
                    "Label",
                    start + slope * k + rng.normal(0, 0.3),
                    np.nan,
                    0.0,
                    100.0,
                )
            )
    return pd.DataFrame(rows, columns=INDEX_COLUMNS)


def _mem():
    return pd.DataFrame(
        [("g", y, i) for y in range(2012, 2024) for i in ("AAA", "BBB", "CCC")],
        columns=["group", "year", "iso3"],
    )


def test_kz_trend_exact_line():
    fit = kz_trend(np.arange(2000, 2010), 3 + 0.5 * np.arange(10), None)
    assert fit.slope == pytest.approx(0.5) and fit.se == pytest.approx(0, abs=1e-10)
    assert fit.lags == newey_west_lags(10) == 2


def test_max_rule_takes_the_larger_se_below_hac_min_years():
    """Below hac_min_years the larger of OLS and HAC is used and named; from it, HAC alone."""
    assert choose_se(0.1, 0.2, 10, 20) == (0.2, "newey_west (max rule)")
    assert choose_se(0.2, 0.1, 10, 20) == (0.2, "ols (max rule)")
    assert choose_se(0.2, 0.1, 20, 20) == (0.1, "newey_west")
    rng = np.random.default_rng(3)  # SYNTHETIC series
    years, values = np.arange(2012, 2024), np.arange(12) + rng.normal(0, 1, 12)
    short = kz_trend(years, values, None, hac_min_years=20)
    assert short.se == max(short.se_ols, short.se_hac) and "max rule" in short.se_method
    long = kz_trend(years, values, None, hac_min_years=12)
    assert long.se == long.se_hac and long.se_method == "newey_west"


def _hand_panel():
    """SYNTHETIC panel with a hand-derived answer (see test_slope_difference_se_by_hand)."""
    t = np.arange(-2, 3)
    rows = [("KAZ", 2002 + k, 10 + 3 * k + e) for k, e in zip(t, [1, -1, 0, -1, 1], strict=True)]
    rows += [
        (iso, 2002 + k, 50 + b * k) for iso, b in (("AAA", 0), ("BBB", 2), ("CCC", 4)) for k in t
    ]
    d = pd.DataFrame(rows, columns=["iso3", "year", "value"])
    return d.assign(
        country=d.iso3,
        source="src",
        indicator="ind",
        indicator_label="Label",
        std_error=np.nan,
        scale_min=0.0,
        scale_max=100.0,
    )


def test_slope_difference_se_by_hand():
    """Kazakhstan: 5 years, t = -2..2 (sum t^2 = 10), y = 10 + 3 t + e, e = (1, -1, 0, -1, 1)
    (orthogonal to 1 and t), so the OLS slope is 3 and SSR = 4. OLS se = sqrt((4/3) / 10)
    = sqrt(2/15). HAC with 0 lags is White's: sqrt(sum t^2 e^2 / (sum t^2)^2) = sqrt(10/100),
    times statsmodels' small-sample factor sqrt(n / (n - 2)) = sqrt(5/3): se = sqrt(1/6), larger
    than OLS, so the max rule takes it. Members: exact lines with slopes 0, 2, 4: group slope 2,
    SD 2, se = 2/sqrt(3), df 2. Difference 3 - 2 = 1 with se = sqrt(1/6 + 4/3) = sqrt(3/2);
    Welch-Satterthwaite df = (3/2)^2 / ((1/6)^2 / 3 + (4/3)^2 / 2) = 243/97. Kazakhstan's slope 3
    against member slopes (0, 2, 4): two of three below, percentile 66.7.
    """
    from scipy import stats

    t = trends(_hand_panel(), _mem5(), ["g"], hac_maxlags=0, hac_min_years=20).iloc[0]
    assert t["kz_slope"] == pytest.approx(3.0) and t["kz_slope_df"] == 3
    assert t["kz_slope_se_ols"] == pytest.approx(np.sqrt(2 / 15))
    assert t["kz_slope_se"] == pytest.approx(np.sqrt(1 / 6))
    assert t["se_method"] == "newey_west (max rule)"
    assert t["group_slope"] == pytest.approx(2.0) and t["group_slope_df"] == 2
    assert t["group_slope_se"] == pytest.approx(2 / np.sqrt(3))
    assert t["slope_diff"] == pytest.approx(1.0)
    assert t["slope_diff_se"] == pytest.approx(np.sqrt(1.5))
    assert t["slope_diff_df"] == pytest.approx(243 / 97)
    assert t["slope_diff_p"] == pytest.approx(2 * stats.t.sf(1 / np.sqrt(1.5), 243 / 97))
    assert t["kz_slope_percentile"] == pytest.approx(200 / 3)
    assert t["n_members"] == 3 and t["n_obs"] == 20


def _mem5():
    return pd.DataFrame(
        [("g", y, i) for y in range(2000, 2005) for i in ("AAA", "BBB", "CCC")],
        columns=["group", "year", "iso3"],
    )


def test_welch_satterthwaite_equal_variances_adds_df():
    """Two estimates with equal variance and df: the Satterthwaite df is the sum of the two."""
    assert welch_satterthwaite(1.0, 5, 1.0, 5) == pytest.approx(10.0)
    assert welch_satterthwaite(0.0, 5, 1.0, 7) == pytest.approx(7.0)


def test_holm_across_series():
    """kz_slope_p_holm is Holm over the series (statsmodels multipletests), one p per series."""
    from statsmodels.stats.multitest import multipletests

    d = _panel()
    d2 = d.assign(
        indicator="ind2",
        value=d["value"] + np.where(d.iso3 == "KAZ", np.sin(d["year"].to_numpy()) * 3, 0),
    )
    t = trends(pd.concat([d, d2], ignore_index=True), _mem(), ["g"])
    ps = t.drop_duplicates("indicator")["kz_slope_p"].to_numpy()
    assert t.drop_duplicates("indicator")["kz_slope_p_holm"].to_numpy() == pytest.approx(
        multipletests(ps, method="holm")[1]
    )


def test_slope_difference_recovers_known_slopes():
    t = trends(_panel(), _mem(), ["g"]).iloc[0]
    assert t["kz_slope"] == pytest.approx(2.0, abs=0.1)
    assert t["group_slope"] == pytest.approx(1.0, abs=0.1)
    assert t["slope_diff"] == pytest.approx(1.0, abs=0.15)
    assert t["slope_diff_p"] < 0.01 and t["n_members"] == 3 and t["n_obs"] == 48
    assert t["slope_diff_se"] >= t["group_slope_se"] and t["kz_slope_percentile"] == 100
    assert "slope_diff_se_cluster" not in t.index


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


def test_constant_series_is_flagged():
    d = _panel()
    d.loc[d.iso3 == "KAZ", "value"] = 0.0
    t = trends(d, _mem(), ["g"]).iloc[0]
    assert t["kz_slope"] == 0 and np.isnan(t["kz_slope_p"]) and "constant" in t["note"]


# --- issue 19 part B: breaks, slope-difference rules and adjustment, AR(1) sensitivity -------


def _two_groups():
    """SYNTHETIC membership: group "g" (AAA, BBB, CCC) and group "h" (AAA, BBB)."""
    return pd.concat(
        [
            _mem(),
            pd.DataFrame(
                [("h", y, i) for y in range(2012, 2024) for i in ("AAA", "BBB")],
                columns=["group", "year", "iso3"],
            ),
        ],
        ignore_index=True,
    )


def test_series_break_cuts_the_trend_at_the_break_year():
    from kzopen.compare.trends import cut_at_breaks, trends_by_level
    from kzopen.core.errors import ConfigError

    d = _panel()
    cut = cut_at_breaks(d, {"src": 2017})
    assert cut["year"].min() == 2017 and len(cut) == 4 * 7
    t = trends_by_level(
        d, _mem(), ["g"], local_sources=[], first_year=1991, series_breaks={"src": 2017}
    ).iloc[0]
    assert t["first_year"] == 2017 and t["n_years"] == 7 and t["break_year"] == 2017
    whole = trends_by_level(d, _mem(), ["g"], local_sources=[], first_year=1991).iloc[0]
    assert whole["first_year"] == 2012 and pd.isna(whole["break_year"])
    with pytest.raises(ConfigError):
        cut_at_breaks(d, {"nosuchsource": 2017})


def test_constant_kazakhstan_series_gets_no_slope_difference_test():
    d = _panel()
    d.loc[d.iso3 == "KAZ", "value"] = 5.0
    t = trends(d, _mem(), ["g"]).iloc[0]
    assert np.isnan(t["slope_diff_p"]) and np.isnan(t["slope_diff_se"])
    assert np.isnan(t["slope_diff_p_adj"]) and "constant" in t["slope_diff_reason"]
    assert t["slope_diff"] == pytest.approx(-t["group_slope"])  # still described


def test_small_group_gets_no_slope_difference_test():
    t = trends(_panel(), _two_groups(), ["g", "h"], min_group_n=3).set_index("group")
    assert t.loc["g", "slope_diff_p"] < 0.01 and t.loc["g", "slope_diff_reason"] == ""
    assert np.isnan(t.loc["h", "slope_diff_p"]) and np.isnan(t.loc["h", "group_slope_p"])
    assert "fewer than 3 members" in t.loc["h", "slope_diff_reason"]
    assert t.loc["h", "n_members"] == 2 and np.isfinite(t.loc["h", "slope_diff"])


def test_slope_differences_holm_for_reported_rows_bh_for_the_rest():
    from statsmodels.stats.multitest import multipletests

    d = _panel()
    parts = [d]
    for k, noise in enumerate((2.0, 4.0, 8.0)):  # SYNTHETIC: three more noisy series
        rng = np.random.default_rng(k)
        parts.append(d.assign(indicator=f"i{k}", value=d["value"] + rng.normal(0, noise, len(d))))
    reported = [("src", "ind", "g"), ("src", "i0", "g")]
    t = trends(pd.concat(parts, ignore_index=True), _mem(), ["g"], reported=reported)
    rep = t["indicator"].isin(["ind", "i0"])
    assert (t.loc[rep, "slope_diff_adjust"].str.startswith("holm")).all()
    assert (t.loc[~rep, "slope_diff_adjust"].str.startswith("benjamini")).all()
    assert t.loc[rep, "slope_diff_p_adj"].to_numpy() == pytest.approx(
        multipletests(t.loc[rep, "slope_diff_p"], method="holm")[1]
    )
    assert t.loc[~rep, "slope_diff_p_adj"].to_numpy() == pytest.approx(
        multipletests(t.loc[~rep, "slope_diff_p"], method="fdr_bh")[1]
    )


def test_ar1_sensitivity_matches_statsmodels_glsar():
    import statsmodels.api as sm
    from statsmodels.tsa.stattools import acf

    from kzopen.compare.trends import AR1_MIN_YEARS, ar1_trend

    rng = np.random.default_rng(7)  # SYNTHETIC AR(1) errors, rho 0.8
    e = np.zeros(25)
    for i in range(1, 25):
        e[i] = 0.8 * e[i - 1] + rng.normal()
    years = np.arange(1999, 2024)
    values = 0.3 * (years - 1999) + e
    got = ar1_trend(years[::-1], values[::-1])  # order-free
    X = sm.add_constant(years - years.mean())
    model = sm.GLSAR(values, X, rho=1)
    fit = model.iterative_fit(maxiter=100)
    assert got["kz_slope_ar1"] == pytest.approx(fit.params[1])
    assert got["kz_slope_se_ar1"] == pytest.approx(fit.bse[1])
    assert got["kz_rho_ar1"] == pytest.approx(model.rho[0]) and got["kz_rho_ar1"] > 0.4
    resid = sm.OLS(values, X).fit().resid
    assert got["kz_resid_acf1"] == pytest.approx(acf(resid, nlags=1, fft=False)[1])
    assert got["ar1_df"] == 25 - 3
    short = ar1_trend(years[: AR1_MIN_YEARS - 1], values[: AR1_MIN_YEARS - 1])
    assert np.isnan(short["kz_slope_p_ar1"])
    t = trends(_panel(), _mem(), ["g"]).iloc[0]  # wired into the table, with Holm over series
    assert np.isfinite(t["kz_slope_p_ar1"]) and t["kz_slope_p_ar1_holm"] == t["kz_slope_p_ar1"]
    assert np.isfinite(t["slope_diff_p_ar1"])
