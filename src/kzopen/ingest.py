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

from kzopen.errors import InputError

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
_RENAMES: contextvars.ContextVar[Mapping[str, str]] = contextvars.ContextVar(
    "renames", default=MappingProxyType({})
)
_RENAME_HINT = (
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
                path, "starts with a UTF-8 byte-order mark (BOM)", row=1,
                expected="UTF-8 without BOM (re-save the file as plain UTF-8)",
            )  # fmt: skip
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
                path, f"the header is a single field; the file seems to use {delim!r} as the "
                "delimiter", row=1, expected="comma-separated values",
            )  # fmt: skip
    last = 1
    for last, fields in enumerate(rows, start=2):
        if fields and len(fields) != len(header):
            raise InputError(
                path, f"line has {len(fields)} fields but the header has {len(header)} "
                "(truncated file or wrong delimiter?)", row=last,
                expected=f"{len(header)} comma-separated fields on every line",
            )  # fmt: skip
    # quotes come in pairs ("" inside a field too): an odd count is a field left open, which
    # the csv module reads silently up to the end of the file
    if text.count('"') % 2:
        raise InputError(
            path, "a quoted field is never closed (truncated file?)", row=last,
            expected="every opening quote closed by a quote",
        )  # fmt: skip


def check_header_names(header: Iterable[object], path: str | Path, row: int) -> None:
    """Two columns with one name are ambiguous (pandas would silently rename the second)."""
    seen: set[str] = set()
    for name in (str(h).strip() for h in header if h is not None and str(h).strip()):
        if name in seen:
            raise InputError(
                path, "two columns have this name", row=row, column=name,
                expected="each column name once in the header",
            )  # fmt: skip
        seen.add(name)


def _read_csv(path: str | Path, **kwargs) -> pd.DataFrame:
    """Read a CSV strictly: UTF-8 (a BOM is tolerated only where ``encoding`` says so)."""
    kwargs.setdefault("encoding", "utf-8")
    check_csv_text(path, kwargs["encoding"])
    try:
        df = pd.read_csv(path, **kwargs)
    except FileNotFoundError:
        raise InputError(path, "file not found") from None
    except pd.errors.EmptyDataError:
        raise InputError(path, "file is empty", expected="a header row and data rows") from None
    except UnicodeDecodeError as exc:
        raise InputError(
            path, f"not valid {kwargs['encoding']} text (byte {exc.start})", expected="UTF-8"
        ) from None
    except pd.errors.ParserError as exc:
        raise InputError(
            path, f"malformed CSV: {exc}", expected="comma-separated values, quotes closed"
        ) from None
    if df.empty:
        raise InputError(path, "no data rows", expected="at least one data row")
    return df.rename(columns=_RENAMES.get())


def _read_excel(path: str | Path, sheet: str, header: int) -> pd.DataFrame:
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
            path, f"cannot be opened as an .xlsx workbook ({type(exc).__name__})",
            expected="the publisher's .xlsx file, complete (download it again)",
        ) from None  # fmt: skip
    # a renamed sheet of a new release (config ingest.column_map: {new name: expected name})
    renamed = [new for new, old in _RENAMES.get().items() if old == sheet]
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
            path, f"sheet {sheet!r} has no data rows", row=header + 2,
            expected=f"a header on row {header + 1} and data rows below it",
        )  # fmt: skip
    names = [f"Unnamed: {j}" if v is None else v for j, v in enumerate(rows[header])]
    check_header_names(names, path, row=header + 1)
    # only an empty cell is missing: "n/a" or "NA" typed into a score cell is an error
    body = [[np.nan if v is None or v == "" else v for v in r] for r in rows[header + 1 :]]
    return pd.DataFrame(body, columns=names, dtype=object).rename(columns=_RENAMES.get())


def _sheet_rows(ws, path: str | Path, header: int) -> list[list[object]]:
    """Cell values row by row, padded to one width, trailing empty rows dropped."""
    rows: list[list[object]] = []
    for r, cells in enumerate(ws.iter_rows(), start=1):
        values = []
        for cell in cells:
            if cell.data_type == "e" or isinstance(cell.value, bool):
                what = "an Excel error" if cell.data_type == "e" else "a logical (TRUE/FALSE)"
                raise InputError(
                    path, f"cell {cell.coordinate} holds {what} value {cell.value!r}", row=r,
                    column=_header_name(rows, header, cell.column),
                    expected="a number or text (fix the formula or the cell in the workbook)",
                )  # fmt: skip
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
            path, f"value {value!r} is not a number", row=int(values.index[i]) + first_row,
            column=column, expected="a decimal number such as 42 or 0.75 (an empty cell if missing)",
        )  # fmt: skip


