"""Table renderers (CSV, Markdown, LaTeX booktabs, HTML) and the transcribed article tables."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from kzopen.article.specs import TABLE_SPECS
from kzopen.core.fmt import Formatter
from kzopen.core.tables import TableSpec, format_cells, to_latex, to_markdown, write_table

REPO = Path(__file__).resolve().parent.parent

# synthetic fixture (labelled): not data
SYNTH = pd.DataFrame(
    {"group": ["A|B", "C"], "n": [12, 3], "mean": [0.5, -1.25], "p_value": [0.0001, 0.2]}
)


def test_markdown_escapes_and_aligns() -> None:
    cells = format_cells(SYNTH, Formatter())
    md = to_markdown(cells, list(SYNTH.columns))
    lines = md.splitlines()
    assert lines[0] == "| group | n | mean | p_value |"
    assert lines[1].split("|")[1].strip().startswith(":")  # text left-aligned
    assert lines[1].split("|")[2].strip().endswith(":")  # numbers right-aligned
    assert "A\\|B" in lines[2]
    assert "| 12 | 0.50 | <\u00a0.001 |" in lines[2]
    assert "\u22121.25" in lines[3] and ".200" in lines[3]


def test_latex_is_booktabs_and_escaped() -> None:
    cells = format_cells(pd.DataFrame({"a_b": ["x_y & z"]}), Formatter())
    tex = to_latex(cells, ["a_b"], "Cap", "t")
    assert "\\toprule" in tex and "\\midrule" in tex and "\\bottomrule" in tex
    assert "x\\_y \\& z" in tex and "a\\_b" in tex and "\\label{tab:t}" in tex


def test_write_table_all_formats(tmp_path: Path) -> None:
    paths = {ext: tmp_path / f"t.{ext}" for ext in ("csv", "md", "tex", "html")}
    write_table(SYNTH, TableSpec("t", "Synthetic table.", {"group": "Group", "n": "N"}), paths)
    assert pd.read_csv(paths["csv"]).columns.tolist() == ["group", "n"]
    assert paths["md"].read_text().startswith("| Group | N |")
    html = paths["html"].read_text()
    assert "<caption>Synthetic table.</caption>" in html and "A|B" in html


def test_table1_flags_access_to_information_law() -> None:
    t1 = pd.read_csv(REPO / "data/raw/article/table1_legislation.csv")
    assert list(TABLE_SPECS["table1_legislation"].columns) <= list(t1.columns)
    row = t1[t1["legal_act"].str.contains("access to information")].iloc[0]
    assert row["verification_status"] == "contradicted"
    assert row["clauses_reported"] == "cl. 36, 37"  # kept as printed, not fixed
    assert set(t1["verification_status"]) <= {"verified", "contradicted", "unverifiable"}


def test_table2_has_five_criteria_with_duplicate_label() -> None:
    t2 = pd.read_csv(REPO / "data/raw/article/table2_website_criteria.csv")
    assert len(t2) == 5
    assert (t2["criterion_reported"] == "Availability of information").sum() == 2
