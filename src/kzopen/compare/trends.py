"""Trends over time: Kazakhstan's slope, group-mean trajectories, and their difference.

* Kazakhstan's trend: OLS of its score on year (``statsmodels``), t reference distribution with
  n - 2 degrees of freedom. The standard error is Newey-West's (1987) HAC estimate (small-sample
  correction) when the series has at least ``hac_min_years`` points; below that HAC is
  unreliable (it can fall below the OLS error with no autocorrelation at all), so the larger of
  the OLS and the HAC error is used. ``se_method`` says which one was taken.
* Multiplicity across series: Holm's (1979) adjustment of Kazakhstan's trend p-values over all
  series with a trend (``kz_slope_p_holm``), one p-value per source x indicator.
* Slope difference against a group (two-stage, summary statistics): every member country with
  at least ``min_years`` scores in Kazakhstan's years gets its own OLS slope; the group slope is
  their mean with standard error SD / sqrt(m) on m - 1 degrees of freedom (the members' spread
  of slopes). Kazakhstan's slope minus it has ``slope_diff_se`` = sqrt(se_kz^2 + se_group^2)
  (independent estimates from disjoint countries) and Welch-Satterthwaite degrees of freedom
  (Satterthwaite 1946; Welch 1947) ``slope_diff_df`` = (se_kz^2 + se_g^2)^2 /
  (se_kz^4 / df_kz + se_g^4 / df_g). ``kz_slope_percentile`` places Kazakhstan's slope among the
  members' own slopes (``scipy.stats.percentileofscore``, ties counted half).
* The slope-difference test is left out (no p, ``slope_diff_reason`` says why) where
  Kazakhstan's series is constant (its standard error is 0, so the test would only test the
  group's own slope) and where fewer than ``min_group_n`` members have a slope. The remaining
  slope-difference p-values are adjusted (``slope_diff_p_adj``): Holm over the rows the text
  reports (``reported``), Benjamini-Hochberg over the rest (``slope_diff_adjust`` says which).
* Series breaks: a source with a break year (``series_breaks``, e.g. the Open Budget Survey's
  2017 questionnaire revision) is trended only from that year on, so no trend crosses the
  break; ``break_year`` records it.
* Sensitivity to autocorrelation: Kazakhstan's slope refitted by feasible GLS with AR(1) errors
  (``statsmodels`` ``GLSAR``, iterated; ``kz_slope_ar1``, ``kz_slope_se_ar1``,
  ``kz_slope_p_ar1`` on n - 3 degrees of freedom, Holm over the series in
  ``kz_slope_p_ar1_holm``), with the lag-1 autocorrelation of the OLS residuals
  (``kz_resid_acf1``) and the AR(1) slope difference p (``slope_diff_p_ar1``), from
  ``AR1_MIN_YEARS`` points.
* Group trajectories: the mean, SD and n of each group's members with data, per year.
* Openness profile: Kazakhstan, and the group means, on chosen sub-indicators rescaled to
  0-1 with each indicator's published scale (the data-backed "radar analysis").

WGI estimates are re-standardised every year (mean 0, SD 1 across the countries rated), so a
WGI slope measures a change of relative position, not an absolute change of governance.
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any

import numpy as np
import pandas as pd
import statsmodels.api as sm
from scipy import stats
from statsmodels.stats.multitest import multipletests
from statsmodels.tsa.stattools import acf

from kzopen.core.errors import CONFIGURATION, ConfigError
from kzopen.groups import KAZAKHSTAN

TREND_COLUMNS = [
    "source",
    "indicator",
    "indicator_label",
    "group",
    "first_year",
    "last_year",
    "n_years",
    "kz_first_value",
    "kz_last_value",
    "kz_slope",
    "kz_slope_se",
    "se_method",
    "kz_slope_se_ols",
    "kz_slope_se_hac",
    "kz_slope_df",
    "kz_slope_ci_low",
    "kz_slope_ci_high",
    "kz_slope_p",
    "kz_slope_p_holm",
    "hac_maxlags",
    "group_slope",
    "group_slope_se",
    "group_slope_df",
    "group_slope_p",
    "slope_diff",
    "slope_diff_se",
    "slope_diff_df",
    "slope_diff_ci_low",
    "slope_diff_ci_high",
    "slope_diff_p",
    "slope_diff_p_adj",
    "slope_diff_adjust",
    "slope_diff_reason",
    "kz_resid_acf1",
    "kz_rho_ar1",
    "kz_slope_ar1",
    "kz_slope_se_ar1",
    "kz_slope_p_ar1",
    "kz_slope_p_ar1_holm",
    "slope_diff_p_ar1",
    "break_year",
    "kz_slope_percentile",
    "n_members",
    "n_obs",
    "method",
    "note",
    "reason",
]
TRAJECTORY_COLUMNS = [
    "source",
    "indicator",
    "year",
    "series",
    "n",
    "mean",
    "sd",
    "value_low",
    "value_high",
]
PROFILE_COLUMNS = [
    "source",
    "indicator",
    "indicator_label",
    "year",
    "series",
    "n",
    "value",
    "scale_min",
    "scale_max",
    "value_01",
]
METHOD = (
    "Kazakhstan: OLS on year, se = Newey-West HAC from hac_min_years points, below that the "
    "larger of OLS and HAC (se_method); group: mean of members' own OLS slopes, se = SD/sqrt(m); "
    "difference: se = sqrt(se_kz^2 + se_group^2), Welch-Satterthwaite df"
)


@dataclass(frozen=True)
class Slope:
    """An OLS slope per year with the standard error chosen by :func:`kz_trend`."""

    slope: float
    se: float
    df: int
    ci_low: float
    ci_high: float
    p: float
    lags: int
    se_ols: float
    se_hac: float
    se_method: str


def newey_west_lags(n: int) -> int:
    """The Newey-West (1994) rule of thumb floor(4 (n/100)^(2/9))."""
    return int(math.floor(4 * (n / 100) ** (2 / 9)))


def choose_se(se_ols: float, se_hac: float, n: int, hac_min_years: int) -> tuple[float, str]:
    """HAC from ``hac_min_years`` points; below that the larger of OLS and HAC ("max rule")."""
    if n >= hac_min_years:
        return se_hac, "newey_west"
    if se_hac > se_ols:
        return se_hac, "newey_west (max rule)"
    return se_ols, "ols (max rule)"


def kz_trend(
    years: np.ndarray,
    values: np.ndarray,
    maxlags: int | None,
    confidence: float = 0.95,
    hac_min_years: int = 20,
) -> Slope:
    """OLS slope per year, its OLS and HAC errors, and the one chosen by :func:`choose_se`."""
    order = np.argsort(years, kind="stable")
    years, values = np.asarray(years, float)[order], np.asarray(values, float)[order]
    lags = newey_west_lags(len(years)) if maxlags is None else int(maxlags)
    X = sm.add_constant(years - years.mean())
    fit = sm.OLS(values, X).fit()
    hac = fit.get_robustcov_results(cov_type="HAC", maxlags=lags, use_correction=True)
    se_ols, se_hac = float(fit.bse[1]), float(hac.bse[1])
    se, method = choose_se(se_ols, se_hac, len(years), hac_min_years)
    df = len(years) - 2
    slope = float(fit.params[1])
    crit = stats.t.ppf(0.5 + confidence / 2, df)
    p = float(2 * stats.t.sf(abs(slope) / se, df)) if se > 0 else np.nan
    return Slope(
        slope, se, df, slope - crit * se, slope + crit * se, p, lags, se_ols, se_hac, method
    )


def ols_slope(years: np.ndarray, values: np.ndarray) -> float:
    """The least-squares slope of values on years (``numpy.polyfit``, degree 1)."""
    return float(np.polyfit(np.asarray(years, float), np.asarray(values, float), 1)[0])


def welch_satterthwaite(se_a: float, df_a: float, se_b: float, df_b: float) -> float:
    """Degrees of freedom of a difference of two independent estimates (Satterthwaite 1946)."""
    va, vb = se_a**2, se_b**2
    denom = (va**2 / df_a if va > 0 else 0.0) + (vb**2 / df_b if vb > 0 else 0.0)
    return float((va + vb) ** 2 / denom) if denom > 0 else np.nan


def slope_difference(
    kz_slope: Slope, member_slopes: np.ndarray, confidence: float = 0.95
) -> dict[str, float]:
    """Kazakhstan's slope minus the mean of the members' slopes, with SE, df, CI, p."""
    m = len(member_slopes)
    g = float(np.mean(member_slopes))
    gse = float(np.std(member_slopes, ddof=1) / math.sqrt(m))
    gdf = m - 1
    diff = kz_slope.slope - g
    se = math.sqrt(kz_slope.se**2 + gse**2)
    df = welch_satterthwaite(kz_slope.se, kz_slope.df, gse, gdf)
    ok = se > 0 and np.isfinite(df)
    crit = stats.t.ppf(0.5 + confidence / 2, df) if ok else np.nan
    return {
        "group_slope": g,
        "group_slope_se": gse,
        "group_slope_df": gdf,
        "group_slope_p": float(2 * stats.t.sf(abs(g) / gse, gdf)) if gse > 0 else np.nan,
        "slope_diff": diff,
        "slope_diff_se": se,
        "slope_diff_df": df,
        "slope_diff_ci_low": diff - crit * se,
        "slope_diff_ci_high": diff + crit * se,
        "slope_diff_p": float(2 * stats.t.sf(abs(diff) / se, df)) if ok else np.nan,
        "kz_slope_percentile": float(
            stats.percentileofscore(member_slopes, kz_slope.slope, kind="mean")
        ),
    }


def member_slopes(panel: pd.DataFrame, min_years: int) -> pd.Series:
    """Each country's own OLS slope over its years in ``panel`` (at least ``min_years``)."""
    out = {}
    for iso, d in panel.groupby("iso3", sort=True):
        if d["year"].nunique() >= min_years:
            out[iso] = ols_slope(d["year"].to_numpy(), d["value"].to_numpy())
    return pd.Series(out, dtype=float)


