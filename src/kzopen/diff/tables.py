"""Changes in tables, cell by cell: the tables the article prints and ``results/*.csv``.

Cells are compared as text at full precision (the CSV files are written with the shortest
round-trip representation, so equal numbers are equal text). Rows are matched by a key:
the first identifying columns (text, or a year) that make every row unique in both versions;
without one, by position.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from kzopen.core.io import read_results
from kzopen.diff.model import Change, Version, as_text, text_delta

RESULTS = "results"
SKIP_RESULTS = {"changes.csv"}  # the comparison's own output
# Tables of the values file already compared elsewhere: the manifest (raw files).
SKIP_VALUE_TABLES = {"manifest"}
_YEAR_LIKE = re.compile(r"(^|_)(year|row|id)$")


def frame(records: list[dict[str, Any]]) -> pd.DataFrame:
    """A table of the values file as text cells (columns in first-seen order)."""
    cols = list(dict.fromkeys(k for r in records for k in r))
    return pd.DataFrame({c: [as_text(r.get(c)) for r in records] for c in cols}, dtype=object)


def read_text_csv(path: Path) -> pd.DataFrame:
    # an empty table of one build (no bytes, or only blank lines) is compared as empty
    if not path.read_bytes().strip():
        return pd.DataFrame()
    return read_results(path, text=True)


def _numeric(col: pd.Series) -> tuple[bool, bool]:
    """(all non-empty cells are numbers, some of them are not integers)."""
    filled = col[col != ""]
    nums = pd.to_numeric(filled, errors="coerce")
    if filled.empty or nums.isna().any():
        return False, False
    return True, bool(filled.str.contains(r"[.eEn]", regex=True).any())


def _eligible(a: pd.DataFrame, b: pd.DataFrame, tier: int) -> Iterator[str]:
    """Candidate key columns in table order (checked lazily: the key is usually found in the
    first few columns): text, or whole numbers when ``tier`` is 2 or the name says year/id."""
    for c in [c for c in a.columns if c in b.columns]:
        kinds = [_numeric(a[c]), _numeric(b[c])]
        if any(real for _, real in kinds):
            continue
        if any(num for num, _ in kinds) and tier == 1 and not _YEAR_LIKE.search(c):
            continue
        yield c


def _distinct(df: pd.DataFrame, cols: list[str]) -> int:
    return len(df[cols].drop_duplicates()) if cols else min(len(df), 1)


def choose_key(a: pd.DataFrame, b: pd.DataFrame) -> list[str] | None:
    """The first identifying columns that make rows unique in both tables, or None."""
    for tier in (1, 2):
        key: list[str] = []
        for c in _eligible(a, b, tier):
            trial = [*key, c]
            if _distinct(a, trial) > _distinct(a, key) or _distinct(b, trial) > _distinct(b, key):
                key = trial
            if key and _distinct(a, key) == len(a) and _distinct(b, key) == len(b):
                return key
    return None


def _keys(df: pd.DataFrame, key: list[str] | None) -> list[str]:
    if key is None:
        return [f"row {i + 1}" for i in range(len(df))]
    cols = [df[c].tolist() for c in key]
    return [
        ", ".join(f"{c}={v}" for c, v in zip(key, vals, strict=True))
        for vals in zip(*cols, strict=True)
    ]


def _describe(row: pd.Series, skip: list[str]) -> str:
    text = "; ".join(f"{c}={v}" for c, v in row.items() if c not in skip and v != "")
    return text if len(text) <= 300 else text[:299] + "…"


def compare_table(label: str, a: pd.DataFrame, b: pd.DataFrame, anchor: str = "") -> list[Change]:
    """Cells, rows and columns of one table that differ between ``a`` (old) and ``b`` (new)."""
    out = [
        Change(
            "table_row",
            label,
            f"column {c}",
            old="" if c in b else c,
            new=c if c in b else "",
            anchor=anchor,
            detail="column added" if c in b else "column removed",
        )
        for c in sorted(set(a.columns) ^ set(b.columns))
    ]
    key = choose_key(a, b)
    if key is None and len(a) != len(b):
        a, b = (
            a.assign(_row=a.astype(str).agg("|".join, axis=1)),
            b.assign(_row=b.astype(str).agg("|".join, axis=1)),
        )
        key = ["_row"]
    ka, kb = _keys(a, key), _keys(b, key)
    pos_a, pos_b = {k: i for i, k in enumerate(ka)}, {k: i for i, k in enumerate(kb)}
    skip = [*(key or []), "_row"]
    for k in [k for k in ka if k not in pos_b]:
        out.append(
            Change(
                "table_row",
                label,
                k,
                old=_describe(a.iloc[pos_a[k]], skip),
                new="",
                anchor=anchor,
                detail="row removed",
            )
        )
    for k in [k for k in kb if k not in pos_a]:
        out.append(
            Change(
                "table_row",
                label,
                k,
                old="",
                new=_describe(b.iloc[pos_b[k]], skip),
                anchor=anchor,
                detail="row added",
            )
        )
    both = [k for k in ka if k in pos_b]
    ia = np.array([pos_a[k] for k in both], dtype=int)
    ib = np.array([pos_b[k] for k in both], dtype=int)
    for c in [c for c in a.columns if c in b.columns and c not in skip]:
        va, vb = a[c].to_numpy()[ia], b[c].to_numpy()[ib]
        for i in np.flatnonzero(va != vb):
            out.append(
                Change(
                    "table_cell",
                    label,
                    f"{both[i]} · {c}",
                    old=va[i],
                    new=vb[i],
                    delta=text_delta(va[i], vb[i]),
                    anchor=anchor,
                )
            )
    return out


def _printed_tables(version: Version) -> dict[str, str]:
    """Table name -> anchor of the section that prints it."""
    return {
        e["name"]: f"article.html#{e['anchor']}"
        for e in version.placeholders or []
        if e["kind"] == "block" and e["call"] == "table"
    }


def compare_tables(old: Version, new: Version) -> list[Change]:
    """The article's tables (values file) and every ``results/*.csv`` present in either."""
    anchors = {**_printed_tables(old), **_printed_tables(new)}
    files: dict[str, tuple[Path | None, Path | None]] = {}
    for i, v in enumerate((old, new)):
        for p in sorted((v.root / RESULTS).glob("*.csv")) if v.root else []:
            if p.name not in SKIP_RESULTS:
                pair = files.setdefault(p.stem, (None, None))
                files[p.stem] = (p, pair[1]) if i == 0 else (pair[0], p)
    changes: list[Change] = []
    for stem, (pa, pb) in sorted(files.items()):
        label = f"{RESULTS}/{stem}.csv"
        if pa is None or pb is None:
            changes.append(_whole(label, pa is None, anchors.get(stem, "")))
        elif pa.read_bytes() != pb.read_bytes():
            changes += compare_table(
                label, read_text_csv(pa), read_text_csv(pb), anchors.get(stem, "")
            )
    names = (set(old.tables) | set(new.tables)) - SKIP_VALUE_TABLES - set(files)
    for name in sorted(names):
        label = f"article table {name}"
        if name not in old.tables or name not in new.tables:
            changes.append(_whole(label, name not in old.tables, anchors.get(name, "")))
        elif old.tables[name] != new.tables[name]:
            a, b = frame(old.tables[name]), frame(new.tables[name])
            changes += compare_table(label, a, b, anchors.get(name, ""))
    return changes


def _whole(label: str, added: bool, anchor: str) -> Change:
    return Change(
        "table_row",
        label,
        "whole table",
        old="" if added else label,
        new=label if added else "",
        anchor=anchor,
        detail="table added" if added else "table removed",
    )
