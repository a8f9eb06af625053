"""Reader of Freedom House's Freedom in the World scores."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pandera.pandas as pa

from kzopen.ingest.common import (
    Indicator,
    check_unique,
    finish_index_table,
    names_to_iso3,
    range_schema,
    read_excel_sheet,
    require_columns,
    validate,
    wide_to_long,
)

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
    raw = read_excel_sheet(path, FIW_SHEET, header=1)
    raw.columns = [str(c).strip() for c in raw.columns]
    require_columns(
        raw, ["Country/Territory", "C/T", "Edition", *[i.column for i in FIW_INDICATORS]], path
    )
    first_row = 3  # header on spreadsheet row 2
    schema = pa.DataFrameSchema(
        {
            "C/T": pa.Column(str, pa.Check.isin(["c", "t"]), nullable=False),
            "Edition": pa.Column(int, pa.Check.in_range(2000, 2100), coerce=True, nullable=False),
            **range_schema({i.column: (i.scale_min, i.scale_max) for i in FIW_INDICATORS}),
        }
    )
    raw = validate(raw, schema, path, first_row)
    check_unique(raw, ["Country/Territory", "Edition"], path, first_row)
    countries = raw[raw["C/T"] == "c"]
    iso3 = names_to_iso3(countries["Country/Territory"], path, "Country/Territory", first_row)
    df = wide_to_long(
        countries,
        FIW_INDICATORS,
        iso3,
        countries["Country/Territory"].str.strip(),
        countries["Edition"],
    )
    return finish_index_table(df, "freedom_house_fiw")
