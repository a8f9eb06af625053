"""Each results table that declares its columns' producers names a function that can have
written the column; the trail of a printed value names that function first."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from kzopen.article.trail import TABLE_COLUMN_PRODUCERS, TABLE_ROW_PRODUCERS, computed_by
from kzopen.compare.stats import compare_two
from kzopen.compare.table import COMPARISON_COLUMNS
from kzopen.compare.tasks import COLUMN_PRODUCERS, finalize
from kzopen.core.producers import RowKinds, writes_column, writes_value
from kzopen.portal.analysis import _homogeneity_rows, _pairwise_rows


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


def test_a_frame_built_with_a_column_list_writes_that_list_only():
    """``DataFrame(rows, columns=NAME)`` counts the columns of NAME, not those of another list of
    the same module: the local distribution's list has no change columns."""
    from kzopen.compare.local import local_distribution, score_changes

    assert writes_column(score_changes, "previous_year")  # CHANGE_COLUMNS
    assert writes_column(local_distribution, "iso3")  # DISTRIBUTION_COLUMNS
    assert not writes_column(local_distribution, "previous_year")
    assert not writes_column(local_distribution, "value_after")


def test_the_trail_names_the_computing_function_not_the_merge():
    assert computed_by("results/group_comparisons.csv", "diff") == (
        "kzopen.compare.stats.compare_two"
    )
    assert computed_by("results/group_comparisons.csv", "p_holm") == (
        "kzopen.compare.tasks.finalize"
    )
    assert computed_by("results/trends.csv", "slope_diff").endswith("trends.slope_difference")
    assert computed_by("results/local_kz_changes.csv", "change").endswith("local.score_changes")
    assert computed_by("results/primary_sensitivity.csv", "hedges_g").endswith("compare_two")
    assert computed_by("results/reported_group_means.csv", "label") == ""  # a raw table
    pair = {"test": "pairwise_z_holm_min_n: Almaty city vs Karaganda region", "outcome": "x"}
    assert computed_by("results/portal_tests.csv", "p", pair) == (
        "kzopen.portal.analysis._pairwise_rows"
    )
    assert computed_by("results/portal_tests.csv", "p", {"test": "no_such_test"}) == ""


@pytest.mark.parametrize("table", sorted(TABLE_ROW_PRODUCERS))
def test_every_kind_of_row_is_written_by_its_declared_function(table):
    kinds = TABLE_ROW_PRODUCERS[table].producers
    wrong = {k: f.__name__ for k, f in kinds.items() if not writes_value(f, k)}
    assert wrong == {}
    # each kind is written by its declared function alone among the declared ones
    writers = {k: {f.__name__ for f in kinds.values() if writes_value(f, k)} for k in kinds}
    shared = {k: w for k, w in writers.items() if len(w) != 1 and not k.startswith("glm_")}
    assert shared == {}


def test_the_row_check_rejects_a_wrong_declaration():
    assert writes_value(_pairwise_rows, "pairwise_z_holm_min_n")
    assert not writes_value(_homogeneity_rows, "pairwise_z_holm_min_n")
    # an f-string that starts with a placeholder (f"{test}: {comp}") matches no kind by itself
    assert not writes_value(_pairwise_rows, "no_such_kind")
    assert not writes_value(_pairwise_rows, "homogeneity_chi2")
    # an f-string kind matches by its literal parts
    from kzopen.portal.counts import glm_covariate

    assert writes_value(glm_covariate, "glm_binomial_city_lr")
    assert not writes_value(glm_covariate, "pairwise_z_holm")
    kinds = RowKinds("test", {"a": _pairwise_rows})
    assert kinds.kind({"test": "a: x vs y"}) == "a" and kinds.producer({"test": "b"}) is None


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


def test_declarations_cover_the_built_tables(built_repo: Path):
    """Each declaring table declares every column it has; each kind of row has a producer."""
    from kzopen.core.io import read_results

    for table, producers in TABLE_COLUMN_PRODUCERS.items():
        columns = read_results(built_repo / f"results/{table}.csv").columns
        assert set(columns) == set(producers), table
    for table, kinds in TABLE_ROW_PRODUCERS.items():
        df = read_results(built_repo / f"results/{table}.csv")
        unknown = sorted({kinds.kind(r) for r in df.to_dict("records")} - set(kinds.producers))
        assert unknown == [], table


def test_built_article_spans_carry_the_producer(built_repo: Path):
    html = (built_repo / "build/article/article.html").read_text("utf-8")
    assert 'data-key="cmp.primary.diff"' in html
    start = html.index('data-key="cmp.primary.diff"')
    span = html[start : html.index(">", start)]
    assert 'data-computed-by="kzopen.compare.stats.compare_two"' in span
    doc = json.loads((built_repo / "results/article_values.json").read_text("utf-8"))
    assert doc["provenance"]["cmp.primary.diff"]["column"] == "diff"
