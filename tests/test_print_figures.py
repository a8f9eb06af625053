"""Figures at print size: drawn at the text width, so that the file is placed at its drawn size
(no scaling down), every text at 7 pt or more there, no text over another; series breaks drawn
as unjoined lines with a marker the legend names. The figures are drawn from synthetic tables
(test fixtures, not data); the built figures' file widths are checked on the build."""

from __future__ import annotations

import itertools
import re
from pathlib import Path

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest

from kzopen.core.figures import (
    MIN_TEXT_PT,
    TEXT_WIDTH_IN,
    drawn_texts,
    printed_sizes,
    saved_width,
    use_style,
)

BREAK = 2017  # a synthetic break year (fixture)
LABELS = {"cis": "CIS members in the year", "europe": "Europe (UN M49 and Kosovo, non-CIS)"}


def _units() -> pd.DataFrame:
    rows = []
    for outcome, units in (
        ("ministries", ["Ministry of Labor and Social Protection", "B"]),
        ("survey", ["Kazakhstan"]),
    ):
        for k, unit in enumerate(units):
            rows.append((outcome, unit, 25.0 + 40 * k, 1, 4 + k, np.nan, np.nan, np.nan))
    cols = ["outcome", "unit", "reported_pct", "decimals", "grim_min_n", "observed_pct"]
    return pd.DataFrame(rows, columns=[*cols, "ci95_low", "ci95_high"])


def _sensitivity() -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    n = np.geomspace(10, 1e5, 30)
    sens, pairs, tests = [], [], []
    for outcome, scale in (("ministries", 300.0), ("regions", 40.0)):
        sens += [(outcome, x, float(np.exp(-x / scale))) for x in n]
        pairs += [
            (outcome, c, x, float(np.exp(-x / (scale * (c + 2))))) for c in range(3) for x in n
        ]
        tests.append((outcome, "homogeneity_chi2_min_n", int(scale)))
    return (
        pd.DataFrame(sens, columns=["outcome", "assumed_n", "p"]),
        pd.DataFrame(pairs, columns=["outcome", "comparison", "assumed_n", "p"]),
        pd.DataFrame(tests, columns=["outcome", "test", "assumed_n"]),
    )


def _trajectories() -> pd.DataFrame:
    rows = []
    for source, indicator, years in (
        ("ibp_open_budget_survey", "budget_transparency", [2010, 2012, 2015, 2017, 2019, 2021]),
        ("ti_cpi", "cpi_score", list(range(2012, 2024))),
    ):
        for series in ("cis", "europe", "kazakhstan"):
            for y in years:
                rows.append((source, indicator, y, series, 40.0 + (y % 7), np.nan, np.nan))
    cols = ["source", "indicator", "year", "series", "mean", "value_low", "value_high"]
    return pd.DataFrame(rows, columns=cols)


def _kz_obs() -> pd.DataFrame:
    rows = [
        ("KAZ", "ibp_open_budget_survey", ind, y, 30.0 + y % 9, 0.0, 100.0)
        for ind in ("budget_transparency", "public_participation", "oversight")
        for y in (2008, 2010, 2012, 2015, 2017, 2019, 2021)
    ]
    cols = ["iso3", "source", "indicator", "year", "value", "scale_min", "scale_max"]
    return pd.DataFrame(rows, columns=cols)


def _local() -> tuple[pd.DataFrame, pd.DataFrame]:
    traj = [
        ("vdem", ind, y, s, 0.2 + 0.5 * (s == "europe"), np.nan, np.nan)
        for ind in ("v2xel_locelec", "v2xel_regelec")
        for y in range(1991, 2024)
        for s in ("cis", "europe", "kazakhstan")
    ]
    dist = [
        (ind, label, 2023, g, f"C{k}", 0.1 * k)
        for ind, label in (
            ("v2xel_locelec", "Local government index"),
            ("v2xel_regelec", "Regional government index"),
        )
        for g in ("cis", "europe")
        for k in range(8)
    ]
    cols = ["source", "indicator", "year", "series", "mean", "value_low", "value_high"]
    return (
        pd.DataFrame(traj, columns=cols),
        pd.DataFrame(
            dist, columns=["indicator", "indicator_label", "year", "group", "iso3", "value"]
        ),
    )


