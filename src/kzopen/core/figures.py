"""Figure helpers shared by every plotting rule: one style, deterministic files.

Plotting code reads finished tables (results/, data/processed/) and draws; it never
computes statistics. Files carry no timestamps or software-version metadata, so the same
input gives the same bytes.
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import pandas as pd  # noqa: E402

from kzopen.core.io import atomic_path  # noqa: E402

# Okabe-Ito colours by role, so that a group has the same colour in every figure.
COLORS = {
    "kazakhstan": "#D55E00",
    "cis": "#0072B2",
    "europe": "#009E73",
    "central_asia": "#CC79A7",
    "other": "#999999",
    "reported": "#000000",
}

# No creation date or producer version, so PNG/SVG/PDF bytes depend only on the content.
_METADATA = {
    ".png": {"Software": None},
    ".svg": {"Date": None, "Creator": None},
    ".pdf": {"CreationDate": None, "ModDate": None, "Producer": None, "Creator": None},
}


def use_style() -> None:
    """Apply the house Matplotlib style (colour-blind-safe palette, embedded fonts)."""
    style = resources.files("kzopen.core") / "styles" / "kzopen.mplstyle"
    plt.style.use(str(style))


def save_figure(fig: matplotlib.figure.Figure, *paths: str | Path) -> None:
    """Save ``fig`` to each path (format from the suffix), atomically and reproducibly."""
    for path in paths:
        suffix = Path(path).suffix.lower()
        with atomic_path(path) as tmp:
            fig.savefig(tmp, format=suffix.lstrip("."), metadata=_METADATA.get(suffix, {}))
    plt.close(fig)


def scale_label(low: float, high: float) -> str:
    """An axis label for a published scale: "score (0–100)", or "estimate" where the scale
    has no published bounds (model-based estimates such as the WGI's)."""
    if pd.isna(low) or pd.isna(high):
        return "estimate"
    return f"score ({low:g}–{high:g})"
