"""The confirmatory family as a whole: how strongly its indicators go together across the
countries compared, which says how far its comparisons are independent evidence."""

from __future__ import annotations

from itertools import combinations

import pandas as pd
from scipy import stats

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


def family_correlations(
    comparisons: pd.DataFrame, indices: pd.DataFrame, family: str, file: str
) -> pd.DataFrame:
    """Spearman's rank correlation (``scipy.stats.spearmanr``) of every pair of the family's
    indicators, each in the year its comparison uses, across the countries both comparisons
    include (the two groups together); descriptive, not tested."""
    rows = comparisons[comparisons["family"] == family]
    if rows.empty:
        raise InputError(file, f"no comparison of the {family} family", column="family")
    series = {}
    for r in rows.sort_values(["source", "indicator"]).itertuples(index=False):
        countries = f"{r.countries_a} {r.countries_b}".split()
        d = indices[
            (indices["source"] == r.source)
            & (indices["indicator"] == r.indicator)
            & (indices["year"] == int(r.year))
            & indices["iso3"].isin(countries)
        ]
        series[(r.source, r.indicator, r.indicator_label)] = d.set_index("iso3")["value"]
    out = []
    for (ka, a), (kb, b) in combinations(series.items(), 2):
        both = pd.concat([a, b], axis=1, join="inner").dropna()
        rho = stats.spearmanr(both.iloc[:, 0], both.iloc[:, 1]).statistic if len(both) > 2 else None
        out.append([*ka, *kb, len(both), float("nan") if rho is None else float(rho)])
    return pd.DataFrame(out, columns=CORRELATION_COLUMNS)
