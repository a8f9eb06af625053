"""The submission package: references, metadata and the Word manuscript (python-docx / zip).

Unit tests render small synthetic manuscripts (labelled synthetic); the end-to-end tests read
the session build. Nothing here needs LibreOffice or Word.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections import Counter
from pathlib import Path

import docx
import pandas as pd
import pytest
import yaml
from PIL import Image

from kzopen.article.bibliography import (
    CYRILLIC,
    bib_keys,
    build_references,
    cited_keys,
    read_items,
)
from kzopen.article.docx import normalise_zip, reference_docx, render_docx
from kzopen.article.metadata import (
    authors_block,
    back_matter,
    front_matter,
    load_metadata,
    placeholders,
)
from kzopen.article.render import References, render_html
from kzopen.core.errors import InputError

REPO = Path(__file__).resolve().parent.parent
METADATA_SCHEMA = REPO / "workflow" / "schemas" / "metadata.schema.yaml"
BIB = REPO / "article" / "references.bib"
CSL = REPO / "article" / "numbered.csl"
METADATA = REPO / "article" / "metadata.yaml"
FILTERS = [REPO / "article" / "docx.lua"]
ANONYMISE = REPO / "article" / "anonymise.lua"
# bibliography entry of each data source -> its source id in data/raw/manifest.csv
DATA_SOURCES = {
    "ti_cpi_2023": "ti_cpi",
    "wb_wgi_2024": "wb_wgi",
    "ibp_obs_2023": "ibp_open_budget_survey",
    "un_egov_2022": "un_egov_survey",
    "un_egov_2024": "un_egov_survey",
    "wjp_rol_2024": "wjp_rule_of_law",
    "fh_fiw_2024": "freedom_house_fiw",
    "bns_population": "kz_bns_regions",
}


def _bib(tmp_path: Path, entry: str) -> Path:
    path = tmp_path / "refs.bib"
    path.write_text(entry, encoding="utf-8")
    return path


# ------------------------------------------------------------------------------ references


def test_every_bibliography_entry_is_cited_by_the_templates() -> None:
    text = "\n".join(p.read_text(encoding="utf-8") for p in (REPO / "article").rglob("*.j2"))
    cited = set(cited_keys(text))
    # the claims audit cites its outside evidence from article/evidence_keys.csv
    evidence = pd.read_csv(REPO / "article/evidence_keys.csv")["keys"]
    cited |= {k.strip() for cell in evidence for k in cell.split(";") if k.strip()}
    uncited = [k for k in bib_keys(BIB) if k not in cited]
    assert not uncited, f"bibliography entries nothing cites: {uncited}"
    missing = sorted(cited - set(bib_keys(BIB)))
    assert not missing, f"cited but not in the bibliography: {missing}"


def test_data_sources_carry_the_manifest_url_and_access_date() -> None:
    manifest = pd.read_csv(REPO / "data" / "raw" / "manifest.csv", dtype=str)
    items = {it["id"]: it for it in read_items(BIB)}
    for key, source in DATA_SOURCES.items():
        rows = manifest[(manifest["source"] == source) & ~manifest["path"].str.endswith(".md")]
        accessed = "-".join(f"{p:02d}" for p in items[key]["accessed"]["date-parts"][0])
        assert accessed in set(rows["retrieved"]), (key, accessed)
        assert items[key]["URL"] in set(rows["url"]), key


def test_russian_title_is_transliterated_translated_and_marked(tmp_path: Path) -> None:
    out = tmp_path / "out.bib"
    n = build_references(BIB, out)
    text = out.read_text(encoding="utf-8")
    assert n == len(bib_keys(BIB))
    assert not CYRILLIC.search(text), "Cyrillic left in the rendered bibliography"
    item = next(it for it in read_items(out) if it["id"] == "bns_population")
    assert item["title"].startswith("Srednegodovaya chislennost’ naseleniya po regionam [Average")
    assert "[in Russian]" in item["note"]
    # the original stays in the authors' file
    assert "Среднегодовая численность" in BIB.read_text(encoding="utf-8")


def test_kazakh_title_without_kazakh_letters_is_marked(tmp_path: Path) -> None:
    # synthetic entry
    bib = _bib(
        tmp_path,
        "@book{kk, title = {Бала}, titleaddon = {Child}, langid = {kazakh}, year = 2020}\n",
    )
    build_references(bib, tmp_path / "out.bib")
    item = read_items(tmp_path / "out.bib")[0]
    assert item["title"] == "Bala [Child]" and item["note"] == "[in Kazakh]"


@pytest.mark.parametrize(
    ("entry", "message"),
    [
        (
            "title = {Ақпаратқа қол жеткізу туралы}, titleaddon = {On access to information},"
            " langid = {kazakh}",
            "no transliteration for",
        ),
        ("title = {Среднегодовая численность}, langid = {russian}", "no English translation"),
        ("title = {Среднегодовая численность}, titleaddon = {Population}", "no langid"),
    ],
)
def test_untransliterable_or_unmarked_cyrillic_stops(
    tmp_path: Path, entry: str, message: str
) -> None:
    bib = _bib(tmp_path, f"@book{{x, {entry}, year = 2020}}\n")  # synthetic entry
    with pytest.raises(InputError, match=message):
        build_references(bib, tmp_path / "out.bib")


def test_citation_keys_found_and_unknown_key_stops_the_html(tmp_path: Path) -> None:
    assert cited_keys("[@a; @b_1, p. 3] and @c, not <x@y.org> or `@d` or e@f.com") == [
        "a",
        "b_1",
        "c",
    ]
    bib = tmp_path / "refs.bib"
    build_references(BIB, bib)
    md = tmp_path / "a.md"
    md.write_text("Text [@welch_1947; @no_such_work].\n", encoding="utf-8")
    with pytest.raises(InputError, match="no_such_work"):
        render_html(
            md, tmp_path / "a.html", REPO / "article" / "style.css", "T", References(bib, CSL)
        )
    assert not (tmp_path / "a.html").exists()


# ------------------------------------------------------------------------------ metadata


def _meta() -> dict:
    return yaml.safe_load(METADATA.read_text(encoding="utf-8"))


def _filled(tmp_path: Path, **changes) -> Path:
    """A filled-in, non-draft copy of the repository's metadata (synthetic details)."""
    meta = _meta()
    meta.update(draft=False, udc="352.07", irsti=["10.15.91"], funding="None.", acknowledgements="")
    meta["authors"] = [
        {
            "name_latin": "Synthetic Author",
            "name_cyrillic": "Синтетический Автор",
            "affiliations": ["aff1"],
            "orcid": "0000-0002-1825-0097",
            "email": "author@example.org",
            "corresponding": True,
        }
    ]
    meta["affiliations"] = [
        {
            "id": "aff1",
            "organisation": "Example University",
            "city": "Almaty",
            "country": "Kazakhstan",
        }
    ]
    meta["repository"] = {"url": "https://example.org/kzopen", "doi": "10.5281/zenodo.0000000"}
    meta.update(changes)
    path = tmp_path / "metadata.yaml"
    path.write_text(yaml.safe_dump(meta, allow_unicode=True), encoding="utf-8")
    return path


