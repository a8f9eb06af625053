"""The finished table behind the primary-distribution figure (results/compare_primary_distribution.csv).

Joins, in an analysis rule, what the plot shows: every member's score on the primary indicator
and year, by group; each group's mean (the comparison's own means for the two primary groups,
the trajectory means for the others); Kazakhstan's score with its 95 % interval. The plotting
rule only draws this table.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import pandas as pd

from kzopen.compare.table import primary_row
from kzopen.core.errors import InputError

DISTRIBUTION_COLUMNS = [
    "role",
    "group",
    "iso3",
    "value",
    "ci95_low",
    "ci95_high",
    "source",
    "indicator",
    "indicator_label",
    "year",
]


def figure_groups(primary: Mapping[str, Any], extra: Sequence[str]) -> list[str]:
    """The primary pair first, then the configured figure groups, each once."""
    return list(dict.fromkeys([primary["group_a"], primary["group_b"], *extra]))


def primary_distribution(
    indices: pd.DataFrame,
    membership: pd.DataFrame,
    trajectories: pd.DataFrame,
    comparisons: pd.DataFrame,
    position: pd.DataFrame,
    primary: Mapping[str, Any],
    groups: Sequence[str],
) -> pd.DataFrame:
    """Rows with ``role`` member (one per country and group), group_mean and kazakhstan."""
    key = {k: primary[k] for k in ("source", "indicator", "year")}

    def at(df: pd.DataFrame) -> pd.DataFrame:
        return df[
            (df["source"] == key["source"])
            & (df["indicator"] == key["indicator"])
            & (df["year"] == key["year"])
        ]

    prim = primary_row(comparisons, "the comparison table")
    kz = at(position).head(1)
    if kz.empty:
        raise InputError(
            "the comparison and position tables",
            f"no primary row for {key}",
            expected="the primary comparison of config compare.primary",
        )
    mem = membership[(membership["year"] == key["year"]) & membership["group"].isin(groups)]
    members = mem.merge(at(indices)[["iso3", "value"]], on="iso3").assign(role="member")
    means = at(trajectories).set_index("series")["mean"]
    group_means = {g: float(means[g]) for g in groups if g in means.index}
    group_means.update({prim["group_a"]: prim["mean_a"], prim["group_b"]: prim["mean_b"]})
    mean_rows = pd.DataFrame(
        {"role": "group_mean", "group": list(group_means), "value": list(group_means.values())}
    )
    kz_row = kz[["value", "ci95_low", "ci95_high"]].assign(role="kazakhstan", iso3="KAZ")
    out = pd.concat([members, mean_rows, kz_row], ignore_index=True)
    out = out.assign(indicator_label=prim["indicator_label"], **key)
    order = {"member": 0, "group_mean": 1, "kazakhstan": 2}
    out = out.sort_values(
        ["role", "group", "iso3"],
        key=lambda s: s.map(order) if s.name == "role" else s,
        kind="stable",
    )
    return out.reindex(columns=DISTRIBUTION_COLUMNS).reset_index(drop=True)
