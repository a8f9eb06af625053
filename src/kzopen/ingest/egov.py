"""Reader of the UN E-Government Survey (E-Participation Index) files."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pandera.pandas as pa

from kzopen.core.errors import InputError
from kzopen.ingest.common import (
    Indicator,
    check_unique,
    finish_index_table,
    names_to_iso3,
    range_schema,
    read_csv_file,
    require_columns,
    validate,
    wide_to_long,
)

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
    raw = read_csv_file(path, dtype=str, keep_default_na=False, na_values=[""])  # "n/a" is an error
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
    raw = validate(raw, pa.DataFrameSchema(range_schema(dict.fromkeys(columns, (0, 1)))), path)
    iso3 = names_to_iso3(raw[country_col], path, country_col)
    raw = raw.assign(_iso3=iso3)
    check_unique(raw, ["_iso3"], path)
    inds = [Indicator(c, n, EGOV_LABELS[n], 0, 1) for c, n in columns.items()]
    df = wide_to_long(raw, inds, iso3, raw[country_col].str.strip(), year_values.astype(int))
    return finish_index_table(df, "un_egov_survey")