AR1_MIN_YEARS = 5  # GLSAR drops the first point and fits 2 parameters: at least 2 df left


def ar1_trend(years: np.ndarray, values: np.ndarray) -> dict[str, float]:
    """Kazakhstan's slope by feasible GLS with AR(1) errors (``statsmodels`` ``GLSAR``,
    iterated to convergence), and the lag-1 autocorrelation of the OLS residuals. The AR(1)
    runs over consecutive observations (survey rounds where a source is not yearly)."""
    order = np.argsort(years, kind="stable")
    years, values = np.asarray(years, float)[order], np.asarray(values, float)[order]
    nan = {k: np.nan for k in ("kz_resid_acf1", "kz_rho_ar1", "kz_slope_ar1")}
    nan.update(kz_slope_se_ar1=np.nan, kz_slope_p_ar1=np.nan, ar1_df=np.nan)
    if len(years) < AR1_MIN_YEARS or np.ptp(values) == 0:
        return nan
    X = sm.add_constant(years - years.mean())
    resid = sm.OLS(values, X).fit().resid
    if not np.any(resid):
        return nan
    model = sm.GLSAR(values, X, rho=1)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        fit = model.iterative_fit(maxiter=100)
    return {
        "kz_resid_acf1": float(acf(resid, nlags=1, fft=False)[1]),
        "kz_rho_ar1": float(model.rho[0]),
        "kz_slope_ar1": float(fit.params[1]),
        "kz_slope_se_ar1": float(fit.bse[1]),
        "kz_slope_p_ar1": float(fit.pvalues[1]),
        "ar1_df": float(fit.df_resid),
    }


