"""Descriptive robustness counts over the exploratory comparisons (results/compare_robustness.csv).

How many of the exploratory comparisons (every index, indicator, year and group pair other than
the confirmatory family) point the same way as the primary comparison, how many are in that
direction with a Benjamini-Hochberg-adjusted p below ``alpha``, and in how many the bootstrap
interval of Hedges' g excludes zero. The comparisons reuse the same countries across years and
group definitions, so they are strongly dependent: the counts describe consistency, they are not
independent evidence. Rows with a ``reason`` (too few countries, groups below ``min_group_n``)
are counted apart and never as evidence.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from kzopen.compare.table import primary_row

ROBUSTNESS_COLUMNS = [
    "scope",
    "group_a",
    "group_b",
    "source",
    "comparisons",
    "same_direction",
    "share_same_direction",
    "same_direction_bh",
    "g_ci_excludes_0",
    "median_g",
    "n_sources",
    "n_indicators",
    "n_years",
    "n_pairs",
    "not_counted",
    "alpha",
    "family",
]


def primary_sign(comp: pd.DataFrame, file: str) -> float:
    """The direction (-1 or +1) of the primary comparison's difference."""
    return float(np.sign(primary_row(comp, file)["diff"]))


# The columns the article and the summary show of each pair and source row.
SHOWN_COLUMNS = [
    "comparisons",
    "same_direction",
    "same_direction_bh",
    "g_ci_excludes_0",
    "median_g",
    "not_counted",
]


def _counts(rows: pd.DataFrame, sign: float, alpha: float, n_reason: int) -> dict[str, object]:
    same = np.sign(rows["diff"]) == sign
    excl = same & (np.sign(rows["g_ci_low"]) == np.sign(rows["g_ci_high"]))
    return {
        "comparisons": len(rows),
        "same_direction": int(same.sum()),
        "share_same_direction": float(same.mean()) if len(rows) else float("nan"),
        "same_direction_bh": int((same & (rows["p_bh"] < alpha)).sum()),
        "g_ci_excludes_0": int(excl.sum()),
        "median_g": rows["hedges_g"].median(),
        "n_sources": rows["source"].nunique(),
        "n_indicators": rows["indicator"].nunique(),
        "n_years": rows["year"].nunique(),
        "n_pairs": len(rows[["group_a", "group_b"]].drop_duplicates()),
        "not_counted": n_reason,
    }


def robustness_counts(comp: pd.DataFrame, alpha: float, file: str) -> pd.DataFrame:
    """One row for all exploratory comparisons, one per group pair, one per source."""
    sign = primary_sign(comp, file)
    expl = comp[comp["family"] == "exploratory"]
    has_reason = expl["reason"].fillna("") != ""
    counted, skipped = expl[~has_reason], expl[has_reason]
    rows = [{"scope": "all", **_counts(counted, sign, alpha, len(skipped))}]
    for (a, b), _ in expl.groupby(["group_a", "group_b"], sort=True):  # every pair, 0 counted too
        part = counted[(counted["group_a"] == a) & (counted["group_b"] == b)]
        n_skip = int(((skipped["group_a"] == a) & (skipped["group_b"] == b)).sum())
        rows.append(
            {"scope": "pair", "group_a": a, "group_b": b, **_counts(part, sign, alpha, n_skip)}
        )
    for source, part in counted.groupby("source", sort=True):
        n_skip = int((skipped["source"] == source).sum())
        rows.append({"scope": "source", "source": source, **_counts(part, sign, alpha, n_skip)})
    out = pd.DataFrame(rows)
    out["alpha"], out["family"] = alpha, "exploratory"
    for c in ("group_a", "group_b", "source"):
        out[c] = out[c].fillna("") if c in out else ""
    return out[ROBUSTNESS_COLUMNS]


# Which function computes each column (the first step of a printed value's trail;
# tests/test_column_producers.py checks each).
ROBUSTNESS_COLUMN_PRODUCERS: dict[str, Any] = dict.fromkeys(ROBUSTNESS_COLUMNS, robustness_counts)
