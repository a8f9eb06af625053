"""Trends over time: Kazakhstan's slope, group-mean trajectories, and their difference.

* Kazakhstan's trend: OLS of its score on year with Newey-West (HAC) standard errors
  (``statsmodels`` ``cov_type="HAC"``, small-sample correction, t reference distribution).
* Slope difference against a group: a country-year panel of Kazakhstan and the group's members
  (membership as of each year), ``value ~ C(iso3) + year + year:kz`` by OLS with country fixed
  effects, standard errors clustered by country (``cov_type="cluster"``). ``year`` is the
  group's average within-country slope, ``year:kz`` Kazakhstan's slope minus it.
  With only one Kazakhstan cluster the clustered error of ``year:kz`` mostly reflects the
  group's spread and understates the noise in Kazakhstan's own series, so a second, more
  conservative standard error is also reported: sqrt(HAC se(Kazakhstan)^2 + clustered
  se(group slope)^2), the two estimates being from disjoint countries.
* Group trajectories: the mean, SD and n of each group's members with data, per year.
* Openness profile: Kazakhstan, and the group means, on chosen sub-indicators rescaled to
  0-1 with each indicator's published scale (the data-backed "radar analysis").
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd
import statsmodels.api as sm
import statsmodels.formula.api as smf
from scipy import stats

from kzopen.errors import ConfigError
from kzopen.groups import CONFIG, KAZAKHSTAN

TREND_COLUMNS = [
    "source", "indicator", "indicator_label", "group", "first_year", "last_year", "n_years",
    "kz_first_value", "kz_last_value", "kz_slope", "kz_slope_se", "kz_slope_ci_low",
    "kz_slope_ci_high", "kz_slope_p", "hac_maxlags", "group_slope", "group_slope_se",
    "group_slope_p", "slope_diff", "slope_diff_se_cluster", "slope_diff_p_cluster",
    "slope_diff_se_combined", "slope_diff_ci_low", "slope_diff_ci_high", "slope_diff_p_combined",
    "n_countries", "n_obs", "method", "note", "reason",
]  # fmt: skip
TRAJECTORY_COLUMNS = ["source", "indicator", "year", "series", "n", "mean", "sd", "value_low",
                      "value_high"]  # fmt: skip
PROFILE_COLUMNS = ["source", "indicator", "indicator_label", "year", "series", "n", "value",
                   "scale_min", "scale_max", "value_01"]  # fmt: skip


def newey_west_lags(n: int) -> int:
    """The Newey-West (1994) rule of thumb floor(4 (n/100)^(2/9))."""
    return int(math.floor(4 * (n / 100) ** (2 / 9)))


def kz_trend(years: np.ndarray, values: np.ndarray, maxlags: int | None, confidence: float = 0.95):
    """OLS slope per year with HAC standard errors; returns (slope, se, lo, hi, p, lags)."""
    order = np.argsort(years, kind="stable")
    years, values = np.asarray(years, float)[order], np.asarray(values, float)[order]
    lags = newey_west_lags(len(years)) if maxlags is None else int(maxlags)
    X = sm.add_constant(years - years.mean())
    fit = sm.OLS(values, X).fit(
        cov_type="HAC", cov_kwds={"maxlags": lags, "use_correction": True}, use_t=True
    )
    lo, hi = fit.conf_int(alpha=1 - confidence)[1]
    return (
        float(fit.params[1]),
        float(fit.bse[1]),
        float(lo),
        float(hi),
        float(fit.pvalues[1]),
        lags,
    )


def slope_difference(panel: pd.DataFrame, country: str = KAZAKHSTAN):
    """Panel OLS with country effects; returns the fit's year and year:kz estimates."""
    d = panel.assign(kz=(panel["iso3"] == country).astype(float))
    d = d.assign(t=d["year"] - d["year"].mean()).sort_values(["iso3", "year"], kind="stable")
    codes = pd.factorize(d["iso3"], sort=True)[0]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        fit = smf.ols("value ~ C(iso3) + t + t:kz", data=d).fit(
            cov_type="cluster", cov_kwds={"groups": codes, "use_correction": True}, use_t=True
        )
    return fit


