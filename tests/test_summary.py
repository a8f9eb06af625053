"""results/summary.md is rendered by the article's machinery: the same abstract and values as
the article (rule article_summary), no number typed into it."""

from __future__ import annotations

import re
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
NUMBER = re.compile(r"\d[\d,.]*\d|\d")


def _abstract(text: str) -> str:
    start = text.index("**Abstract.**")
    return text[start : text.index("\n\n", start)]


def test_summary_template_includes_the_article_abstract():
    summary = (REPO / "article/summary.md.j2").read_text("utf-8")
    front = (REPO / "article/sections/00_front_matter.md.j2").read_text("utf-8")
    assert '{% include "sections/abstract_en.md.j2" %}' in summary
    assert '{% include "sections/abstract_en.md.j2" %}' in front
    assert "**Abstract.**" not in summary + front  # one copy of the abstract, in the partial


def test_summary_and_article_print_the_same_abstract_numbers(built_repo: Path):
    article = _abstract((built_repo / "build/article/article.md").read_text("utf-8"))
    summary = _abstract((built_repo / "results/summary.md").read_text("utf-8"))
    # the article cites by key ([@article_2024]); the summary's citeproc numbers it ([1])
    article = re.sub(r"\[@[^\]]+\]", "", article)
    summary = re.sub(r"\\\[\d+\\\]", "", summary)
    assert NUMBER.findall(article) == NUMBER.findall(summary)
    assert len(NUMBER.findall(summary)) > 10


def test_summary_orphan_check_ran(built_repo: Path):
    check = built_repo / "build/article/summary_orphan_number_check.txt"
    assert check.exists()
