"""The main-result figure: one panel, one interval per confirmatory comparison, Holm's decision
as a marker shape (greyscale-safe), text at 7 pt or more at its print width."""

from __future__ import annotations

import matplotlib.pyplot as plt
import pandas as pd

from kzopen.compare.plots import confirmatory_effects
from kzopen.core.labels import SOURCES


def _table() -> pd.DataFrame:  # synthetic comparisons (test fixture, not data)
    rows = [
        ("ti_cpi", "cpi", "CPI", 2023, -2.0, -2.6, -1.4, True, "confirmatory"),
        ("ibp_open_budget_survey", "obi", "OBI", 2023, 0.05, -0.9, 0.8, False, "confirmatory"),
        ("wb_wgi", "va", "VA", 2023, -1.0, -1.5, -0.5, True, "exploratory"),
    ]
    cols = ["source", "indicator", "indicator_label", "year", "hedges_g", "g_ci_low"]
    cols += ["g_ci_high", "holm_reject", "family"]
    return pd.DataFrame(rows, columns=cols)


def test_one_panel_one_interval_per_confirmatory_comparison() -> None:
    fig = confirmatory_effects(_table(), SOURCES)
    (ax,) = fig.axes
    labels = [t.get_text() for t in ax.get_yticklabels()]
    assert len(labels) == 2 and all("Open Budget Survey" in s or "Corruption" in s for s in labels)
    markers = {ln.get_marker() for ln in ax.lines if ln.get_marker() not in ("None", "")}
    assert markers == {"o", "s"}  # filled circle vs open square: readable without colour
    assert fig.get_figwidth() <= 6.7
    sizes = [t.get_fontsize() for t in ax.get_yticklabels() + ax.get_xticklabels()]
    assert min(sizes) >= 7
    plt.close(fig)
