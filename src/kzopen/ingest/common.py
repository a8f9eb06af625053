"""Readers that turn each vendored publisher file into one tidy, validated table.

Every country-index reader returns the long format of :data:`INDEX_COLUMNS`:
``iso3, country, year, source, indicator, indicator_label, value, std_error, scale_min,
scale_max``. Validation uses pandera; a failure becomes an :class:`InputError` naming the
file, the row (as a spreadsheet counts it) and the column.

"""

from __future__ import annotations

import contextvars
import csv
import io
import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType

import country_converter as coco
import numpy as np
import openpyxl
import pandas as pd
import pandera.pandas as pa

from kzopen.core.errors import InputError
from kzopen.core.io import parse_csv

INDEX_COLUMNS = [
    "iso3",
    "country",
    "year",
    "source",
    "indicator",
    "indicator_label",
    "value",
    "std_error",
    "scale_min",
    "scale_max",
]


# Renamed columns and sheets of a new release, {name in the file: name the reader expects}
# (config ingest.column_map); set by read_source for the files of one source.
RENAMES: contextvars.ContextVar[Mapping[str, str]] = contextvars.ContextVar(
    "renames", default=MappingProxyType({})
)
RENAME_HINT = (
    "; a column or sheet renamed in a new release can be mapped in config ingest.column_map"
)


@dataclass(frozen=True)
class Indicator:
    """One measured quantity: its raw column, label and the scale it lives on."""

    column: str
    name: str
    label: str
    scale_min: float
    scale_max: float


# --------------------------------------------------------------------------- helpers


def check_csv_text(path: str | Path, encoding: str = "utf-8") -> None:
    """Check a CSV's bytes before parsing: no stray BOM, valid UTF-8, one field count per line.

    pandas silently pads a short line (a truncated file) with missing values; this names the
    line instead. A byte-order mark is accepted only when ``encoding`` is ``utf-8-sig``.
    """
    try:
        data = Path(path).read_bytes()
    except FileNotFoundError:
        raise InputError(path, "file not found") from None
    if data.startswith(b"\xef\xbb\xbf"):
        if encoding != "utf-8-sig":
            raise InputError(
                path,
                "starts with a UTF-8 byte-order mark (BOM)",
                row=1,
                expected="UTF-8 without BOM (re-save the file as plain UTF-8)",
            )
        data = data[3:]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise InputError(
            path, f"not valid UTF-8 text (byte 0x{data[exc.start]:02x})", row=line, expected="UTF-8"
        ) from None
    rows = csv.reader(io.StringIO(text, newline=""))
    header = next(rows, None)
    if not header:
        return  # an empty file is reported by the parser
    check_header_names(header, path, row=1)
    if len(header) == 1:
        delim = next((d for d in (";", "\t", "|") if d in header[0]), None)
        if delim:
            raise InputError(
                path,
                f"the header is a single field; the file seems to use {delim!r} as the delimiter",
                row=1,
                expected="comma-separated values",
            )
    last = check_field_counts(path, header, rows)
    # quotes come in pairs ("" inside a field too): an odd count is a field left open, which
    # the csv module reads silently up to the end of the file
    if text.count('"') % 2:
        raise InputError(
            path,
            "a quoted field is never closed (truncated file?)",
            row=last,
            expected="every opening quote closed by a quote",
        )


def check_field_counts(path: str | Path, header: list[str], rows: Iterable[list[str]]) -> int:
    """Every non-empty line has as many fields as the header; returns the last line number."""
    last = 1
    for last, fields in enumerate(rows, start=2):
        if fields and len(fields) != len(header):
            raise InputError(
                path,
                f"line has {len(fields)} fields but the header has {len(header)} "
                "(truncated file or wrong delimiter?)",
                row=last,
                expected=f"{len(header)} comma-separated fields on every line",
            )
    return last


def check_header_names(header: Iterable[object], path: str | Path, row: int) -> None:
    """Two columns with one name are ambiguous (pandas would silently rename the second)."""
    seen: set[str] = set()
    for name in (str(h).strip() for h in header if h is not None and str(h).strip()):
        if name in seen:
            raise InputError(
                path,
                "two columns have this name",
                row=row,
                column=name,
                expected="each column name once in the header",
            )
        seen.add(name)


def read_csv_file(path: str | Path, **kwargs) -> pd.DataFrame:
    """Read a CSV strictly: UTF-8 (a BOM is tolerated only where ``encoding`` says so)."""
    kwargs.setdefault("encoding", "utf-8")
    check_csv_text(path, kwargs["encoding"])
    df = parse_csv(
        path,
        missing=None,
        empty="a header row and data rows",
        malformed="comma-separated values, quotes closed",
        **kwargs,
    )
    if df.empty:
        raise InputError(path, "no data rows", expected="at least one data row")
    return df.rename(columns=RENAMES.get())