def _range_schema(columns: Mapping[str, tuple[float, float]], nullable: bool = True) -> dict:
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
                    path, f"value {value!r} contains {problem}", row=int(df.index[pos]) + first_row,
                    column=col, expected="plain text as the publisher writes it",
                )  # fmt: skip


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


def _finish(df: pd.DataFrame, source: str) -> pd.DataFrame:
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


# --------------------------------------------------------------------------- TI CPI

CPI_SHEET = "CPI Timeseries 2012 - 2023"
CPI_CODE_FIXES = {"KSV": "XKX"}  # TI codes Kosovo as KSV; ISO 3166 user-assigned code is XKX


def read_cpi(path: str | Path) -> pd.DataFrame:
    """TI Corruption Perceptions Index 2012-2023 from the original workbook (0-100 scale)."""
    raw = _read_excel(path, CPI_SHEET, header=3)
    raw.columns = [str(c).strip() for c in raw.columns]
    require_columns(raw, ["Country / Territory", "ISO3"], path)
    years = sorted(
        int(m.group(1)) for c in raw.columns if (m := re.fullmatch(r"CPI [sS]core (\d{4})", c))
    )
    if not years:
        raise InputError(path, f"sheet {CPI_SHEET!r} has no 'CPI score YYYY' columns")
    score_cols = {y: next(c for c in raw.columns if c.lower() == f"cpi score {y}") for y in years}
    for y in years:
        require_columns(raw, [f"Standard error {y}"], path)
    first_row = 5  # header on spreadsheet row 4
    schema = pa.DataFrameSchema(
        {
            "ISO3": pa.Column(str, pa.Check.str_matches(r"^[A-Z]{3}$"), nullable=False),
            **_range_schema({score_cols[y]: (0, 100) for y in years}),
            **_range_schema({f"Standard error {y}": (0, 50) for y in years}),
        }
    )
    raw = validate(raw, schema, path, first_row)
    check_unique(raw, ["ISO3"], path, first_row)
    parts = [
        pd.DataFrame(
            {
                "iso3": raw["ISO3"].replace(CPI_CODE_FIXES),
                "country": raw["Country / Territory"].astype(str).str.strip(),
                "year": y,
                "indicator": "cpi_score",
                "indicator_label": "Corruption Perceptions Index",
                "value": raw[score_cols[y]],
                "std_error": raw[f"Standard error {y}"],
                "scale_min": 0.0,
                "scale_max": 100.0,
            }
        )
        for y in years
    ]
    return _finish(pd.concat(parts, ignore_index=True), "ti_cpi")


# --------------------------------------------------------------------------- World Bank WGI

WGI_LABELS = {
    "va": "Voice and Accountability",
    "pv": "Political Stability and Absence of Violence",
    "ge": "Government Effectiveness",
    "rq": "Regulatory Quality",
    "rl": "Rule of Law",
    "cc": "Control of Corruption",
}
# World Bank codes that are not ISO3 (the WGI file keeps legacy codes).
WGI_CODE_FIXES = {
    "ROM": "ROU",
    "ZAR": "COD",
    "KSV": "XKX",
    "ADO": "AND",
    "TMP": "TLS",
    "WBG": "PSE",
}
WGI_BOUNDS = (-4.0, 4.0)  # standard-normal units; published estimates lie within about +-3.5


