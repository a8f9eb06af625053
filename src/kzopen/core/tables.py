"""Table renderers: one data frame -> CSV (full precision), Markdown, LaTeX (booktabs), HTML.

Cell text always comes from :meth:`kzopen.core.fmt.Formatter.auto`, so every table uses
the same number rules as the prose. The CSV keeps the unrounded values (rounding happens
only when rendered).
"""

from __future__ import annotations

import html
import itertools
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from kzopen.core.fmt import Formatter, unmark
from kzopen.core.io import write_csv, write_text

FORMATS = ("csv", "md", "tex", "html")


@dataclass(frozen=True)
class TableSpec:
    """What a rendered table shows: which columns (in order) under which labels."""

    name: str
    caption: str
    columns: dict[str, str] | None = None  # column -> label; None = all columns as they are
    note: str = ""

    def select(self, df: pd.DataFrame) -> pd.DataFrame:
        if self.columns is None:
            return df
        missing = [c for c in self.columns if c not in df.columns]
        if missing:
            raise KeyError(f"table {self.name}: column(s) {missing} not in {list(df.columns)}")
        return df[list(self.columns)]

    def labels(self, df: pd.DataFrame) -> list[str]:
        cols = list(self.select(df).columns)
        return [self.columns[c] if self.columns else c for c in cols]


def format_cells(df: pd.DataFrame, fmt: Formatter) -> pd.DataFrame:
    """Every cell as text, by the formatter's column rules (index dropped)."""
    out = {}
    for col in df.columns:
        text_col = df[col].dtype == object or pd.api.types.is_string_dtype(df[col])
        out[col] = [
            (fmt.mark("") if text_col else fmt.auto(None, str(col)))
            if pd.isna(v)
            else fmt.auto(_py(v), str(col))
            for v in df[col]
        ]
    return pd.DataFrame(out, columns=df.columns)


def _py(v):
    """numpy scalar -> Python scalar, so that formatting rules see int/float/bool/str."""
    return v.item() if hasattr(v, "item") else v


def md_cell(s: str) -> str:
    """One Markdown table cell: backslashes and pipes escaped, runs of ASCII white space (line
    breaks included) as one space; non-breaking and thin spaces are kept."""
    return re.sub(r"[ \t\r\n]+", " ", s.replace("\\", "\\\\").replace("|", "\\|")).strip()


def to_markdown(cells: pd.DataFrame, labels: list[str]) -> str:
    """A pipe table (pandoc and GitHub Markdown); numeric-looking columns right-aligned."""
    header = "| " + " | ".join(md_cell(str(lab)) for lab in labels) + " |"
    align = []
    for col, lab in zip(cells.columns, labels, strict=True):
        vals = [v for v in cells[col] if unmark(v) not in ("", "n/a")]  # marks: check mode
        numeric = bool(vals) and all(_looks_numeric(v) for v in vals)
        # pandoc sizes wrapped columns by the number of dashes: proportional to the content.
        width = max([len(unmark(str(lab)))] + [len(unmark(v)) for v in cells[col]])
        dashes = "-" * max(3, min(width, 60) // 2)
        align.append(f"{dashes}:" if numeric else f":{dashes}")
    rows = ["| " + " | ".join(md_cell(v) for v in r) + " |" for r in cells.itertuples(False)]
    return "\n".join([header, "| " + " | ".join(align) + " |", *rows]) + "\n"


def html_table(
    head: Iterable[object],
    rows: Iterable[Sequence[str]],
    *,
    table_attrs: str = "",
    row_attrs: Iterable[str] | None = None,
) -> str:
    """The one writer of hand-built HTML tables: header text escaped here (``html.escape``);
    cells are HTML the caller escaped, so that they may hold links and markup."""
    th = "".join(f"<th>{html.escape(str(h))}</th>" for h in head)
    attrs = itertools.repeat("") if row_attrs is None else row_attrs
    body = "".join(
        f"<tr{a}>" + "".join(f"<td>{c}</td>" for c in r) + "</tr>"
        for r, a in zip(rows, attrs, strict=False)
    )
    return f"<table{table_attrs}><thead><tr>{th}</tr></thead><tbody>{body}</tbody></table>"


def _looks_numeric(s: str) -> bool:
    t = s.strip("\ue000\ue001").replace("\u2212", "-").replace("\u2009", "")
    t = t.replace("\u00a0%", "").replace("<\u00a0", "")
    try:
        float(t)
    except ValueError:
        return False
    return True


def to_latex(cells: pd.DataFrame, labels: list[str], caption: str, label: str) -> str:
    """A booktabs table (``\\toprule``/``\\midrule``/``\\bottomrule``) via pandas' Styler."""
    shown = cells.copy()
    shown.columns = labels
    styler = (
        shown.style.hide(axis="index").format(escape="latex").format_index(escape="latex", axis=1)
    )
    return styler.to_latex(
        hrules=True,
        caption=caption,
        label=f"tab:{label}",
        position="htbp",
        position_float="centering",
    )


def to_html(cells: pd.DataFrame, labels: list[str], caption: str) -> str:
    """A plain, deterministic HTML table (no generated ids)."""
    shown = cells.copy()
    shown.columns = labels
    body = shown.to_html(index=False, border=0, escape=True, classes="kz-table", na_rep="")
    cap = f"<caption>{html.escape(caption, quote=False)}</caption>"
    return body.replace(">\n  <thead>", f">\n  {cap}\n  <thead>", 1)


def write_table(df: pd.DataFrame, spec: TableSpec, paths: dict[str, str | Path]) -> None:
    """Write ``df`` under ``spec`` to the paths given for each of :data:`FORMATS`."""
    shown = spec.select(df)
    fmt = Formatter()
    cells = format_cells(shown, fmt)
    labels = spec.labels(df)
    caption = spec.caption + (f" {spec.note}" if spec.note else "")
    write_csv(shown, paths["csv"])
    write_text(to_markdown(cells, labels), paths["md"])
    write_text(to_latex(cells, labels, caption, spec.name), paths["tex"])
    write_text(to_html(cells, labels, caption), paths["html"])
