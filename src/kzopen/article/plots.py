"""The article's own figures. Plotting only: values are read from finished tables."""

from __future__ import annotations

import matplotlib.pyplot as plt
import pandas as pd

from kzopen.core.errors import InputError
from kzopen.core.figures import (
    COLORS,
    TEXT_WIDTH_IN,
    break_handle,
    mark_break,
    scale_label,
    segments,
    use_style,
)

OBS_SERIES = {
    "budget_transparency": ("Open Budget Index (transparency)", COLORS["kazakhstan"], "o"),
    "public_participation": ("Public participation", COLORS["cis"], "s"),
    "oversight": ("Budget oversight (overall)", COLORS["europe"], "^"),
}


def plot_kz_open_budget(
    indices: pd.DataFrame, file: str = "indices.parquet", break_year: int | None = None
) -> plt.Figure:
    """Kazakhstan's Open Budget Survey scores by survey round, one line per pillar, drawn at
    the text width with text at 7 pt or more. The rounds before ``break_year`` (the survey's
    questionnaire revision) are not joined to the later ones; a dotted line marks the break and
    the legend says what it is. The caption names the figure, so it carries no title, and the
    year axis no label (as in the other figures)."""
    kz = indices[(indices["iso3"] == "KAZ") & (indices["source"] == "ibp_open_budget_survey")]
    if kz.empty:
        raise InputError(file, "no Open Budget Survey rows for Kazakhstan (iso3 KAZ)")
    use_style()
    fig, ax = plt.subplots(figsize=(TEXT_WIDTH_IN, 2.6))
    handles = []
    for ind, (label, colour, marker) in OBS_SERIES.items():
        s = kz[kz["indicator"] == ind].sort_values("year")
        for k, part in enumerate(segments(s, break_year)):
            (line,) = ax.plot(
                part["year"], part["value"], marker=marker, ms=4, color=colour, label=label
            )
            if k == 0:
                handles.append(line)
    years = pd.Series(sorted(kz["year"].unique()))
    if break_year is not None and (years < break_year).any() and (years >= break_year).any():
        mark_break(ax, years, break_year)
        handles.append(break_handle(f"questionnaire revised in {break_year}: rounds not joined"))
    low, high = kz["scale_min"].min(), kz["scale_max"].max()  # the published scale
    ax.set_ylim(low, high)
    ax.set_xticks(years, [str(y) for y in years])
    ax.set_ylabel(scale_label(low, high), fontsize=7)
    ax.tick_params(labelsize=7)
    fig.legend(handles=handles, loc="lower center", ncol=2, fontsize=7, frameon=False)
    fig.tight_layout(rect=(0, 0.16, 1, 1))
    return fig
