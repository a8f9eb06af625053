"""Figures of the group comparison. They read finished tables and draw; no statistics here.

(a) :func:`group_distribution` - the Figure 1 replacement: every country of each group on the
    primary index (points + box), Kazakhstan with its 95 % interval, the group means from
    ``group_comparisons.csv``/``group_trajectories.csv``; the article's reported averages sit in
    a panel of their own, on their own (unknown) scale.
(b) :func:`forest` - Hedges' g with bootstrap CIs for every indicator (latest year) and group pair.
(c) :func:`trajectories` - Kazakhstan against the group means over time.
(d) :func:`radar` - openness profile on 0-1 rescaled sub-indicators.
"""

from __future__ import annotations

import textwrap
from collections.abc import Mapping, Sequence

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.ticker import MaxNLocator

from kzopen.core.figures import (
    COLORS,
    TEXT_WIDTH_IN,
    break_handle,
    mark_break,
    segments,
)
from kzopen.core.labels import SHORT_SOURCES, SOURCES


def _color(group: str) -> str:
    if group.startswith("cis"):
        return COLORS["cis"]
    if group in ("europe", "eu27", "coe"):
        return COLORS["europe"]
    return COLORS.get(group, COLORS["other"])


def _holm_rejects(decision: object) -> bool:
    """Holm's decision as read from the comparisons table; a missing one is no rejection."""
    return bool(pd.notna(decision) and decision)


def _offsets(values: np.ndarray, width: float = 0.3) -> np.ndarray:
    """Deterministic horizontal spread: points with close values are fanned out by rank."""
    order = np.argsort(values, kind="stable")
    out = np.zeros(len(values))
    bins = np.round(values[order] / (np.ptp(values) / 25 if np.ptp(values) > 0 else 1))
    for b in np.unique(bins):
        idx = order[bins == b]
        k = len(idx)
        out[idx] = (np.arange(k) - (k - 1) / 2) * (width / max(k, 4))
    return out


def group_distribution(
    values: pd.DataFrame,
    groups: Sequence[str],
    labels: Mapping[str, str],
    kz: pd.Series,
    means: Mapping[str, float],
    reported: pd.DataFrame,
    title: str,
    ylabel: str,
) -> plt.Figure:
    """``values``: iso3, group, value (one row per member with data)."""
    fig, (ax, ax_rep) = plt.subplots(
        1, 2, figsize=(6.3, 4.4), gridspec_kw={"width_ratios": [5, 1.2], "wspace": 0.5}
    )
    counts: dict[str, int] = {}
    for i, g in enumerate(groups):
        v = values.loc[values["group"] == g].sort_values("iso3")
        y = v["value"].to_numpy()
        if len(y) == 0:
            continue
        ax.boxplot(
            y,
            positions=[i],
            widths=0.5,
            showfliers=False,
            patch_artist=True,
            boxprops={"facecolor": "none", "edgecolor": "0.5"},
            medianprops={"color": "0.3"},
            whiskerprops={"color": "0.5"},
            capprops={"color": "0.5"},
        )
        ax.scatter(
            i + _offsets(y),
            y,
            s=14,
            color=_color(g),
            alpha=0.8,
            zorder=3,
            edgecolor="white",
            linewidth=0.4,
        )
        if g in means:
            ax.hlines(
                means[g],
                i - 0.3,
                i + 0.3,
                color=_color(g),
                lw=2,
                zorder=4,
                label="group mean" if i == 0 else None,
            )
        counts[g] = len(y)
    xk = len(groups)
    ax.errorbar(
        [xk],
        [kz["value"]],
        yerr=[[kz["value"] - kz["ci95_low"]], [kz["ci95_high"] - kz["value"]]]
        if pd.notna(kz.get("ci95_low"))
        else None,
        fmt="D",
        color=COLORS["kazakhstan"],
        ms=7,
        capsize=4,
        zorder=5,
        label="Kazakhstan (95 % interval from published SE)",
    )
    _reported_panel(ax_rep, reported, groups, labels)
    ticks = [
        "\n".join(textwrap.wrap(labels.get(g, g), 12)) + f"\n(n = {counts.get(g, 0)})"
        for g in groups
    ]
    ax.set_xticks(range(xk + 1), [*ticks, "Kazakhstan"], fontsize=7)
    ax.set_xlim(-0.6, xk + 0.8)
    ax.set_ylabel(ylabel)
    ax.set_title(title)
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.2), fontsize=7, ncol=2)
    return fig