def _kz_base(kz: pd.DataFrame, fit: Slope) -> dict[str, Any]:
    """Kazakhstan's trend columns (a flat series has slope 0 and no error to estimate)."""
    note = ""
    slope, se, lo, hi, p = fit.slope, fit.se, fit.ci_low, fit.ci_high, fit.p
    if kz["value"].nunique() == 1:
        slope, se, lo, hi, p = 0.0, 0.0, 0.0, 0.0, np.nan
        note = "Kazakhstan's score is constant over the period"
    return {
        "kz_slope": slope,
        "kz_slope_se": se,
        "se_method": fit.se_method,
        "kz_slope_se_ols": fit.se_ols,
        "kz_slope_se_hac": fit.se_hac,
        "kz_slope_df": fit.df,
        "kz_slope_ci_low": lo,
        "kz_slope_ci_high": hi,
        "kz_slope_p": p,
        "hac_maxlags": fit.lags,
        "note": note,
        **ar1_trend(kz["year"].to_numpy(), kz["value"].to_numpy()),
    }


NO_TEST_COLUMNS = (
    "slope_diff_se",
    "slope_diff_df",
    "slope_diff_ci_low",
    "slope_diff_ci_high",
    "slope_diff_p",
)


def _group_row(
    base: dict[str, Any],
    kz_fit: Slope,
    slopes: pd.Series,
    min_group_n: int,
    confidence: float,
) -> dict[str, Any]:
    """One group's slope-difference columns; no test (a reason instead) where it would mislead."""
    row = slope_difference(kz_fit, slopes.to_numpy(), confidence)
    reason = ""
    if base["kz_slope_se"] == 0:
        reason = (
            "Kazakhstan's series is constant: its standard error is 0, so the test would test "
            "only the group's own slope"
        )
    elif len(slopes) < min_group_n:
        reason = f"fewer than {min_group_n} members with a slope (the small-group rule)"
        row.update(group_slope_se=np.nan, group_slope_df=np.nan, group_slope_p=np.nan)
    if reason:
        row.update(dict.fromkeys(NO_TEST_COLUMNS, np.nan), slope_diff_p_ar1=np.nan)
    elif np.isfinite(base["kz_slope_se_ar1"]):
        ar1 = replace(kz_fit, se=base["kz_slope_se_ar1"], df=int(base["ar1_df"]))
        row["slope_diff_p_ar1"] = slope_difference(ar1, slopes.to_numpy(), confidence)[
            "slope_diff_p"
        ]
    return {**row, "slope_diff_reason": reason}


