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

# The manuscript's text width (A4 less 2.5 cm margins in the PDF, 16 cm; the Word edition's 2 cm
# margins leave more) and the smallest text size at print: a figure is drawn at this width, so
# that it prints at its drawn size and every text in it at MIN_TEXT_PT or more.
TEXT_WIDTH_IN = 6.3
MIN_TEXT_PT = 7.0

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
    """Save ``fig`` to each path (format from the suffix), atomically and reproducibly, at
    most the text width wide (:func:`fit_width`), so that it prints at its drawn size."""
    fit_width(fig)
    for path in paths:
        suffix = Path(path).suffix.lower()
        with atomic_path(path) as tmp:
            fig.savefig(tmp, format=suffix.lstrip("."), metadata=_METADATA.get(suffix, {}))
    plt.close(fig)


def printed_sizes(
    fig: matplotlib.figure.Figure, width_in: float = TEXT_WIDTH_IN
) -> list[tuple[str, float]]:
    """Each text the figure draws, with its size in points once placed at ``width_in``: the
    file is saved with a tight bounding box, and a file wider than the text width is scaled
    down to it."""
    scale = min(1.0, width_in / saved_width(fig))
    return [(t.get_text(), t.get_fontsize() * scale) for t in drawn_texts(fig)]


def saved_width(fig: matplotlib.figure.Figure) -> float:
    """The width in inches of the file :func:`save_figure` writes (the tight bounding box of
    what the figure draws, plus the padding), read from the figure saved as SVG in memory."""
    import io
    import re

    buf = io.BytesIO()
    fig.savefig(buf, format="svg", metadata=_METADATA[".svg"])
    head = buf.getvalue()[:2000].decode("utf-8")
    return float(re.search(r'<svg [^>]*width="([\d.]+)pt"', head).group(1)) / 72


def fit_width(fig: matplotlib.figure.Figure, width_in: float = TEXT_WIDTH_IN) -> None:
    """Narrow ``fig`` until its saved file is at most ``width_in`` wide, for figures whose
    labels reach outside the canvas (a polar plot's spoke labels): the drawing area shrinks,
    the text keeps its size."""
    for _ in range(12):
        excess = saved_width(fig) - width_in
        if excess <= 0:
            return
        w, h = fig.get_size_inches()
        new_w = w - 1.5 * excess - 0.01  # text outside the canvas does not shrink with it
        fig.set_size_inches(new_w, h * new_w / w)
    raise ValueError(f"figure cannot be narrowed to {width_in} in: its text alone is wider")


def drawn_texts(fig: matplotlib.figure.Figure) -> list[matplotlib.text.Text]:
    """The visible, non-empty texts of ``fig``: titles, labels, legends, annotations and the
    tick labels inside each axis' view (the ones Matplotlib draws)."""
    from matplotlib.text import Text

    fig.canvas.draw()
    out = []
    for t in fig.findobj(Text):
        if not t.get_visible() or not t.get_text().strip():
            continue
        if t.axes is not None and not t.axes.get_visible():
            continue
        out.append(t)
    ticks = set()
    for ax in fig.axes:
        for axis in (ax.xaxis, ax.yaxis):
            ticks |= {id(t.label1) for t in axis.get_major_ticks() + axis.get_minor_ticks()}
            ticks -= {id(t.label1) for t in axis._update_ticks()}  # noqa: SLF001
    return [t for t in out if id(t) not in ticks]


def segments(frame: pd.DataFrame, break_year: float | None, year: str = "year") -> list:
    """``frame`` (sorted by year) cut at a series break: the rows before ``break_year`` and
    the rows from it on, each drawn as its own line, so that no line joins scores that the
    publisher calls not comparable. Without a break, the whole frame."""
    if break_year is None or pd.isna(break_year):
        return [frame]
    parts = [frame[frame[year] < break_year], frame[frame[year] >= break_year]]
    return [p for p in parts if len(p)]


BREAK_STYLE = {"color": "0.35", "ls": (0, (1, 1.5)), "lw": 0.9}


def mark_break(ax: matplotlib.axes.Axes, years: pd.Series, break_year: float) -> float:
    """A vertical dotted line halfway between the last year before ``break_year`` with data and
    the break year itself; returns its position. Its meaning goes in the legend
    (:func:`break_handle`), not over the data."""
    before = years[years < break_year]
    x = (before.max() + break_year) / 2 if len(before) else break_year - 0.5
    ax.axvline(x, **BREAK_STYLE)
    return float(x)


def break_handle(label: str) -> matplotlib.lines.Line2D:
    """The legend entry of :func:`mark_break`'s line."""
    from matplotlib.lines import Line2D

    return Line2D([], [], **BREAK_STYLE, label=label)


def scale_label(low: float, high: float) -> str:
    """An axis label for a published scale: "score (0–100)", or "estimate" where the scale
    has no published bounds (model-based estimates such as the WGI's)."""
    if pd.isna(low) or pd.isna(high):
        return "estimate"
    return f"score ({low:g}–{high:g})"
