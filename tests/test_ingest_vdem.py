"""V-Dem: the reader on the real vendored file, the country-code mapping, and bad inputs on
small SYNTHETIC R data files written here (their values are deliberately made up)."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pandas as pd
import pyreadr
import pytest
import yaml
from support import REPO

from kzopen.core.errors import InputError
from kzopen.ingest.common import INDEX_COLUMNS
from kzopen.ingest.vdem import VDEM_MEASURES, read_codebook, read_vdem, response_labels

DATA = REPO / "data/raw/indices/vdem/vdemlite.rda"
CODEBOOK = REPO / "data/raw/indices/vdem/codebook_v16.RData"
TAGS = [m.tag for m in VDEM_MEASURES]


@pytest.fixture(scope="module")
def codebook() -> pd.DataFrame:
    return read_codebook(CODEBOOK)


@pytest.fixture(scope="module")
def raw() -> pd.DataFrame:
    return pyreadr.read_r(str(DATA))["vdemlite"]


@pytest.fixture(scope="module")
def tables(codebook) -> tuple[pd.DataFrame, pd.DataFrame]:
    return read_vdem(DATA, codebook)


def test_real_file_shape_and_kazakhstan_values(raw, tables):
    assert raw.shape == (9170, 297)  # as PROVENANCE.md records it
    table, cats = tables
    assert list(table.columns) == INDEX_COLUMNS
    interval = [m.tag for m in VDEM_MEASURES if m.kind != "nominal"]
    assert sorted(set(table["indicator"])) == sorted(interval)
    assert set(cats["indicator"]) == {"v2ellocelc", "v2elsrgel", "v2elreggov"}
    # one row per country-year with a value, for each interval measure
    n = sum(int(raw[t].notna().sum()) for t in interval)
    assert len(table) == n
    for tag, year in (("v2xel_locelec", 2023), ("v2xel_locelec", 1996), ("v2xel_regelec", 2023)):
        want = raw.loc[(raw.country_text_id == "KAZ") & (raw.year == year), tag].item()
        got = table.loc[
            (table.iso3 == "KAZ") & (table.year == year) & (table.indicator == tag), "value"
        ].item()
        assert got == want
    # and the file says what PROVENANCE.md saw when it was copied
    kaz = table[(table.iso3 == "KAZ") & (table.indicator == "v2xel_locelec")].set_index("year")
    assert kaz.loc[2012, "value"] == pytest.approx(0.010)
    assert kaz.loc[2023, "value"] == pytest.approx(0.158)


def test_labels_scales_and_direction_come_from_the_codebook(codebook, tables):
    table, cats = tables
    labels = table.drop_duplicates("indicator").set_index("indicator")
    assert labels.loc["v2xel_locelec", "indicator_label"] == "Local government index"
    assert labels.loc["v2xel_locelec", ["scale_min", "scale_max"]].tolist() == [0.0, 1.0]
    # measurement-model scales have no fixed bounds
    assert labels.loc["v2ellocpwr", ["scale_min", "scale_max"]].isna().all()
    assert "higher = more corrupt" in labels.loc["v2x_pubcorr", "indicator_label"]
    kz = cats[(cats.iso3 == "KAZ") & (cats.year == 2023) & (cats.indicator == "v2ellocelc")]
    assert kz["code"].item() == 2
    assert (
        kz["category"].item() == "Generally, the local assembly is elected but not the executive."
    )


def test_response_labels_parse_the_codebook_text():
    text = "0:  Generally, none.   1:  Generally, the executive 2 times.  5:  Both."
    assert response_labels(text) == {
        0: "Generally, none.",
        1: "Generally, the executive 2 times.",
        5: "Both.",
    }


def test_every_vdem_code_maps_to_the_groups_table_or_is_dropped_by_name(raw):
    groups = pd.read_csv(REPO / "data/raw/groups/country_groups.csv")
    config = yaml.safe_load((REPO / "config/config.yaml").read_text(encoding="utf-8"))
    dropped = set(config["ingest"]["dropped_codes"])
    codes = set(raw["country_text_id"])
    unknown = codes - set(groups["iso3"]) - dropped
    assert not unknown
    # the named exceptions: Kosovo as the groups table codes it, the West Bank as Palestine,
    # Gaza, Somaliland, Zanzibar and the historical states dropped by name
    assert {"XKX", "PSE"} <= codes & set(groups["iso3"])
    assert {"PSG", "SML", "ZZB", "DDR", "VDR", "YMD"} <= dropped & codes
    europe = groups.set_index("iso3")
    assert bool(europe.loc["XKX", "europe_m49_non_cis"]) or bool(europe.loc["XKX", "europe_m49"])


def _frame(**changes) -> pd.DataFrame:
    """A two-country SYNTHETIC V-Dem frame."""
    df = pd.DataFrame(
        {
            "country_name": ["Kazakhstan", "Kazakhstan", "Estonia"],
            "country_text_id": ["KAZ", "KAZ", "EST"],
            "year": [2022.0, 2023.0, 2023.0],
            **{t: [0.2, 0.3, 0.9] for t in TAGS},
        }
    )
    for t in ("v2ellocelc", "v2elsrgel"):
        df[t] = [2.0, 2.0, 5.0]
    df["v2elreggov"] = [1.0, 1.0, 0.0]
    for k, v in changes.items():
        df[k] = v
    return df


def _write(tmp_path: Path, df: pd.DataFrame, name: str = "vdemlite") -> Path:
    p = tmp_path / "synthetic.rda"
    pyreadr.write_rdata(str(p), df, df_name=name)
    return p


def test_synthetic_file_reads(tmp_path, codebook):
    table, cats = read_vdem(_write(tmp_path, _frame()), codebook)
    assert len(table) == 3 * 9 and len(cats) == 3 * 3
    assert set(cats["category"]) >= {"Generally, the local executive and assembly are elected."}


@pytest.mark.parametrize(
    ("frame", "name", "want"),
    [
        (_frame(), "something_else", "no R object named 'vdemlite'"),
        (_frame().drop(columns=["v2xel_locelec"]), "vdemlite", "required column missing"),
        (_frame(v2xel_locelec=[0.2, 1.5, 0.9]), "vdemlite", "out of range"),
        (_frame(v2ellocpwr=[0.2, 9.0, 0.9]), "vdemlite", "out of range"),
        (_frame(country_text_id=["KAZ", "KAZ", "es1"]), "vdemlite", "fails check"),
        (_frame(year=[2023.0, 2023.0, 2023.0]), "vdemlite", "duplicate"),
        (_frame(v2ellocelc=[2.0, 2.5, 5.0]), "vdemlite", "not a whole number"),
    ],
    ids=[
        "no-frame",
        "missing-column",
        "index-out-of-range",
        "model-out-of-range",
        "bad-code",
        "duplicate-country-year",
        "category-not-whole",
    ],
)
def test_bad_synthetic_files_raise_input_errors(tmp_path, codebook, frame, name, want):
    path = _write(tmp_path, frame, name)
    with pytest.raises(InputError) as exc:
        read_vdem(path, codebook)
    assert want in str(exc.value)
    assert "synthetic.rda" in str(exc.value)


def test_not_r_data_and_missing_file(tmp_path, codebook):
    bad = tmp_path / "bad.rda"
    bad.write_bytes(DATA.read_bytes()[:4000])
    with pytest.raises(InputError, match="cannot be read as R data"):
        read_vdem(bad, codebook)
    with pytest.raises(InputError, match="file not found"):
        read_vdem(tmp_path / "absent.rda", codebook)
    with pytest.raises(InputError, match="no R object named 'codebook'"):
        read_codebook(DATA)


def test_codebook_missing_a_variable(tmp_path):
    cb = pyreadr.read_r(str(CODEBOOK))["codebook"]
    cb = cb[cb["tag"] != "v2x_pubcorr"]
    p = tmp_path / "cb.RData"
    pyreadr.write_rdata(str(p), cb, df_name="codebook")
    with pytest.raises(InputError, match="v2x_pubcorr"):
        read_codebook(p)


def _git(*args: str) -> str:
    return subprocess.run(
        ["git", *args], cwd=REPO, capture_output=True, text=True, check=True
    ).stdout


def test_local_family_was_committed_before_any_vdem_code():
    """The local confirmatory family was fixed in a commit of its own, before the V-Dem reader
    (and so any V-Dem comparison) existed, and it has not changed since."""
    if not (REPO / ".git").exists():
        pytest.skip("not a git checkout")
    first = _git(
        "log", "--reverse", "--format=%H", "-S", "confirmatory_local:", "--", "config/config.yaml"
    )
    first = first.split()[0] if first.split() else ""
    if not first:
        pytest.skip("shallow history without the commit")
    reader = _git("log", "--reverse", "--format=%H", "--", "src/kzopen/ingest/vdem.py").split()
    assert reader, "the V-Dem reader has no history"
    ancestors = _git("rev-list", reader[0]).split()
    assert first in ancestors and first != reader[0]
    files = _git("show", "--name-only", "--format=", first).split()
    assert not [f for f in files if f.startswith(("src/", "data/raw/indices/vdem"))]
    then = yaml.safe_load(_git("show", f"{first}:config/config.yaml"))["compare"]
    now = yaml.safe_load((REPO / "config/config.yaml").read_text(encoding="utf-8"))["compare"]
    assert then["confirmatory_local"] == now["confirmatory_local"]
    # the commit the Methods name is that commit
    named = now["confirmatory_local_fixed_in"]
    assert first.startswith(named["commit"])
    assert _git("show", "-s", "--format=%cs", first).strip() == named["date"]
