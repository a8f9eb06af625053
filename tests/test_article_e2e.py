"""End to end: the built article, and one raw value changed flows into every place it appears."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import openpyxl
import pytest
from support import copy_build, lock_manifest, run_snakemake

CPI = "data/raw/indices/ti_cpi/CPI2023_Global_Results__Trends.xlsx"
CPI_SHEET = "CPI Timeseries 2012 - 2023"
ARTICLE = ["build/article/article.html", "build/article/article.pdf", "build/article/article.docx"]


def _html_text(page: Path) -> str:
    """The page's text as a reader sees it: tags (e.g. the provenance spans) removed, runs of
    white space (line breaks of the source) as one space."""
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", page.read_text(encoding="utf-8")))


def _pdf_text(pdf: Path) -> str:
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext (poppler-utils) not installed")
    return subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True).stdout


@pytest.mark.e2e
def test_built_article_outputs(built_repo: Path) -> None:
    build = built_repo / "build" / "article"
    for name in ("article.html", "article.pdf", "article.md", "orphan_number_check.txt"):
        assert (build / name).stat().st_size > 0, name
    assert "0 orphan numbers" in (build / "orphan_number_check.txt").read_text()
    assert list((build / "notebooks").glob("*.html")), "no executed notebook"
    for ext in ("csv", "md", "tex", "html"):
        assert (build / "tables" / f"table1_legislation.{ext}").exists()
    html = (build / "article.html").read_text()
    assert "contradicted" in html and "reported in the article" in html
    assert 'id="prov-kz_open_budget"' in html  # the generated Tables and figures list
    # the PDF's dates come from SOURCE_DATE_EPOCH (2024-01-01), never from the clock
    assert b"D:20240101000000" in (build / "article.pdf").read_bytes()


@pytest.mark.e2e
def test_changed_raw_value_reaches_every_output(built_repo: Path, tmp_path: Path) -> None:
    values = json.loads((built_repo / "results/article_values.json").read_text())["values"]
    old = values["kz.ti_cpi.cpi_score.value"]
    assert values["kz.ti_cpi.cpi_score.year"] == 2023
    new = old + 7  # an edit in a scratch copy, never in the repository
    old_s, new_s = f"{old:.0f} of 100 on", f"{new:.0f} of 100 on"
    assert old_s in _html_text(built_repo / ARTICLE[0])

    # a copy of the session build: only what depends on the CPI workbook is rebuilt
    repo_copy = copy_build(built_repo, tmp_path / "repo")
    wb = openpyxl.load_workbook(repo_copy / CPI)
    ws = wb[CPI_SHEET]
    header = [c.value for c in ws[4]]
    col = header.index("CPI score 2023") + 1
    iso = header.index("ISO3") + 1
    rows = [r for r in range(5, ws.max_row + 1) if ws.cell(r, iso).value == "KAZ"]
    assert len(rows) == 1
    ws.cell(rows[0], col).value = new
    wb.save(repo_copy / CPI)
    lock_manifest(repo_copy)

    res = run_snakemake(repo_copy, *ARTICLE)
    assert res.returncode == 0, res.stdout[-4000:]
    html = _html_text(repo_copy / ARTICLE[0])
    assert new_s in html and old_s not in html
    pdf = re.sub(r"\s+", " ", _pdf_text(repo_copy / ARTICLE[1]))
    assert new_s in pdf and old_s not in pdf
    xml = zipfile.ZipFile(repo_copy / ARTICLE[2]).read("word/document.xml").decode("utf-8")
    docx_text = re.sub(r"\s+", " ", "".join(re.findall(r"<w:t[^>]*>([^<]*)</w:t>", xml)))
    assert new_s in docx_text and old_s not in docx_text
    changed = json.loads((repo_copy / "results/article_values.json").read_text())["values"]
    assert changed["kz.ti_cpi.cpi_score.value"] == new
