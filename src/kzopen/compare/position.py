"""Kazakhstan's position (rank, percentile, z) within each group."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd
from scipy import stats

from kzopen.compare.rank_uncertainty import add_rank_intervals
from kzopen.groups import KAZAKHSTAN

POSITION_COLUMNS = [
    "source",
    "indicator",
    "indicator_label",
    "year",
    "value",
    "std_error",
    "ci90_low",
    "ci90_high",
    "ci95_low",
    "ci95_high",
    "group",
    "rank",
    "rank_lowest",
    "n_tied",
    "n",
    "n_others",
    "percentile",
    "group_mean",
    "group_sd",
    "z_in_group",
    "kazakhstan_in_group",
    "reason",
]
# --------------------------------------------------------------------------- Kazakhstan


def kazakhstan_position(
    indices: pd.DataFrame,
    membership: pd.DataFrame,
    groups: Sequence[str],
    *,
    country: str = KAZAKHSTAN,
    rank_draws: int = 0,
    random_seed: int = 0,
    confidence: float = 0.95,
) -> pd.DataFrame:
    """Kazakhstan's value (with 90/95 % intervals), rank, percentile and z within each group.

    The reference set is the group's other countries with data that year (Kazakhstan is never
    part of its own reference distribution). ``rank`` counts Kazakhstan among the group
    (1 = highest score; competition ranking: tied countries share the best rank;
    ``rank_lowest`` is the worst rank it shares, ``n_tied`` the number of others with the same
    score). ``percentile`` is ``scipy.stats.percentileofscore(others, value, kind='mean')``: the
    share of the others scoring below, ties counted half. ``z_in_group`` =
    (value - mean of others) / SD of others (ddof=1).
    """
    z90, z95 = stats.norm.ppf(0.95), stats.norm.ppf(0.975)
    mem = membership.groupby(["group", "year"])["iso3"].apply(set).to_dict()
    kz = indices[indices["iso3"] == country]
    rows = []
    for (source, indicator, year), part in indices.groupby(
        ["source", "indicator", "year"], sort=True
    ):
        k = kz[(kz["source"] == source) & (kz["indicator"] == indicator) & (kz["year"] == year)]
        if k.empty:
            continue
        value, se = float(k["value"].iat[0]), float(k["std_error"].iat[0])
        base = {
            "source": source,
            "indicator": indicator,
            "indicator_label": k["indicator_label"].iat[0],
            "year": int(year),
            "value": value,
            "std_error": se,
            "ci90_low": value - z90 * se,
            "ci90_high": value + z90 * se,
            "ci95_low": value - z95 * se,
            "ci95_high": value + z95 * se,
        }
        for gid in groups:
            members_ = mem.get((gid, int(year)), set())
            others = np.sort(part.loc[part["iso3"].isin(members_ - {country}), "value"].to_numpy())
            row = {**base, "group": gid, "kazakhstan_in_group": country in members_, "reason": ""}
            row.update(position_in(others, value, gid))
            rows.append(row)
    out = pd.DataFrame(rows, columns=POSITION_COLUMNS)
    for c in ("rank", "rank_lowest", "n_tied", "n"):
        out[c] = out[c].astype("Int64")
    out = out.sort_values(["source", "indicator", "year", "group"], kind="stable").reset_index(
        drop=True
    )
    if rank_draws > 0:  # rank_ci_low/high: kzopen.rank_uncertainty (redraws from published se)
        from kzopen.compare.rank_uncertainty import add_rank_intervals

        out = add_rank_intervals(
            out,
            indices,
            membership,
            random_seed=random_seed,
            n_draws=rank_draws,
            confidence=confidence,
            country=country,
        )
    return out


def position_in(others: np.ndarray, value: float, gid: str) -> dict[str, object]:
    """Rank, percentile and z of ``value`` among ``others`` (sorted), or a ``reason``."""
    if len(others) < 2:
        return {
            "rank": np.nan,
            "rank_lowest": np.nan,
            "n_tied": np.nan,
            "n": len(others) + 1,
            "n_others": len(others),
            "percentile": np.nan,
            "group_mean": np.nan,
            "group_sd": np.nan,
            "z_in_group": np.nan,
            "reason": f"fewer than 2 other countries with data in {gid}",
        }
    above, tied = int((others > value).sum()), int((others == value).sum())
    mean, sd = float(np.mean(others)), float(np.std(others, ddof=1))
    return {
        "rank": above + 1,
        "rank_lowest": above + tied + 1,
        "n_tied": tied,
        "n": len(others) + 1,
        "n_others": len(others),  # the group's countries with a score, Kazakhstan not among them
        "percentile": float(stats.percentileofscore(others, value, kind="mean")),
        "group_mean": mean,
        "group_sd": sd,
        "z_in_group": (value - mean) / sd if sd > 0 else np.nan,
    }


# The function that computes each column of results/kazakhstan_position.csv (the first step of
# a printed value's trail; tests/test_column_producers.py checks each writes its column).
POSITION_COLUMN_PRODUCERS: dict[str, Any] = {
    **dict.fromkeys(
        (
            "rank",
            "rank_lowest",
            "n_tied",
            "n",
            "n_others",
            "percentile",
            "group_mean",
            "group_sd",
            "z_in_group",
        ),
        position_in,
    ),
    **dict.fromkeys(("rank_ci_low", "rank_ci_high", "rank_ci_method"), add_rank_intervals),
}
POSITION_COLUMN_PRODUCERS.update(
    dict.fromkeys(
        (c for c in POSITION_COLUMNS if c not in POSITION_COLUMN_PRODUCERS), kazakhstan_position
    )
)
