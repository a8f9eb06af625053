"""Reader of the BNS regional population table of Kazakhstan."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pandera.pandas as pa

from kzopen.ingest.common import check_unique, read_csv_file, require_columns, validate

# --------------------------------------------------------------------------- Kazakhstan regions

KZ_REGIONS = {
    "ABY": "Abai",
    "AKM": "Akmola",
    "AKT": "Aktobe",
    "ALM": "Almaty oblast",
    "ALA": "Almaty city",
    "AST": "Astana city",
    "ATY": "Atyrau",
    "KRG": "Karaganda",
    "VKO": "East Kazakhstan",
    "ZHT": "Zhetysu",
    "KST": "Kostanay",
    "KZL": "Kyzylorda",
    "MNG": "Mangystau",
    "PVL": "Pavlodar",
    "SHM": "Shymkent city",
    "SKO": "North Kazakhstan",
    "TRK": "Turkistan",
    "ULT": "Ulytau",
    "ZHM": "Zhambyl",
    "ZKO": "West Kazakhstan",
    "national": "Kazakhstan",
}
KZ_CITIES = {"ALA", "AST", "SHM"}  # cities of republican significance


def read_kz_population(path: str | Path) -> pd.DataFrame:
    """Average annual population by region (BNS). Columns: region_code, region, city, year, population."""
    raw = read_csv_file(path, dtype=str, keep_default_na=False, na_values=[""])  # "n/a" is an error
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
