"""Country groups as data: which countries belong to which comparison group in which year.

Every group is defined in ``config["groups"]["definitions"]`` as a union of boolean columns of
``data/raw/groups/country_groups.csv`` (``any_of``) minus another union (``none_of``). The
virtual column ``cis_in_year`` is CIS membership read from the dated ``cis_from``/``cis_to``
columns on one reference day of each year, so that Georgia (left 2009-08-18) and Ukraine
(ended participation 2018-05-19) drop out in the years after they left. Whether associate
members (Turkmenistan) count, and whether Kazakhstan itself is a member of any group, are
config switches. The result is a long membership table ``group, year, iso3``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Any

import pandas as pd

from kzopen.core.errors import CONFIGURATION, ConfigError, InputError

KAZAKHSTAN = "KAZ"
CIS_IN_YEAR = "cis_in_year"
BOOLEAN_COLUMNS = (
    "eu27",
    "coe_member",
    "cis_ever",
    "cis_members_2023",
    "central_asia",
    "europe_m49",
    "europe_m49_non_cis",
)
MEMBERSHIP_COLUMNS = ["group", "year", "iso3"]


def available_columns() -> list[str]:
    """Column names a group definition may use (``cis_in_year`` is computed per year)."""
    return [CIS_IN_YEAR, *BOOLEAN_COLUMNS]


def check_definitions(definitions: Mapping[str, Mapping[str, Any]]) -> None:
    """Every definition names only known columns and has at least one ``any_of`` column."""
    allowed = available_columns()
    if not definitions:
        raise ConfigError(
            CONFIGURATION, "groups.definitions is empty", expected="at least two groups"
        )
    for gid, spec in definitions.items():
        any_of = list(spec.get("any_of", []))
        if not any_of:
            raise ConfigError(
                CONFIGURATION,
                f"group {gid!r} has no any_of columns",
                column=f"groups.definitions.{gid}",
                expected=f"one or more of {allowed}",
            )
        for col in [*any_of, *spec.get("none_of", [])]:
            if col not in allowed:
                raise ConfigError(
                    CONFIGURATION,
                    f"group {gid!r} uses unknown column {col!r}",
                    column=f"groups.definitions.{gid}",
                    expected=f"one of {allowed}",
                )


def check_group_ids(requested: Iterable[str], definitions: Mapping[str, Any], where: str) -> None:
    """Raise a ConfigError naming the unknown group and listing the defined ones."""
    for gid in requested:
        if gid not in definitions:
            raise ConfigError(
                CONFIGURATION,
                f"unknown group {gid!r}",
                column=where,
                expected=f"one of the groups defined in groups.definitions: {sorted(definitions)}",
            )


def _parse_date(value: Any, iso3: str, column: str, path: str) -> pd.Timestamp | None:
    if value is None or (isinstance(value, float) and pd.isna(value)) or str(value).strip() == "":
        return None
    text = str(value).strip()
    if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
        raise InputError(
            path, f"date {text!r} for {iso3} is not ISO", column=column, expected="YYYY-MM-DD"
        )
    return pd.Timestamp(text)


def cis_members_on(
    countries: pd.DataFrame,
    day: pd.Timestamp,
    include_associates: bool,
    path: str = "country_groups",
) -> set[str]:
    """ISO3 codes of CIS member states on ``day`` (dated ``cis_from <= day < cis_to``)."""
    members = set()
    for row in countries.itertuples(index=False):
        start = _parse_date(row.cis_from, row.iso3, "cis_from", path)
        end = _parse_date(row.cis_to, row.iso3, "cis_to", path)
        if start is None or start > day or (end is not None and day >= end):
            continue
        status = "" if pd.isna(row.cis_status_2024) else str(row.cis_status_2024)
        if not include_associates and "associate" in status.lower():
            continue
        members.add(row.iso3)
    return members


def build_membership(
    countries: pd.DataFrame,
    years: Iterable[int],
    definitions: Mapping[str, Mapping[str, Any]],
    *,
    cis_reference_day: str = "12-31",
    include_associates: bool = True,
    include_kazakhstan: bool = False,
    path: str = "the country groups table",
) -> pd.DataFrame:
    """Long table ``group, year, iso3`` of every configured group in every year."""
    check_definitions(definitions)
    if not re.fullmatch(r"\d{2}-\d{2}", cis_reference_day):
        raise ConfigError(
            CONFIGURATION, f"bad cis_reference_day {cis_reference_day!r}", expected="MM-DD"
        )
    missing = [
        c
        for c in ("iso3", "cis_from", "cis_to", "cis_status_2024", *BOOLEAN_COLUMNS)
        if c not in countries.columns
    ]
    if missing:
        raise InputError(path, "required column missing", column=missing[0])
    flags = countries.set_index("iso3")[list(BOOLEAN_COLUMNS)].astype(bool)
    rows = []
    for year in sorted({int(y) for y in years}):
        day = pd.Timestamp(f"{year}-{cis_reference_day}")
        cis = cis_members_on(countries, day, include_associates, path)
        col_sets = {c: set(flags.index[flags[c]]) for c in BOOLEAN_COLUMNS}
        col_sets[CIS_IN_YEAR] = cis
        for gid, spec in definitions.items():
            members = set().union(*(col_sets[c] for c in spec["any_of"]))
            for c in spec.get("none_of", []):
                members -= col_sets[c]
            if not include_kazakhstan:
                members.discard(KAZAKHSTAN)
            rows += [(gid, year, iso) for iso in members]
    out = pd.DataFrame(rows, columns=MEMBERSHIP_COLUMNS)
    out["year"] = out["year"].astype("int64")
    return out.sort_values(MEMBERSHIP_COLUMNS, kind="stable").reset_index(drop=True)


def members(membership: pd.DataFrame, group: str, year: int) -> list[str]:
    """Sorted ISO3 codes of ``group`` in ``year``."""
    sel = membership[(membership["group"] == group) & (membership["year"] == year)]
    return sorted(sel["iso3"])


def group_labels(definitions: Mapping[str, Mapping[str, Any]]) -> dict[str, str]:
    return {gid: str(spec.get("label", gid)) for gid, spec in definitions.items()}