def _reported_panel(
    ax: plt.Axes, reported: pd.DataFrame, groups: Sequence[str], labels: Mapping[str, str]
) -> None:
    """The article's averages on their own axis: their index and scale are unknown, so they are
    never drawn on a real index's axis."""
    shown = reported[reported["group"].isin(groups)].reset_index(drop=True)
    for i, r in enumerate(shown.itertuples(index=False)):
        ax.scatter(
            [i],
            [r.reported_value],
            marker="^",
            s=40,
            facecolor="none",
            edgecolor=COLORS["reported"],
            zorder=5,
        )
        ax.annotate(
            f"{r.reported_value}",
            (i, r.reported_value),
            xytext=(0, 6),
            textcoords="offset points",
            ha="center",
            fontsize=7,
        )
    ax.set_xticks(
        range(len(shown)),
        [labels.get(g, g).split(" (")[0] for g in shown["group"]],
        fontsize=7,
        rotation=90,
    )
    ax.set_xlim(-0.7, len(shown) - 0.3)
    ax.margins(y=0.3)
    ax.set_title("Reported in the article", fontsize=8)
    ax.set_ylabel(
        "'Municipal Transparency Index'\n(scale not stated; source not located)", fontsize=7
    )
    ax.tick_params(axis="y", labelsize=7)


def forest(
    comp: pd.DataFrame,
    labels: Mapping[str, str],
    pairs: Sequence[tuple[str, str]],
    alpha: float,
    width_in: float = 6.3,
) -> plt.Figure:
    """One panel per group pair; rows = source/indicator at its latest computed year. Filled:
    adjusted p below ``alpha`` within the row's family (Holm in the confirmatory families, BH
    in the exploratory ones). Drawn at the text width ``width_in``, text at 7 pt; the caption
    that explains it is the manuscript's, so the figure carries no title."""
    ok = comp[comp["reason"].fillna("") == ""]
    latest = ok.loc[ok.groupby(["source", "indicator", "group_a", "group_b"])["year"].idxmax()]
    rows = sorted({(s, i) for s, i in zip(latest["source"], latest["indicator"], strict=True)})
    names = {(r.source, r.indicator): str(r.indicator_label) for r in latest.itertuples()}
    # a pair without any computed comparison gets no (empty) panel
    pairs = [
        (a, b) for a, b in pairs if ((latest["group_a"] == a) & (latest["group_b"] == b)).any()
    ]
    fig, axes = plt.subplots(
        1,
        len(pairs),
        figsize=(width_in, 0.15 * len(rows) + 1.3),
        sharey=True,
        sharex=True,  # one scale for every panel
        squeeze=False,
    )
    for ax, (a, b) in zip(axes[0], pairs, strict=True):
        d = latest[(latest["group_a"] == a) & (latest["group_b"] == b)].set_index(
            ["source", "indicator"]
        )
        every = ok[(ok["group_a"] == a) & (ok["group_b"] == b)]
        for k, key in enumerate(rows):
            yrs = every[(every["source"] == key[0]) & (every["indicator"] == key[1])]
            ax.scatter(
                yrs["hedges_g"],
                np.full(len(yrs), k + 0.25),
                s=2,
                color="0.65",
                lw=0,
                label="other years" if k == 0 else None,
            )
            if key not in d.index:
                continue
            r = d.loc[key]
            conf = str(r["family"]).startswith("confirmatory")
            sig = _holm_rejects(r["holm_reject"]) if conf else r["p_bh"] < alpha
            ax.errorbar(
                [r["hedges_g"]],
                [k],
                xerr=[[r["hedges_g"] - r["g_ci_low"]], [r["g_ci_high"] - r["hedges_g"]]],
                fmt="o",
                ms=2.5,
                color=COLORS["cis"] if sig else COLORS["other"],
                mfc=COLORS["cis"] if sig else "white",
                capsize=0,
                lw=1,
            )
            if r.get("is_primary") in (True, "True"):
                ax.scatter(
                    [r["hedges_g"]], [k], marker="*", s=40, color=COLORS["kazakhstan"], zorder=4
                )
        ax.axvline(0, color="0.3", lw=0.8)
        pair = f"{labels.get(a, a)} vs {labels.get(b, b)}"
        ax.set_title(textwrap.fill(pair, 15), fontsize=7)
        ax.tick_params(axis="x", labelsize=7)
    ticks = [
        f"{textwrap.shorten(names.get(k, k[1]), 38, placeholder='…')} "
        f"({SHORT_SOURCES.get(k[0], k[0])})"
        for k in rows
    ]
    axes[0][0].set_yticks(range(len(rows)), ticks, fontsize=7)
    axes[0][0].invert_yaxis()
    fig.supxlabel("Hedges' g, group A minus group B (A: the CIS-side group)", fontsize=7)
    fig.tight_layout(w_pad=0.8)
    return fig


