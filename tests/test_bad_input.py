"""The bad-input matrix: every kind of raw input, corrupted in every usual way, stops the build.

Each case copies the repository, corrupts ONE input (a raw file, the manifest or the config),
re-locks the manifest (except for the checksum case, whose whole point is the lock) and runs
the real Snakemake build on the narrowest output downstream of that input. It asserts:

* a non-zero exit status and no Python traceback (a user error is not a bug);
* a message naming the file, and the row and/or column where there is one;
* no output of the failed rule left behind (neither the target nor a stray temporary file);
* the raw file unchanged by the build (byte-identical to what the test wrote).

The corruptions are applied to copies of the real vendored files: the values they write are
deliberately wrong (SYNTHETIC), never used outside this test.
"""

from __future__ import annotations

import csv
import hashlib
import io
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import openpyxl
import pandas as pd
import pyreadr
import pytest
from support import copy_repo, run_snakemake

from kzopen.pipeline.manifest import lock_raw_files

BOM = b"\xef\xbb\xbf"

# Raw files (relative to the repository root) and the narrow target each one feeds.
WGI = "data/raw/indices/wb_wgi/wgidataset.csv"
CPI = "data/raw/indices/ti_cpi/CPI2023_Global_Results__Trends.xlsx"
OBS = "data/raw/indices/ibp_open_budget_survey/open_budget_survey_2006_2023.csv"
EGOV = "data/raw/indices/un_egov_survey/EGOV_DATA_2024.csv"
WJP = "data/raw/indices/wjp_rule_of_law/wjp_rol_index_historical_2012_2024.csv"
FIW = "data/raw/indices/freedom_house_fiw/All_data_FIW_2013-2024.xlsx"
VDEM = "data/raw/indices/vdem/vdemlite.rda"
POP = "data/raw/indices/kz_bns_regions/population_avg_by_region_total_2009_2025.csv"
GROUPS = "data/raw/groups/country_groups.csv"
MANIFEST = "data/raw/manifest.csv"
CONFIG = "config/config.yaml"
CLAIMS = "data/raw/article/claims.csv"
GROUP_MEANS = "data/raw/article/reported_group_means.csv"
PORTAL_REPORTED = "data/raw/article/portal_reported.csv"
UNITS = "data/raw/portal/units.csv"
# Survey forms (a) and (b): the SYNTHETIC test fixtures, installed as raw files of the copy.
COUNTS = "data/raw/portal/synthetic_counts.csv"
RESPONDENTS = "data/raw/portal/synthetic_respondents.csv"
RESPONDENTS_PQ = "data/raw/portal/synthetic_respondents.parquet"
RESPONDENTS_SAV = "data/raw/portal/synthetic_respondents.sav"
FIXTURES = Path(__file__).parent / "fixtures"

T_WGI = "data/processed/indices/wb_wgi.parquet"
T_CPI = "data/processed/indices/ti_cpi.parquet"
T_OBS = "data/processed/indices/ibp_open_budget_survey.parquet"
T_EGOV = "data/processed/indices/un_egov_survey.parquet"
T_WJP = "data/processed/indices/wjp_rule_of_law.parquet"
T_FIW = "data/processed/indices/freedom_house_fiw.parquet"
T_VDEM = "data/processed/indices/vdem.parquet"
T_POP = "data/processed/kz_region_population.parquet"
T_GROUPS = "data/processed/country_groups.parquet"
T_INDICES = "data/processed/indices.parquet"
T_COUNTS = "data/processed/portal_counts.parquet"
T_PORTAL = "results/portal_units.csv"
T_GROUP_MEANS = "results/reported_group_means.csv"


# --------------------------------------------------------------------------- corruptions
# Each returns a function ``(path) -> None`` that rewrites the file in place.


def _read_rows(path: Path) -> tuple[list[list[str]], bool]:
    data = path.read_bytes()
    bom = data.startswith(BOM)
    text = data[len(BOM) :].decode("utf-8") if bom else data.decode("utf-8")
    return list(csv.reader(io.StringIO(text, newline=""))), bom


def _write_rows(path: Path, rows: list[list[str]], bom: bool) -> None:
    buf = io.StringIO(newline="")
    csv.writer(buf, lineterminator="\n").writerows(rows)
    path.write_bytes((BOM if bom else b"") + buf.getvalue().encode("utf-8"))


def edit_rows(fn: Callable[[list[list[str]]], None]) -> Callable[[Path], None]:
    def apply(path: Path) -> None:
        rows, bom = _read_rows(path)
        fn(rows)
        _write_rows(path, rows, bom)

    return apply