def trends(
    indices: pd.DataFrame,
    membership: pd.DataFrame,
    groups: Sequence[str],
    *,
    min_years: int = 3,
    hac_maxlags: int | None = None,
    hac_min_years: int = 20,
    confidence: float = 0.95,
    min_group_n: int = 2,
    reported: Sequence[tuple[str, str, str]] = (),
    country: str = KAZAKHSTAN,
) -> pd.DataFrame:
    """One row per source x indicator x group (see the module docstring for the methods).
    ``reported``: (source, indicator, group) of the slope differences the text reports."""
    mem = membership[membership["group"].isin(groups)]
    rows = []
    labels = indices.groupby(["source", "indicator"])["indicator_label"].first()
    for (source, indicator), part in indices.groupby(["source", "indicator"], sort=True):
        kz = part[part["iso3"] == country].sort_values("year")
        base: dict[str, Any] = {
            "source": source,
            "indicator": indicator,
            "indicator_label": labels[(source, indicator)],
            "first_year": int(kz["year"].min()) if len(kz) else np.nan,
            "last_year": int(kz["year"].max()) if len(kz) else np.nan,
            "n_years": len(kz),
            "kz_first_value": float(kz["value"].iat[0]) if len(kz) else np.nan,
            "kz_last_value": float(kz["value"].iat[-1]) if len(kz) else np.nan,
            "method": METHOD,
        }
        if len(kz) < min_years:
            reason = f"fewer than {min_years} years of data for {country}"
            rows += [{**base, "group": g, "reason": reason} for g in groups]
            continue
        fit = kz_trend(
            kz["year"].to_numpy(), kz["value"].to_numpy(), hac_maxlags, confidence, hac_min_years
        )
        base.update(_kz_base(kz, fit))
        kz_fit = replace(fit, slope=base["kz_slope"], se=base["kz_slope_se"])
        years = set(kz["year"])
        for g in groups:
            gm = mem[mem["group"] == g]
            panel = part.merge(gm[["year", "iso3"]], on=["year", "iso3"], how="inner")
            panel = panel[panel["year"].isin(years) & (panel["iso3"] != country)]
            slopes = member_slopes(panel, min_years)
            if len(slopes) < 2:
                rows.append(
                    {
                        **base,
                        "group": g,
                        "reason": f"fewer than 2 countries of {g} with "
                        f"at least {min_years} years of data",
                    }
                )
                continue
            rows.append(
                {
                    **base,
                    "group": g,
                    **_group_row(base, kz_fit, slopes, min_group_n, confidence),
                    "n_members": len(slopes),
                    "n_obs": int(panel["iso3"].isin(slopes.index).sum()) + len(kz),
                    "reason": "",
                }
            )
    return _finish(pd.DataFrame(rows), reported)


def holm_by_series(out: pd.DataFrame, column: str = "kz_slope_p") -> pd.Series:
    """Holm-adjusted Kazakhstan trend p-values, one family of all series with a p-value."""
    series = out.drop_duplicates(["source", "indicator"]).dropna(subset=[column])
    adjusted = pd.Series(np.nan, index=out.index, dtype=float)
    if series.empty:
        return adjusted
    p_holm = multipletests(series[column].to_numpy(float), method="holm")[1]
    lookup = dict(zip(zip(series["source"], series["indicator"], strict=True), p_holm, strict=True))
    keys = zip(out["source"], out["indicator"], strict=True)
    return pd.Series([lookup.get(k, np.nan) for k in keys], index=out.index, dtype=float)


