"""The first step of a printed value's trail: the function that computes its column.

Tables that declare their columns' producers are listed here by name (the file's stem); a
value read from such a table names that function in article.html (``data-computed-by``) and on
the provenance page, before the rule that wrote the file. A table of several kinds of row (the
portal's tests) declares a producer per kind of row instead (:class:`RowKinds`).
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import PurePosixPath
from typing import Any

from kzopen.claims.audit import SUMMARY_COLUMN_PRODUCERS
from kzopen.compare.coverage import COVERAGE_COLUMN_PRODUCERS
from kzopen.compare.family import COMMON_COLUMN_PRODUCERS, CORRELATION_COLUMN_PRODUCERS
from kzopen.compare.local import (
    CHANGE_COLUMN_PRODUCERS,
    DISTRIBUTION_COLUMN_PRODUCERS,
    ELECTED_COLUMN_PRODUCERS,
    EXPLORATORY_COLUMN_PRODUCERS,
)
from kzopen.compare.local import (
    CORRELATION_COLUMN_PRODUCERS as LOCAL_CORRELATION_PRODUCERS,
)
from kzopen.compare.mcerror import MC_ERROR_COLUMN_PRODUCERS
from kzopen.compare.position import POSITION_COLUMN_PRODUCERS
from kzopen.compare.robustness import ROBUSTNESS_COLUMN_PRODUCERS
from kzopen.compare.tasks import COLUMN_PRODUCERS as COMPARISON_PRODUCERS
from kzopen.compare.tasks import SENSITIVITY_COLUMN_PRODUCERS
from kzopen.compare.trends import TREND_COLUMN_PRODUCERS
from kzopen.core.producers import RowKinds, qualified_name
from kzopen.portal.analysis import TESTS_ROW_PRODUCERS, UNITS_COLUMN_PRODUCERS

TABLE_COLUMN_PRODUCERS: dict[str, Mapping[str, Any]] = {
    "bootstrap_mc_error": MC_ERROR_COLUMN_PRODUCERS,
    "claims_summary": SUMMARY_COLUMN_PRODUCERS,
    "compare_robustness": ROBUSTNESS_COLUMN_PRODUCERS,
    "confirmatory_common_set": COMMON_COLUMN_PRODUCERS,
    "confirmatory_correlations": CORRELATION_COLUMN_PRODUCERS,
    "group_comparisons": COMPARISON_PRODUCERS,
    "interval_coverage": COVERAGE_COLUMN_PRODUCERS,
    "kazakhstan_position": POSITION_COLUMN_PRODUCERS,
    "local_correlations": LOCAL_CORRELATION_PRODUCERS,
    "local_distribution": DISTRIBUTION_COLUMN_PRODUCERS,
    "local_elected_offices": ELECTED_COLUMN_PRODUCERS,
    "local_exploratory": EXPLORATORY_COLUMN_PRODUCERS,
    "local_kz_changes": CHANGE_COLUMN_PRODUCERS,
    "portal_units": UNITS_COLUMN_PRODUCERS,
    "primary_sensitivity": SENSITIVITY_COLUMN_PRODUCERS,
    "trends": TREND_COLUMN_PRODUCERS,
}
TABLE_ROW_PRODUCERS: dict[str, RowKinds] = {"portal_tests": TESTS_ROW_PRODUCERS}


def computed_by(file: str, column: str | None, row: Mapping[str, Any] | None = None) -> str:
    """``module.function`` that computes ``column`` of results table ``file`` (for a table of
    several kinds of row, the function of ``row``'s kind); "" if the table declares no
    producers or the value is not a column."""
    stem = PurePosixPath(file).stem
    if stem in TABLE_ROW_PRODUCERS:
        func = TABLE_ROW_PRODUCERS[stem].producer(row or {}) if column else None
    else:
        func = TABLE_COLUMN_PRODUCERS.get(stem, {}).get(column or "")
    return qualified_name(func) if func is not None else ""
