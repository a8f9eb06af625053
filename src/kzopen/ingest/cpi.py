"""Reader of Transparency International's Corruption Perceptions Index workbook."""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd
import pandera.pandas as pa

from kzopen.core.errors import InputError
from kzopen.ingest.common import (
    check_unique,
    finish_index_table,
    range_schema,
    read_excel_sheet,
    require_columns,
    validate,
)

# --------------------------------------------------------------------------- TI CPI

CPI_SHEET = "CPI Timeseries 2012 - 2023"
CPI_CODE_FIXES = {"KSV": "XKX"}  # TI codes Kosovo as KSV; ISO 3166 user-assigned code is XKX


def read_cpi(path: str | Path) -> pd.DataFrame:
    """TI Corruption Perceptions Index 2012-2023 from the original workbook (0-100 scale)."""
    raw = read_excel_sheet(path, CPI_SHEET, header=3)
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
            **range_schema({score_cols[y]: (0, 100) for y in years}),
            **range_schema({f"Standard error {y}": (0, 50) for y in years}),
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
    return finish_index_table(pd.concat(parts, ignore_index=True), "ti_cpi")
