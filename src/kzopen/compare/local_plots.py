"""The local-level figure: V-Dem's local and regional government indices. It reads finished
tables (group trajectories, the latest-year values by group) and draws; no statistics here.

Top row: Kazakhstan against each group's mean over time. Bottom row: every member's value in
the latest year, by group, with Kazakhstan marked. Drawn at the manuscript's text width, with
line styles and markers as well as colours, so that it reads in greyscale.
"""

from __future__ import annotations

import textwrap
from collections.abc import Mapping, Sequence

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

from kzopen.core.figures import COLORS, TEXT_WIDTH_IN, scale_label

STYLES = {  # group -> (colour, line style, marker)
    "cis": (COLORS["cis"], "--", "s"),
    "central_asia": (COLORS["central_asia"], ":", "^"),
    "europe": (COLORS["europe"], "-.", "o"),
}


def _style(group: str) -> tuple[str, str, str]:
    return STYLES.get(group, (COLORS["other"], "-", "v"))


def local_government(
    traj: pd.DataFrame,
    dist: pd.DataFrame,
    indicators: Sequence[str],
    groups: Sequence[str],
    labels: Mapping[str, str],
    first_year: int,
) -> plt.Figure:
    """Two columns (one per V-Dem index), trajectories above, latest-year values below."""
    fig, axes = plt.subplots(2, len(indicators), figsize=(TEXT_WIDTH_IN, 5.4), squeeze=False)
    for j, ind in enumerate(indicators):
        d = dist[dist["indicator"] == ind]
        title = textwrap.fill(str(d["indicator_label"].iat[0]), 32) if len(d) else ind
        ax = axes[0][j]
        t = traj[(traj["indicator"] == ind) & (traj["year"] >= first_year)]
        for g in groups:
            s = t[t["series"] == g].sort_values("year")
            colour, ls, marker = _style(g)
            ax.plot(
                s["year"],
                s["mean"],
                ls,
                marker=marker,
                ms=2.5,
                lw=1,
                color=colour,
                label=f"{labels.get(g, g)}, mean",
            )
        k = t[t["series"] == "kazakhstan"].sort_values("year")
        ax.plot(
            k["year"],
            k["mean"],
            "-",
            marker="D",
            ms=2.5,
            lw=1.4,
            color=COLORS["kazakhstan"],
            label="Kazakhstan",
        )
        ax.set_title(title, fontsize=8)
        ax.set_ylim(-0.02, 1.02)
        ax.set_xticks(range(first_year - first_year % 5 + 5, int(t["year"].max()) + 1, 5))
        ax.tick_params(labelsize=7)
        _strip(axes[1][j], d, groups, labels)
    # V-Dem's indices run from 0 to 1; labelled as every other scale axis (scale_label)
    axes[0][0].set_ylabel(scale_label(0, 1), fontsize=7)
    axes[1][0].set_ylabel(f"{scale_label(0, 1)}, latest year", fontsize=7)
    handles, lbls = axes[0][0].get_legend_handles_labels()
    fig.legend(handles, lbls, loc="lower center", ncol=2, fontsize=7, frameon=False)
    fig.tight_layout(rect=(0, 0.08, 1, 1))
    return fig


def _strip(ax: plt.Axes, d: pd.DataFrame, groups: Sequence[str], labels: Mapping[str, str]) -> None:
    counts = {}
    for i, g in enumerate(groups):
        v = d.loc[d["group"] == g, "value"].to_numpy(float)
        counts[g] = len(v)
        colour, _, marker = _style(g)
        jitter = (np.arange(len(v)) % 5 - 2) * 0.06
        ax.scatter(
            np.full(len(v), i) + jitter,
            v,
            s=10,
            marker=marker,
            facecolors="none",
            edgecolors=colour,
            linewidths=0.8,
        )
        if len(v):
            ax.hlines(v.mean(), i - 0.3, i + 0.3, color=colour, lw=2, zorder=3)
    kz = d.loc[d["group"] == "kazakhstan", "value"]
    if len(kz):
        # dashed and behind the group means, so that a mean at the same height stays visible
        ax.axhline(float(kz.iat[0]), color=COLORS["kazakhstan"], lw=0.9, ls=(0, (4, 2)), zorder=1)
        ax.text(
            len(groups) - 0.5,
            float(kz.iat[0]),
            "Kazakhstan",
            fontsize=7,
            va="bottom",
            ha="right",
            color=COLORS["kazakhstan"],
        )
    ax.set_xticks(range(len(groups)))
    ticks = [f"{textwrap.fill(labels.get(g, g), 14)}\n(n = {counts[g]})" for g in groups]
    ax.set_xticklabels(ticks, fontsize=7)
    ax.set_xlim(-0.6, len(groups) - 0.4)
    ax.set_ylim(-0.02, 1.02)
    ax.tick_params(labelsize=7)
