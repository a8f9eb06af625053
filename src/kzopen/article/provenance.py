"""The provenance page (build/article/provenance.html): every value the article prints, with
the file, row and column it was read from, the rule that wrote the file and the package
functions that rule calls. The same trail as the tooltips of article.html, as one table, for
the Snakemake report and for readers of the PDF or Word file."""

from __future__ import annotations

import html
from collections.abc import Mapping
from typing import Any

import pandas as pd

from kzopen.article.trail import computed_by
from kzopen.core.tables import to_html

PROVENANCE_COLUMNS = {
    "key": "Key",
    "printed": "Printed as",
    "value": "Value (full precision)",
    "section": "Section",
    "file": "File",
    "row": "Row",
    "column": "Column",
    "computed_by": "Computed by",
    "rule": "Rule",
    "functions": "Package functions",
    "spec": "Spec (grep src/)",
}


def provenance_table(values_doc: Mapping[str, Any], placed: Mapping[str, Any]) -> pd.DataFrame:
    """One row per printed value (first place it is printed), in the article's order."""
    rows, seen = [], set()
    for p in placed["placeholders"]:
        key = p["name"]
        if p["kind"] != "value" or key in seen:
            continue
        seen.add(key)
        where = values_doc["provenance"].get(key, {})
        made = values_doc["producers"].get(where.get("file", ""), {})
        rows.append(
            {
                "key": key,
                "printed": p["text"],
                "value": repr(values_doc["values"].get(key)),
                "section": p.get("section", ""),
                "file": where.get("file", ""),
                "row": ", ".join(f"{k}={v}" for k, v in (where.get("row") or {}).items()),
                "column": where.get("column") or "",
                "computed_by": computed_by(
                    where.get("file", ""), where.get("column"), where.get("row")
                ),
                "rule": made.get("rule") or "raw input",
                "functions": ", ".join(made.get("functions", [])) or where.get("selected_by", ""),
                "spec": where.get("spec", ""),
            }
        )
    return pd.DataFrame(rows, columns=list(PROVENANCE_COLUMNS))


def render_provenance_page(table: pd.DataFrame, title: str) -> str:
    """A standalone HTML page holding the provenance table."""
    body = to_html(table, list(PROVENANCE_COLUMNS.values()), title)
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        f"<title>{html.escape(title)}</title><style>body{{font-family:system-ui,sans-serif;"
        "margin:2rem}table{border-collapse:collapse;font-size:.8rem}td,th{border:1px solid "
        "#ccc;padding:.2rem .4rem;vertical-align:top}</style></head><body>\n"
        f"<h1>{html.escape(title)}</h1>\n<p>{len(table)} values. Each was read from the file, row "
        "and column shown, computed by the function shown where the table declares it, written by "
        "the rule shown, which calls the package functions shown; "
        "the spec is the key's pattern, spelled out once in <code>src/</code>.</p>\n"
        f"{body}</body></html>\n"
    )
