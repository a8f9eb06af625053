"""The local level (V-Dem): Kazakhstan's score changes, which offices are elected by group,
how the local government index relates to the national openness measures, and the finished
table behind the local-level figure.

Every function reads finished tables (the index table, the group membership, V-Dem's
categories) and returns a tidy frame; nothing here is tested or adjusted: the comparisons of
the local families are in :mod:`kzopen.compare.tasks` and :mod:`kzopen.compare.stats`.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd
from scipy import stats

from kzopen.core.errors import InputError
from kzopen.groups import members

KAZAKHSTAN = "KAZ"
CHANGE_COLUMNS = [
    "source",
    "indicator",
    "indicator_label",
    "year",
    "previous_year",
    "value_before",
    "value_after",
    "change",
]
ELECTED_COLUMNS = [
    "indicator",
    "indicator_label",
    "year",
    "group",
    "code",
    "category",
    "n_countries",
    "share",
    "n_group",
    "kazakhstan_code",
]
CORRELATION_COLUMNS = [
    "local_indicator",
    "source",
    "indicator",
    "indicator_label",
    "year_local",
    "year",
    "scope",
    "n",
    "spearman_rho",
    "pearson_r",
]
DISTRIBUTION_COLUMNS = ["indicator", "indicator_label", "year", "group", "iso3", "value"]


def score_changes(
    indices: pd.DataFrame, sources: Sequence[str], first_year: int, country: str = KAZAKHSTAN
) -> pd.DataFrame:
    """Every year from ``first_year`` in which the country's score differs from the year
    before, per indicator of ``sources``: the value before, after and the change."""
    d = indices[
        indices["source"].isin(list(sources))
        & (indices["iso3"] == country)
        & (indices["year"] >= first_year - 1)
    ].sort_values(["source", "indicator", "year"], kind="stable")
    rows = []
    for (source, indicator), part in d.groupby(["source", "indicator"], sort=True):
        years, values = part["year"].to_numpy(), part["value"].to_numpy(float)
        for i in range(1, len(part)):
            if values[i] != values[i - 1] and years[i] >= first_year:
                rows.append(
                    {
                        "source": source,
                        "indicator": indicator,
                        "indicator_label": part["indicator_label"].iat[i],
                        "year": int(years[i]),
                        "previous_year": int(years[i - 1]),
                        "value_before": values[i - 1],
                        "value_after": values[i],
                        "change": values[i] - values[i - 1],
                    }
                )
    return pd.DataFrame(rows, columns=CHANGE_COLUMNS)


def elected_offices(
    categories: pd.DataFrame,
    membership: pd.DataFrame,
    groups: Sequence[str],
    year: int | None = None,
    country: str = KAZAKHSTAN,
) -> pd.DataFrame:
    """Countries per category of each nominal V-Dem variable, by group, in ``year`` (default:
    the latest year), Kazakhstan left out of the counts and its own category beside them."""
    rows = []
    for indicator, part in categories.groupby("indicator", sort=True):
        y = int(part["year"].max()) if year is None else int(year)
        py = part[part["year"] == y]
        kz = py.loc[py["iso3"] == country, "code"]
        kz_code = int(kz.iat[0]) if len(kz) else np.nan
        labels = dict(zip(part["code"], part["category"], strict=False))
        for g in groups:
            ids = set(members(membership, g, y)) - {country}
            in_g = py[py["iso3"].isin(ids)]
            counts = in_g["code"].value_counts()
            for code in sorted(labels):
                rows.append(
                    {
                        "indicator": indicator,
                        "indicator_label": part["indicator_label"].iat[0],
                        "year": y,
                        "group": g,
                        "code": int(code),
                        "category": labels[code],
                        "n_countries": int(counts.get(code, 0)),
                        "share": counts.get(code, 0) / len(in_g) if len(in_g) else np.nan,
                        "n_group": len(in_g),
                        "kazakhstan_code": kz_code,
                    }
                )
    return pd.DataFrame(rows, columns=ELECTED_COLUMNS)


def local_national_correlations(
    indices: pd.DataFrame,
    membership: pd.DataFrame,
    local_indicators: Sequence[tuple[str, str]],
    national_indicators: Sequence[tuple[str, str]],
    study_groups: Sequence[str],
) -> pd.DataFrame:
    """Across countries, each local measure (latest year) against each national measure (its
    latest year): Spearman's rho and Pearson's r, over all countries and over the study
    groups' members. Descriptive: no test, no causal reading."""
    rows = []
    for lsrc, lind in local_indicators:
        loc = _latest(indices, lsrc, lind)
        ly = int(loc["year"].iat[0])
        study = set().union(*(members(membership, g, ly) for g in study_groups))
        for src, ind in national_indicators:
            nat = _latest(indices, src, ind)
            both = loc[["iso3", "value"]].merge(nat[["iso3", "value"]], on="iso3")
            for scope, part in (
                ("all countries", both),
                ("study groups", both[both["iso3"].isin(study)]),
            ):
                ok = len(part) >= 3
                rows.append(
                    {
                        "local_indicator": lind,
                        "source": src,
                        "indicator": ind,
                        "indicator_label": nat["indicator_label"].iat[0],
                        "year_local": ly,
                        "year": int(nat["year"].iat[0]),
                        "scope": scope,
                        "n": len(part),
                        "spearman_rho": stats.spearmanr(part["value_x"], part["value_y"])[0]
                        if ok
                        else np.nan,
                        "pearson_r": stats.pearsonr(part["value_x"], part["value_y"])[0]
                        if ok
                        else np.nan,
                    }
                )
    return pd.DataFrame(rows, columns=CORRELATION_COLUMNS)


