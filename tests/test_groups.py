"""Group membership from the real groups table (data/raw/groups) and the config switches."""

from __future__ import annotations

import pytest
import yaml
from support import REPO

from kzopen.core.errors import ConfigError
from kzopen.groups import build_membership, check_group_ids, members
from kzopen.ingest.country_groups import read_country_groups

COUNTRIES = read_country_groups(REPO / "data/raw/groups/country_groups.csv")
DEFS = yaml.safe_load((REPO / "config/config.yaml").read_text())["groups"]["definitions"]


def _m(**kw):
    return build_membership(COUNTRIES, range(2005, 2024), DEFS, **kw)


def test_dated_cis_membership_georgia_and_ukraine():
    m = _m()
    assert "GEO" in members(m, "cis", 2008) and "GEO" not in members(m, "cis", 2009)
    assert "UKR" in members(m, "cis", 2017) and "UKR" not in members(m, "cis", 2018)
    assert members(m, "cis", 2023) == [
        "ARM",
        "AZE",
        "BLR",
        "KGZ",
        "MDA",
        "RUS",
        "TJK",
        "TKM",
        "UZB",
    ]
    # on a mid-year reference day Georgia is still a member in 2009
    assert "GEO" in members(_m(cis_reference_day="06-30"), "cis", 2009)


def test_associates_and_kazakhstan_switches():
    assert "TKM" not in members(_m(include_associates=False), "cis", 2023)
    assert "KAZ" not in members(_m(), "cis", 2023)
    assert "KAZ" not in members(_m(), "central_asia", 2023)
    with_kz = _m(include_kazakhstan=True)
    assert "KAZ" in members(with_kz, "cis", 2023) and "KAZ" in members(
        with_kz, "central_asia", 2023
    )


def test_europe_excludes_every_former_cis_state():
    eu = set(members(_m(), "europe", 2023))
    assert not eu & {"RUS", "BLR", "UKR", "MDA", "GEO", "ARM", "AZE"}
    assert {"DEU", "FRA", "POL", "EST"} <= eu
    assert set(members(_m(), "eu27", 2023)) <= eu | {"CYP"}  # Cyprus is M49 Western Asia
    assert len(members(_m(), "eu27", 2023)) == 27


def test_membership_table_shape_and_order():
    m = _m()
    assert list(m.columns) == ["group", "year", "iso3"]
    assert m.equals(m.sort_values(["group", "year", "iso3"]).reset_index(drop=True))
    assert not m.duplicated().any()


def test_unknown_column_in_definition_lists_available():
    with pytest.raises(ConfigError, match="unknown column 'nato'.*cis_in_year"):
        build_membership(COUNTRIES, [2023], {"x": {"any_of": ["nato"]}})


def test_unknown_group_lists_defined_groups():
    with pytest.raises(ConfigError, match="unknown group 'asean'") as exc:
        check_group_ids(["cis", "asean"], DEFS, "compare.pairs[0]")
    assert "europe" in str(exc.value)


def test_bad_reference_day():
    with pytest.raises(ConfigError, match="MM-DD"):
        _m(cis_reference_day="Dec 31")
