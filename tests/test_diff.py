"""`make diff` / `python -m kzopen.diff`: what changed between two versions of the article.

Unit tests on small synthetic inputs, then end to end on copies of the session build:
a new (synthetic) release of the CPI workbook (the rebuild tests/test_article_e2e.py reads too:
conftest.py, cpi_release_build), a configuration change, a wording change compared against a
git commit through `make diff`, and versions that cannot be compared.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest
from PIL import Image, ImageDraw
from support import CPI, REPO, build_env, copy_build, run_snakemake

from kzopen.article.context import Context
from kzopen.article.placeholders import build_placeholders, pandoc_identifier
from kzopen.diff.base import OMIT_RULES
from kzopen.diff.images import pixel_diff
from kzopen.diff.model import Version
from kzopen.diff.tables import choose_key, compare_table
from kzopen.diff.values import compare_values

# Build what the comparison reads, as for a base commit (kzopen.diff.base.OMIT_RULES).
NARROW = ("--omit-from", *OMIT_RULES)


def diff(*args: str, cwd: Path = REPO) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "kzopen.diff", *args],
        cwd=cwd,
        env=build_env(),
        capture_output=True,
        text=True,
        timeout=600,
    )


def changes(root: Path) -> pd.DataFrame:
    return pd.read_csv(root / "results/changes.csv", dtype=str, keep_default_na=False)


# --------------------------------------------------------------------------- unit tests


def _template(tmp: Path, text: str) -> Path:
    (tmp / "t").mkdir(exist_ok=True)
    (tmp / "t" / "m.md.j2").write_text(text, encoding="utf-8")
    return tmp / "t"


def test_placeholders_locate_values_and_keep_wording(tmp_path: Path) -> None:
    tpl = _template(
        tmp_path,
        "# Summary {#sec-summary}\n\nThe score is {{ num('a', 1) }} of {{ int('n') }}.\n\n"
        "## Open budget: *rounds*\n\nIt rose to {{ pct('b') }}.\n\n"
        "{{ table('t', {'x': 'X'}) }}\n",
    )
    ctx = Context(
        values={"a": 3.14159, "n": 12, "b": 41.26}, sources={}, tables={"t": [{"x": 1.5}]}
    )
    doc = build_placeholders(tpl, "m.md.j2", ctx)
    vals = [e for e in doc["placeholders"] if e["kind"] == "value"]
    assert [(e["name"], e["text"], e["anchor"]) for e in vals] == [
        ("a", "3.1", "sec-summary"),
        ("n", "12", "sec-summary"),
        ("b", "41.3\u00a0%", "open-budget-rounds"),
    ]
    assert vals[0]["before"] == "The score is " and vals[0]["after"] == " of 12."
    assert vals[2]["section"] == "Summary › Open budget: rounds"
    table = [e for e in doc["placeholders"] if e["kind"] == "block"]
    assert table[0]["name"] == "t" and table[0]["anchor"] == "open-budget-rounds"
    assert "The score is {{a}} of {{n}}." in doc["wording"]
    assert "{{table:t}}" in doc["wording"] and "1.5" not in doc["wording"]


def test_pandoc_identifiers() -> None:
    # pandoc's auto_identifiers: punctuation dropped, spaces -> hyphens, leading digits dropped
    assert pandoc_identifier('The "Municipal Transparency Index" comparison') == (
        "the-municipal-transparency-index-comparison"
    )
    assert pandoc_identifier("1.2 Rank: *Europe*") == "rank-europe"
    assert pandoc_identifier("2024") == "section"


def _version(values: dict, shown: dict[str, str] | None) -> Version:
    placeholders = None
    if shown is not None:
        placeholders = [
            {
                "kind": "value",
                "call": "num",
                "args": [0],
                "name": k,
                "text": t,
                "section": "Results",
                "anchor": "sec-results",
            }
            for k, t in shown.items()
        ]
    return Version(label="v", values=values, tables={}, root=None, placeholders=placeholders)


def test_values_classified_by_printed_text() -> None:
    old = _version({"a": 39.0, "b": 10.2, "c": 5, "gone": 1, "same": 2}, {"a": "39", "b": "10"})
    new = _version({"a": 46.0, "b": 10.4, "c": 6, "new": 3, "same": 2}, {"a": "46", "b": "10"})
    got = {c.name: c for c in compare_values(old, new)}
    assert set(got) == {"a", "b", "c", "gone", "new"}
    assert (got["a"].kind, got["a"].old_text, got["a"].new_text) == ("value", "39", "46")
    assert got["a"].delta == "7.0" and got["a"].anchor == "article.html#sec-results"
    assert got["b"].kind == "value_same_text" and got["b"].detail == "printed as 10 in both"
    assert got["c"].kind == "value_same_text" and got["c"].delta == "1"
    assert got["c"].detail == "not printed in the article"
    assert got["gone"].kind == "value_removed" and got["new"].kind == "value_added"


def test_values_without_a_placeholder_record_use_the_other_versions_calls() -> None:
    old = _version({"a": 39.4}, None)  # a version that predates the placeholder record
    new = _version({"a": 39.6}, {"a": "40"})
    (c,) = compare_values(old, new)
    assert (c.kind, c.old_text, c.new_text) == ("value", "39", "40")


def test_table_rows_matched_by_key_not_position() -> None:
    a = pd.DataFrame(
        {
            "source": ["x", "x", "y"],
            "year": ["2022", "2023", "2023"],
            "label": ["X", "X", "Y"],
            "n": ["3", "4", "5"],
            "mean": ["1.5", "2.5", "3.5"],
        }
    )
    b = a.iloc[[2, 0, 1]].reset_index(drop=True).copy()
    assert choose_key(a, b) == ["source", "year"]
    assert compare_table("t", a, b) == []
    b.loc[b["source"] == "y", "mean"] = "4.0"
    b = pd.concat(
        [b, pd.DataFrame([{"source": "z", "year": "2023", "label": "Z", "n": "1", "mean": "0.5"}])],
        ignore_index=True,
    )
    got = compare_table("t", a, b)
    cells = [(c.name, c.old, c.new, c.delta) for c in got if c.kind == "table_cell"]
    assert cells == [("source=y, year=2023 · mean", "3.5", "4.0", "0.5")]
    rows = [(c.name, c.detail) for c in got if c.kind == "table_row"]
    assert rows == [("source=z, year=2023", "row added")]


def test_pixel_diff_outlines_the_changed_region(tmp_path: Path) -> None:
    img = Image.new("RGB", (400, 300), "white")
    img.save(tmp_path / "a.png")
    ImageDraw.Draw(img).rectangle([100, 50, 149, 89], fill="black")  # 50 x 40 pixels
    img.save(tmp_path / "b.png")
    detail, pair = pixel_diff(tmp_path / "a.png", tmp_path / "b.png")
    assert detail == "2000 pixels differ (1.67%), in x 100–150, y 50–90 of 400 × 300"
    assert pair.old_uri.startswith("data:image/png;base64,") and pair.new_uri != pair.old_uri
    Image.new("RGB", (400, 301), "white").save(tmp_path / "c.png")
    assert pixel_diff(tmp_path / "a.png", tmp_path / "c.png")[0].startswith("size 400 × 300")


def test_values_files_compared_alone(tmp_path: Path) -> None:
    doc = {"values": {"a": 1.0, "b": "x"}, "sources": {}, "tables": {}}
    (tmp_path / "old.json").write_text(json.dumps(doc))
    doc["values"]["a"] = 2.0
    (tmp_path / "new.json").write_text(json.dumps(doc))
    out = [f"--html={tmp_path / 'c.html'}", f"--csv={tmp_path / 'c.csv'}"]
    res = diff(str(tmp_path / "old.json"), str(tmp_path / "new.json"), *out)
    assert res.returncode == 0, res.stderr
    df = pd.read_csv(tmp_path / "c.csv", dtype=str, keep_default_na=False)
    assert df[["kind", "name", "old", "new", "delta"]].values.tolist() == [
        ["value_same_text", "a", "1.0", "2.0", "1.0"]
    ]
    res = diff(str(tmp_path / "old.json"), str(tmp_path / "missing.json"), *out)
    assert res.returncode == 1 and "missing.json" in res.stderr and "Traceback" not in res.stderr


def _git(repo: Path, *args: str) -> None:
    subprocess.run(
        ["git", "-C", str(repo), "-c", "user.name=t", "-c", "user.email=t@example.org", *args],
        check=True,
        capture_output=True,
    )


def test_base_that_cannot_be_compared(tmp_path: Path) -> None:
    repo = tmp_path / "repo"
    (repo / "workflow").mkdir(parents=True)
    (repo / "workflow" / "Snakefile").write_text("rule all:\n    output: 'x'\n")
    _git(repo, "init", "-q")
    _git(repo, "add", "-A")
    _git(repo, "commit", "-qm", "old")
    res = diff("--base", "no-such-ref", "--repo", str(repo))
    assert res.returncode == 1 and "Traceback" not in res.stderr
    assert "BASE=no-such-ref: names no commit of this repository" in res.stderr
    res = diff("--base", "HEAD", "--repo", str(repo))
    assert res.returncode == 1 and "predates results/article_values.json" in res.stderr
    # a commit that mentions the values file but whose workflow does not build
    broken = "rule all:\n    input: 'results/article_values.json'\n  oops\n"
    (repo / "workflow" / "Snakefile").write_text(broken)
    _git(repo, "commit", "-qam", "broken")
    res = diff("--base", "HEAD", "--repo", str(repo), "--cores", "1")
    assert res.returncode == 1 and "Traceback" not in res.stderr
    assert "does not build" in res.stderr and ".cache/diff/" in res.stderr
    assert not (repo / "results").exists()  # the working tree was not touched


# --------------------------------------------------------------------------- end to end


# Values that aggregate over every comparison or series (CPI's included) or over every row of
# the indices, and the claims audit, which checks claims against the CPI.
AGGREGATES = (
    "cmp.robust.",
    "cmp.confirmatory.n",
    "cmp.confirmatory.me_",
    "cmp.confirmatory.se_",
    "cmp.family_corr.",
    "cmp.common_set.",
    "coverage.",
    "trend.n_",
    "indices.n_rows",
    "audit.",
    "fragment.claims_audit_md",
)
# p-values adjusted over a family that includes a CPI test (Holm within the family).
ADJUSTED = (".p_holm", ".holm_reject", ".kz_slope_p_holm")


def _depends_on_cpi(name: str, source: str, primary_source: str) -> bool:
    if "ti_cpi" in source or name.startswith(AGGREGATES) or name.endswith(ADJUSTED):
        return True
    return name.startswith(("cmp.primary.", "cmp.without_kosovo.")) and primary_source == "ti_cpi"


@pytest.mark.e2e
def test_new_release_lists_exactly_the_values_that_depend_on_it(
    built_repo: Path, cpi_release_build: dict
) -> None:
    new, release = cpi_release_build["work"], cpi_release_build["release"]
    first = cpi_release_build["first"]
    assert first["returncode"] != 0  # the renamed column is not recognised, and the error says so
    assert "CPI_synthetic_release_for_tests.xlsx" in first["stdout"] and "'ISO3'" in first["stdout"]
    assert "ingest.column_map" in first["stdout"] and "Traceback" not in first["stdout"]
    rebuilt = cpi_release_build["rebuilt"]
    assert rebuilt["returncode"] == 0, rebuilt["stdout"]

    res = diff(str(built_repo), str(new))
    assert res.returncode == 0, res.stderr
    df = changes(new)
    old_doc = json.loads((built_repo / "results/article_values.json").read_text())
    new_doc = json.loads((new / "results/article_values.json").read_text())
    a, b = old_doc["values"], new_doc["values"]
    differ = {k for k in set(a) | set(b) if a.get(k, ()) != b.get(k, ())}
    listed = df[df["kind"].str.startswith("value")]
    assert set(listed["name"]) == differ and len(listed) == len(differ)
    sources = {**old_doc["sources"], **new_doc["sources"]}
    assert b["cmp.primary.source"] == "ti_cpi"
    unrelated = [k for k in differ if not _depends_on_cpi(k, sources[k], b["cmp.primary.source"])]
    assert unrelated == []
    expected = {
        "kz.ti_cpi.cpi_score.value",
        "kz.ti_cpi.cpi_score.n_countries_latest",
        "cmp.primary.mean_a",
        "cmp.primary.mean_b",
        "cmp.primary.n_b",
        "pos.europe.ti_cpi.cpi_score.n",
    }
    assert expected <= differ
    kz = listed.set_index("name").loc["kz.ti_cpi.cpi_score.value"]
    assert (kz["kind"], kz["old_text"], kz["new_text"], kz["delta"]) == ("value", "39", "46", "7.0")
    assert kz["anchor"] == "article.html#sec-mti"
    n_b = listed.set_index("name").loc["cmp.primary.n_b"]
    assert (n_b["old"], n_b["new"], n_b["delta"]) == (
        str(a["cmp.primary.n_b"]),
        str(a["cmp.primary.n_b"] + 1),
        "1",
    )
    # the causes, next to the effects: the raw files and the config keys that differ
    raw = df[df["kind"] == "raw_file"]
    assert sorted(raw["name"]) == sorted([CPI, release])
    assert set(df.loc[df["kind"] == "config", "name"]) == {
        "ingest.files.ti_cpi",
        "ingest.column_map.ti_cpi.ISO-3 code",
    }
    assert "figures/compare_group_distribution.png" in set(df.loc[df["kind"] == "figure", "name"])
    page = (new / "build/article/changes.html").read_text()
    assert "kz.ti_cpi.cpi_score.value" in page and 'href="article.html#sec-mti"' in page
    assert "data:image/png;base64," in page


@pytest.mark.e2e
def test_config_change_and_no_change(built_repo: Path, tmp_path: Path) -> None:
    res = diff(
        str(built_repo),
        str(built_repo),
        "--html",
        str(tmp_path / "same.html"),
        "--csv",
        str(tmp_path / "same.csv"),
    )
    assert res.returncode == 0 and "No changes" in res.stdout
    assert len(pd.read_csv(tmp_path / "same.csv")) == 0
    assert "No changes" in (tmp_path / "same.html").read_text()

    new = copy_build(built_repo, tmp_path / "new")
    cfg = new / "config/config.yaml"
    text = cfg.read_text(encoding="utf-8")
    old_primary = "year: 2023, group_a: cis"
    assert old_primary in text
    cfg.write_text(text.replace(old_primary, "year: 2022, group_a: cis"), encoding="utf-8")
    res = run_snakemake(new, *NARROW)
    assert res.returncode == 0, res.stdout[-4000:]
    res = diff(str(built_repo), str(new))
    assert res.returncode == 0, res.stderr
    df = changes(new)
    assert df.loc[df["kind"] == "config", ["name", "old", "new"]].values.tolist() == [
        ["compare.primary.year", "2023", "2022"]
    ]
    assert not set(df["kind"]) & {"raw_file", "source_file", "wording"}  # the config alone
    year = df[(df["kind"] == "value") & (df["name"] == "cmp.primary.year")].iloc[0]
    assert (year["old_text"], year["new_text"]) == ("2023", "2022")
    cells = df[(df["kind"] == "table_cell") & (df["section"] == "results/group_comparisons.csv")]
    flag = cells[cells["name"].str.endswith(" · is_primary")]
    moved = {
        (n.split("year=")[1][:4], old, new) for n, old, new in flag[["name", "old", "new"]].values
    }
    assert moved == {("2023", "True", "False"), ("2022", "False", "True")}


@pytest.mark.e2e
def test_make_diff_against_a_commit_shows_a_wording_change(
    built_repo: Path, tmp_path: Path
) -> None:
    repo = copy_build(built_repo, tmp_path / "repo")
    _git(repo, "init", "-q")
    _git(repo, "add", "-A")
    _git(repo, "commit", "-qm", "base")
    sha = subprocess.run(
        ["git", "-C", str(repo), "rev-parse", "HEAD"], capture_output=True, text=True, check=True
    ).stdout.strip()
    # the base's outputs are cached already (as after an earlier `make diff BASE=HEAD`)
    copy_build(built_repo, repo / ".cache/diff" / sha / "tree")
    section = repo / "article/sections/02_studied.md.j2"
    text = section.read_text(encoding="utf-8")
    assert "The aim of this study is" in text
    section.write_text(text.replace("The aim of this study is", "The aim of this work is"))
    make = ["make", "-s", f"VENV={REPO / '.venv'}", f"UV={REPO / '.tools/bin/uv'}", "CORES=2"]
    res = subprocess.run(
        [*make, "diff", "BASE=HEAD"],
        cwd=repo,
        env=build_env(),
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert res.returncode == 0, res.stdout[-3000:] + res.stderr[-3000:]
    assert "Only the wording changed" in res.stdout
    df = changes(repo)
    assert df["kind"].tolist() == ["wording", "source_file"]
    assert df["name"].iloc[1] == "article/sections/02_studied.md.j2"
    wording = df[df["kind"] == "wording"].iloc[0]
    assert "The aim of this study" in wording["old"] and "this work" in wording["new"]
    assert wording["section"] == "Introduction" and wording["anchor"] == "article.html#sec-studied"
    page = (repo / "build/article/changes.html").read_text()
    assert "Only the wording changed: no value, claim verdict, table or figure changed." in page
    assert "<del>study</del><ins>work</ins>" in page
    assert (repo / "build/article/article.html").read_text().count("The aim of this work is")
    res = subprocess.run(
        [*make, "diff", "BASE=no-such-version"],
        cwd=repo,
        env=build_env(),
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert res.returncode != 0 and "Traceback" not in res.stderr
    assert "BASE=no-such-version: names no commit of this repository" in res.stderr


@pytest.mark.parametrize("content", [b"", b"\n", b"\r\n\n"])
def test_a_table_without_bytes_or_with_blank_lines_only_is_compared_as_empty(
    tmp_path: Path, content: bytes
) -> None:
    from kzopen.diff.tables import read_text_csv

    path = tmp_path / "t.csv"
    path.write_bytes(content)
    assert read_text_csv(path).empty
