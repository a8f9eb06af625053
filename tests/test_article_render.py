"""Manuscript rendering: placeholders, the orphan-number check, values, pandoc and Typst."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pandas as pd
import pytest

from kzopen.article.bibliography import build_references
from kzopen.article.render import (
    Context,
    OrphanNumberError,
    References,
    build_markdown,
    render_html,
    render_pdf,
    render_typst_source,
)
from kzopen.article.values import Values, add_article_table
from kzopen.core.errors import InputError
from kzopen.core.fmt import DEFAULT_ALLOW

REPO = Path(__file__).resolve().parent.parent


def _ctx() -> Context:
    # synthetic values (labelled): not data
    return Context(
        values={"kz.score": 39.0, "n": 120, "claim.x.value": "42.2"},
        sources={},
        tables={"t": [{"name": "a", "value": 1.5}, {"name": "b", "value": 2.25}]},
        provenance=[
            {
                "id": "fig_a",
                "label": "Figure 1",
                "title": "A synthetic figure.",
                "rule": "plot_a",
                "script": "workflow/scripts/plot_a.py",
                "inputs": ["results/a.csv"],
                "outputs": ["figures/a.png", "figures/a.svg"],
                "display": "figures/a.png",
            }
        ],
    )


def _render(tmp_path: Path, template: str) -> tuple[str, str]:
    (tmp_path / "tpl").mkdir(exist_ok=True)
    (tmp_path / "tpl" / "m.md.j2").write_text(template, encoding="utf-8")
    md, check = tmp_path / "out.md", tmp_path / "check.txt"
    build_markdown(tmp_path / "tpl", "m.md.j2", _ctx(), DEFAULT_ALLOW, md, check)
    return md.read_text(), check.read_text()


def test_placeholders_fill_and_check_passes(tmp_path: Path) -> None:
    md, check = _render(
        tmp_path,
        '# Results {#sec-r}\n\nScore {{ num("kz.score", 0) }} of {{ int("n") }} in 2023; '
        'reported {{ text("claim.x.value") }}.\n\n{{ table("t", {"name": "Name", "value": "V"}) }}'
        '\n{{ figure("fig_a", "Caption.") }}\n{{ provenance_list() }}',
    )
    assert "Score 39 of 120 in 2023; reported 42.2." in md
    assert "| a | 1.50 |" in md and "| b | 2.25 |" in md
    # the printed edition names no rule (the HTML edition does: test_article_print_edition)
    assert "[`plot_a`](#prov-fig_a)" not in md and "](../../figures/a.png){#fig-fig_a" in md
    assert "\ue000" not in md
    assert "0 orphan numbers" in check


def test_hand_typed_number_fails_the_build(tmp_path: Path) -> None:
    with pytest.raises(OrphanNumberError, match="'100'"):
        _render(tmp_path, 'Score {{ num("kz.score", 0) }} of 100.\n')
    assert not (tmp_path / "out.md").exists()  # nothing half-written


def test_unknown_value_is_an_input_error(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="unknown value 'kz.nope'"):
        _render(tmp_path, '{{ num("kz.nope") }}\n')


def test_bad_verification_status_names_row(tmp_path: Path) -> None:
    df = pd.DataFrame({"row": [1, 2], "claim_id": ["a", "b"], "verification_status": ["ok", "x"]})
    df.loc[0, "verification_status"] = "verified"
    with pytest.raises(InputError, match="row 3") as exc:
        add_article_table(Values(), "t", df, "t.csv")
    assert exc.value.column == "verification_status"


def test_values_json_is_sorted_and_strict() -> None:
    v = Values()
    v.set("b", 2.0, "src")
    v.set("a", float("nan"), "src")
    doc = json.loads(v.to_json())
    assert list(doc["values"]) == ["a", "b"] and doc["values"]["a"] is None
    with pytest.raises(ValueError):
        v.set("a", 1, "again")


def test_html_and_byte_stable_pdf(tmp_path: Path) -> None:
    md = tmp_path / "a.md"
    md.write_text(
        "# Title {#sec-t}\n\nText with a [link](#sec-t) [@welch_1947].\n\n| a | b |\n|---|--:|\n"
        "| x | 1 |\n"
    )
    bib = tmp_path / "refs.bib"
    build_references(REPO / "article" / "references.bib", bib)
    csl = tmp_path / "numbered.csl"  # inside the Typst root
    csl.write_bytes((REPO / "article" / "numbered.csl").read_bytes())
    refs = References(bib, csl)
    html = tmp_path / "a.html"
    render_html(md, html, REPO / "article" / "style.css", "Synthetic", refs)
    text = html.read_text()
    assert "<table" in text and 'href="#sec-t"' in text and "dcterms.date" not in text
    typ = tmp_path / "a.typ"
    filters = [REPO / "article" / "docx.lua", REPO / "article" / "vector.lua"]
    render_typst_source(md, typ, "Synthetic", refs, REPO / "article" / "typst-header.typ", filters)
    render_pdf(typ, tmp_path / "one.pdf", root=tmp_path)
    render_pdf(typ, tmp_path / "two.pdf", root=tmp_path)
    one, two = (tmp_path / "one.pdf").read_bytes(), (tmp_path / "two.pdf").read_bytes()
    assert one.startswith(b"%PDF") and one == two
    plain = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", text))
    assert "[1]" in plain and "B. L. Welch" in plain  # numbered citation and reference list
