"""The article's own figures. Plotting only: values are read from finished tables."""

from __future__ import annotations

import matplotlib.pyplot as plt
import pandas as pd

from kzopen.core.errors import InputError
from kzopen.core.figures import COLORS, use_style

OBS_SERIES = {
    "budget_transparency": ("Open Budget Index (transparency)", COLORS["kazakhstan"], "o"),
    "public_participation": ("Public participation", COLORS["cis"], "s"),
    "oversight": ("Budget oversight (overall)", COLORS["europe"], "^"),
}


def plot_kz_open_budget(indices: pd.DataFrame, file: str = "indices.parquet") -> plt.Figure:
    """Kazakhstan's Open Budget Survey scores by survey round, one line per pillar."""
    kz = indices[(indices["iso3"] == "KAZ") & (indices["source"] == "ibp_open_budget_survey")]
    if kz.empty:
        raise InputError(file, "no Open Budget Survey rows for Kazakhstan (iso3 KAZ)")
    use_style()
    fig, ax = plt.subplots(figsize=(7.0, 3.0))
    for ind, (label, colour, marker) in OBS_SERIES.items():
        s = kz[kz["indicator"] == ind].sort_values("year")
        if not s.empty:
            ax.plot(s["year"], s["value"], marker=marker, color=colour, label=label)
    ax.set_ylim(0, 100)
    ax.set_xticks(sorted(kz["year"].unique()))
    ax.set_xlabel("Survey round")
    ax.set_ylabel("Score (0-100)")
    ax.set_title("Kazakhstan in the Open Budget Survey (IBP)")
    ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0))
    return fig
