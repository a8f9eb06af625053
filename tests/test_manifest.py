"""The raw-data manifest locks every file under data/raw."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from support import REPO, copy_repo

from kzopen.core.errors import InputError
from kzopen.pipeline.manifest import (
    MANIFEST_COLUMNS,
    lock_raw_files,
    read_manifest,
    verify_raw_files,
)


@pytest.fixture
def raw_copy(tmp_path: Path) -> Path:
    return copy_repo(tmp_path / "repo")


def test_repository_raw_files_match_manifest():
    files = verify_raw_files("data/raw/manifest.csv", REPO)
    assert "data/raw/groups/country_groups.csv" in files


def test_manifest_describes_every_file():
    df = read_manifest(REPO / "data/raw/manifest.csv")
    assert list(df.columns) == MANIFEST_COLUMNS
    for col in ("source", "publisher", "license", "retrieved", "sha256"):
        assert (df[col].str.len() > 0).all(), f"empty {col} in manifest"
    assert df["sha256"].str.fullmatch(r"[0-9a-f]{64}").all()
    data_files = df[~df["path"].str.endswith(".md")]
    assert (data_files["url"].str.len() > 0).all()


def test_changed_file_is_named(raw_copy: Path):
    target = raw_copy / "data/raw/indices/ibp_open_budget_survey/open_budget_survey_2006_2023.csv"
    target.write_text(target.read_text() + "KAZ,2099,1,1,1,1,1\n")
    with pytest.raises(InputError) as exc:
        verify_raw_files("data/raw/manifest.csv", raw_copy)
    msg = str(exc.value)
    assert "open_budget_survey_2006_2023.csv" in msg and "checksum mismatch" in msg
    assert "make data-lock" in msg


def test_unlisted_file_is_an_error(raw_copy: Path):
    (raw_copy / "data/raw/indices/extra.csv").write_text("a\n1\n")
    with pytest.raises(InputError, match="extra.csv.*not listed"):
        verify_raw_files("data/raw/manifest.csv", raw_copy)


def test_missing_listed_file_is_an_error(raw_copy: Path):
    (raw_copy / "data/raw/indices/wb_wgi/wgidataset.csv").unlink()
    with pytest.raises(InputError, match="wgidataset.csv.*does not exist"):
        verify_raw_files("data/raw/manifest.csv", raw_copy)


def test_lock_reports_and_fixes_changed_files(raw_copy: Path):
    target = raw_copy / "data/raw/groups/PROVENANCE.md"
    target.write_text(target.read_text() + "\nedited\n")
    changed = lock_raw_files("data/raw/manifest.csv", raw_copy)
    assert changed == ["data/raw/groups/PROVENANCE.md"]
    verify_raw_files("data/raw/manifest.csv", raw_copy)
    assert lock_raw_files("data/raw/manifest.csv", raw_copy) == []
    # the lock keeps every other column unchanged
    before = pd.read_csv(REPO / "data/raw/manifest.csv", dtype=str, keep_default_na=False)
    after = pd.read_csv(raw_copy / "data/raw/manifest.csv", dtype=str, keep_default_na=False)
    assert before.drop(columns="sha256").equals(after.drop(columns="sha256"))
