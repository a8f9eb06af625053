"""Figures of the portal analysis. They read the finished result tables and only draw.

Both are drawn at the manuscript's text width with text at 7 pt or more (``TEXT_WIDTH_IN``).

* :func:`plot_units`: one panel per outcome, stacked (outcomes never share an axis). Each
  unit's percentage *reported in the article* is a black marker annotated with its GRIM
  minimum n; when counts exist, the observed share and its Wilson 95 % interval are drawn
  beside it.
* :func:`plot_sensitivity`: per outcome, the homogeneity p-value as a function of an assumed
  common n per unit (log-log), the pairwise curves, the 5 % line and the n where it is crossed.
  The figure says in its title that it is conditional: the article gives no n; the n where
  the 5 % line is crossed is stated in each panel's title, not written over the curves.
"""

from __future__ import annotations

import textwrap
from collections.abc import Mapping

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

from kzopen.core.figures import COLORS, TEXT_WIDTH_IN
from kzopen.core.fmt import Formatter

FMT = Formatter()  # the article's number rules (kzopen.core.fmt)

OBSERVED_COLOR = "#0072B2"


def plot_units(units: pd.DataFrame, labels: Mapping[str, str]) -> plt.Figure:
    """Reported (and, when available, observed) percentages per unit, one panel per outcome,
    the panels stacked on one 0-100 scale; drawn at the text width, text at 7 pt or more (the
    manuscript's caption explains the figure, so it carries no title)."""
    outcomes = sorted(units["outcome"].unique(), key=lambda o: (-(units.outcome == o).sum(), o))
    sizes = [int((units["outcome"] == o).sum()) for o in outcomes]
    fig, axes = plt.subplots(
        len(outcomes),
        1,
        figsize=(TEXT_WIDTH_IN, 0.24 * sum(sizes) + 0.55 * len(outcomes) + 0.5),
        squeeze=False,
        gridspec_kw={"height_ratios": [n + 1.2 for n in sizes]},
    )
    any_observed = False
    for ax, outcome in zip(axes[:, 0], outcomes, strict=True):
        any_observed |= _unit_panel(ax, units[units["outcome"] == outcome])
        ax.set_title(labels.get(outcome, outcome), fontsize=8, loc="left")
        ax.tick_params(labelsize=7)
    axes[-1][0].set_xlabel("% (0–100)", fontsize=7)
    handles, names = axes[0][0].get_legend_handles_labels()
    fig.legend(handles, names, loc="lower center", ncol=1, frameon=False, fontsize=7)
    fig.tight_layout(rect=(0, 0.045 * (1 + any_observed), 1, 1), h_pad=0.6)
    return fig


def _unit_panel(ax: plt.Axes, g: pd.DataFrame) -> bool:
    """One outcome's units: the reported value with its GRIM minimum n (to the right of the
    marker, or to its left above 60 %, so that the text stays inside the axis), and the
    observed share with its interval where counts exist. True when something was observed."""
    g = g.sort_values("unit", ascending=False)
    y = np.arange(len(g))
    rep = g["reported_pct"].to_numpy(float)
    ax.scatter(
        rep,
        y,
        marker="D",
        s=16,
        color=COLORS["reported"],
        zorder=3,
        label="reported in the article (GRIM n: the fewest ratings that give that value)",
    )
    for yi, (r, dec, gmin) in enumerate(zip(rep, g["decimals"], g["grim_min_n"], strict=True)):
        if np.isfinite(r) and pd.notna(gmin):
            right = r <= 60
            ax.annotate(
                f"{FMT.num(r, int(dec))} %  (GRIM n \u2265 {int(gmin)})",
                (r, yi),
                xytext=(6 if right else -6, 0),
                textcoords="offset points",
                ha="left" if right else "right",
                va="center",
                fontsize=7,
            )
    obs = g["observed_pct"].to_numpy(float)
    observed = bool(np.isfinite(obs).any())
    if observed:
        lo = 100 * g["ci95_low"].to_numpy(float)
        hi = 100 * g["ci95_high"].to_numpy(float)
        ax.errorbar(
            obs,
            y - 0.3,
            xerr=[obs - lo, hi - obs],
            fmt="o",
            ms=3,
            color=OBSERVED_COLOR,
            capsize=2,
            label="observed, Wilson 95 % CI",
        )
    ax.set_yticks(y, g["unit"])
    ax.set_xlim(0, 100)
    ax.set_ylim(-0.7, len(g) - 0.3)
    return observed


def plot_sensitivity(
    sensitivity: pd.DataFrame,
    pairs: pd.DataFrame,
    tests: pd.DataFrame,
    labels: Mapping[str, str],
    alpha: float,
) -> plt.Figure:
    """p-value of the homogeneity test (and of each pair) against an assumed common n, one
    panel per outcome side by side; drawn at the text width, text at 7 pt or more. The n where
    the homogeneity test crosses ``alpha`` is a dotted line, stated in the panel's title (not
    written over the curves)."""
    outcomes = sorted(sensitivity["outcome"].unique())
    fig, axes = plt.subplots(
        1, len(outcomes), figsize=(TEXT_WIDTH_IN, 2.9), sharey=True, squeeze=False
    )
    for ax, outcome in zip(axes[0], outcomes, strict=True):
        s = sensitivity[sensitivity["outcome"] == outcome]
        pr = pairs[pairs["outcome"] == outcome]
        for comp, gp in pr.groupby("comparison", sort=True):
            ax.plot(
                gp["assumed_n"],
                gp["p"].clip(lower=1e-300),
                lw=0.7,
                color=COLORS["other"],
                alpha=0.8,
                label="pairwise z-tests (unadjusted)" if comp == pr["comparison"].min() else None,
            )
        ax.plot(
            s["assumed_n"],
            s["p"].clip(lower=1e-300),
            lw=1.6,
            color=COLORS["kazakhstan"],
            label="homogeneity chi-square",
        )
        ax.axhline(alpha, color="black", ls="--", lw=0.8, label=f"p = {FMT.num(alpha, 2)}")
        title = textwrap.fill(labels.get(outcome, outcome), 46)
        row = tests[(tests["outcome"] == outcome) & (tests["test"] == "homogeneity_chi2_min_n")]
        if len(row) and pd.notna(row["assumed_n"].iat[0]):
            n_star = int(row["assumed_n"].iat[0])
            ax.axvline(n_star, color=COLORS["kazakhstan"], ls=":", lw=0.9)
            title += f"\np < {FMT.num(alpha, 2)} from n = {n_star} (dotted line)"
        ax.set_xscale("log")
        ax.set_yscale("log")
        ax.set_ylim(1e-12, 1.5)
        ax.set_title(title, fontsize=7.5, loc="left")
        ax.set_xlabel("assumed ratings per unit, n (the same for every unit)", fontsize=7)
        ax.tick_params(labelsize=7)
    axes[0][0].set_ylabel("p-value", fontsize=7)
    handles, names = axes[0][0].get_legend_handles_labels()
    fig.legend(handles, names, loc="lower center", ncol=3, frameon=False, fontsize=7)
    fig.suptitle("CONDITIONAL: had every unit n ratings (the article reports no n)", fontsize=7.5)
    fig.tight_layout(rect=(0, 0.06, 1, 1), w_pad=1.0)
    return fig