def read_excel_sheet(path: str | Path, sheet: str, header: int) -> pd.DataFrame:
    """One sheet as a frame of the cells as typed; ``header`` is the 0-based header row.

    Read cell by cell with openpyxl rather than pandas, which silently turns an Excel error
    cell (#N/A, #DIV/0!) into a missing value and TRUE into 1.
    """
    try:
        book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except FileNotFoundError:
        raise InputError(path, "file not found") from None
    except Exception as exc:  # openpyxl raises several unrelated types for a corrupt workbook
        raise InputError(
            path,
            f"cannot be opened as an .xlsx workbook ({type(exc).__name__})",
            expected="the publisher's .xlsx file, complete (download it again)",
        ) from None
    # a renamed sheet of a new release (config ingest.column_map: {new name: expected name})
    renamed = [new for new, old in RENAMES.get().items() if old == sheet]
    sheet = next((n for n in renamed if n in book.sheetnames), sheet)
    try:
        if sheet not in book.sheetnames:
            raise InputError(
                path, f"sheet {sheet!r} not found", expected=f"one of {book.sheetnames}"
            )
        rows = _sheet_rows(book[sheet], path, header)
    finally:
        book.close()
    if len(rows) <= header + 1:
        raise InputError(
            path,
            f"sheet {sheet!r} has no data rows",
            row=header + 2,
            expected=f"a header on row {header + 1} and data rows below it",
        )
    names = [f"Unnamed: {j}" if v is None else v for j, v in enumerate(rows[header])]
    check_header_names(names, path, row=header + 1)
    # only an empty cell is missing: "n/a" or "NA" typed into a score cell is an error
    body = [[np.nan if v is None or v == "" else v for v in r] for r in rows[header + 1 :]]
    return pd.DataFrame(body, columns=names, dtype=object).rename(columns=RENAMES.get())


def _sheet_rows(ws, path: str | Path, header: int) -> list[list[object]]:
    """Cell values row by row, padded to one width, trailing empty rows dropped."""
    rows: list[list[object]] = []
    for r, cells in enumerate(ws.iter_rows(), start=1):
        values = []
        for cell in cells:
            if cell.data_type == "e" or isinstance(cell.value, bool):
                what = "an Excel error" if cell.data_type == "e" else "a logical (TRUE/FALSE)"
                raise InputError(
                    path,
                    f"cell {cell.coordinate} holds {what} value {cell.value!r}",
                    row=r,
                    column=_header_name(rows, header, cell.column),
                    expected="a number or text (fix the formula or the cell in the workbook)",
                )
            values.append(cell.value)
        rows.append(values)
    while rows and all(v is None for v in rows[-1]):
        rows.pop()
    width = max((len(r) for r in rows), default=0)
    return [r + [None] * (width - len(r)) for r in rows]


def _header_name(rows: list[list[object]], header: int, column: int | None) -> str | None:
    if column is None or len(rows) <= header or column > len(rows[header]):
        return None
    name = rows[header][column - 1]
    return None if name is None else str(name)


def require_columns(df: pd.DataFrame, columns: Iterable[str], path: str | Path) -> None:
    have = [str(c) for c in df.columns]
    for col in columns:
        if col not in have:
            raise InputError(
                path, "required column missing", column=col, expected=f"columns {list(columns)}"
            )


def validate(
    df: pd.DataFrame, schema: pa.DataFrameSchema, path: str | Path, first_row: int = 2
) -> pd.DataFrame:
    """Validate with pandera; report the first failure with its spreadsheet row and column.

    ``first_row`` is the spreadsheet row number of the frame's first data row (2 for a CSV
    with one header line). The frame must still have its original 0..n-1 index.
    """
    for name, column in schema.columns.items():
        if column.coerce and name in df.columns and str(column.dtype).startswith(("float", "int")):
            check_number_cells(df[name], path, name, first_row)
    try:
        return schema.validate(df, lazy=True)
    except pa.errors.SchemaErrors as exc:
        fc = exc.failure_cases
        fc = fc[fc["index"].notna()] if fc["index"].notna().any() else fc
        first = fc.iloc[0]
        column = first["column"] if isinstance(first["column"], str) else None
        row = int(first["index"]) + first_row if pd.notna(first["index"]) else None
        value = first["failure_case"]
        value = value.item() if hasattr(value, "item") else value
        check = str(first["check"])
        if check.startswith("coerce_dtype") or check.startswith("dtype"):
            problem, expected = f"value {value!r} is not a number", "a numeric value"
        elif "in_range" in check or "greater" in check or "less" in check:
            problem, expected = f"value {value!r} is out of range", check
        elif "field_uniqueness" in check or "unique" in check.lower():
            problem, expected = f"duplicate key {value!r}", "one row per key"
        elif "not_nullable" in check:
            problem, expected = "missing value", "a non-empty value"
        else:
            problem, expected = f"value {value!r} fails check {check}", None
        raise InputError(path, problem, row=row, column=column, expected=expected) from None


