"""Each results table that declares its columns' producers names a function that can have
written the column; the trail of a printed value names that function first."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from kzopen.article.trail import TABLE_COLUMN_PRODUCERS, computed_by
from kzopen.compare.stats import COMPARISON_COLUMNS, compare_two
from kzopen.compare.tasks import COLUMN_PRODUCERS, finalize
from kzopen.core.producers import writes_column


@pytest.mark.parametrize("table", sorted(TABLE_COLUMN_PRODUCERS))
def test_every_declared_producer_writes_its_column(table):
    producers = TABLE_COLUMN_PRODUCERS[table]
    wrong = {c: f.__name__ for c, f in producers.items() if not writes_column(f, c)}
    assert wrong == {}


def test_the_comparisons_table_declares_every_column():
    assert set(COLUMN_PRODUCERS) == set(COMPARISON_COLUMNS)


def test_the_check_rejects_a_wrong_declaration():
    assert writes_column(compare_two, "hedges_g") and writes_column(finalize, "p_holm")
    assert not writes_column(compare_two, "p_holm")  # Holm is applied across rows, later
    assert not writes_column(finalize, "cliffs_delta")


def test_the_trail_names_the_computing_function_not_the_merge():
    assert computed_by("results/group_comparisons.csv", "diff") == (
        "kzopen.compare.stats.compare_two"
    )
    assert computed_by("results/group_comparisons.csv", "p_holm") == (
        "kzopen.compare.tasks.finalize"
    )
    assert computed_by("results/trends.csv", "slope_diff").endswith("trends.slope_difference")
    assert computed_by("results/local_kz_changes.csv", "change") == ""  # no declaration yet


def test_declarations_cover_their_tables():
    from kzopen.compare.position import POSITION_COLUMN_PRODUCERS, POSITION_COLUMNS
    from kzopen.compare.trends import TREND_COLUMN_PRODUCERS, TREND_COLUMNS

    # the rank intervals are appended to the position table by add_rank_intervals
    assert set(POSITION_COLUMN_PRODUCERS) == {
        *POSITION_COLUMNS,
        "rank_ci_low",
        "rank_ci_high",
        "rank_ci_method",
    }
    assert set(TREND_COLUMN_PRODUCERS) == set(TREND_COLUMNS)


def test_built_article_spans_carry_the_producer(built_repo: Path):
    html = (built_repo / "build/article/article.html").read_text("utf-8")
    assert 'data-key="cmp.primary.diff"' in html
    start = html.index('data-key="cmp.primary.diff"')
    span = html[start : html.index(">", start)]
    assert 'data-computed-by="kzopen.compare.stats.compare_two"' in span
    doc = json.loads((built_repo / "results/article_values.json").read_text("utf-8"))
    assert doc["provenance"]["cmp.primary.diff"]["column"] == "diff"