def trajectories(
    traj: pd.DataFrame,
    items: Sequence[str],
    groups: Sequence[str],
    labels: Mapping[str, str],
    titles: Mapping[str, str],
    ylabels: Mapping[str, str] | None = None,
    series_breaks: Mapping[str, int] | None = None,
) -> plt.Figure:
    """Kazakhstan against the group means by year, one panel per indicator. A source with a
    series break (``series_breaks``, {source: first year of the new method}) is drawn as two
    unjoined lines with a dotted line between the rounds, explained in the legend."""
    ncol = 2  # drawn at the text width, so that text prints at 7 pt or more
    nrow = int(np.ceil(len(items) / ncol))
    fig, axes = plt.subplots(nrow, ncol, figsize=(TEXT_WIDTH_IN, 2.3 * nrow), squeeze=False)
    breaks = dict(series_breaks or {})
    drawn_breaks: dict[str, int] = {}
    for ax, item in zip(axes.flat, items, strict=False):
        source, indicator = item.split("/")
        d = traj[(traj["source"] == source) & (traj["indicator"] == indicator)]
        brk = breaks.get(source)
        if brk is not None and (d["year"] < brk).any() and (d["year"] >= brk).any():
            mark_break(ax, d["year"], brk)
            drawn_breaks[source] = brk
        _trajectory_panel(ax, d, groups, labels, brk)
        title = titles.get(item, item).removesuffix(f" ({source})")  # no code id in print
        ax.set_title(textwrap.fill(title, 40), fontsize=7.5)
        ax.set_ylabel((ylabels or {}).get(item, ""), fontsize=7)
        ax.xaxis.set_major_locator(MaxNLocator(nbins=4, integer=True))
        ax.tick_params(labelsize=7)
    for ax in list(axes.flat)[len(items) :]:
        ax.axis("off")
    handles, lbls = axes[0][0].get_legend_handles_labels()
    for source, year in sorted(drawn_breaks.items()):
        name = SOURCES.get(source, source).split(", ")[-1]
        handles.append(break_handle(f"{name}: questionnaire revised in {year}"))
        lbls.append(handles[-1].get_label())
    fig.legend(handles, lbls, loc="lower center", ncol=2, fontsize=7, bbox_to_anchor=(0.5, -0.01))
    fig.suptitle(
        "Kazakhstan against group means over time (shaded: 95 % interval from the "
        "published SE, where given)",
        fontsize=8,
    )
    # room for the legend's rows below the panels (7-pt lines, about 0.15 in each)
    legend_in = 0.1 + 0.15 * np.ceil(len(handles) / 2)
    fig.tight_layout(rect=(0, legend_in / fig.get_figheight(), 1, 0.98))
    return fig


def _trajectory_panel(
    ax: plt.Axes,
    d: pd.DataFrame,
    groups: Sequence[str],
    labels: Mapping[str, str],
    brk: int | None,
) -> None:
    """One indicator: each group's mean and Kazakhstan's score (with its interval where
    published), each cut at the source's break year ``brk``."""
    # line style and marker per series, so that the series differ in greyscale too
    styles = ["--s", ":^", "-.v", "--x"]
    for n, g in enumerate(groups):
        for k, s in enumerate(segments(d[d["series"] == g].sort_values("year"), brk)):
            ax.plot(
                s["year"],
                s["mean"],
                styles[n % len(styles)],
                ms=3,
                color=_color(g) if g != "central_asia" else COLORS["central_asia"],
                label=f"{labels.get(g, g)} mean" if k == 0 else None,
            )
    for k, s in enumerate(segments(d[d["series"] == "kazakhstan"].sort_values("year"), brk)):
        if s["value_low"].notna().any():
            ax.fill_between(
                s["year"],
                s["value_low"],
                s["value_high"],
                color=COLORS["kazakhstan"],
                alpha=0.15,
                lw=0,
            )
        ax.plot(
            s["year"],
            s["mean"],
            "-D",
            ms=3,
            color=COLORS["kazakhstan"],
            label="Kazakhstan" if k == 0 else None,
        )