def set_cell(row: int, column: str, value: str) -> Callable[[Path], None]:
    """Set the cell at spreadsheet ``row`` (header = row 1) of ``column``."""

    def fn(rows: list[list[str]]) -> None:
        rows[row - 1][rows[0].index(column)] = value

    return edit_rows(fn)


def drop_column(column: str) -> Callable[[Path], None]:
    def fn(rows: list[list[str]]) -> None:
        j = rows[0].index(column)
        for r in rows:
            del r[j]

    return edit_rows(fn)


def rename_column(column: str, new: str) -> Callable[[Path], None]:
    def fn(rows: list[list[str]]) -> None:
        rows[0][rows[0].index(column)] = new

    return edit_rows(fn)


def duplicate_row(row: int) -> Callable[[Path], None]:
    """Insert a copy of spreadsheet ``row`` right after it (the copy is row ``row + 1``)."""

    def fn(rows: list[list[str]]) -> None:
        rows.insert(row, list(rows[row - 1]))

    return edit_rows(fn)


def empty(path: Path) -> None:
    path.write_bytes(b"")


def truncate_mid_row(path: Path) -> None:
    """Cut the file in the middle of a line about half-way through (a partial download)."""
    data = path.read_bytes()
    half = len(data) // 2
    start = data.rfind(b"\n", 0, half) + 1
    end = data.find(b"\n", half)
    path.write_bytes(data[: (start + end) // 2])


def truncate_bytes(path: Path) -> None:
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])


def wrong_delimiter(path: Path) -> None:
    rows, bom = _read_rows(path)
    buf = io.StringIO(newline="")
    csv.writer(buf, delimiter=";", lineterminator="\n").writerows(rows)
    path.write_bytes((BOM if bom else b"") + buf.getvalue().encode("utf-8"))


def non_utf8(row: int) -> Callable[[Path], None]:
    """Put a Latin-1 byte (0xE9, 'e' acute) into spreadsheet ``row``."""

    def apply(path: Path) -> None:
        lines = path.read_bytes().split(b"\n")
        lines[row - 1] = lines[row - 1].replace(b",", b",Caf\xe9 ", 1)
        path.write_bytes(b"\n".join(lines))

    return apply


def add_bom(path: Path) -> None:
    path.write_bytes(BOM + path.read_bytes())


def append_byte(path: Path) -> None:
    path.write_bytes(path.read_bytes() + b"\n")


def xlsx_cell(sheet: str, header_row: int, row: int, column: str, value) -> Callable[[Path], None]:
    def apply(path: Path) -> None:
        wb = openpyxl.load_workbook(path)
        ws = wb[sheet]
        header = [str(c.value).strip() if c.value is not None else "" for c in ws[header_row]]
        ws.cell(row=row, column=header.index(column) + 1, value=value)
        wb.save(path)

    return apply


def text_replace(old: str, new: str) -> Callable[[Path], None]:
    def apply(path: Path) -> None:
        text = path.read_text(encoding="utf-8")
        assert old in text, f"{old!r} not in {path}"
        path.write_text(text.replace(old, new, 1), encoding="utf-8")

    return apply


def text_append(extra: str) -> Callable[[Path], None]:
    def apply(path: Path) -> None:
        path.write_text(path.read_text(encoding="utf-8") + extra, encoding="utf-8")

    return apply


def portal_form(form: str, dest: str) -> Callable[[Path], None]:
    """Switch the copy to survey form ``form`` (counts or respondents) reading file ``dest``.

    The file is made from a SYNTHETIC fixture in tests/fixtures and gets a manifest row (the
    sha256 is filled in by the re-lock), exactly as a user would add a real survey file.
    """

    def setup(work: Path) -> None:
        src = FIXTURES / f"portal_synthetic_{form}.csv"
        target = work / dest
        if dest.endswith(".csv"):
            target.write_bytes(src.read_bytes())
        else:
            import pandas as pd

            df = pd.read_csv(src, dtype=str, keep_default_na=False)
            if dest.endswith(".parquet"):
                df.to_parquet(target, index=False)
            else:
                import pyreadstat

                pyreadstat.write_sav(df, str(target))
        with open(work / MANIFEST, "a", encoding="utf-8") as fh:
            fh.write(f"{dest},synthetic,tests,,synthetic test fixture,2026-01-01,,,SYNTHETIC\n")
        cfg = work / CONFIG
        text = cfg.read_text(encoding="utf-8")
        text = text.replace("  input_form: reported", f"  input_form: {form}", 1)
        text = text.replace(f"  {form}: null", f"  {form}: {dest}", 1)
        cfg.write_text(text, encoding="utf-8")

    return setup


