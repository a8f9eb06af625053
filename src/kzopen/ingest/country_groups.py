"""Reader of the country groupings table (one row per ISO3)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pandera.pandas as pa

from kzopen.groups import BOOLEAN_COLUMNS
from kzopen.ingest.common import check_unique, read_csv_file, require_columns, validate

# --------------------------------------------------------------------------- groups and combine


def read_country_groups(path: str | Path) -> pd.DataFrame:
    """The country groupings table (one row per ISO3) with boolean membership columns."""
    raw = read_csv_file(path, dtype=str, keep_default_na=False)
    require_columns(
        raw, ["iso3", "name", "un_m49_subregion", "cis_from", "cis_to", *BOOLEAN_COLUMNS], path
    )
    schema = pa.DataFrameSchema(
        {
            "iso3": pa.Column(
                str, pa.Check.str_matches(r"^[A-Z]{3}$"), nullable=False, unique=False
            ),
            **{
                c: pa.Column(str, pa.Check.isin(["True", "False"]), nullable=False)
                for c in BOOLEAN_COLUMNS
            },
            "cis_from": pa.Column(str, pa.Check.str_matches(r"^(\d{4}-\d{2}-\d{2})?$")),
            "cis_to": pa.Column(str, pa.Check.str_matches(r"^(\d{4}-\d{2}-\d{2})?$")),
        }
    )
    raw = validate(raw, schema, path)
    check_unique(raw, ["iso3"], path)
    for c in BOOLEAN_COLUMNS:
        raw[c] = raw[c] == "True"
    return raw.sort_values("iso3", kind="stable").reset_index(drop=True)
