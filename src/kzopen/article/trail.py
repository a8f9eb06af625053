"""The first step of a printed value's trail: the function that computes its column.

Tables that declare their columns' producers are listed here by name (the file's stem); a
value read from such a table names that function in article.html (``data-computed-by``) and on
the provenance page, before the rule that wrote the file.
"""

from __future__ import annotations

from pathlib import PurePosixPath

from kzopen.compare.position import POSITION_COLUMN_PRODUCERS
from kzopen.compare.tasks import COLUMN_PRODUCERS as COMPARISON_PRODUCERS
from kzopen.compare.trends import TREND_COLUMN_PRODUCERS
from kzopen.core.producers import qualified_name

TABLE_COLUMN_PRODUCERS = {
    "group_comparisons": COMPARISON_PRODUCERS,
    "kazakhstan_position": POSITION_COLUMN_PRODUCERS,
    "trends": TREND_COLUMN_PRODUCERS,
}


def computed_by(file: str, column: str | None) -> str:
    """``module.function`` that computes ``column`` of results table ``file`` ("" if the table
    declares no producers or the value is not a column)."""
    producers = TABLE_COLUMN_PRODUCERS.get(PurePosixPath(file).stem, {})
    func = producers.get(column or "")
    return qualified_name(func) if func is not None else ""