def adjust_slope_differences(
    out: pd.DataFrame, reported: Sequence[tuple[str, str, str]]
) -> tuple[pd.Series, pd.Series]:
    """Slope-difference p-values adjusted: Holm over the ``reported`` rows (source, indicator,
    group) that have a p, Benjamini-Hochberg over all other rows with a p."""
    keys = pd.Series(list(zip(out["source"], out["indicator"], out["group"], strict=True)))
    is_rep = keys.isin({tuple(r) for r in reported}).to_numpy()
    has_p = out["slope_diff_p"].notna().to_numpy()
    adj = np.full(len(out), np.nan)
    label = np.full(len(out), "", dtype=object)
    for mask, method, name in (
        (is_rep & has_p, "holm", "holm (rows the text reports)"),
        (~is_rep & has_p, "fdr_bh", "benjamini-hochberg (all other rows)"),
    ):
        if mask.any():
            adj[mask] = multipletests(out["slope_diff_p"].to_numpy(float)[mask], method=method)[1]
            label[mask] = name
    return pd.Series(adj, index=out.index), pd.Series(label, index=out.index)


def _finish(out: pd.DataFrame, reported: Sequence[tuple[str, str, str]] = ()) -> pd.DataFrame:
    """Columns in contract order, Holm across series, integer columns typed."""
    for c in TREND_COLUMNS:
        if c not in out.columns:
            out[c] = np.nan
    out["kz_slope_p_holm"] = holm_by_series(out)
    out["kz_slope_p_ar1_holm"] = holm_by_series(out, "kz_slope_p_ar1")
    out["slope_diff_p_adj"], out["slope_diff_adjust"] = adjust_slope_differences(out, reported)
    for c in ("reason", "note", "se_method", "slope_diff_reason", "slope_diff_adjust"):
        out[c] = out[c].fillna("")
    for c in (
        "first_year",
        "last_year",
        "hac_maxlags",
        "kz_slope_df",
        "group_slope_df",
        "n_members",
        "n_obs",
        "break_year",
    ):
        out[c] = out[c].astype("Int64")
    return (
        out[TREND_COLUMNS]
        .sort_values(["source", "indicator", "group"], kind="stable")
        .reset_index(drop=True)
    )


def trajectories(
    indices: pd.DataFrame,
    membership: pd.DataFrame,
    groups: Sequence[str],
    country: str = KAZAKHSTAN,
) -> pd.DataFrame:
    """Kazakhstan's series and each group's per-year mean (SD, n, min, max) over its members."""
    kz = indices[indices["iso3"] == country]
    out = [
        pd.DataFrame(
            {
                "source": kz["source"],
                "indicator": kz["indicator"],
                "year": kz["year"],
                "series": "kazakhstan",
                "n": 1,
                "mean": kz["value"],
                "sd": np.nan,
                "value_low": kz["value"] - stats.norm.ppf(0.975) * kz["std_error"],
                "value_high": kz["value"] + stats.norm.ppf(0.975) * kz["std_error"],
            }
        )
    ]
    for g in groups:
        gm = membership[membership["group"] == g]
        d = indices.merge(gm[["year", "iso3"]], on=["year", "iso3"], how="inner")
        d = d[d["iso3"] != country]
        agg = (
            d.groupby(["source", "indicator", "year"])
            .agg(
                n=("value", "size"),
                mean=("value", "mean"),
                sd=("value", "std"),
                value_low=("value", "min"),
                value_high=("value", "max"),
            )
            .reset_index()
        )
        out.append(agg.assign(series=g))
    res = pd.concat(out, ignore_index=True)[TRAJECTORY_COLUMNS]
    res["n"] = res["n"].astype("int64")
    return res.sort_values(["source", "indicator", "series", "year"], kind="stable").reset_index(
        drop=True
    )