def _figure(name: str) -> plt.Figure:
    from kzopen.article.plots import plot_kz_open_budget
    from kzopen.compare.local_plots import local_government
    from kzopen.compare.plots import trajectories
    from kzopen.portal.plots import plot_sensitivity, plot_units

    use_style()
    outcomes = {
        "ministries": "Ministries: % satisfied users (portal)",
        "regions": "Regions (LSGBs): % dissatisfied users (portal)",
        "survey": "Survey (TI): % budget information access limited",
    }
    if name == "portal_units":
        return plot_units(_units(), outcomes)
    if name == "portal_sensitivity":
        return plot_sensitivity(*_sensitivity(), outcomes, 0.05)
    if name == "kz_open_budget":
        return plot_kz_open_budget(_kz_obs(), break_year=BREAK)
    if name == "local_government":
        traj, dist = _local()
        return local_government(
            traj, dist, ["v2xel_locelec", "v2xel_regelec"], ["cis", "europe"], LABELS, 1991
        )
    items = ["ibp_open_budget_survey/budget_transparency", "ti_cpi/cpi_score"]
    titles = {i: i.split("/")[1] for i in items}
    return trajectories(
        _trajectories(),
        items,
        ["cis", "europe"],
        LABELS,
        titles,
        series_breaks={"ibp_open_budget_survey": BREAK},
    )


FIGURES = [
    "portal_units",
    "portal_sensitivity",
    "kz_open_budget",
    "local_government",
    "trajectories",
]


@pytest.mark.parametrize("name", FIGURES)
def test_figure_prints_at_text_width_with_7pt_text(name: str) -> None:
    fig = _figure(name)
    assert saved_width(fig) <= TEXT_WIDTH_IN + 1e-6
    sizes = printed_sizes(fig)
    small = [(t, round(s, 2)) for t, s in sizes if s < MIN_TEXT_PT - 1e-9]
    assert sizes and not small
    plt.close(fig)


@pytest.mark.parametrize("name", FIGURES)
def test_no_text_over_another(name: str) -> None:
    fig = _figure(name)
    r = fig.canvas.get_renderer()
    boxes = [(t.get_text(), t.get_window_extent(r)) for t in drawn_texts(fig)]
    over = [(a, b) for (a, ba), (b, bb) in itertools.combinations(boxes, 2) if ba.overlaps(bb)]
    assert over == []
    plt.close(fig)


def _lines_cross(ax: plt.Axes, year: float) -> list[str]:
    """Data lines of ``ax`` with points on both sides of ``year`` (vertical markers aside)."""
    out = []
    for ln in ax.get_lines():
        x = np.asarray(ln.get_xdata(), float)
        if len(x) > 1 and np.ptp(x) > 0 and (x < year).any() and (x >= year).any():
            out.append(ln.get_label())
    return out


@pytest.mark.parametrize("name", ["trajectories", "kz_open_budget"])
def test_series_break_is_not_joined(name: str) -> None:
    """No line joins the Open Budget Survey's rounds across its questionnaire revision; a
    dotted vertical line sits between the rounds and the legend says what it is. The other
    source's panel keeps one line per series."""
    fig = _figure(name)
    ax = fig.axes[0]
    assert _lines_cross(ax, BREAK) == []
    marks = [ln for ln in ax.get_lines() if np.ptp(np.asarray(ln.get_xdata(), float)) == 0]
    assert len(marks) == 1 and 2015 < marks[0].get_xdata()[0] < BREAK
    legend = " ".join(t.get_text() for lg in fig.legends for t in lg.get_texts())
    assert f"questionnaire revised in {BREAK}" in legend
    if name == "trajectories":
        assert len(_lines_cross(fig.axes[1], BREAK)) == 3  # CPI: no break, lines joined
    plt.close(fig)


def test_pdf_text_width_is_the_figure_width() -> None:
    """The PDF's page (A4 less its margins) is as wide as the figures are drawn, and the Word
    edition's page at least as wide, so that no figure is scaled down in print."""
    from kzopen.article.docx import MARGIN_CM
    from kzopen.article.render import PDF_MARGIN_CM

    a4_cm = 21.0
    assert abs((a4_cm - 2 * PDF_MARGIN_CM) / 2.54 - TEXT_WIDTH_IN) < 0.01
    assert (a4_cm - 2 * MARGIN_CM) / 2.54 >= TEXT_WIDTH_IN


def test_built_figures_fit_the_text_width(built_repo: Path) -> None:
    """Every figure file of the article and the supplement is at most the text width wide, so
    it prints at its drawn size (its text at 7 pt or more, checked above)."""
    for svg in sorted((built_repo / "figures").glob("*.svg")):
        head = svg.read_text(encoding="utf-8")[:2000]
        width_pt = float(re.search(r'width="([\d.]+)pt"', head).group(1))
        assert width_pt <= TEXT_WIDTH_IN * 72 + 0.5, (svg.name, width_pt)