def trends(
    indices: pd.DataFrame,
    membership: pd.DataFrame,
    groups: Sequence[str],
    *,
    min_years: int = 3,
    hac_maxlags: int | None = None,
    confidence: float = 0.95,
    country: str = KAZAKHSTAN,
) -> pd.DataFrame:
    """One row per source x indicator x group (see the module docstring for the methods)."""
    mem = membership[membership["group"].isin(groups)]
    rows = []
    labels = indices.groupby(["source", "indicator"])["indicator_label"].first()
    for (source, indicator), part in indices.groupby(["source", "indicator"], sort=True):
        kz = part[part["iso3"] == country].sort_values("year")
        base: dict[str, Any] = {
            "source": source, "indicator": indicator,
            "indicator_label": labels[(source, indicator)],
            "first_year": int(kz["year"].min()) if len(kz) else np.nan,
            "last_year": int(kz["year"].max()) if len(kz) else np.nan, "n_years": len(kz),
            "kz_first_value": float(kz["value"].iat[0]) if len(kz) else np.nan,
            "kz_last_value": float(kz["value"].iat[-1]) if len(kz) else np.nan,
            "method": "Kazakhstan: OLS on year, Newey-West HAC se; difference: panel OLS with "
                      "country effects and year x Kazakhstan interaction, se clustered by country",
        }  # fmt: skip
        if len(kz) < min_years:
            for g in groups:
                rows.append(
                    {
                        **base,
                        "group": g,
                        "reason": f"fewer than {min_years} years of data for {country}",
                    }
                )
            continue
        slope, se, lo, hi, p, lags = kz_trend(
            kz["year"].to_numpy(), kz["value"].to_numpy(), hac_maxlags, confidence
        )
        note = ""
        if kz["value"].nunique() == 1:  # a flat series: slope 0 exactly, no error to estimate
            slope, se, lo, hi, p = 0.0, 0.0, 0.0, 0.0, np.nan
            note = f"{country}'s score is constant over the period"
        base.update(kz_slope=slope, kz_slope_se=se, kz_slope_ci_low=lo, kz_slope_ci_high=hi,
                    kz_slope_p=p, hac_maxlags=lags, note=note)  # fmt: skip
        years = set(kz["year"])
        for g in groups:
            gm = mem[mem["group"] == g]
            panel = part.merge(gm[["year", "iso3"]], on=["year", "iso3"], how="inner")
            panel = panel[panel["year"].isin(years) & (panel["iso3"] != country)]
            counts = panel.groupby("iso3")["year"].nunique()
            panel = panel[panel["iso3"].isin(counts.index[counts >= 2])]
            if panel["iso3"].nunique() < 2:
                rows.append({**base, "group": g, "reason": f"fewer than 2 countries of {g} with "
                             "at least 2 years of data"})  # fmt: skip
                continue
            both = pd.concat([panel, kz], ignore_index=True)[["iso3", "year", "value"]]
            fit = slope_difference(both, country)
            gs, gse, gp = fit.params["t"], fit.bse["t"], fit.pvalues["t"]
            diff, dse, dp = fit.params["t:kz"], fit.bse["t:kz"], fit.pvalues["t:kz"]
            n_clusters = both["iso3"].nunique()
            cse = math.sqrt(se**2 + gse**2)
            dfree = n_clusters - 1
            crit = stats.t.ppf(0.5 + confidence / 2, dfree)
            rows.append({
                **base, "group": g, "group_slope": gs, "group_slope_se": gse, "group_slope_p": gp,
                "slope_diff": diff, "slope_diff_se_cluster": dse, "slope_diff_p_cluster": dp,
                "slope_diff_se_combined": cse, "slope_diff_ci_low": diff - crit * cse,
                "slope_diff_ci_high": diff + crit * cse,
                "slope_diff_p_combined": float(2 * stats.t.sf(abs(diff) / cse, dfree)),
                "n_countries": n_clusters, "n_obs": len(both), "reason": "",
            })  # fmt: skip
    out = pd.DataFrame(rows)
    for c in TREND_COLUMNS:
        if c not in out.columns:
            out[c] = np.nan
    out["reason"] = out["reason"].fillna("")
    out["note"] = out["note"].fillna("")
    for c in ("first_year", "last_year", "hac_maxlags", "n_countries", "n_obs"):
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
        pd.DataFrame({
            "source": kz["source"], "indicator": kz["indicator"], "year": kz["year"],
            "series": "kazakhstan", "n": 1, "mean": kz["value"], "sd": np.nan,
            "value_low": kz["value"] - stats.norm.ppf(0.975) * kz["std_error"],
            "value_high": kz["value"] + stats.norm.ppf(0.975) * kz["std_error"],
        })
    ]  # fmt: skip
    for g in groups:
        gm = membership[membership["group"] == g]
        d = indices.merge(gm[["year", "iso3"]], on=["year", "iso3"], how="inner")
        d = d[d["iso3"] != country]
        agg = d.groupby(["source", "indicator", "year"]).agg(
            n=("value", "size"), mean=("value", "mean"), sd=("value", "std"),
            value_low=("value", "min"), value_high=("value", "max"),
        ).reset_index()  # fmt: skip
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
            raise ConfigError(CONFIG, f"unknown index {item!r}", column="compare.radar_indicators",
                              expected=f"some of {avail}")  # fmt: skip
        source, indicator = item.split("/")
        d = indices[(indices["source"] == source) & (indices["indicator"] == indicator)]
        kz = d[d["iso3"] == country]
        if kz.empty:
            raise ConfigError(CONFIG, f"{item} has no data for {country}",
                              column="compare.radar_indicators")  # fmt: skip
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
            rows.append({
                "source": source, "indicator": indicator,
                "indicator_label": dy["indicator_label"].iat[0], "year": year, "series": name,
                "n": len(vals), "value": v, "scale_min": lo, "scale_max": hi,
                "value_01": (v - lo) / (hi - lo),
            })  # fmt: skip
    return pd.DataFrame(rows, columns=PROFILE_COLUMNS)


def check_groups(groups: Sequence[str], definitions: Mapping[str, Any], where: str) -> None:
    from kzopen.groups import check_group_ids

    check_group_ids(groups, definitions, where)