def _latest(indices: pd.DataFrame, source: str, indicator: str) -> pd.DataFrame:
    d = indices[(indices["source"] == source) & (indices["indicator"] == indicator)]
    if d.empty:
        raise InputError(
            "the index table",
            f"no data for {source}/{indicator}",
            column="indicator",
            expected="an indicator of the index table (config compare.confirmatory*)",
        )
    return d[d["year"] == d["year"].max()]


def local_distribution(
    indices: pd.DataFrame,
    membership: pd.DataFrame,
    local_indicators: Sequence[tuple[str, str]],
    groups: Sequence[str],
    country: str = KAZAKHSTAN,
) -> pd.DataFrame:
    """Each local measure's latest-year value for every member of each group, and
    Kazakhstan's (group ``kazakhstan``): the points of the local-level figure."""
    rows = []
    for src, ind in local_indicators:
        d = _latest(indices, src, ind)
        y = int(d["year"].iat[0])
        label = d["indicator_label"].iat[0]
        for g in [*groups, "kazakhstan"]:
            ids = {country} if g == "kazakhstan" else set(members(membership, g, y)) - {country}
            for _, r in d[d["iso3"].isin(ids)].sort_values("iso3").iterrows():
                rows.append(
                    {
                        "indicator": ind,
                        "indicator_label": label,
                        "year": y,
                        "group": g,
                        "iso3": r["iso3"],
                        "value": float(r["value"]),
                    }
                )
    return pd.DataFrame(rows, columns=DISTRIBUTION_COLUMNS)


EXPLORATORY_COLUMNS = [
    "source",
    "indicator",
    "indicator_label",
    "group_a",
    "group_b",
    "comparisons",
    "a_lower",
    "a_lower_bh",
    "a_higher_bh",
    "first_year",
    "last_year",
]


def local_exploratory_summary(comparisons: pd.DataFrame, alpha: float) -> pd.DataFrame:
    """Counts over the local level's exploratory comparisons (years and group pairs, BH within
    the family), per indicator and pair: how many put ``group_a`` lower, and how many of those
    (and of the opposite sign) have a BH-adjusted p below ``alpha``. Rows with a reason (too few
    countries) are not counted."""
    d = comparisons[
        (comparisons["family"] == "exploratory_local") & (comparisons["reason"].fillna("") == "")
    ]
    rows = []
    keys = ["source", "indicator", "indicator_label", "group_a", "group_b"]
    for key, part in d.groupby(keys, sort=True):
        lower, sig = part["diff"] < 0, part["p_bh"] < alpha
        rows.append(
            {
                **dict(zip(keys, key, strict=True)),
                "comparisons": len(part),
                "a_lower": int(lower.sum()),
                "a_lower_bh": int((lower & sig).sum()),
                "a_higher_bh": int((~lower & sig & (part["diff"] > 0)).sum()),
                "first_year": int(part["year"].min()),
                "last_year": int(part["year"].max()),
            }
        )
    return pd.DataFrame(rows, columns=EXPLORATORY_COLUMNS)


# Which function computes each column of the local-level tables (the first step of a printed
# value's trail; tests/test_column_producers.py checks each).
CHANGE_COLUMN_PRODUCERS: dict[str, Any] = dict.fromkeys(CHANGE_COLUMNS, score_changes)
ELECTED_COLUMN_PRODUCERS: dict[str, Any] = dict.fromkeys(ELECTED_COLUMNS, elected_offices)
CORRELATION_COLUMN_PRODUCERS: dict[str, Any] = dict.fromkeys(
    CORRELATION_COLUMNS, local_national_correlations
)
DISTRIBUTION_COLUMN_PRODUCERS: dict[str, Any] = dict.fromkeys(
    DISTRIBUTION_COLUMNS, local_distribution
)
EXPLORATORY_COLUMN_PRODUCERS: dict[str, Any] = dict.fromkeys(
    EXPLORATORY_COLUMNS, local_exploratory_summary
)
