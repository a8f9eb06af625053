"""Reader of the World Bank's Worldwide Governance Indicators (long CSV)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pandera.pandas as pa

from kzopen.ingest.common import (
    check_unique,
    finish_index_table,
    range_schema,
    read_csv_file,
    require_columns,
    validate,
)

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
    raw = read_csv_file(
        path, encoding="utf-8-sig", na_values=["..", ""], keep_default_na=False, dtype=str
    )
    cols = ["code", "countryname", "year", "indicator", "estimate", "stddev"]
    require_columns(raw, cols, path)
    schema = pa.DataFrameSchema(
        {
            "code": pa.Column(str, pa.Check.str_matches(r"^[A-Z]{3}$"), nullable=False),
            "year": pa.Column(int, pa.Check.in_range(1996, 2100), coerce=True, nullable=False),
            "indicator": pa.Column(str, pa.Check.isin(list(WGI_LABELS)), nullable=False),
            **range_schema({"estimate": WGI_BOUNDS, "stddev": (0, 5)}),
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
    return finish_index_table(df, "wb_wgi")