def test_repository_metadata_is_a_valid_marked_draft() -> None:
    meta = load_metadata(METADATA, METADATA_SCHEMA)
    assert meta["draft"] is True
    assert "authors[0].orcid" in placeholders(meta) and "udc" in placeholders(meta)
    fm = front_matter(meta, str)
    assert "DRAFT" in fm and "{.placeholder}" in fm


def test_submission_build_refuses_placeholders(tmp_path: Path) -> None:
    draft_off = _meta() | {"draft": False}
    path = tmp_path / "m.yaml"
    path.write_text(yaml.safe_dump(draft_off, allow_unicode=True), encoding="utf-8")
    with pytest.raises(InputError, match=r"placeholders left .*authors\[0\]\.orcid"):
        load_metadata(path, METADATA_SCHEMA)


def test_filled_metadata_gives_clean_front_and_back_matter(tmp_path: Path) -> None:
    meta = load_metadata(_filled(tmp_path), METADATA_SCHEMA)
    fm, bm = front_matter(meta, str) + authors_block(meta, str), back_matter(meta, str)
    assert "DRAFT" not in fm and "TO FILL" not in fm + bm
    assert "Synthetic Author^1\\*^" in fm and "0000-0002-1825-0097" in fm
    assert "Синтетический Автор^1\\*^" in authors_block(meta, str, "ru")
    assert "Acknowledgements" not in bm  # empty: no heading


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"udc": 352}, "udc"),
        ({"extra": 1}, "Additional properties"),
        (
            {
                "authors": [
                    {
                        "name_latin": "A",
                        "name_cyrillic": "А",
                        "affiliations": ["aff1"],
                        "orcid": "1234",
                        "email": "a@example.org",
                        "corresponding": True,
                    }
                ]
            },
            "orcid",
        ),
        (
            {
                "authors": [
                    {
                        "name_latin": "A",
                        "name_cyrillic": "А",
                        "affiliations": ["nope"],
                        "orcid": "0000-0002-1825-0097",
                        "email": "a@example.org",
                        "corresponding": True,
                    }
                ]
            },
            "unknown affiliation",
        ),
        (
            {
                "authors": [
                    {
                        "name_latin": "A",
                        "name_cyrillic": "А",
                        "affiliations": ["aff1"],
                        "orcid": "0000-0002-1825-0097",
                        "email": "a@example.org",
                    }
                ]
            },
            "corresponding",
        ),
    ],
)
def test_bad_metadata_is_an_input_error(tmp_path: Path, change: dict, message: str) -> None:
    with pytest.raises(InputError, match=message):
        load_metadata(_filled(tmp_path, **change), METADATA_SCHEMA)


