"""Reader of the International Budget Partnership's Open Budget Survey."""

from __future__ import annotations

from pathlib import Path

import country_converter as coco
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


def read_obs(path: str | Path) -> pd.DataFrame:
    """IBP Open Budget Survey country scores (0-100) by survey round."""
    raw = read_csv_file(path, dtype=str, keep_default_na=False, na_values=[""])  # "n/a" is an error
    require_columns(raw, ["country_code", "year", *[i.column for i in OBS_INDICATORS]], path)
    schema = pa.DataFrameSchema(
        {
            "country_code": pa.Column(str, pa.Check.str_matches(r"^[A-Z]{3}$"), nullable=False),
            "year": pa.Column(int, pa.Check.in_range(2006, 2100), coerce=True, nullable=False),
            **range_schema({i.column: (0, 100) for i in OBS_INDICATORS}),
        }
    )
    raw = validate(raw, schema, path)
    check_unique(raw, ["country_code", "year"], path)
    names = pd.Series(
        coco.convert(raw["country_code"].tolist(), src="ISO3", to="name_short", not_found=None),
        index=raw.index,
    )
    df = wide_to_long(
        raw, OBS_INDICATORS, raw["country_code"], names.fillna(raw["country_code"]), raw["year"]
    )
    return finish_index_table(df, "ibp_open_budget_survey")