def openness_profile(
    indices: pd.DataFrame,
    membership: pd.DataFrame,
    items: Sequence[str],
    groups: Sequence[str],
    country: str = KAZAKHSTAN,
) -> pd.DataFrame:
    """Latest year with Kazakhstan data for each ``source/indicator``; values rescaled to 0-1."""
    avail = sorted(
        {f"{s}/{i}" for s, i in zip(indices["source"], indices["indicator"], strict=True)}
    )
    rows = []
    for item in items:
        if item not in avail:
            raise ConfigError(
                CONFIGURATION,
                f"unknown index {item!r}",
                column="compare.radar_indicators",
                expected=f"some of {avail}",
            )
        source, indicator = item.split("/")
        d = indices[(indices["source"] == source) & (indices["indicator"] == indicator)]
        kz = d[d["iso3"] == country]
        if kz.empty:
            raise ConfigError(
                CONFIGURATION,
                f"{item} has no data for {country}",
                column="compare.radar_indicators",
            )
        year = int(kz["year"].max())
        dy = d[d["year"] == year]
        lo, hi = float(dy["scale_min"].iat[0]), float(dy["scale_max"].iat[0])
        series = {"kazakhstan": dy.loc[dy["iso3"] == country, "value"]}
        for g in groups:
            m = set(
                membership.loc[(membership["group"] == g) & (membership["year"] == year), "iso3"]
            )
            series[g] = dy.loc[dy["iso3"].isin(m - {country}), "value"]
        for name, vals in series.items():
            v = float(vals.mean()) if len(vals) else np.nan
            rows.append(
                {
                    "source": source,
                    "indicator": indicator,
                    "indicator_label": dy["indicator_label"].iat[0],
                    "year": year,
                    "series": name,
                    "n": len(vals),
                    "value": v,
                    "scale_min": lo,
                    "scale_max": hi,
                    "value_01": (v - lo) / (hi - lo),
                }
            )
    return pd.DataFrame(rows, columns=PROFILE_COLUMNS)


def trends_by_level(
    indices: pd.DataFrame,
    membership: pd.DataFrame,
    groups: Sequence[str],
    local_sources: Sequence[str],
    first_year: int,
    series_breaks: Mapping[str, int] | None = None,
    **options: Any,
) -> pd.DataFrame:
    """:func:`trends` run separately for the national sources and for the local-level ones
    (V-Dem), so that each level is its own Holm family across series and adding the local level
    leaves the national results unchanged. Years before ``first_year`` (Kazakhstan's
    independence) are left out, and so are a source's years before its ``series_breaks`` year
    (a change of method that makes earlier scores not comparable)."""
    indices = cut_at_breaks(indices[indices["year"] >= first_year], series_breaks or {})
    local = indices["source"].isin(list(local_sources))
    parts = [
        trends(part, membership, groups, **options)
        for part in (indices[~local], indices[local])
        if not part.empty
    ]
    out = pd.concat(parts, ignore_index=True)
    out["break_year"] = out["source"].map(dict(series_breaks or {})).astype("Int64")
    return out.sort_values(["source", "indicator", "group"], kind="stable").reset_index(drop=True)


def cut_at_breaks(indices: pd.DataFrame, series_breaks: Mapping[str, int]) -> pd.DataFrame:
    """Drop each source's years before its break year, so that no trend crosses the break."""
    unknown = sorted(set(series_breaks) - set(indices["source"]))
    if unknown:
        raise ConfigError(
            CONFIGURATION,
            f"unknown source(s) {unknown}",
            column="compare.series_breaks",
            expected=f"some of {sorted(indices['source'].unique())}",
        )
    start = indices["source"].map(dict(series_breaks)).fillna(-np.inf)
    return indices[indices["year"] >= start]


# The function that computes each column of results/trends.csv (the first step of a printed
# value's trail; tests/test_column_producers.py checks each writes its column).
TREND_COLUMN_PRODUCERS: dict[str, Any] = {
    **dict.fromkeys(
        (
            "group_slope",
            "group_slope_se",
            "group_slope_df",
            "group_slope_p",
            "slope_diff",
            "slope_diff_se",
            "slope_diff_df",
            "slope_diff_ci_low",
            "slope_diff_ci_high",
            "slope_diff_p",
        ),
        slope_difference,
    ),
    **dict.fromkeys(
        ("kz_resid_acf1", "kz_rho_ar1", "kz_slope_ar1", "kz_slope_se_ar1", "kz_slope_p_ar1"),
        ar1_trend,
    ),
}
TREND_COLUMN_PRODUCERS.update(
    dict.fromkeys((c for c in TREND_COLUMNS if c not in TREND_COLUMN_PRODUCERS), trends_by_level)
)
