"""Figures of the portal analysis. They read the finished result tables and only draw.

* :func:`plot_units`: one panel per outcome (outcomes are never put on a shared axis). Each
  unit's percentage *reported in the article* is a black marker annotated with its GRIM
  minimum n; when counts exist, the observed share and its Wilson 95 % interval are drawn
  beside it.
* :func:`plot_sensitivity`: per outcome, the homogeneity p-value as a function of an assumed
  common n per unit (log-log), the pairwise curves, the 5 % line and the n where it is crossed.
  The figure says in its title that it is conditional: the article gives no n.
"""

from __future__ import annotations

from collections.abc import Mapping

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

from kzopen.core.figures import COLORS
from kzopen.core.fmt import Formatter

FMT = Formatter()  # the article's number rules (kzopen.core.fmt)

OBSERVED_COLOR = "#0072B2"


def _panels(n: int) -> tuple[plt.Figure, np.ndarray]:
    cols = 2 if n > 1 else 1
    rows = int(np.ceil(n / cols))
    fig, axes = plt.subplots(
        rows, cols, figsize=(7.2 * cols / 2 + 1.2, 2.3 * rows + 0.8), squeeze=False
    )
    for ax in axes.flat[n:]:
        ax.set_visible(False)
    return fig, axes.flat


def plot_units(units: pd.DataFrame, labels: Mapping[str, str]) -> plt.Figure:
    """Reported (and, when available, observed) percentages per unit, one panel per outcome."""
    outcomes = sorted(units["outcome"].unique(), key=lambda o: (-(units.outcome == o).sum(), o))
    fig, axes = _panels(len(outcomes))
    any_observed = False
    for ax, outcome in zip(axes, outcomes, strict=False):
        g = units[units["outcome"] == outcome].sort_values("unit", ascending=False)
        y = np.arange(len(g))
        rep = g["reported_pct"].to_numpy(float)
        ax.scatter(
            rep,
            y,
            marker="D",
            s=22,
            color=COLORS["reported"],
            zorder=3,
            label="reported in the article",
        )
        for yi, (r, dec, gmin) in enumerate(zip(rep, g["decimals"], g["grim_min_n"], strict=True)):
            if np.isfinite(r) and pd.notna(gmin):
                ax.annotate(
                    f"{FMT.num(r, int(dec))} %  (GRIM n \u2265 {int(gmin)})",
                    (r, yi),
                    xytext=(6, 4),
                    textcoords="offset points",
                    fontsize=7,
                )
        obs = g["observed_pct"].to_numpy(float)
        if np.isfinite(obs).any():
            any_observed = True
            lo = 100 * g["ci95_low"].to_numpy(float)
            hi = 100 * g["ci95_high"].to_numpy(float)
            ax.errorbar(
                obs,
                y - 0.22,
                xerr=[obs - lo, hi - obs],
                fmt="o",
                ms=4,
                color=OBSERVED_COLOR,
                capsize=2,
                label="observed, Wilson 95 % CI",
            )
        ax.set_yticks(y, g["unit"])
        ax.set_xlim(0, 100)
        ax.set_ylim(-0.7, len(g) - 0.3)
        ax.set_xlabel("%")
        ax.set_title(labels.get(outcome, outcome), fontsize=9, loc="left")
    handles, names = axes[0].get_legend_handles_labels()
    fig.legend(handles, names, loc="lower center", ncol=2, frameon=False, fontsize=8)
    sub = (
        "observed counts with Wilson 95 % intervals beside the article's values"
        if any_observed
        else "no sample sizes reported: no intervals; GRIM n = smallest n that can print the value"
    )
    fig.suptitle(f"Open Government portal and survey shares, by outcome\n{sub}", fontsize=9)
    fig.tight_layout(rect=(0, 0.06, 1, 1))
    return fig


def plot_sensitivity(
    sensitivity: pd.DataFrame,
    pairs: pd.DataFrame,
    tests: pd.DataFrame,
    labels: Mapping[str, str],
    alpha: float,
) -> plt.Figure:
    """p-value of the homogeneity test (and of each pair) against an assumed common n."""
    outcomes = sorted(sensitivity["outcome"].unique())
    fig, axes = _panels(len(outcomes))
    for ax, outcome in zip(axes, outcomes, strict=False):
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
            lw=1.8,
            color=COLORS["kazakhstan"],
            label="homogeneity chi-square",
        )
        ax.axhline(alpha, color="black", ls="--", lw=0.8, label=f"p = {alpha}")
        row = tests[(tests["outcome"] == outcome) & (tests["test"] == "homogeneity_chi2_min_n")]
        if len(row) and pd.notna(row["assumed_n"].iat[0]):
            n_star = int(row["assumed_n"].iat[0])
            ax.axvline(n_star, color=COLORS["kazakhstan"], ls=":", lw=0.9)
            ax.annotate(
                f"p < {alpha} from n = {n_star}",
                (n_star, alpha),
                xytext=(4, -12),
                textcoords="offset points",
                fontsize=7,
            )
        ax.set_xscale("log")
        ax.set_yscale("log")
        ax.set_ylim(1e-12, 1.5)
        ax.set_xlabel("assumed ratings per unit (n, same for every unit)")
        ax.set_ylabel("p-value")
        ax.set_title(labels.get(outcome, outcome), fontsize=9, loc="left")
    handles, names = axes[0].get_legend_handles_labels()
    fig.legend(handles, names, loc="lower center", ncol=3, frameon=False, fontsize=8)
    fig.suptitle(
        "CONDITIONAL: p-values if each unit had n ratings and the article's percentages were "
        "exact\n(the article reports no n; this shows what n a real difference would need)",
        fontsize=9,
    )
    fig.tight_layout(rect=(0, 0.07, 1, 1))
    return fig