# ------------------------------------------------------------------------------ Word


def _docx_text(path: Path) -> str:
    return "\n".join(p.text for p in docx.Document(str(path)).paragraphs)


def test_reference_document_page_and_type() -> None:
    data = reference_docx()
    assert data == reference_docx()  # byte-stable
    ref = docx.Document(io.BytesIO(data))
    sec = ref.sections[0]
    assert (round(sec.page_width.cm, 1), round(sec.page_height.cm, 1)) == (21.0, 29.7)
    margins = (sec.left_margin, sec.right_margin, sec.top_margin, sec.bottom_margin)
    assert {round(m.cm, 2) for m in margins} == {2.0}
    styles = ref.styles.element.xml
    assert 'w:ascii="Times New Roman"' in styles and '<w:sz w:val="24"/>' in styles
    assert 'w:line="240" w:lineRule="auto"' in styles  # single spacing
    assert ref.styles["Body Text"].paragraph_format.line_spacing == 1.0


def _synthetic_manuscript(tmp_path: Path) -> tuple[Path, Path, References]:
    """A small manuscript (synthetic): front matter, citation, table, figure, back matter."""
    Image.new("RGB", (600, 300), "white").save(tmp_path / "fig.png", dpi=(300, 300))
    md = tmp_path / "m.md"
    md.write_text(
        "::: {.identifying}\nAuthor Name, Example University\n:::\n\n# Methods\n\n"
        "Welch's test [@welch_1947] and Holm [@holm_1979].\n\n| a | b |\n|---|--:|\n| x | 1.5 |\n\n"
        ": A synthetic table. {#tbl-a}\n\n![A synthetic figure.](fig.png){#fig-a}\n\n"
        "See [the script](../../workflow/x.py).\n\n::: {.identifying}\n# Funding\n\nGrant 7.\n"
        ":::\n\n# References\n\n::: {#refs}\n:::\n",
        encoding="utf-8",
    )
    reference = tmp_path / "reference.docx"
    reference.write_bytes(reference_docx())
    bib = tmp_path / "refs.bib"
    build_references(BIB, bib)
    return md, reference, References(bib, CSL)


def test_docx_has_tables_figures_citations_and_is_byte_stable(tmp_path: Path) -> None:
    md, reference, refs = _synthetic_manuscript(tmp_path)
    one, two = tmp_path / "one.docx", tmp_path / "two.docx"
    for out in (one, two):
        render_docx(md, out, reference, "Synthetic", refs, FILTERS)
    assert one.read_bytes() == two.read_bytes()
    doc = docx.Document(str(one))
    assert len(doc.tables) == 1 and doc.tables[0].cell(1, 1).text == "1.5"
    assert len(doc.inline_shapes) == 1
    text = _docx_text(one)
    assert "test [1] and Holm [2]" in text and "Author Name" in text and "Grant 7." in text
    assert re.search(r"\[1\]\s*B\. L\. Welch", text) and "[@" not in text
    xml = zipfile.ZipFile(one).read("word/document.xml").decode()
    assert "SEQ Table" in xml and "SEQ Figure" in xml  # numbered captions
    assert "workflow/x.py" not in xml.split("the script")[0][-200:]  # relative link dropped
    assert {i.date_time for i in zipfile.ZipFile(one).infolist()} == {(1980, 1, 1, 0, 0, 0)}


def test_anonymised_docx_drops_identifying_blocks(tmp_path: Path) -> None:
    md, reference, refs = _synthetic_manuscript(tmp_path)
    out = tmp_path / "anon.docx"
    render_docx(md, out, reference, "Synthetic", refs, [*FILTERS, ANONYMISE])
    text = _docx_text(out)
    assert "Author Name" not in text and "Grant 7." not in text and "Funding" not in text
    assert "test [1] and Holm [2]" in text


