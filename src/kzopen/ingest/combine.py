"""Combining the per-source tables into one long index table, and its catalogue."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

import pandas as pd

from kzopen.core.errors import InputError


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
                expected="a code listed in the country groups table, or in config ingest.dropped_codes",
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
