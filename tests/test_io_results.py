"""The one typed reader of results tables (kzopen.core.io.read_results)."""

from __future__ import annotations

import ast
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from kzopen.core.errors import InputError
from kzopen.core.io import read_results, write_csv

ROOT = Path(__file__).resolve().parents[1]


def test_round_trip_keeps_types(tmp_path):
    df = pd.DataFrame(
        {
            "n": [5, 21],
            "reject": [True, False],
            "rank": pd.array([3, None], dtype="Int64"),
            "holm": pd.array([True, None], dtype="boolean"),
            "est": [0.1, np.nan],
            "iso2": ["NA", "KZ"],  # Namibia, not a missing value
            "note": ["None", None],
            "empty": [np.nan, np.nan],
        }
    )
    write_csv(df, tmp_path / "t.csv")
    back = read_results(tmp_path / "t.csv")
    assert dict(back.dtypes.astype(str)) == {
        "n": "int64",
        "reject": "bool",
        "rank": "Int64",
        "holm": "boolean",
        "est": "float64",
        "iso2": "object",
        "note": "object",
        "empty": "float64",
    }
    assert back["iso2"].tolist() == ["NA", "KZ"]
    assert back["note"].iloc[0] == "None" and pd.isna(back["note"].iloc[1])
    assert back["rank"].iloc[0] == 3 and pd.isna(back["rank"].iloc[1])


def test_text_mode_keeps_every_cell_as_written(tmp_path):
    (tmp_path / "t.csv").write_text("a,b\n1.50,\nNA,x\n", encoding="utf-8")
    back = read_results(tmp_path / "t.csv", text=True)
    assert back.to_dict("list") == {"a": ["1.50", "NA"], "b": ["", "x"]}


@pytest.mark.parametrize(
    ("content", "problem"),
    [(None, "file not found"), (b"", "file is empty"), (b"a,b\n\xff,1\n", "not valid UTF-8")],
)
def test_unreadable_tables_are_input_errors(tmp_path, content, problem):
    path = tmp_path / "t.csv"
    if content is not None:
        path.write_bytes(content)
    with pytest.raises(InputError, match=problem) as err:
        read_results(path)
    assert str(path) in str(err.value)


def test_every_consumer_reads_results_through_the_one_reader():
    """No script or library module parses a CSV with pandas itself: results through
    read_results, raw files through ingest's read_csv_file, both over core.io.parse_csv."""
    offenders = []
    files = [*ROOT.glob("workflow/scripts/*.py"), *ROOT.glob("src/kzopen/**/*.py")]
    for path in files:
        rel = path.relative_to(ROOT).as_posix()
        if rel == "src/kzopen/core/io.py":
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            imported = isinstance(node, ast.ImportFrom) and any(
                a.name == "read_csv" for a in node.names
            )
            if imported or (isinstance(node, ast.Attribute) and node.attr == "read_csv"):
                offenders.append(f"{rel}:{node.lineno}")
    assert offenders == []


def test_one_row_returns_the_row_or_names_file_and_column():
    from kzopen.core.io import one_row

    df = pd.DataFrame({"scope": ["all", "cis", "cis"], "n": [3, 1, 2]})
    assert one_row(df, "scope", "all", "t.csv")["n"] == 3
    for value, count in (("cis", 2), ("eu", 0)):
        with pytest.raises(InputError, match=f"{count} rows have scope = {value}") as err:
            one_row(df, "scope", value, "t.csv", "exactly one row per scope")
        assert err.value.column == "scope" and "exactly one row per scope" in str(err.value)


def test_a_header_only_table_has_the_dtype_of_a_column_without_values(tmp_path: Path):
    path = tmp_path / "t.csv"
    path.write_text("source,n,ok\n", encoding="utf-8")
    df = read_results(path)
    assert list(df.columns) == ["source", "n", "ok"] and df.empty
    assert set(df.dtypes.astype(str)) == {"float64"}
