"""Reader of the World Justice Project Rule of Law Index workbook."""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd
import pandera.pandas as pa

from kzopen.ingest.common import (
    Indicator,
    check_unique,
    finish_index_table,
    range_schema,
    read_csv_file,
    require_columns,
    validate,
    wide_to_long,
)

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
    raw = read_csv_file(path, dtype=str, keep_default_na=False, na_values=[""])  # "n/a" is an error
    raw.columns = [str(c).strip() for c in raw.columns]
    require_columns(
        raw, ["Country", "Year", "Country Code", *[i.column for i in WJP_INDICATORS]], path
    )
    schema = pa.DataFrameSchema(
        {
            "Country Code": pa.Column(str, pa.Check.str_matches(r"^[A-Z]{3}$"), nullable=False),
            "Year": pa.Column(str, pa.Check.str_matches(r"^\d{4}(-\d{4})?$"), nullable=False),
            **range_schema({i.column: (0, 1) for i in WJP_INDICATORS}),
        }
    )
    raw = validate(raw, schema, path)
    year = raw["Year"].map(wjp_edition_year)
    raw = raw.assign(_year=year)
    check_unique(raw, ["Country Code", "_year"], path)
    df = wide_to_long(raw, WJP_INDICATORS, raw["Country Code"], raw["Country"].str.strip(), year)
    return finish_index_table(df, "wjp_rule_of_law")