def test_normalise_zip_fixes_dates_and_order() -> None:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr(zipfile.ZipInfo("b.xml", date_time=(2030, 5, 5, 5, 5, 5)), "b")
        z.writestr("[Content_Types].xml", "t")
        z.writestr("a.xml", "a")
    out = zipfile.ZipFile(io.BytesIO(normalise_zip(buf.getvalue())))
    assert out.namelist() == ["[Content_Types].xml", "a.xml", "b.xml"]
    assert {i.date_time for i in out.infolist()} == {(1980, 1, 1, 0, 0, 0)}
    assert out.read("b.xml") == b"b"


# ------------------------------------------------------------------------------ the build


def _html_text(html: str) -> str:
    html = re.sub(r"<(style|script|nav)\b.*?</\1>", " ", html, flags=re.S)
    html = re.sub(r"<[^>]+>", " ", html)
    return re.sub(r"&[a-z]+;|&#\d+;", " ", html)


def _numbers(text: str) -> list[str]:
    return sorted(re.findall(r"\d+(?:[.,]\d+)*", text))


def _docx_all_text(path: Path) -> str:
    xml = zipfile.ZipFile(path).read("word/document.xml").decode("utf-8")
    paras = re.findall(r"<w:p[ >].*?</w:p>", xml, flags=re.S)
    text = "\n".join("".join(re.findall(r"<w:t[^>]*>([^<]*)</w:t>", p)) for p in paras)
    return re.sub(r"&[a-z]+;", " ", text)


@pytest.mark.e2e
def test_built_word_manuscripts(built_repo: Path) -> None:
    build = built_repo / "build" / "article"
    md = (build / "article.md").read_text(encoding="utf-8")
    html = (build / "article.html").read_text(encoding="utf-8")
    full, anon = build / "article.docx", build / "article.anon.docx"
    doc = docx.Document(str(full))
    # every figure and every table, as images and real Word tables
    assert len(doc.inline_shapes) == md.count("![") == html.count("<img")
    assert len(doc.tables) == html.count("<table")
    anon_doc = docx.Document(str(anon))  # the anonymised file loses no figure or table
    assert (len(anon_doc.tables), len(anon_doc.inline_shapes)) == (
        len(doc.tables),
        len(doc.inline_shapes),
    )
    text = _docx_all_text(full)
    # every reference the article cites, numbered in order; every entry of the bibliography is
    # cited by the article or by the supplement (some claims' evidence is cited only there)
    cited = set(cited_keys(md))
    n_refs = len(cited)
    assert html.count('class="csl-entry"') == n_refs
    assert re.search(rf"\[{n_refs}\]", text) and not re.search(rf"\[{n_refs + 1}\]", text)
    supplement = set(cited_keys((build / "supplement.md").read_text(encoding="utf-8")))
    assert cited | supplement == set(bib_keys(built_repo / "article" / "references.bib"))
    for marker in ("{{", "}}", "\ue000", "\ue001", "[@", "???"):
        assert marker not in text, marker
    # the same numbers as the HTML, in the same order, less Word's caption numbers ("Table 3:");
    # the HTML edition adds provenance (checksums, rule lists) that the printed one leaves out
    body = re.sub(r"^(Table|Figure)\s\d+: ", "", text, flags=re.M)
    body = re.sub(r"claim C\d+", "", body)  # the register number, in print only
    # the data-availability section differs by design (sources in print, files in HTML)
    body = re.sub(r"Data availability.*?Supplementary material", "", body, flags=re.S)
    missing = Counter(_numbers(body)) - Counter(_numbers(_html_text(html)))
    assert not missing, f"numbers in Word not in the HTML: {sorted(missing)[:10]}"
    assert "DRAFT" in text  # the repository's metadata is a draft


@pytest.mark.e2e
def test_built_anonymised_manuscript_names_nobody(built_repo: Path) -> None:
    meta = load_metadata(built_repo / "article" / "metadata.yaml", METADATA_SCHEMA)
    text = _docx_all_text(built_repo / "build" / "article" / "article.anon.docx")
    full = _docx_all_text(built_repo / "build" / "article" / "article.docx")
    identifying = [meta["funding"], *(a["organisation"] for a in meta["affiliations"])]
    for a in meta["authors"]:
        identifying += [a["name_latin"], a["name_cyrillic"], a["orcid"], a["email"]]
    quotes = str.maketrans("‘’“”\xa0", "''\"\" ")  # pandoc's typographic quotes and spaces
    text, full = text.translate(quotes), full.translate(quotes)
    for value in identifying:
        assert value in full, value
        assert value not in text, value
    assert "Funding" not in text and "References" in text
    core = zipfile.ZipFile(built_repo / "build/article/article.anon.docx").read("docProps/core.xml")
    assert b"<dc:creator></dc:creator>" in core or b"<dc:creator/>" in core
