"""Citations only through bibliography keys: no author–year text typed into any template, and
the citation style chosen in article/metadata.yaml."""

from __future__ import annotations

from pathlib import Path

import pytest

from kzopen.article.bibliography import CITATION_STYLES, citation_style, typed_citations
from kzopen.core.errors import InputError

REPO = Path(__file__).resolve().parent.parent
TEMPLATES = sorted((REPO / "article").rglob("*.md.j2"))


@pytest.mark.parametrize(
    "text",
    [
        "a permutation test (Good 2005), exact",
        "Holm's procedure (Holm 1979), and",
        "the Mann–Whitney test (Mann & Whitney 1947);",
        "as the World Bank does (Kaufmann, Kraay & Mastruzzi 2010).",
        "the bootstrap (Efron 1987; 2000 resamples)",
        "degrees of freedom (Satterthwaite 1946; Welch 1947)",
        "as Meijer et al. (2018) argue",
    ],
)
def test_typed_author_year_is_found(text: str) -> None:
    assert typed_citations(text)


@pytest.mark.parametrize(
    "text",
    ["a permutation test [@ernst_2004]", "in 2023 (latest year)", "Kazakhstan (2024 edition)"],
)
def test_keys_and_years_are_not_typed_citations(text: str) -> None:
    assert typed_citations(text) == []


@pytest.mark.parametrize("template", TEMPLATES, ids=lambda p: p.name)
def test_no_template_types_an_author_year_citation(template: Path) -> None:
    assert typed_citations(template.read_text(encoding="utf-8")) == []


def test_citation_style_is_chosen_in_the_metadata() -> None:
    styles = {k: REPO / "article" / v for k, v in CITATION_STYLES.items()}
    assert citation_style({}, styles).name == "numbered.csl"
    assert citation_style({"citation_style": "author-date"}, styles).name == "author-date.csl"
    assert all(p.is_file() for p in styles.values())
    with pytest.raises(InputError, match="citation_style"):
        citation_style({"citation_style": "footnotes"}, styles)
