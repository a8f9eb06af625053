"""End to end: the built article, and a raw value changed by a new release flows into every
place it appears."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest
from support import RELEASE_KAZ_SCORE, planned_jobs

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
def test_a_raw_file_edited_in_place_reruns_exactly_what_depends_on_it(cpi_release_build: dict):
    """The vendored CPI workbook edited under its own path (content changed, manifest re-locked):
    the dry run plans the CPI's ingest and every edition of the article, and no other index's
    ingest (the profile's checksums find the edit; a bare touch would rerun nothing)."""
    dry = cpi_release_build["in_place"]
    assert dry["returncode"] == 0, dry["stdout"][-3000:]
    jobs = planned_jobs(dry["stdout"])
    assert jobs.get("ingest_index") == 1, jobs  # ti_cpi only, of the six index files
    assert {"combine_indices", "compare_source", "article_html", "article_pdf"} <= set(jobs), jobs
    assert jobs.get("article_docx") == 3, jobs  # the article, its anonymised copy, the supplement
    assert "ingest_vdem" not in jobs and "ingest_country_groups" not in jobs, jobs


@pytest.mark.e2e
def test_changed_raw_value_reaches_every_output(built_repo: Path, cpi_release_build: dict) -> None:
    """A new CPI release (a copy of the session build, only what depends on the workbook
    rebuilt: conftest.py, cpi_release_build) changes Kazakhstan's score in the HTML, PDF and
    Word editions, and nowhere is the old score left."""
    values = json.loads((built_repo / "results/article_values.json").read_text())["values"]
    old, new = values["kz.ti_cpi.cpi_score.value"], RELEASE_KAZ_SCORE
    assert values["kz.ti_cpi.cpi_score.year"] == 2023 and old != new
    old_s, new_s = f"{old:.0f} of 100 on", f"{new:.0f} of 100 on"
    assert old_s in _html_text(built_repo / ARTICLE[0])

    work = cpi_release_build["work"]
    assert cpi_release_build["rebuilt"]["returncode"] == 0, cpi_release_build["rebuilt"]["stdout"]
    html = _html_text(work / ARTICLE[0])
    assert new_s in html and old_s not in html
    pdf = re.sub(r"\s+", " ", _pdf_text(work / ARTICLE[1]))
    assert new_s in pdf and old_s not in pdf
    xml = zipfile.ZipFile(work / ARTICLE[2]).read("word/document.xml").decode("utf-8")
    docx_text = re.sub(r"\s+", " ", "".join(re.findall(r"<w:t[^>]*>([^<]*)</w:t>", xml)))
    assert new_s in docx_text and old_s not in docx_text
    changed = json.loads((work / "results/article_values.json").read_text())["values"]
    assert changed["kz.ti_cpi.cpi_score.value"] == new
