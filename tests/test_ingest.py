"""Unit tests of each reader on small synthetic fixtures, and its bad-input errors."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from ingest_fixtures import (
    CPI_HEADER,
    CPI_ROWS,
    EGOV_2024_TEXT,
    FIW_ROWS,
    OBS_TEXT,
    POP_TEXT,
    WGI_TEXT,
    WJP_TEXT,
    write_cpi,
    write_fiw,
)
from support import REPO

from kzopen.core.errors import InputError
from kzopen.ingest.combine import combine_indices
from kzopen.ingest.common import INDEX_COLUMNS
from kzopen.ingest.country_groups import read_country_groups
from kzopen.ingest.cpi import read_cpi
from kzopen.ingest.egov import read_egov
from kzopen.ingest.fiw import read_fiw
from kzopen.ingest.kz_population import read_kz_population
from kzopen.ingest.obs import read_obs
from kzopen.ingest.wgi import read_wgi
from kzopen.ingest.wjp import read_wjp, wjp_edition_year


def _write(tmp_path: Path, name: str, text: str) -> Path:
    p = tmp_path / name
    p.write_text(text, encoding="utf-8")
    return p


def test_cpi_reads_years_scores_and_errors(tmp_path):
    df = read_cpi(write_cpi(tmp_path / "cpi.xlsx"))
    assert list(df.columns) == INDEX_COLUMNS
    kaz23 = df[(df.iso3 == "KAZ") & (df.year == 2023)].iloc[0]
    assert (kaz23.value, kaz23.std_error, kaz23.scale_max) == (39, 1.5, 100)
    assert set(df.year) == {2022, 2023}
    assert "XKX" in set(df.iso3) and "KSV" not in set(df.iso3)  # TI's Kosovo code mapped


def test_cpi_out_of_range_names_row_and_column(tmp_path):
    rows = [r.copy() for r in CPI_ROWS]
    rows[1][3] = 140
    with pytest.raises(InputError) as exc:
        read_cpi(write_cpi(tmp_path / "cpi.xlsx", rows))
    assert exc.value.row == 6 and exc.value.column == "CPI score 2023"
    assert "out of range" in str(exc.value) and "cpi.xlsx" in str(exc.value)


def test_cpi_non_numeric_score(tmp_path):
    rows = [r.copy() for r in CPI_ROWS]
    rows[0][7] = "36 (est.)"
    with pytest.raises(InputError, match="not a number") as exc:
        read_cpi(write_cpi(tmp_path / "cpi.xlsx", rows))
    assert exc.value.row == 5 and exc.value.column == "CPI score 2022"


def test_cpi_renamed_column(tmp_path):
    header = ["Country / Territory", "ISO", *CPI_HEADER[2:]]
    with pytest.raises(InputError, match="required column missing") as exc:
        read_cpi(write_cpi(tmp_path / "cpi.xlsx", header=header))
    assert exc.value.column == "ISO3"


def test_cpi_duplicate_country(tmp_path):
    rows = [*CPI_ROWS, CPI_ROWS[0]]
    with pytest.raises(InputError, match="duplicate key") as exc:
        read_cpi(write_cpi(tmp_path / "cpi.xlsx", rows))
    assert exc.value.row == 8


def test_wgi_bom_missing_codes_and_legacy_codes(tmp_path):
    df = read_wgi(_write(tmp_path, "wgi.csv", WGI_TEXT))
    assert set(df.iso3) == {"KAZ", "ROU"}  # '..' rows dropped, ROM -> ROU
    kaz = df[df.iso3 == "KAZ"].iloc[0]
    assert (kaz.value, kaz.std_error, kaz.indicator_label) == (-0.5, 0.12, "Control of Corruption")


def test_wgi_duplicate_country_year(tmp_path):
    text = WGI_TEXT + "KAZcc2023,KAZ,Kazakhstan,2023,cc,-0.4,0.12,10,30.1,20,40\n"
    with pytest.raises(InputError, match="duplicate key") as exc:
        read_wgi(_write(tmp_path, "wgi.csv", text))
    assert exc.value.row == 5


def test_obs_wide_to_long(tmp_path):
    df = read_obs(_write(tmp_path, "obs.csv", OBS_TEXT))
    v = df.set_index(["iso3", "indicator"]).loc[("KAZ", "budget_transparency"), "value"]
    assert v == 60.5
    assert df["std_error"].isna().all()
    assert len(df) == 2 * 5


def test_obs_missing_column(tmp_path):
    text = OBS_TEXT.replace("public_participation_score", "participation")
    with pytest.raises(InputError) as exc:
        read_obs(_write(tmp_path, "obs.csv", text))
    assert exc.value.column == "public_participation_score"


def test_egov_2024_layout_and_names(tmp_path):
    df = read_egov(_write(tmp_path, "egov.csv", EGOV_2024_TEXT))
    assert set(df.iso3) == {"KAZ", "GEO"}
    assert set(df.year) == {2024}
    assert df[(df.iso3 == "KAZ") & (df.indicator == "egdi")].value.iat[0] == 0.9


def test_egov_unknown_country_name(tmp_path):
    text = EGOV_2024_TEXT + "2024,Atlantis ,1,0.9,0.8,0.9,0.85,0.9,Europe\n"
    with pytest.raises(InputError, match="Atlantis") as exc:
        read_egov(_write(tmp_path, "egov.csv", text))
    assert exc.value.row == 4 and exc.value.column == "Country"


def test_wjp_edition_years(tmp_path):
    assert wjp_edition_year("2017-2018") == 2018 and wjp_edition_year("2024") == 2024
    df = read_wjp(_write(tmp_path, "wjp.csv", WJP_TEXT))
    assert sorted(set(df.year)) == [2018, 2024]
    assert "f3_open_government" in set(df.indicator)


def test_wjp_out_of_range(tmp_path):
    text = WJP_TEXT.replace("0.52,", "1.52,")
    with pytest.raises(InputError, match="out of range") as exc:
        read_wjp(_write(tmp_path, "wjp.csv", text))
    assert exc.value.row == 3 and exc.value.column == "WJP Rule of Law Index: Overall Score"


def test_fiw_countries_only_and_negative_pr(tmp_path):
    df = read_fiw(write_fiw(tmp_path / "fiw.xlsx"))
    assert set(df.iso3) == {"KAZ", "NOR", "ERI"}  # the territory is not a scored state
    assert df[(df.iso3 == "ERI") & (df.indicator == "political_rights")].value.iat[0] == -3


def test_fiw_bad_status_code(tmp_path):
    rows = [r.copy() for r in FIW_ROWS]
    rows[1][2] = "x"
    with pytest.raises(InputError) as exc:
        read_fiw(write_fiw(tmp_path / "fiw.xlsx", rows))
    assert exc.value.row == 4 and exc.value.column == "C/T"


def test_population(tmp_path):
    df = read_kz_population(_write(tmp_path, "pop.csv", POP_TEXT))
    assert df.set_index("region_code").loc["AST", "population"] == 1_400_000
    assert df.set_index("region_code").loc["AST", "city"]


def test_population_unknown_region(tmp_path):
    with pytest.raises(InputError) as exc:
        read_kz_population(_write(tmp_path, "pop.csv", POP_TEXT.replace("ZKO", "XYZ")))
    assert exc.value.row == 3 and exc.value.column == "region"


def test_empty_and_non_utf8_files(tmp_path):
    with pytest.raises(InputError, match="empty"):
        read_obs(_write(tmp_path, "empty.csv", ""))
    bad = tmp_path / "latin1.csv"
    bad.write_bytes(
        OBS_TEXT.replace("KAZ,2021", "KAZ,2021").encode() + "Côte,1\n".encode("latin-1")
    )
    with pytest.raises(InputError, match="UTF-8"):
        read_obs(bad)


def test_groups_table_reads_real_file():
    g = read_country_groups(REPO / "data/raw/groups/country_groups.csv")
    assert g["iso3"].is_unique
    assert set(g.loc[g.central_asia, "iso3"]) == {"KAZ", "KGZ", "TJK", "TKM", "UZB"}
    assert g["cis_ever"].sum() == 12


def _table(iso3s: list[str]) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "iso3": iso3s,
            "country": iso3s,
            "year": 2023,
            "source": "s",
            "indicator": "i",
            "indicator_label": "I",
            "value": 1.0,
            "std_error": None,
            "scale_min": 0.0,
            "scale_max": 1.0,
        }
    )


def test_combine_rejects_unknown_iso3_and_drops_listed_codes():
    out = combine_indices({"a.parquet": _table(["KAZ", "JEY"])}, ["KAZ"], ["JEY"])
    assert list(out.iso3) == ["KAZ"]
    with pytest.raises(InputError, match=r"\['XXX'\].*not in the country groups table") as exc:
        combine_indices({"a.parquet": _table(["KAZ", "XXX"])}, ["KAZ"], [])
    assert exc.value.file == "a.parquet" and exc.value.column == "iso3"