def rda_edit(fn: Callable[[pd.DataFrame], pd.DataFrame], name: str = "vdemlite"):
    """Rewrite an R data file's frame through ``fn`` (saved as ``name``)."""

    def apply(path: Path) -> None:
        df = pyreadr.read_r(str(path))["vdemlite"]
        pyreadr.write_rdata(str(path), fn(df), df_name=name)

    return apply


def rda_set(code: str, year: int, column: str, value) -> Callable[[Path], None]:
    def fn(df: pd.DataFrame) -> pd.DataFrame:
        df.loc[(df["country_text_id"] == code) & (df["year"] == year), column] = value
        return df

    return rda_edit(fn)


CPI_SHEET = "CPI Timeseries 2012 - 2023"
FIW_SHEET = "FIW13-24"


# --------------------------------------------------------------------------- the matrix


@dataclass(frozen=True)
class Case:
    id: str
    file: str  # the corrupted file, relative to the repository root
    corrupt: Callable[[Path], None]
    target: str  # narrow Snakemake target downstream of the file
    expect: tuple[str, ...]  # substrings the message must contain (file, row, column, what)
    relock: bool = True  # re-lock the manifest so the checksum check does not fire first
    dry_run: bool = False  # config/manifest errors stop the build at parse time
    absent: tuple[str, ...] = field(default=())  # further outputs that must not exist
    setup: Callable[[Path], None] | None = None  # prepares the copy before the corruption


def row(n: int) -> str:
    return f"row {n},"


def col(name: str) -> str:
    return f"column {name!r}"