# A number as a CSV or spreadsheet user writes it. Python's float() also takes "nan", "inf",
# "1_000" and full-width digits; a cell holding those is a mistake, not a missing value.
_NUMBER = re.compile(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?")


def _bad_number(value: object) -> bool:
    if value is None or isinstance(value, bool | np.bool_):
        return isinstance(value, bool | np.bool_)
    if isinstance(value, int | np.integer):
        return False
    if isinstance(value, float | np.floating):
        return bool(np.isinf(value))  # NaN is an empty cell
    text = str(value).strip(" \t")
    return not _NUMBER.fullmatch(text)


def check_number_cells(values: pd.Series, path: str | Path, column: str, first_row: int) -> None:
    """Every non-missing cell of a numeric column is a plain decimal number."""
    bad = values.map(_bad_number).to_numpy(dtype=bool)
    if bad.any():
        i = int(np.flatnonzero(bad)[0])
        value = values.iat[i]
        raise InputError(
            path,
            f"value {value!r} is not a number",
            row=int(values.index[i]) + first_row,
            column=column,
            expected="a decimal number such as 42 or 0.75 (an empty cell if missing)",
        )


def range_schema(columns: Mapping[str, tuple[float, float]], nullable: bool = True) -> dict:
    return {
        c: pa.Column(
            float, pa.Check.in_range(lo, hi), coerce=True, nullable=nullable, required=True
        )
        for c, (lo, hi) in columns.items()
    }


def text_problem(value: str) -> str | None:
    """Why an identifier (code, name, key) looks mistyped: invisible or look-alike characters."""
    for ch in value:
        cat = unicodedata.category(ch)
        if cat in ("Cf", "Cc", "Co", "Cn") or (cat == "Zs" and ch != " "):
            return f"an invisible or special character U+{ord(ch):04X}"
    if unicodedata.normalize("NFKC", value) != value:
        return "full-width or other compatibility characters"
    for word in value.split():
        scripts = {unicodedata.name(ch, "?").split()[0] for ch in word if ch.isalpha()}
        mixed = scripts & {"LATIN", "CYRILLIC", "GREEK"}
        if len(mixed) > 1:
            return f"letters of several alphabets in {word!r} ({', '.join(sorted(mixed))}: look-alikes?)"
    return None


def check_key_text(
    df: pd.DataFrame, columns: Iterable[str], path: str | Path, first_row: int = 2
) -> None:
    """Identifiers hold no invisible characters and no mixed-alphabet look-alikes."""
    for col in columns:
        if col not in df.columns or df[col].dtype != object:
            continue
        for pos, value in enumerate(df[col]):
            problem = text_problem(value) if isinstance(value, str) else None
            if problem:
                raise InputError(
                    path,
                    f"value {value!r} contains {problem}",
                    row=int(df.index[pos]) + first_row,
                    column=col,
                    expected="plain text as the publisher writes it",
                )


def check_unique(df: pd.DataFrame, keys: list[str], path: str | Path, first_row: int = 2) -> None:
    check_key_text(df, [k for k in keys if not k.startswith("_")], path, first_row)
    dup = df.duplicated(subset=keys, keep="first")
    if dup.any():
        i = int(np.flatnonzero(dup.to_numpy())[0])
        key = ", ".join(f"{k}={df[k].iat[i]!r}" for k in keys)
        raise InputError(
            path,
            f"duplicate key ({key})",
            row=int(df.index[i]) + first_row,  # the index is the row's position in the file
            column=keys[0],
            expected="one row per key",
        )


def names_to_iso3(names: pd.Series, path: str | Path, column: str, first_row: int = 2) -> pd.Series:
    """Country names to ISO3 with country_converter; an unmatched name is an error."""
    cleaned = names.astype(str).str.strip()
    check_key_text(cleaned.to_frame(column), [column], path, first_row)
    uniq = sorted(set(cleaned))
    converted = coco.convert(uniq, to="ISO3", not_found=None)
    mapping = dict(
        zip(uniq, converted if isinstance(converted, list) else [converted], strict=True)
    )
    # the index is the frame's original row position (filtered frames keep it), not i-th name
    for i, name in cleaned.items():
        iso = mapping[name]
        if not isinstance(iso, str) or not re.fullmatch(r"[A-Z]{3}", iso):
            raise InputError(
                path,
                f"country name {name!r} not recognised",
                row=i + first_row,
                column=column,
                expected="a country name that country_converter maps to one ISO3 code",
            )
    return cleaned.map(mapping)


def finish_index_table(df: pd.DataFrame, source: str) -> pd.DataFrame:
    df = df.assign(source=source)
    df["year"] = df["year"].astype("int64")
    for c in ("value", "std_error", "scale_min", "scale_max"):
        df[c] = df[c].astype("float64")
    df = df.dropna(subset=["value"])
    return (
        df[INDEX_COLUMNS]
        .sort_values(["indicator", "year", "iso3"], kind="stable")
        .reset_index(drop=True)
    )


def wide_to_long(
    raw: pd.DataFrame,
    indicators: list[Indicator],
    iso3: pd.Series,
    country: pd.Series,
    year: pd.Series,
) -> pd.DataFrame:
    return pd.concat(
        [
            pd.DataFrame(
                {
                    "iso3": iso3,
                    "country": country,
                    "year": year,
                    "indicator": ind.name,
                    "indicator_label": ind.label,
                    "value": raw[ind.column],
                    "std_error": np.nan,
                    "scale_min": ind.scale_min,
                    "scale_max": ind.scale_max,
                }
            )
            for ind in indicators
        ],
        ignore_index=True,
    )
