"""The confirmatory family as a whole: how strongly its indicators go together across the
countries compared, which says how far its comparisons are independent evidence."""

from __future__ import annotations

from dataclasses import replace
from itertools import combinations
from typing import Any

import numpy as np
import pandas as pd
from scipy import stats
from statsmodels.stats.multitest import multipletests

from kzopen.compare.stats import Settings, compare_two, comparison_seed
from kzopen.core.errors import InputError

CORRELATION_COLUMNS = [
    "source_a",
    "indicator_a",
    "label_a",
    "source_b",
    "indicator_b",
    "label_b",
    "n",
    "spearman_rho",
]


def family_rows(comparisons: pd.DataFrame, family: str, file: str) -> pd.DataFrame:
    """The comparisons of ``family`` in source and indicator order; none is an input error."""
    rows = comparisons[comparisons["family"] == family].sort_values(["source", "indicator"])
    if rows.empty:
        raise InputError(file, f"no comparison of the {family} family", column="family")
    return rows


def scores_in_year(indices: pd.DataFrame, source: str, indicator: str, year: int) -> pd.Series:
    """Every country's score on one indicator in one year, by ISO3 code."""
    d = indices[
        (indices["source"] == source)
        & (indices["indicator"] == indicator)
        & (indices["year"] == int(year))
    ]
    return d.set_index("iso3")["value"]


def family_correlations(
    comparisons: pd.DataFrame, indices: pd.DataFrame, family: str, file: str
) -> pd.DataFrame:
    """Spearman's rank correlation (``scipy.stats.spearmanr``) of every pair of the family's
    indicators, each in the year its comparison uses, across the countries both comparisons
    include (the two groups together); descriptive, not tested."""
    series = {}
    for r in family_rows(comparisons, family, file).itertuples(index=False):
        scores = scores_in_year(indices, r.source, r.indicator, r.year)
        countries = f"{r.countries_a} {r.countries_b}".split()
        series[(r.source, r.indicator, r.indicator_label)] = scores[scores.index.isin(countries)]
    out = []
    for (ka, a), (kb, b) in combinations(series.items(), 2):
        both = pd.concat([a, b], axis=1, join="inner").dropna()
        rho = stats.spearmanr(both.iloc[:, 0], both.iloc[:, 1]).statistic if len(both) > 2 else None
        out.append([*ka, *kb, len(both), float("nan") if rho is None else float(rho)])
    return pd.DataFrame(out, columns=CORRELATION_COLUMNS)


COMMON_COLUMNS = [
    "source",
    "indicator",
    "indicator_label",
    "year",
    "n_a",
    "n_b",
    "countries_a",
    "diff",
    "diff_full",
    "hedges_g",
    "perm_p_t",
    "perm_t_method",
    "p_holm",
    "holm_reject",
    "same_direction",
    "reason",
]


def common_set_sensitivity(
    comparisons: pd.DataFrame,
    indices: pd.DataFrame,
    family: str,
    settings: Settings,
    random_seed: int,
    file: str,
) -> pd.DataFrame:
    """The family repeated on the countries that have every one of its indicators (the
    intersection of each group's countries over the family), Holm over the family's
    studentized permutation p. A group below ``settings.min_group_n`` gets what
    :func:`compare_two` gives such groups (no interval), and its reason."""
    rows = family_rows(comparisons, family, file)
    common = [
        sorted(set.intersection(*(set(str(c).split()) for c in rows[col])))
        for col in ("countries_a", "countries_b")
    ]
    out = []
    for r in rows.itertuples(index=False):
        d = scores_in_year(indices, r.source, r.indicator, r.year)
        key = ("common_set", r.source, r.indicator, int(r.year))
        res = compare_two(
            d.loc[common[0]],
            d.loc[common[1]],
            seed=comparison_seed(random_seed, key),
            settings=replace(settings, relabel_seed=random_seed),
        )
        out.append(
            {
                "source": r.source,
                "indicator": r.indicator,
                "indicator_label": r.indicator_label,
                "year": int(r.year),
                "countries_a": " ".join(common[0]),
                "diff_full": float(r.diff),
                **{k: res[k] for k in ("n_a", "n_b", "diff", "hedges_g", "perm_p_t")},
                "perm_t_method": res["perm_t_method"],
                "reason": res.get("reason", ""),
            }
        )
    df = pd.DataFrame(out)
    df["p_holm"] = multipletests(df["perm_p_t"].to_numpy(float), method="holm")[1]
    df["holm_reject"] = df["p_holm"] < settings.alpha
    df["same_direction"] = np.sign(df["diff"]) == np.sign(df["diff_full"])
    return df[COMMON_COLUMNS]


# Which function computes each column (the first step of a printed value's trail;
# tests/test_column_producers.py checks each).
CORRELATION_COLUMN_PRODUCERS: dict[str, Any] = dict.fromkeys(
    CORRELATION_COLUMNS, family_correlations
)
COMMON_COLUMN_PRODUCERS: dict[str, Any] = {
    **dict.fromkeys(COMMON_COLUMNS, common_set_sensitivity),
    **dict.fromkeys(
        ("n_a", "n_b", "diff", "hedges_g", "perm_p_t", "perm_t_method", "reason"), compare_two
    ),
}