def read_wgi(path: str | Path) -> pd.DataFrame:
    """World Bank Worldwide Governance Indicators (estimate and its standard error)."""
    # only the publisher's ".." (and an empty cell) mean missing; "n/a" or "NA" is an error
    raw = _read_csv(
        path, encoding="utf-8-sig", na_values=["..", ""], keep_default_na=False, dtype=str
    )
    cols = ["code", "countryname", "year", "indicator", "estimate", "stddev"]
    require_columns(raw, cols, path)
    schema = pa.DataFrameSchema(
        {
            "code": pa.Column(str, pa.Check.str_matches(r"^[A-Z]{3}$"), nullable=False),
            "year": pa.Column(int, pa.Check.in_range(1996, 2100), coerce=True, nullable=False),
            "indicator": pa.Column(str, pa.Check.isin(list(WGI_LABELS)), nullable=False),
            **_range_schema({"estimate": WGI_BOUNDS, "stddev": (0, 5)}),
        }
    )
    raw = validate(raw, schema, path)
    check_unique(raw, ["code", "indicator", "year"], path)
    df = pd.DataFrame(
        {
            "iso3": raw["code"].replace(WGI_CODE_FIXES),
            "country": raw["countryname"].str.strip(),
            "year": raw["year"],
            "indicator": raw["indicator"],
            "indicator_label": raw["indicator"].map(WGI_LABELS),
            "value": raw["estimate"],
            "std_error": raw["stddev"],
            "scale_min": WGI_BOUNDS[0],
            "scale_max": WGI_BOUNDS[1],
        }
    )
    return _finish(df, "wb_wgi")


# --------------------------------------------------------------------------- IBP OBS

OBS_INDICATORS = [
    Indicator(
        "budget_transparency_score",
        "budget_transparency",
        "Open Budget Index (transparency)",
        0,
        100,
    ),
    Indicator("public_participation_score", "public_participation", "Public participation", 0, 100),
    Indicator("oversight_score", "oversight", "Budget oversight (overall)", 0, 100),
    Indicator(
        "legislative_oversight_score", "legislative_oversight", "Legislative oversight", 0, 100
    ),
    Indicator(
        "supreme_audit_oversight_score",
        "audit_oversight",
        "Supreme audit institution oversight",
        0,
        100,
    ),
]


