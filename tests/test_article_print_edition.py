"""The printed manuscript (Word, PDF) carries no rule names, scripts, paths or code
identifiers; the HTML edition keeps the provenance. The Russian and Kazakh front matter keeps
the native reader's corrections."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from kzopen.article.context import Context
from kzopen.article.template import TemplateFunctions
from kzopen.core.fmt import Formatter
from kzopen.core.labels import label

REPO = Path(__file__).resolve().parent.parent
METADATA_SCHEMA = REPO / "workflow" / "schemas" / "metadata.schema.yaml"
FRONT = REPO / "article" / "sections" / "00_front_matter.md.j2"
ITEM = {  # synthetic provenance entry (test fixture, not data)
    "id": "fig_x",
    "label": "Figure 1",
    "title": "x",
    "display": "figures/x.png",
    "rule": "compare_figure_x",
    "script": "workflow/scripts/compare_figure_x.py",
    "inputs": ["results/x.csv"],
    "outputs": ["figures/x.png"],
}
CODE = re.compile(r"Made by|compare_figure_x|workflow/|results/|\.csv|`")


def _functions(edition: str) -> TemplateFunctions:
    table = {"claims_audit": [{"claim_id": "res_a"}, {"claim_id": "res_b"}]}
    ctx = Context(values={}, sources={}, tables=table, provenance=[ITEM], edition=edition)
    return TemplateFunctions(ctx, Formatter(), "t")


def test_print_edition_names_no_rule_script_or_path() -> None:
    f = _functions("print")
    text = f.figure("fig_x", "Scores by year.") + f.table_source("fig_x") + f.claim("res_b")
    assert CODE.search(text) is None, text
    assert "claim C2" in text and 'fig-alt="Scores by year."' in text


def test_html_edition_keeps_the_provenance() -> None:
    f = _functions("html")
    assert "compare_figure_x" in f.figure("fig_x", "Scores by year.")
    assert "compare_figure_x" in f.table_source("fig_x")
    assert "reproducibility.html#res_b" in f.claim("res_b")


def test_label_table_names_sources_and_groups() -> None:
    assert label("source", "wb_wgi") == "World Bank, Worldwide Governance Indicators"
    assert label("group", "cis") == "CIS members in the year"
    assert label("group", "eu27") == "EU-27"


def test_built_print_files_carry_no_code_identifiers(built_repo: Path) -> None:
    import zipfile

    build = built_repo / "build" / "article"
    for name in ("article.docx", "supplement.docx"):
        xml = zipfile.ZipFile(build / name).read("word/document.xml").decode("utf-8")
        text = re.sub(r"<[^>]+>", " ", xml)
        for bad in ("Made by rule", "results/", "workflow/", "kzopen.", "ti_cpi", "wb_wgi"):
            assert bad not in text, (name, bad)
        for bad in ("sha256", "data/raw/"):
            assert bad not in text, (name, bad)


def test_print_tables_leave_out_repository_paths() -> None:
    from kzopen.article.template import without_paths

    cell = (
        "Open Budget Survey 2021: dataset (IBP_OBS), project copy data/raw/x/y.csv "
        "(sha256 845d...712af); IBP OBS 2021 summary page"
    )
    assert (
        without_paths(cell)
        == "Open Budget Survey 2021: dataset (IBP_OBS); IBP OBS 2021 summary page"
    )


# The native reader's check (docs: the editor's pre-review): phrases it flagged must not return.
FLAGGED = {
    "ru": [
        "перепроверка",
        "заново исследуется",
        "(утверждений:",
        "подставлены конвейером",
        "открытых международных индексов",
        "Обзор открытости бюджета",
        "величины эффекта",
        "авторитетным источником —",
    ],
    "kk": [
        "қайта жаңғыртуға",
        "Хабаршысында",
        "(тұжырымдар саны:",
        "конвейер қояды",
        "ұпай",
        "Манн – Уитни",
        "ауыстыру (пермутациялық) тест",
        "сайлаушылардың келуі",
        "қайта жаңғыртылу",
    ],
}


@pytest.mark.parametrize("lang", sorted(FLAGGED))
def test_flagged_phrases_are_gone(lang: str) -> None:
    text = FRONT.read_text(encoding="utf-8")
    block = text.split(f"{{.abstract lang={lang}}}", 1)[1].split(":::\n{%", 1)[0]
    for phrase in FLAGGED[lang]:
        assert phrase not in block, phrase
    keywords = block.split(":**", 2)[-1]
    assert ";" not in keywords and not keywords.strip().rstrip(":").endswith(".")


def test_language_blocks_follow_the_metadata_order() -> None:
    from kzopen.article.metadata import load_metadata

    meta = load_metadata(REPO / "article" / "metadata.yaml", METADATA_SCHEMA)
    assert meta["front_matter_order"] == ["en", "kk", "ru"]
    assert all(meta["languages"][k]["review_notes"] for k in ("ru", "kk"))


def test_word_tables_print(built_repo: Path) -> None:
    """Every Word table row is kept on one page, headers repeat, columns fit their words."""
    import zipfile

    xml = zipfile.ZipFile(built_repo / "build" / "article" / "article.docx").read(
        "word/document.xml"
    )
    xml = xml.decode("utf-8")
    assert xml.count("<w:tbl>") > 0
    assert xml.count("<w:cantSplit />") == xml.count("<w:tr>")
    assert xml.count("<w:tblHeader") == xml.count("<w:tbl>")
    assert 'w:type="fixed"' not in xml


def test_print_tables_marks_every_row() -> None:
    from kzopen.article.docx import print_tables

    xml = (
        '<w:tbl><w:tblLayout w:type="fixed" /><w:tr><w:trPr><w:tblHeader w:val="on" /></w:trPr>'
        "<w:tc></w:tc></w:tr><w:tr><w:tc></w:tc></w:tr></w:tbl>"
    )
    out = print_tables(xml)
    assert out.count("<w:cantSplit />") == 2 and "autofit" in out


def test_table_label_kept_with_its_table() -> None:
    """The paragraph that labels a table (the supplement's "Table S3. ...") is kept on the page
    of the table's first row; a paragraph followed by text is left alone."""
    from kzopen.article.docx import print_tables

    label = '<w:p><w:pPr><w:pStyle w:val="BodyText" /></w:pPr><w:r><w:t>Table S1.</w:t></w:r></w:p>'
    other = "<w:p><w:r><w:t>Text.</w:t></w:r></w:p>"
    xml = other + label + "<w:tbl><w:tr><w:tc></w:tc></w:tr></w:tbl>" + other + other
    out = print_tables(xml)
    assert out.count("<w:keepNext />") == 1
    assert '<w:pStyle w:val="BodyText" /><w:keepNext />' in out  # schema order: style first


def test_supplement_figures_numbered_s() -> None:
    from kzopen.article.docx import number_figures

    cap = (
        '<w:r><w:t xml:space="preserve">Figure </w:t></w:r><w:fldSimple w:instr="SEQ Figure '
        '\\* ARABIC "><w:r><w:t>1</w:t></w:r></w:fldSimple>'
    )
    assert "Figure S</w:t>" in number_figures(cap, "S")
    assert number_figures(cap, "") == cap


def test_built_supplement_docx_says_figure_s1(built_repo: Path) -> None:
    """Word numbers the supplement's figures S1, S2, ... as its PDF and HTML do; the article's
    figures keep plain numbers."""
    import zipfile

    pattern = re.compile(
        r'>([^<>]*)</w:t></w:r><w:fldSimple w:instr="SEQ Figure [^"]*"><w:r><w:t>(\d+)<'
    )
    build = built_repo / "build" / "article"
    caps = {}
    for name in ("article", "supplement"):
        xml = zipfile.ZipFile(build / f"{name}.docx").read("word/document.xml").decode("utf-8")
        caps[name] = [(w.replace("\xa0", " "), n) for w, n in pattern.findall(xml)]
    assert caps["supplement"] == [("Figure S", "1")]
    assert caps["article"] and all(w == "Figure " for w, _ in caps["article"])


def test_typst_tables_size_columns_by_content(built_repo: Path) -> None:
    """Typst columns come from the cells' content (the shared Lua filter), not from the
    Markdown's dash counts, and table text is neither justified nor hyphenated."""
    typ = (built_repo / "build" / "article" / "article.typ").read_text(encoding="utf-8")
    widths = re.findall(r"columns: \(([\d.%, ]+)\)", typ)
    assert widths, "no sized tables in the Typst source"
    header = (REPO / "article" / "typst-header.typ").read_text(encoding="utf-8")
    assert "hyphenate: false" in header and "justify: false" in header


def test_pdf_uses_vector_figures(built_repo: Path) -> None:
    typ = (built_repo / "build" / "article" / "article.typ").read_text(encoding="utf-8")
    images = re.findall(r'image\("([^"]+)"', typ)
    assert images and all(p.endswith(".svg") for p in images), images


def test_vdem_levels_print_two_decimals() -> None:
    """V-Dem's indices run from 0 to 1 and are point estimates of a measurement model: their
    levels print with two decimals, like the group means beside them, in every language; only
    the year-by-year changes keep three, since changes of a few thousandths would otherwise
    print as zero."""
    calls = []
    for tpl in sorted((REPO / "article" / "sections").glob("*.md.j2")):
        text = tpl.read_text(encoding="utf-8")
        for m in re.finditer(r"\b(?:num|num_in|mag|mag_in)\(([^()]*)\)", text):
            args = m.group(1)
            if "scale_m" in args:  # the scale's bounds, 0 and 1
                continue
            if "kz.vdem." in args or "local.change" in args or args.startswith("lch"):
                calls.append((tpl.name, args, int(args.rsplit(",", 1)[1])))
    assert len(calls) >= 10
    levels = [c for c in calls if "r.year" not in c[1]]
    changes = [c for c in calls if "r.year" in c[1]]
    assert levels and all(d == 2 for *_, d in levels), [c for c in levels if c[2] != 2]
    assert changes and all(d == 3 for *_, d in changes)