def radar(profile: pd.DataFrame, labels: Mapping[str, str], width_in: float = 6.3) -> plt.Figure:
    """Kazakhstan and the group means on each indicator rescaled 0-1, one spoke per indicator;
    a line style and marker per series (greyscale-safe), labels wrapped outside the circle and
    the radial tick labels set on an empty angle, so that nothing overprints."""
    items = list(dict.fromkeys(zip(profile["source"], profile["indicator"], strict=True)))
    names = []
    for s, i in items:
        r = profile[(profile["source"] == s) & (profile["indicator"] == i)].iloc[0]
        name = textwrap.fill(str(r["indicator_label"]), 22)
        names.append(f"{name}\n({SHORT_SOURCES.get(s, s)} {int(r['year'])})")
    angles = np.linspace(0, 2 * np.pi, len(items), endpoint=False)
    fig, ax = plt.subplots(figsize=(width_in, width_in), subplot_kw={"projection": "polar"})
    styles = ["-D", "--s", ":^", "-.v", "--x"]
    for n, series in enumerate(dict.fromkeys(profile["series"])):
        d = profile[profile["series"] == series].set_index(["source", "indicator"])
        v = np.array([d.loc[k, "value_01"] for k in items])
        color = (
            COLORS["kazakhstan"]
            if series == "kazakhstan"
            else (COLORS["central_asia"] if series == "central_asia" else _color(series))
        )
        lab = "Kazakhstan" if series == "kazakhstan" else f"{labels.get(series, series)} mean"
        closed = np.append(angles, angles[0]), np.append(v, v[0])
        ax.plot(*closed, styles[n % len(styles)], ms=3.5, lw=1.2, color=color, label=lab)
    ax.set_xticks(angles, names, fontsize=7)
    ax.tick_params(axis="x", pad=6)
    # labels grow away from the circle: left-aligned on the right, right-aligned on the left
    for tick, angle in zip(ax.get_xticklabels(), angles, strict=True):
        c = np.cos(angle)
        tick.set_horizontalalignment("left" if c > 0.1 else "right" if c < -0.1 else "center")
    ax.set_ylim(0, 1)
    ax.set_yticks([0.25, 0.5, 0.75, 1.0], ["0.25", "0.5", "0.75", "1"], fontsize=7)
    ax.set_rlabel_position(float(np.degrees(angles[0] + angles[1]) / 2) if len(items) > 1 else 0)
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.1), ncol=2, fontsize=7)
    return fig


def confirmatory_effects(
    comparisons: pd.DataFrame, sources: Mapping[str, str], width_in: float = 6.3
) -> plt.Figure:
    """The main result at a glance: Hedges' g with its bootstrap interval for each comparison
    of the confirmatory family, one panel; filled marker where Holm's adjustment shows a
    difference, open marker otherwise (readable in greyscale). Drawn at the text width."""
    conf = comparisons[comparisons["family"] == "confirmatory"]
    conf = conf.sort_values(["hedges_g", "source", "indicator"]).reset_index(drop=True)
    fig, ax = plt.subplots(figsize=(width_in, 0.42 * len(conf) + 1.1))
    y = np.arange(len(conf))
    for i, r in conf.iterrows():
        shown = _holm_rejects(r["holm_reject"])
        ax.plot([r["g_ci_low"], r["g_ci_high"]], [i, i], color="black", lw=1.2)
        ax.plot(
            r["hedges_g"],
            i,
            marker="o" if shown else "s",
            ms=6,
            mfc="black" if shown else "white",
            mec="black",
            ls="none",
        )
    labels = [
        f"{textwrap.shorten(str(r.indicator_label), 48)}\n"
        f"{textwrap.shorten(sources.get(r.source, r.source), 64)}, {r.year}"
        for r in conf.itertuples()
    ]
    ax.set_yticks(y, labels, fontsize=7.5)
    ax.axvline(0, color="grey", lw=0.8, ls="--")
    ax.set_xlabel("Hedges' g, CIS group minus Europe\n(bootstrap confidence interval)", fontsize=8)
    ax.tick_params(axis="x", labelsize=8)
    ax.set_ylim(-0.6, len(conf) - 0.4)
    handles = [
        plt.Line2D([], [], marker="o", mfc="black", mec="black", ls="none", label="difference"),
        plt.Line2D([], [], marker="s", mfc="white", mec="black", ls="none", label="no difference"),
    ]
    ax.legend(handles=handles, fontsize=7.5, loc="lower right", title="Holm", title_fontsize=7.5)
    fig.tight_layout()
    return fig