def _wide_to_long(
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


def read_obs(path: str | Path) -> pd.DataFrame:
    """IBP Open Budget Survey country scores (0-100) by survey round."""
    raw = _read_csv(path, dtype=str, keep_default_na=False, na_values=[""])  # "n/a" is an error
    require_columns(raw, ["country_code", "year", *[i.column for i in OBS_INDICATORS]], path)
    schema = pa.DataFrameSchema(
        {
            "country_code": pa.Column(str, pa.Check.str_matches(r"^[A-Z]{3}$"), nullable=False),
            "year": pa.Column(int, pa.Check.in_range(2006, 2100), coerce=True, nullable=False),
            **_range_schema({i.column: (0, 100) for i in OBS_INDICATORS}),
        }
    )
    raw = validate(raw, schema, path)
    check_unique(raw, ["country_code", "year"], path)
    names = pd.Series(
        coco.convert(raw["country_code"].tolist(), src="ISO3", to="name_short", not_found=None),
        index=raw.index,
    )
    df = _wide_to_long(
        raw, OBS_INDICATORS, raw["country_code"], names.fillna(raw["country_code"]), raw["year"]
    )
    return _finish(df, "ibp_open_budget_survey")


# --------------------------------------------------------------------------- UN E-Government

EGOV_LAYOUTS = {
    # file year -> (country column, {raw column: indicator})
    2022: (
        "Country Name",
        {
            "E-Government Index": "egdi",
            "E-Participation Index": "epi",
            "Online Service Index": "osi",
            "Human Capital Index": "hci",
            "Telecommunication Infrastructure Index": "tii",
        },
    ),
    2024: (
        "Country",
        {
            "E_Index": "egdi",
            "E_Participation": "epi",
            "Online_Service": "osi",
            "Human_Capital": "hci",
            "Tele_Infra": "tii",
        },
    ),
}
EGOV_LABELS = {
    "egdi": "E-Government Development Index",
    "epi": "E-Participation Index",
    "osi": "Online Service Index",
    "hci": "Human Capital Index",
    "tii": "Telecommunication Infrastructure Index",
}


def read_egov(path: str | Path) -> pd.DataFrame:
    """One edition of the UN E-Government Survey (indices on 0-1); the layout is detected."""
    raw = _read_csv(path, dtype=str, keep_default_na=False, na_values=[""])  # "n/a" is an error
    raw.columns = [str(c).strip() for c in raw.columns]
    require_columns(raw, ["Survey Year"], path)
    year_values = pd.to_numeric(raw["Survey Year"], errors="coerce")
    layout = None
    if year_values.notna().all() and year_values.nunique() == 1:
        layout = EGOV_LAYOUTS.get(int(year_values.iat[0]))
    if layout is None:
        raise InputError(
            path,
            "'Survey Year' must hold one known edition",
            column="Survey Year",
            expected=f"one of {sorted(EGOV_LAYOUTS)} in every row",
        )
    country_col, columns = layout
    require_columns(raw, [country_col, *columns], path)
    raw = validate(raw, pa.DataFrameSchema(_range_schema(dict.fromkeys(columns, (0, 1)))), path)
    iso3 = names_to_iso3(raw[country_col], path, country_col)
    raw = raw.assign(_iso3=iso3)
    check_unique(raw, ["_iso3"], path)
    inds = [Indicator(c, n, EGOV_LABELS[n], 0, 1) for c, n in columns.items()]
    df = _wide_to_long(raw, inds, iso3, raw[country_col].str.strip(), year_values.astype(int))
    return _finish(df, "un_egov_survey")


# --------------------------------------------------------------------------- WJP

WJP_INDICATORS = [
    Indicator(
        "WJP Rule of Law Index: Overall Score", "overall", "Rule of Law Index (overall)", 0, 1
    ),
    Indicator("Factor 3: Open Government", "f3_open_government", "Factor 3: Open Government", 0, 1),
    Indicator(
        "3.1. Publicized laws and government data",
        "f3_1_publicized_laws",
        "3.1 Publicized laws and government data",
        0,
        1,
    ),
    Indicator(
        "3.2 Right to information", "f3_2_right_to_information", "3.2 Right to information", 0, 1
    ),
    Indicator(
        "3.3 Civic participation", "f3_3_civic_participation", "3.3 Civic participation", 0, 1
    ),
    Indicator(
        "3.4 Complaint mechanisms", "f3_4_complaint_mechanisms", "3.4 Complaint mechanisms", 0, 1
    ),
    Indicator(
        "Factor 2: Absence of Corruption",
        "f2_absence_of_corruption",
        "Factor 2: Absence of Corruption",
        0,
        1,
    ),
]


def wjp_edition_year(label: str) -> int:
    """'2017-2018' -> 2018: a two-year edition is dated by its later (publication) year."""
    m = re.fullmatch(r"(\d{4})(?:-(\d{4}))?", str(label).strip())
    if not m:
        raise ValueError(label)
    return int(m.group(2) or m.group(1))


def read_wjp(path: str | Path) -> pd.DataFrame:
    """WJP Rule of Law Index: overall score, Factor 2, Factor 3 Open Government and 3.1-3.4."""
    raw = _read_csv(path, dtype=str, keep_default_na=False, na_values=[""])  # "n/a" is an error
    raw.columns = [str(c).strip() for c in raw.columns]
    require_columns(
        raw, ["Country", "Year", "Country Code", *[i.column for i in WJP_INDICATORS]], path
    )
    schema = pa.DataFrameSchema(
        {
            "Country Code": pa.Column(str, pa.Check.str_matches(r"^[A-Z]{3}$"), nullable=False),
            "Year": pa.Column(str, pa.Check.str_matches(r"^\d{4}(-\d{4})?$"), nullable=False),
            **_range_schema({i.column: (0, 1) for i in WJP_INDICATORS}),
        }
    )
    raw = validate(raw, schema, path)
    year = raw["Year"].map(wjp_edition_year)
    raw = raw.assign(_year=year)
    check_unique(raw, ["Country Code", "_year"], path)
    df = _wide_to_long(raw, WJP_INDICATORS, raw["Country Code"], raw["Country"].str.strip(), year)
    return _finish(df, "wjp_rule_of_law")


# --------------------------------------------------------------------------- Freedom House

FIW_SHEET = "FIW13-24"
FIW_INDICATORS = [
    # PR (and so Total) can fall below 0: question "Add Q" subtracts up to 4 points.
    Indicator("Total", "total", "Freedom in the World total score", -4, 100),
    Indicator("PR", "political_rights", "Political rights", -4, 40),
    Indicator("CL", "civil_liberties", "Civil liberties", 0, 60),
    Indicator("C", "functioning_of_government", "C. Functioning of government", 0, 12),
    Indicator(
        "C3", "c3_openness_transparency", "C3. Openness and transparency of government", 0, 4
    ),
]


def read_fiw(path: str | Path) -> pd.DataFrame:
    """Freedom House, Freedom in the World: countries only (territories are not scored states).

    ``year`` is the edition (report) year; each edition scores the previous calendar year.
    """
    raw = _read_excel(path, FIW_SHEET, header=1)
    raw.columns = [str(c).strip() for c in raw.columns]
    require_columns(
        raw, ["Country/Territory", "C/T", "Edition", *[i.column for i in FIW_INDICATORS]], path
    )
    first_row = 3  # header on spreadsheet row 2
    schema = pa.DataFrameSchema(
        {
            "C/T": pa.Column(str, pa.Check.isin(["c", "t"]), nullable=False),
            "Edition": pa.Column(int, pa.Check.in_range(2000, 2100), coerce=True, nullable=False),
            **_range_schema({i.column: (i.scale_min, i.scale_max) for i in FIW_INDICATORS}),
        }
    )
    raw = validate(raw, schema, path, first_row)
    check_unique(raw, ["Country/Territory", "Edition"], path, first_row)
    countries = raw[raw["C/T"] == "c"]
    iso3 = names_to_iso3(countries["Country/Territory"], path, "Country/Territory", first_row)
    df = _wide_to_long(
        countries,
        FIW_INDICATORS,
        iso3,
        countries["Country/Territory"].str.strip(),
        countries["Edition"],
    )
    return _finish(df, "freedom_house_fiw")


# --------------------------------------------------------------------------- Kazakhstan regions

KZ_REGIONS = {
    "ABY": "Abai", "AKM": "Akmola", "AKT": "Aktobe", "ALM": "Almaty oblast", "ALA": "Almaty city",
    "AST": "Astana city", "ATY": "Atyrau", "KRG": "Karaganda", "VKO": "East Kazakhstan",
    "ZHT": "Zhetysu", "KST": "Kostanay", "KZL": "Kyzylorda", "MNG": "Mangystau",
    "PVL": "Pavlodar", "SHM": "Shymkent city", "SKO": "North Kazakhstan", "TRK": "Turkistan",
    "ULT": "Ulytau", "ZHM": "Zhambyl", "ZKO": "West Kazakhstan", "national": "Kazakhstan",
}  # fmt: skip
KZ_CITIES = {"ALA", "AST", "SHM"}  # cities of republican significance


def read_kz_population(path: str | Path) -> pd.DataFrame:
    """Average annual population by region (BNS). Columns: region_code, region, city, year, population."""
    raw = _read_csv(path, dtype=str, keep_default_na=False, na_values=[""])  # "n/a" is an error
    require_columns(raw, ["date", "region", "item_code", "value"], path)
    schema = pa.DataFrameSchema(
        {
            "date": pa.Column(str, pa.Check.str_matches(r"^\d{4}-12-31$"), nullable=False),
            "region": pa.Column(str, pa.Check.isin(list(KZ_REGIONS)), nullable=False),
            "item_code": pa.Column(str, pa.Check.eq("ALL"), nullable=False),
            "value": pa.Column(float, pa.Check.in_range(1, 1e8), coerce=True, nullable=False),
        }
    )
    raw = validate(raw, schema, path)
    raw = raw.assign(year=raw["date"].str.slice(0, 4).astype(int))
    check_unique(raw, ["region", "year"], path)
    df = pd.DataFrame(
        {
            "region_code": raw["region"],
            "region": raw["region"].map(KZ_REGIONS),
            "city": raw["region"].isin(KZ_CITIES),
            "year": raw["year"].astype("int64"),
            "population": raw["value"].astype("float64"),
        }
    )
    return df.sort_values(["region_code", "year"], kind="stable").reset_index(drop=True)


# --------------------------------------------------------------------------- groups and combine

GROUP_BOOL_COLUMNS = [
    "eu27", "coe_member", "cis_ever", "cis_members_2023", "central_asia", "europe_m49", "europe_m49_non_cis",
]  # fmt: skip


def read_country_groups(path: str | Path) -> pd.DataFrame:
    """The country groupings table (one row per ISO3) with boolean membership columns."""
    raw = _read_csv(path, dtype=str, keep_default_na=False)
    require_columns(
        raw, ["iso3", "name", "un_m49_subregion", "cis_from", "cis_to", *GROUP_BOOL_COLUMNS], path
    )
    schema = pa.DataFrameSchema(
        {
            "iso3": pa.Column(
                str, pa.Check.str_matches(r"^[A-Z]{3}$"), nullable=False, unique=False
            ),
            **{
                c: pa.Column(str, pa.Check.isin(["True", "False"]), nullable=False)
                for c in GROUP_BOOL_COLUMNS
            },
            "cis_from": pa.Column(str, pa.Check.str_matches(r"^(\d{4}-\d{2}-\d{2})?$")),
            "cis_to": pa.Column(str, pa.Check.str_matches(r"^(\d{4}-\d{2}-\d{2})?$")),
        }
    )
    raw = validate(raw, schema, path)
    check_unique(raw, ["iso3"], path)
    for c in GROUP_BOOL_COLUMNS:
        raw[c] = raw[c] == "True"
    return raw.sort_values("iso3", kind="stable").reset_index(drop=True)


def combine_indices(
    tables: Mapping[str, pd.DataFrame],
    known_iso3: Iterable[str],
    dropped_codes: Iterable[str],
    raw_files: Mapping[str, list[str]] | None = None,
) -> pd.DataFrame:
    """Stack the per-source tables; drop listed non-state codes; reject any other unknown ISO3.

    ``tables`` maps the per-source file path to its tidy table; messages name the source's
    raw file(s) from ``raw_files`` (source -> paths) when given, else that path.
    """
    known = set(known_iso3)
    dropped = set(dropped_codes)
    out = []
    for path, df in sorted(tables.items()):
        df = df[~df["iso3"].isin(dropped)]
        unknown = sorted(set(df["iso3"]) - known)
        if unknown:
            sources = sorted(set(df["source"]))
            if raw_files and len(sources) == 1 and sources[0] in raw_files:
                path = ", ".join(raw_files[sources[0]])
            raise InputError(
                path,
                f"ISO3 code(s) {unknown} not in the country groups table",
                column="iso3",
                expected="a code listed in data/raw/groups/country_groups.csv, or in config ingest.dropped_codes",
            )
        out.append(df)
    combined = pd.concat(out, ignore_index=True)
    dup = combined.duplicated(["source", "indicator", "year", "iso3"])
    if dup.any():
        r = combined[dup].iloc[0]
        raise InputError(
            f"source {r['source']}",
            f"duplicate country-year {r['iso3']} {r['year']} for {r['indicator']}",
            column="iso3",
        )
    return combined.sort_values(["source", "indicator", "year", "iso3"], kind="stable").reset_index(
        drop=True
    )


def write_indicator_catalogue(indices: pd.DataFrame) -> pd.DataFrame:
    """One row per source x indicator: label, scale, years and country counts."""
    g = indices.groupby(["source", "indicator"], sort=True)
    return g.agg(
        indicator_label=("indicator_label", "first"),
        scale_min=("scale_min", "first"),
        scale_max=("scale_max", "first"),
        first_year=("year", "min"),
        last_year=("year", "max"),
        n_years=("year", "nunique"),
        n_countries=("iso3", "nunique"),
        has_std_error=("std_error", lambda s: bool(s.notna().any())),
    ).reset_index()


READERS = {
    "ti_cpi": read_cpi,
    "wb_wgi": read_wgi,
    "ibp_open_budget_survey": read_obs,
    "un_egov_survey": read_egov,
    "wjp_rule_of_law": read_wjp,
    "freedom_house_fiw": read_fiw,
}


def read_source(
    source: str, paths: Iterable[str | Path], column_map: Mapping[str, str] | None = None
) -> pd.DataFrame:
    """Read all raw files of one source into one tidy table. ``column_map`` renames columns
    and sheets of a new release to the names the reader expects ({new: expected})."""
    if source not in READERS:
        raise InputError(
            f"source {source}", "unknown index source", expected=f"one of {sorted(READERS)}"
        )
    token = _RENAMES.set(dict(column_map or {}))
    try:
        parts = [READERS[source](p) for p in paths]
    except InputError as exc:
        if exc.problem != "required column missing" and "not found" not in exc.problem:
            raise
        raise InputError(exc.file, exc.problem, row=exc.row, column=exc.column,
                         expected=(exc.expected or "") + _RENAME_HINT) from None  # fmt: skip
    finally:
        _RENAMES.reset(token)
    return (
        pd.concat(parts, ignore_index=True)
        .sort_values(["indicator", "year", "iso3"], kind="stable")
        .reset_index(drop=True)
    )


__all__ = [
    "INDEX_COLUMNS",
    "READERS",
    "combine_indices",
    "read_country_groups",
    "read_kz_population",
    "read_source",
]