CASES = [
    Case("vdem-not-r-data", VDEM, truncate_bytes, T_VDEM, ("cannot be read as R data",)),
    Case(
        "vdem-no-frame",
        VDEM,
        rda_edit(lambda d: d, name="vdem"),
        T_VDEM,
        ("no R object named 'vdemlite'",),
    ),
    Case(
        "vdem-missing-column",
        VDEM,
        rda_edit(lambda d: d.drop(columns=["v2xel_regelec"])),
        T_VDEM,
        ("required column missing", col("v2xel_regelec")),
    ),
    Case(
        "vdem-out-of-scale",
        VDEM,
        rda_set("KAZ", 2023, "v2xel_locelec", 1.58),
        T_VDEM,
        ("out of range", col("v2xel_locelec")),
    ),
    Case(
        "vdem-unknown-code",
        VDEM,
        rda_set("KAZ", 2023, "country_text_id", "QQQ"),
        T_INDICES,
        ("QQQ", "not in the country groups table"),
    ),
    # ---- index files: World Bank WGI (CSV with a publisher BOM)
    Case("wgi-empty", WGI, empty, T_WGI, ("file is empty",)),
    Case("wgi-truncated", WGI, truncate_mid_row, T_WGI, ("fields",)),
    Case("wgi-wrong-delimiter", WGI, wrong_delimiter, T_WGI, ("row 1", "';' as the delimiter")),
    Case("wgi-non-utf8", WGI, non_utf8(10), T_WGI, ("row 10", "UTF-8")),
    Case(
        "wgi-non-numeric",
        WGI,
        set_cell(6, "estimate", "n/a"),
        T_WGI,
        (row(6), col("estimate"), "not a number"),
    ),
    Case(
        "wgi-unknown-country-code",
        WGI,
        set_cell(2, "code", "QQQ"),
        T_INDICES,
        ("QQQ", "not in the country groups table"),
        absent=(T_INDICES,),
    ),
    Case(
        "wgi-checksum-mismatch",
        WGI,
        append_byte,
        T_WGI,
        ("checksum mismatch", "make data-lock"),
        relock=False,
    ),
    # ---- index files: TI CPI (xlsx)
    Case("cpi-truncated", CPI, truncate_bytes, T_CPI, ("cannot be opened as an .xlsx workbook",)),
    # ---- index files: IBP Open Budget Survey
    Case("obs-bom", OBS, add_bom, T_OBS, ("byte-order mark",)),
    # ---- index files: UN E-Government Survey
    Case(
        "egov-unknown-country",
        EGOV,
        set_cell(4, "Country", "Narnia"),
        T_EGOV,
        (row(4), col("Country"), "'Narnia' not recognised"),
    ),
    # ---- index files: WJP Rule of Law Index
    Case(
        "wjp-renamed-column",
        WJP,
        rename_column("Factor 3: Open Government", "Factor 3 Open Govt"),
        T_WJP,
        (col("Factor 3: Open Government"), "required column missing"),
    ),
    # ---- index files: Freedom House (xlsx)
    Case(
        "fiw-unknown-country",
        FIW,
        xlsx_cell(FIW_SHEET, 2, 10, "Country/Territory", "Narnia"),
        T_FIW,
        (row(10), col("Country/Territory"), "not recognised"),
    ),
    # ---- index files: BNS regional population
    Case("pop-unknown-region", POP, set_cell(15, "region", "XYZ"), T_POP, (row(15), col("region"))),
    Case("pop-missing-year", POP, set_cell(9, "date", ""), T_POP, (row(9), col("date"))),
    # ---- country groups
    Case("groups-duplicate-key", GROUPS, duplicate_row(50), T_GROUPS, (row(51), "duplicate key")),
    Case(
        "groups-missing-column",
        GROUPS,
        drop_column("cis_members_2023"),
        T_GROUPS,
        (col("cis_members_2023"), "required column missing"),
    ),
    # ---- claims (the article's checkable statements) and article-reported group means
    Case(
        "claims-duplicate-key",
        CLAIMS,
        duplicate_row(20),
        T_GROUP_MEANS,
        (row(21), col("claim_id"), "duplicate key"),
    ),
    Case(
        "group-means-non-numeric",
        GROUP_MEANS,
        set_cell(2, "reported_value", "forty-two"),
        T_GROUP_MEANS,
        (row(2), col("reported_value")),
    ),
    Case(
        "group-means-unknown-group",
        GROUP_MEANS,
        set_cell(3, "group", "atlantis"),
        T_GROUP_MEANS,
        ("atlantis",),
    ),
    # ---- survey form (c): percentages reported in the article, and the units table
    Case(
        "reported-unknown-unit",
        PORTAL_REPORTED,
        set_cell(2, "unit", "Ministry of Magic"),
        T_PORTAL,
        (row(2), col("unit"), "Ministry of Magic"),
    ),
    Case(
        "units-unknown-unit-type",
        UNITS,
        set_cell(7, "unit_type", "planet"),
        T_COUNTS,
        (row(7), col("unit_type")),
    ),
    # ---- survey form (b): aggregated counts (SYNTHETIC fixture installed as a raw file)
    Case(
        "counts-non-numeric",
        COUNTS,
        set_cell(3, "successes", "many"),
        T_COUNTS,
        (row(3), col("successes"), "not a whole number"),
        setup=portal_form("counts", COUNTS),
    ),
    Case(
        "counts-out-of-range",
        COUNTS,
        set_cell(4, "successes", "999"),
        T_COUNTS,
        (row(4), col("successes"), "greater than trials"),
        setup=portal_form("counts", COUNTS),
    ),
    Case(
        "counts-checksum-mismatch",
        COUNTS,
        append_byte,
        T_COUNTS,
        ("checksum mismatch",),
        relock=False,
        setup=portal_form("counts", COUNTS),
    ),
    # ---- survey form (a): respondent-level files, CSV, Parquet and SPSS (SYNTHETIC fixture)
    Case(
        "respondents-missing-column",
        RESPONDENTS,
        drop_column("response"),
        T_COUNTS,
        (col("response"), "required column missing"),
        setup=portal_form("respondents", RESPONDENTS),
    ),
    Case(
        "respondents-missing-value",
        RESPONDENTS,
        set_cell(9, "response", ""),
        T_COUNTS,
        (row(9), col("response"), "missing value"),
        setup=portal_form("respondents", RESPONDENTS),
    ),
    Case(
        "respondents-non-utf8",
        RESPONDENTS,
        non_utf8(30),
        T_COUNTS,
        ("UTF",),
        setup=portal_form("respondents", RESPONDENTS),
    ),
    Case(
        "respondents-parquet-truncated",
        RESPONDENTS_PQ,
        truncate_bytes,
        T_COUNTS,
        ("cannot be read",),
        setup=portal_form("respondents", RESPONDENTS_PQ),
    ),
    Case(
        "config-portal-path-outside-repository",
        CONFIG,
        text_replace("  counts: null", "  counts: ../../../etc/passwd"),
        T_COUNTS,
        (col("portal.counts"), "leaves"),
        relock=False,
        dry_run=True,
    ),
    # ---- the manifest (checked at parse time)
    Case(
        "manifest-duplicate-path",
        MANIFEST,
        duplicate_row(3),
        T_GROUPS,
        (row(4), col("path"), "duplicate path"),
        relock=False,
        dry_run=True,
    ),
    Case(
        "manifest-path-outside-data-raw",
        MANIFEST,
        set_cell(2, "path", "../../etc/hostname"),
        T_GROUPS,
        (row(2), col("path"), "data/raw"),
        relock=False,
        dry_run=True,
    ),
    # ---- the config (validated at parse time)
    Case(
        "config-unknown-key",
        CONFIG,
        text_append("\nrandom_sed: 1\n"),
        T_GROUPS,
        ("random_sed",),
        relock=False,
        dry_run=True,
    ),
    Case(
        "config-wrong-type",
        CONFIG,
        text_replace("random_seed: 20240101", "random_seed: '2024'"),
        T_GROUPS,
        ("random_seed", "integer"),
        relock=False,
        dry_run=True,
    ),
    Case(
        "config-python-tag",
        CONFIG,
        text_replace("random_seed: 20240101", "random_seed: !!python/object/apply:os.getpid []"),
        T_GROUPS,
        ("YAML",),
        relock=False,
        dry_run=True,
    ),
    Case(
        "config-path-outside-repository",
        CONFIG,
        text_replace("manifest: data/raw/manifest.csv", "manifest: data/raw/../../../etc/m.csv"),
        T_GROUPS,
        ("manifest",),
        relock=False,
        dry_run=True,
    ),
]


