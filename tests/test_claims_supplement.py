"""End to end: the supplement's PDF and Word files carry the whole claim register (every claim
by its register number, its status and tier), tables labelled S1, S2, ... the same way in every format, the register in
a landscape A4 section, and the supplement's own title."""

from __future__ import annotations

import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import pandas as pd
import pytest

LABELS = ["Table S1.", "Table S2.", "Table S3.", "Table S4."]


def _squash(text: str) -> str:
    """Text without white space or soft hyphens (table cells wrap long ids and words)."""
    return re.sub(r"[\s\u00ad]+", "", text)


def _docx_text(path: Path) -> tuple[str, str]:
    xml = zipfile.ZipFile(path).read("word/document.xml").decode("utf-8")
    paragraphs = re.findall(r"<w:p[ >].*?</w:p>", xml, flags=re.S)
    runs = [re.findall(r"<w:t(?: [^>]*)?>([^<]*)</w:t>", p) for p in paragraphs]
    return xml, "\n".join("".join(r) for r in runs)


def _unnumbered(audit: pd.DataFrame, text: str) -> list[str]:
    """The claims whose register number (C1, C2, ... in the audit's order: the printed
    editions number the claims instead of printing their ids) the text does not show."""
    shown = {int(n) for n in re.findall(r"(?<![A-Za-z0-9])C(\d+)(?!\d)", text)}
    return [c for i, c in enumerate(audit["claim_id"], start=1) if i not in shown]


def check_docx(repo: Path) -> None:
    audit = pd.read_csv(repo / "results/claims_audit.csv", dtype=str, keep_default_na=False)
    xml, text = _docx_text(repo / "build/article/supplement.docx")
    flat = _squash(text)
    missing = _unnumbered(audit, text)
    assert not missing, f"claims missing from supplement.docx: {missing}"
    for label in set(audit["status_label"]) | set(audit["evidence_tier"]):
        assert _squash(label) in flat, label
    assert [m for m in LABELS if m in text] == LABELS
    assert "SEQ Table" not in xml, "automatic table numbers in the supplement"
    assert 'w:orient="landscape"' in xml and 'w:w="16838" w:h="11906"' in xml
    assert "Supplementary material" in text


def check_pdf(repo: Path) -> None:
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext (poppler-utils) not installed; the Word check covers the register")
    audit = pd.read_csv(repo / "results/claims_audit.csv", dtype=str, keep_default_na=False)
    pdf = repo / "build/article/supplement.pdf"
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True).stdout
    flat = _squash(text)
    missing = _unnumbered(audit, text)
    assert not missing, f"claims missing from supplement.pdf: {missing}"
    assert [m for m in LABELS if _squash(m) in flat] == LABELS
    assert not re.search(r"Table \d+:", text), "automatic table numbers in the supplement"
    info = subprocess.run(
        ["pdfinfo", "-f", "1", "-l", "999", str(pdf)], capture_output=True, text=True
    ).stdout
    sizes = set(re.findall(r"size:\s+([\d.]+ x [\d.]+) pts \(A4\)", info))
    assert {"595.276 x 841.89", "841.89 x 595.276"} <= sizes  # portrait and landscape A4


def check_html(repo: Path) -> None:
    page = (repo / "build/article/supplement.html").read_text(encoding="utf-8")
    text = re.sub(r"<[^>]+>", "", page)
    assert [m for m in LABELS if m in text] == LABELS
    repro = (repo / "build/article/reproducibility.html").read_text(encoding="utf-8")
    assert 'class="tier"' in repro and "data-tier=" in repro


@pytest.mark.e2e
def test_supplement_word_has_the_whole_register(built_repo: Path) -> None:
    check_docx(built_repo)


@pytest.mark.e2e
def test_supplement_pdf_has_the_whole_register(built_repo: Path) -> None:
    check_pdf(built_repo)


@pytest.mark.e2e
def test_supplement_html_labels_and_page_tiers(built_repo: Path) -> None:
    check_html(built_repo)
