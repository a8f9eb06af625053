"""The comparison table's columns, and the rows its readers pick, without the statistics.

Kept apart from :mod:`kzopen.compare.stats` so that the table's readers (the article's values
and tables, the robustness counts, the figures' data) do not import scipy to know its columns.
"""

from __future__ import annotations

import pandas as pd

from kzopen.core.io import one_row

COMPARISON_COLUMNS = [
    "source",
    "indicator",
    "indicator_label",
    "year",
    "group_a",
    "group_b",
    "n_a",
    "n_b",
    "mean_a",
    "mean_b",
    "median_a",
    "median_b",
    "sd_a",
    "sd_b",
    "diff",
    "welch_t",
    "welch_df",
    "welch_p",
    "mwu_u",
    "mwu_p",
    "perm_p",
    "perm_method",
    "perm_n_resamples",
    "perm_p_t",
    "perm_t_method",
    "perm_t_n_resamples",
    "perm_t_mc_se",
    "cliffs_delta",
    "hedges_g",
    "g_ci_low",
    "g_ci_high",
    "g_ci_method",
    "g_ci_low_ho",
    "g_ci_high_ho",
    "family",
    "p_holm",
    "holm_reject",
    "p_bh",
    "p_adjusted_from",
    "se_sampling",
    "se_propagated",
    "me_var_share",
    "me_note",
    "is_primary",
    "countries_a",
    "countries_b",
    "reason",
]
DIRECTIONAL = ("diff", "welch_t", "hedges_g")


def primary_row(comparisons: pd.DataFrame, file: str) -> pd.Series:
    """The one row of the comparison table flagged ``is_primary`` (CSV or in-memory)."""
    return one_row(comparisons, "is_primary", True, file, "exactly one primary comparison")