def lock_manifest(work: Path) -> None:
    """`make data-lock` in the copy, in-process (the same function, without a new interpreter)."""
    lock_raw_files("data/raw/manifest.csv", work)


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _leftovers(work: Path, target: str) -> list[str]:
    out = work / target
    stray = [p for p in out.parent.glob(f".{out.name}.*")] if out.parent.exists() else []
    return [p.relative_to(work).as_posix() for p in [out, *stray] if p.exists()]


@pytest.mark.e2e
@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_bad_input_stops_the_build(case: Case, tmp_path: Path):
    work = copy_repo(tmp_path / "repo")
    if case.setup:
        case.setup(work)
        lock_manifest(work)  # the added file is locked before it is corrupted
    path = work / case.file
    assert path.exists(), f"fixture drift: {case.file} no longer exists"
    before = path.read_bytes()
    case.corrupt(path)
    assert path.read_bytes() != before, "the corruption changed nothing"
    if case.relock:
        lock_manifest(work)
    corrupted = _sha(path)

    res = run_snakemake(work, case.target, *(["-n"] if case.dry_run else []))
    out = res.stdout

    assert res.returncode != 0, f"build passed despite {case.id}:\n{out[-3000:]}"
    assert "Traceback" not in out, f"a user error produced a traceback:\n{out[-4000:]}"
    names = {case.file, Path(case.file).name}
    if case.file == CONFIG:
        # Snakemake's own reading of the file (the Snakefile's configfile:) says "config file"
        # without the path; kzopen.pipeline.config.validate_config, which follows, names it.
        names.add("config file")
    low = out.lower()
    assert any(n.lower() in low for n in names), (
        f"message does not name {case.file}:\n{out[-3000:]}"
    )
    for want in case.expect:
        assert want in out, f"{want!r} missing from the message:\n{_error_lines(out)}"
    for t in (case.target, *case.absent):
        assert not _leftovers(work, t), (
            f"output of the failed rule left behind: {_leftovers(work, t)}"
        )
    assert _sha(path) == corrupted, f"the build modified {case.file}"


def _error_lines(out: str) -> str:
    keep = [ln for ln in out.splitlines() if re.search(r"error|file |Error", ln)]
    return "\n".join(keep[-30:]) or out[-3000:]


def test_matrix_is_large_and_covers_every_kind_of_input():
    assert len(CASES) >= 25
    assert len({c.id for c in CASES}) == len(CASES)
    kinds = {c.file for c in CASES}
    for required in (
        WGI,
        CPI,
        OBS,
        EGOV,
        WJP,
        FIW,
        VDEM,
        POP,
        GROUPS,
        MANIFEST,
        CONFIG,
        CLAIMS,
        GROUP_MEANS,
        PORTAL_REPORTED,
        UNITS,
        COUNTS,
        RESPONDENTS,
        RESPONDENTS_PQ,
    ):
        assert required in kinds
