"""Three-language front matter: numbers formatted per language by Babel, orphan check in all."""

from __future__ import annotations

from pathlib import Path

import pytest

from kzopen.article.context import Context
from kzopen.article.metadata import load_metadata
from kzopen.article.render import OrphanNumberError, build_markdown
from kzopen.core.fmt import DEFAULT_ALLOW, Formatter

REPO = Path(__file__).resolve().parent.parent
METADATA_SCHEMA = REPO / "workflow" / "schemas" / "metadata.schema.yaml"
FRONT = REPO / "article" / "sections" / "00_front_matter.md.j2"


def _render(tmp_path: Path, template: str) -> str:
    # synthetic values (labelled): not data
    ctx = Context(values={"n_rows": 58136, "score": 62.657}, sources={}, tables={})
    (tmp_path / "tpl").mkdir(exist_ok=True)
    (tmp_path / "tpl" / "m.md.j2").write_text(template, encoding="utf-8")
    md, check = tmp_path / "out.md", tmp_path / "check.txt"
    build_markdown(tmp_path / "tpl", "m.md.j2", ctx, DEFAULT_ALLOW, md, check)
    return md.read_text(encoding="utf-8")


@pytest.mark.parametrize("lang", ["ru", "kk"])
def test_decimal_comma_and_nbsp_grouping(tmp_path: Path, lang: str) -> None:
    md = _render(
        tmp_path,
        f'{{{{ num_in("n_rows", "{lang}") }}}}; {{{{ num_in("score", "{lang}", 1) }}}}; '
        f'{{{{ pct_in("score", "{lang}") }}}}\n',
    )
    assert md == "58\u00a0136; 62,7; 62,7\u00a0%\n"


def test_english_keeps_the_decimal_point() -> None:
    assert Formatter().num_locale(62.657, "en_GB", 1) == "62.7"


def test_typed_number_in_russian_abstract_fails(tmp_path: Path) -> None:
    with pytest.raises(OrphanNumberError, match="'45'"):
        _render(tmp_path, 'Аннотация: наблюдений {{ num_in("n_rows", "ru") }}, стран 45.\n')


def test_typed_decimal_comma_number_in_kazakh_fails(tmp_path: Path) -> None:
    with pytest.raises(OrphanNumberError):
        _render(tmp_path, "Аңдатпа: бағасы 62,7 ұпай.\n")


def test_front_matter_has_three_languages_and_no_typed_numbers() -> None:
    text = FRONT.read_text(encoding="utf-8")
    for marker in ("lang=en", "lang=ru", "lang=kk", "Аннотация", "Аңдатпа", "Түйін сөздер"):
        assert marker in text
    assert all(ch in text for ch in "әғқңөұүі")


def test_metadata_marks_russian_and_kazakh_for_native_review() -> None:
    meta = load_metadata(REPO / "article" / "metadata.yaml", METADATA_SCHEMA)
    assert meta["languages"]["ru"]["native_review_needed"] is True
    assert meta["languages"]["kk"]["native_review_needed"] is True
