"""Generated corruptions of the real vendored files and the config (property-based, hypothesis).

Used by ``tests/test_fuzz.py`` (a few hundred cases in ``make test``) and
``benchmarks/fuzz.py`` (1,000 cases, counts in ``benchmarks/fuzz.json``).

Each reader of raw data, and the config check, gets a *base* file: the real vendored file cut
to its first rows (same header, same bytes per row; Excel: the real sheet's title rows, header
and first rows), so that one case takes milliseconds. A case draws one mutation (truncation,
dropped or duplicated rows and columns, changed types, encodings, delimiters, byte-order
marks, line endings, renamed or emptied sheets, numbers as text, huge values, NaN/inf markers,
Unicode look-alikes in names and codes...), writes the mutated file under the real file's name,
runs the reader through the Snakemake adapter (``kzopen.pipeline.adapter.run``) and classifies:

``correct_read``  the reader returned data; where the mutation is harmless (line endings,
                  quoting, column order, row order of a sorted table...) it equals the base's
                  processed data, otherwise it passes the output's invariants (no key invented,
                  every value finite and on its scale);
``clear_error``   the reader raised ``InputError`` naming the file and a row, column or
                  expectation; the adapter exited 1, wrote no output, the raw file is unchanged;
``traceback``     any other exception (a bug);
``wrong``         an error where the mutation is harmless, a harmful mutation that was read
                  without complaint where it must be refused, or a read breaking an invariant.

All values written by the mutations are deliberately wrong: SYNTHETIC, never used elsewhere.
"""

from __future__ import annotations

import contextlib
import copy
import csv
import hashlib
import io
import random
import tempfile
import traceback
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import numpy as np
import openpyxl
import pandas as pd
import pyreadr
import yaml
from snakemake.utils import validate as snakemake_validate

from kzopen.claims.registry import read_claims, read_outside_facts
from kzopen.compare.reported import read_reported_means
from kzopen.core.io import write_parquet
from kzopen.ingest.country_groups import read_country_groups
from kzopen.ingest.cpi import read_cpi
from kzopen.ingest.egov import read_egov
from kzopen.ingest.fiw import read_fiw
from kzopen.ingest.kz_population import read_kz_population
from kzopen.ingest.obs import read_obs
from kzopen.ingest.vdem import KEY_COLUMNS as VDEM_KEYS
from kzopen.ingest.vdem import VDEM_MEASURES, read_codebook, read_vdem
from kzopen.ingest.wgi import read_wgi
from kzopen.ingest.wjp import read_wjp
from kzopen.pipeline import adapter
from kzopen.pipeline.config import check_config_paths, load_config, validate_config
from kzopen.portal.survey import (
    Outcome,
    counts_from_respondents,
    read_counts,
    read_reported,
    read_units,
)

REPO = Path(__file__).resolve().parent.parent
BOM = b"\xef\xbb\xbf"
SAME, ERROR, ANY = "same", "error", "any"
OUTCOMES = ("correct_read", "clear_error", "traceback", "wrong")
CASES_IN_MAKE_TEST = 400  # tests/test_fuzz.py; benchmarks/fuzz.py runs 1,000
CASES_IN_TEST_FAST = 150  # the same test under `make test-fast` (KZOPEN_TEST_FAST=1)

# --------------------------------------------------------------------------- targets


@dataclass(frozen=True)
class Target:
    """One reader of one raw file, and what its columns mean for the oracle."""

    name: str
    raw: str  # path of the real file, relative to the repository
    read: Callable[[Path], Any]
    kind: str = "csv"  # csv, xlsx, rda (R data) or yaml
    numeric: tuple[str, ...] = ()  # cells that must hold a number (nullable ones may be empty)
    keys: tuple[str, ...] = ()  # identifiers: a changed spelling must not pass unnoticed
    required: tuple[str, ...] = ()  # columns the reader needs
    sorted_output: bool = True  # the reader sorts its output: row order is irrelevant
    rows: int = 40  # data rows kept in the base file
    sheet: str = ""  # xlsx: the sheet read
    header_row: int = 1  # xlsx: spreadsheet row of the header
    index_table: bool = False  # output is the long index table (INDEX_COLUMNS)
    unique_rows: bool = True  # a repeated data row is an error (not so for respondent files)
    accepts_bom: bool = False  # a UTF-8 byte-order mark is read as such (else it is an error)


def _units() -> pd.DataFrame:
    return read_units(REPO / "data/raw/portal/units.csv")


def _claims() -> pd.DataFrame:
    return read_claims(REPO / "data/raw/article/claims.csv")


def _outcomes() -> list[Outcome]:
    cfg = load_config(REPO / "config/config.yaml")
    return [Outcome.from_config(o) for o in cfg["portal"]["outcomes"]]


def _vdem(path: Path) -> pd.DataFrame:
    codebook = read_codebook(REPO / "data/raw/indices/vdem/codebook_v16.RData")
    return read_vdem(path, codebook)[0]


VDEM_TAGS = tuple(m.tag for m in VDEM_MEASURES)


def _config(path: Path) -> dict:
    """The Snakefile's checks in its order: ours (clear messages), then Snakemake's, which
    also fills in the defaults; a config ours accepts and Snakemake's refuses is a bug."""
    cfg = load_config(path)
    schema = REPO / "workflow/schemas/config.schema.yaml"
    validate_config(cfg, schema, path)
    check_config_paths(cfg, REPO, path)
    snakemake_validate(cfg, str(schema))
    return cfg


WGI_NUM = ("estimate", "stddev")
OBS_NUM = ("budget_transparency_score", "public_participation_score", "oversight_score")
WJP_NUM = ("WJP Rule of Law Index: Overall Score", "Factor 3: Open Government")
FIW_NUM = ("Total", "PR", "CL", "C", "C3", "Edition")

TARGETS = [
    Target(
        "wgi",
        "data/raw/indices/wb_wgi/wgidataset.csv",
        read_wgi,
        numeric=(*WGI_NUM, "year"),
        keys=("code", "indicator"),
        required=("code", "countryname", "year", "indicator", *WGI_NUM),
        index_table=True,
    ),
    Target(
        "obs",
        "data/raw/indices/ibp_open_budget_survey/open_budget_survey_2006_2023.csv",
        read_obs,
        numeric=(*OBS_NUM, "year"),
        keys=("country_code",),
        required=("country_code", "year", *OBS_NUM),
        index_table=True,
    ),
    Target(
        "egov2022",
        "data/raw/indices/un_egov_survey/EGOV_DATA_2022.csv",
        read_egov,
        numeric=("E-Government Index", "Online Service Index", "Survey Year"),
        keys=("Country Name",),
        required=("Country Name", "Survey Year", "E-Government Index"),
        index_table=True,
    ),
    Target(
        "egov2024",
        "data/raw/indices/un_egov_survey/EGOV_DATA_2024.csv",
        read_egov,
        numeric=("E_Index", "E_Participation", "Survey Year"),
        keys=("Country",),
        required=("Country", "Survey Year", "E_Index"),
        index_table=True,
    ),
    Target(
        "wjp",
        "data/raw/indices/wjp_rule_of_law/wjp_rol_index_historical_2012_2024.csv",
        read_wjp,
        numeric=WJP_NUM,
        keys=("Country Code", "Year"),
        required=("Country", "Year", "Country Code", *WJP_NUM),
        index_table=True,
    ),
    Target(
        "population",
        "data/raw/indices/kz_bns_regions/population_avg_by_region_total_2009_2025.csv",
        read_kz_population,
        numeric=("value",),
        keys=("region", "date", "item_code"),
        required=("date", "region", "item_code", "value"),
    ),
    Target(
        "groups",
        "data/raw/groups/country_groups.csv",
        read_country_groups,
        keys=("iso3", "eu27", "cis_ever", "central_asia"),
        required=("iso3", "name", "cis_from", "cis_to", "eu27", "cis_ever"),
    ),
    Target(
        "units",
        "data/raw/portal/units.csv",
        read_units,
        keys=("unit_type", "unit"),
        required=("unit_type", "unit", "region_codes"),
        sorted_output=False,
    ),
    Target(
        "portal_reported",
        "data/raw/article/portal_reported.csv",
        lambda p: read_reported(p, _units()),
        numeric=("reported_pct", "decimals"),
        keys=("unit_type", "unit", "outcome"),
        required=("outcome", "unit", "reported_pct"),
        sorted_output=False,
    ),
    # survey forms (b) and (a): a user's own files; the SYNTHETIC test fixtures stand in
    Target(
        "survey_counts",
        "tests/fixtures/portal_synthetic_counts.csv",
        lambda p: read_counts(p, _units()),
        numeric=("successes", "trials"),
        keys=("outcome", "unit_type", "unit"),
        required=("outcome", "unit", "successes", "trials"),
    ),
    Target(
        "survey_respondents",
        "tests/fixtures/portal_synthetic_respondents.csv",
        lambda p: counts_from_respondents(p, _units(), _outcomes()),
        keys=("unit_type", "unit", "response", "survey"),
        required=("respondent_id", "survey", "unit_type", "unit", "response"),
        rows=120,
        unique_rows=False,
        accepts_bom=True,
    ),
    Target(
        "claims",
        "data/raw/article/claims.csv",
        read_claims,
        keys=("claim_id", "kind", "check_method"),
        required=("claim_id", "quote", "kind"),
        sorted_output=False,
    ),
    Target(
        "outside_facts",
        "data/raw/article/outside_facts_2026-12-02.csv",
        lambda p: read_outside_facts(p, _claims()),
        keys=("claim_id", "relation"),
        required=("claim_id", "relation", "url"),
        sorted_output=False,
    ),
    Target(
        "reported_means",
        "data/raw/article/reported_group_means.csv",
        lambda p: read_reported_means(str(p), str(REPO / "data/raw/article/claims.csv")),
        numeric=("reported_value",),
        keys=("claim_id",),
        required=("claim_id", "reported_value"),
        sorted_output=False,
    ),
    Target(
        "cpi",
        "data/raw/indices/ti_cpi/CPI2023_Global_Results__Trends.xlsx",
        read_cpi,
        kind="xlsx",
        sheet="CPI Timeseries 2012 - 2023",
        header_row=4,
        rows=25,
        numeric=("CPI score 2023", "Standard error 2023", "CPI score 2012"),
        keys=("ISO3",),
        required=("ISO3", "Country / Territory", "CPI score 2023"),
        index_table=True,
    ),
    Target(
        "fiw",
        "data/raw/indices/freedom_house_fiw/All_data_FIW_2013-2024.xlsx",
        read_fiw,
        kind="xlsx",
        sheet="FIW13-24",
        header_row=2,
        rows=25,
        numeric=FIW_NUM,
        keys=("Country/Territory", "C/T"),
        required=("Country/Territory", "C/T", "Total"),
        index_table=True,
    ),
    Target(
        "vdem",
        "data/raw/indices/vdem/vdemlite.rda",
        _vdem,
        kind="rda",
        rows=60,
        numeric=(*VDEM_TAGS, "year"),
        keys=("country_text_id",),
        required=(*VDEM_KEYS, *VDEM_TAGS),
        index_table=True,
    ),
    Target("config", "config/config.yaml", _config, kind="yaml"),
]
BY_NAME = {t.name: t for t in TARGETS}


# --------------------------------------------------------------------------- base files


def _csv_rows(data: bytes) -> tuple[list[list[str]], bool]:
    bom = data.startswith(BOM)
    text = (data[3:] if bom else data).decode("utf-8")
    return list(csv.reader(io.StringIO(text, newline=""))), bom


def _csv_bytes(rows: list[list[str]], bom: bool, **fmt: Any) -> bytes:
    buf = io.StringIO(newline="")
    fmt.setdefault("lineterminator", "\n")
    csv.writer(buf, **fmt).writerows(rows)
    return (BOM if bom else b"") + buf.getvalue().encode("utf-8")


def _xlsx_rows(path: Path, sheet: str, n: int) -> list[list[Any]]:
    wb = openpyxl.load_workbook(path, read_only=True, data_only=True)
    rows = [list(r) for _, r in zip(range(n), wb[sheet].iter_rows(values_only=True), strict=False)]
    wb.close()
    return rows


def _xlsx_bytes(rows: list[list[Any]], sheet: str, extra_sheets: tuple[str, ...] = ()) -> bytes:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = sheet
    for r in rows:
        ws.append(r)
    for name in extra_sheets:
        wb.create_sheet(name)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


@dataclass
class Base:
    target: Target
    data: bytes  # the base file
    rows: list  # parsed rows (csv: strings; xlsx: cell values; yaml: the loaded mapping)
    bom: bool
    expected: Any  # the reader's output on the base file


def make_base(target: Target, folder: Path) -> Base:
    src = REPO / target.raw
    if target.kind == "csv":
        rows, bom = _csv_rows(src.read_bytes())
        rows = rows[: target.rows + 1]
        data = _csv_bytes(rows, bom)
    elif target.kind == "xlsx":
        rows, bom = _xlsx_rows(src, target.sheet, target.header_row + target.rows), False
        data = _xlsx_bytes(rows, target.sheet)
    elif target.kind == "rda":
        rows, bom = _rda_base(src, target), False
        data = _rda_bytes(rows)
    else:
        data, bom = src.read_bytes(), False
        rows = yaml.safe_load(data)
    path = folder / "base" / Path(target.raw).name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return Base(target, data, rows, bom, target.read(path))


# --------------------------------------------------------------------------- mutations
# A mutation is drawn with a ``random.Random`` (hypothesis supplies its seed) and returns the
# mutated bytes, a label, and the oracle's expectation (SAME, ERROR or ANY).

LOOKALIKES = {
    "A": "\u0410",
    "B": "\u0412",
    "C": "\u0421",
    "E": "\u0415",
    "K": "\u041a",
    "M": "\u041c",
    "O": "\u039f",
    "T": "\u0422",
    "Z": "\u0396",
    "a": "\u0430",
    "e": "\u0435",
    "o": "\u043e",
    "i": "\u0456",
    "c": "\u0441",
    "y": "\u0443",
}
NOT_NUMBERS = [
    "abc",
    "NaN",
    "nan",
    "-nan",
    "inf",
    "-inf",
    "Infinity",
    "1e999",
    "-1e999",
    "99999999999999999999999",
    "0,5",
    "１２",
    "٣",
    "1_000",
    "0x10",
    "N/A",
    "NULL",
    "#N/A",
    "None",
    "--",
    "true",
    "1.2.3",
    "5%",
    "1e308",
    "-1e308",
    "12abc",
]


def lookalike(value: str, rng: random.Random) -> str | None:
    """The same text with one character swapped for a look-alike (or None if none fits)."""
    spots = [i for i, ch in enumerate(value) if ch in LOOKALIKES]
    choices = ["homoglyph"] * bool(spots) + ["zero-width", "nbsp", "fullwidth"]
    how = rng.choice(choices)
    if how == "homoglyph":
        i = rng.choice(spots)
        return value[:i] + LOOKALIKES[value[i]] + value[i + 1 :]
    if how == "zero-width" and value:
        i = rng.randrange(len(value) + 1)
        return value[:i] + "\u200b" + value[i:]
    if how == "nbsp":  # inside the text: readers strip surrounding whitespace, NBSP included
        core = value.strip()
        if " " in core:
            return value.replace(" ", "\u00a0", 1) if not value.startswith(" ") else None
        mid = len(value) // 2
        return value[:mid] + "\u00a0" + value[mid:] if len(core) > 1 else None
    wide = "".join(chr(ord(c) + 0xFEE0) if "!" <= c <= "~" else c for c in value)
    return wide if wide != value else None


@dataclass
class Mutation:
    label: str
    data: bytes
    expect: str
    sheet: str = ""
    notes: dict = field(default_factory=dict)


def _pick_row(rows: list, rng: random.Random, first: int) -> int:
    return rng.randrange(first, len(rows))


def mutate_csv(base: Base, rng: random.Random) -> Mutation:
    t, rows = base.target, [list(r) for r in base.rows]
    header = rows[0]
    kinds = [
        "crlf",
        "blank-lines",
        "quote-all",
        "column-order",
        "truncate",
        "drop-row",
        "duplicate-row",
        "drop-column",
        "duplicate-column",
        "rename-column",
        "cell-not-number",
        "cell-lookalike",
        "cell-empty",
        "cell-huge",
        "encoding",
        "delimiter",
        "bom",
        "nul-byte",
        "header-only",
        "ragged-row",
        "whitespace-cell",
    ]
    if t.sorted_output:
        kinds.append("shuffle-rows")
    kind = rng.choice(kinds)
    enc = lambda r, **k: _csv_bytes(r, base.bom, **k)  # noqa: E731
    if kind == "crlf":
        return Mutation(kind, enc(rows, lineterminator="\r\n"), SAME)
    if kind == "blank-lines":
        return Mutation(kind, base.data + b"\n\n", SAME)
    if kind == "quote-all":
        return Mutation(kind, enc(rows, quoting=csv.QUOTE_ALL), SAME)
    if kind == "column-order":
        order = list(range(len(header)))
        rng.shuffle(order)
        return Mutation(kind, enc([[r[j] for j in order] for r in rows]), SAME)
    if kind == "shuffle-rows":
        body = rows[1:]
        rng.shuffle(body)
        return Mutation(kind, enc([header, *body]), SAME)
    if kind == "truncate":
        cut = rng.randrange(0, len(base.data))
        return Mutation(f"truncate@{cut}", base.data[:cut], ANY)
    if kind == "drop-row":
        i = _pick_row(rows, rng, 1)
        return Mutation(f"drop-row {i + 1}", enc(rows[:i] + rows[i + 1 :]), ANY)
    if kind == "duplicate-row":
        i = _pick_row(rows, rng, 1)
        return Mutation(
            f"duplicate-row {i + 1}", enc(rows[: i + 1] + rows[i:]), ERROR if t.unique_rows else ANY
        )
    if kind in ("drop-column", "duplicate-column", "rename-column"):
        return _mutate_column(kind, t, rows, rng, enc)
    if kind == "encoding":
        return _reencode(base, rng)
    if kind == "delimiter":
        d = rng.choice([";", "\t", "|"])
        return Mutation(f"delimiter {d!r}", enc(rows, delimiter=d), ERROR)
    if kind == "bom":
        if base.bom:
            return Mutation("bom removed", base.data[3:], SAME)
        return Mutation("bom added", BOM + base.data, SAME if t.accepts_bom else ERROR)
    if kind == "nul-byte":
        i = rng.randrange(len(base.data))
        return Mutation(f"nul-byte@{i}", base.data[:i] + b"\x00" + base.data[i:], ANY)
    if kind == "header-only":
        return Mutation(kind, enc(rows[:1]), ERROR)
    if kind == "ragged-row":
        i = _pick_row(rows, rng, 1)
        rows[i] = rows[i] + ["extra"] if rng.random() < 0.5 else rows[i][:-1]
        return Mutation(f"ragged-row {i + 1}", enc(rows), ERROR)
    return _mutate_cell(kind, base, rows, rng, enc)


def _mutate_column(kind: str, t: Target, rows: list, rng: random.Random, enc) -> Mutation:
    header = rows[0]
    j = rng.randrange(len(header))
    name = header[j]
    need = name in t.required
    if kind == "drop-column":
        return Mutation(
            f"{kind} {name!r}", enc([r[:j] + r[j + 1 :] for r in rows]), ERROR if need else ANY
        )
    if kind == "duplicate-column":
        return Mutation(
            f"{kind} {name!r}", enc([r[: j + 1] + r[j:] for r in rows]), ERROR if need else ANY
        )
    new = rng.choice([name + "_x", name.upper() + "!", "", "Unnamed: 3"])
    rows[0][j] = new
    return Mutation(f"{kind} {name!r}->{new!r}", enc(rows), ERROR if need and new != name else ANY)


def _reencode(base: Base, rng: random.Random) -> Mutation:
    codec = rng.choice(["latin-1", "cp1251", "utf-16", "utf-32", "cp1252"])
    text = base.data.decode("utf-8-sig")  # a BOM is not carried over
    data = text.encode(codec, errors="replace")
    plain = base.data[3:] if base.bom else base.data
    # a file in plain ASCII is the same bytes in every 8-bit code page; a lossy re-encoding
    # that left only ASCII ('?' for what the code page lacks) is valid UTF-8 text
    try:
        data.decode("utf-8")
        expect = SAME if data == plain else ANY
    except UnicodeDecodeError:
        expect = ERROR
    return Mutation(f"encoding {codec}", data, expect)


def _mutate_cell(kind: str, base: Base, rows: list, rng: random.Random, enc) -> Mutation:
    t, header = base.target, rows[0]
    pool = {
        "cell-not-number": t.numeric,
        "cell-huge": t.numeric,
        "cell-lookalike": t.keys,
        "cell-empty": t.keys + t.numeric,
        "whitespace-cell": t.keys + t.numeric,
    }[kind]
    cols = [c for c in pool if c in header] or header
    col = rng.choice(cols)
    j = header.index(col)
    i = _pick_row(rows, rng, 1)
    old = rows[i][j]
    expect = ANY
    if kind == "cell-not-number":
        new = rng.choice(NOT_NUMBERS)
        expect = ERROR if col in t.numeric else ANY
    elif kind == "cell-huge":
        new = rng.choice(
            ["1e300", "-1e300", "9" * 40, "1e-300", "-0", str(2**63), str(-(2**63) - 1)]
        )
    elif kind == "cell-lookalike":
        new = lookalike(old, rng)
        if new is None:
            new = old + "\u200b"
        expect = ERROR if col in t.keys else ANY
    elif kind == "cell-empty":
        new = ""
    else:
        new = rng.choice([f" {old}", f"{old} ", f"\t{old}"])
    rows[i][j] = new
    return Mutation(
        f"{kind} row {i + 1} {col!r}: {old!r}->{new!r}",
        enc(rows),
        expect,
        notes={"row": i + 1, "column": col, "old": old, "new": new},
    )


def mutate_xlsx(base: Base, rng: random.Random) -> Mutation:
    t, rows = base.target, [list(r) for r in base.rows]
    h = t.header_row - 1
    header = [str(c).strip() if c is not None else "" for c in rows[h]]
    kinds = [
        "rename-sheet",
        "empty-sheet",
        "extra-sheet",
        "truncate",
        "not-a-workbook",
        "drop-row",
        "duplicate-row",
        "drop-column",
        "cell-not-number",
        "cell-text-number",
        "cell-lookalike",
        "cell-empty",
        "cell-huge",
        "cell-bool",
        "cell-nan",
        "shuffle-rows",
    ]
    kind = rng.choice(kinds)
    build = lambda r, **k: _xlsx_bytes(r, k.pop("sheet", t.sheet), **k)  # noqa: E731
    if kind == "rename-sheet":
        new = rng.choice([t.sheet + " ", t.sheet.lower(), "Sheet1", t.sheet.replace("-", "_")])
        return Mutation(
            f"rename-sheet {new!r}", build(rows, sheet=new), SAME if new == t.sheet else ERROR
        )
    if kind == "empty-sheet":
        return Mutation(kind, build(rows[: rng.randrange(0, h + 2)]), ERROR)
    if kind == "extra-sheet":
        return Mutation(kind, build(rows, extra_sheets=("Notes",)), SAME)
    if kind == "truncate":
        cut = rng.randrange(0, len(base.data))
        return Mutation(f"truncate@{cut}", base.data[:cut], ERROR)
    if kind == "not-a-workbook":
        return Mutation(kind, b"Country,ISO3\nKazakhstan,KAZ\n", ERROR)
    if kind == "shuffle-rows":
        body = rows[h + 1 :]
        rng.shuffle(body)
        return Mutation(kind, build(rows[: h + 1] + body), SAME)
    i = rng.randrange(h + 1, len(rows))
    if kind == "drop-row":
        return Mutation(f"drop-row {i + 1}", build(rows[:i] + rows[i + 1 :]), ANY)
    if kind == "duplicate-row":
        return Mutation(f"duplicate-row {i + 1}", build(rows[: i + 1] + rows[i:]), ERROR)
    if kind == "drop-column":
        j = rng.randrange(len(header))
        need = header[j] in t.required
        return Mutation(
            f"drop-column {header[j]!r}",
            build([r[:j] + r[j + 1 :] for r in rows]),
            ERROR if need else ANY,
        )
    return _mutate_xlsx_cell(kind, t, rows, header, i, rng, build)


def _mutate_xlsx_cell(kind, t, rows, header, i, rng, build) -> Mutation:
    """The cell mutations of :func:`mutate_xlsx` (row ``i``, a key or numeric column)."""
    cols = [c for c in (t.keys if kind == "cell-lookalike" else t.numeric) if c in header]
    col = rng.choice(cols)
    j = header.index(col)
    old = rows[i][j]
    expect = ERROR
    if kind == "cell-not-number":
        new = rng.choice(NOT_NUMBERS)
    elif kind == "cell-text-number":  # a number stored as text: same value, other cell type
        new = "" if old is None else str(old)
        expect = ANY
    elif kind == "cell-lookalike":
        new = lookalike(str(old), rng) or f"{old}\u200b"
    elif kind == "cell-empty":
        new, expect = None, ANY
    elif kind == "cell-huge":
        new, expect = rng.choice([1e300, -1e300, 10**30, 1e-300]), ANY
    elif kind == "cell-bool":
        new = rng.choice([True, False])
    else:  # a workbook cannot store NaN or infinity: they arrive as text or error cells
        new = rng.choice(["NaN", "nan", "inf", "-Infinity", "#N/A", "#NUM!", "#DIV/0!"])
    rows[i][j] = new
    return Mutation(
        f"{kind} row {i + 1} {col!r}: {old!r}->{new!r}",
        build(rows),
        expect,
        notes={"row": i + 1, "column": col},
    )


# config: values that are wrong for most keys, and text-level damage
CONFIG_VALUES = [
    None,
    "",
    "abc",
    -1,
    0,
    10**30,
    1e308,
    float("nan"),
    float("inf"),
    float("-inf"),
    True,
    [],
    {},
    "ＫＡＺ",
    "../outside.csv",
    "/etc/passwd",
    1.5,
    "1",
    ["x"],
    "\u0441is",
]


def _leaves(obj: Any, path: tuple = ()) -> list[tuple]:
    if isinstance(obj, dict):
        out = [path] if path else []
        for k, v in obj.items():
            out += _leaves(v, (*path, k))
        return out
    if isinstance(obj, list):
        out = [path]
        for i, v in enumerate(obj):
            out += _leaves(v, (*path, i))
        return out
    return [path]


def _set(obj: Any, path: tuple, value: Any, delete: bool = False) -> None:
    for p in path[:-1]:
        obj = obj[p]
    if delete:
        del obj[path[-1]]
    else:
        obj[path[-1]] = value


def _yaml(obj: Any) -> bytes:
    return yaml.safe_dump(obj, sort_keys=False, allow_unicode=True).encode("utf-8")


def mutate_config(base: Base, rng: random.Random) -> Mutation:
    kind = rng.choice(
        [
            "set",
            "set",
            "set",
            "delete",
            "unknown-key",
            "crlf",
            "bom",
            "truncate",
            "encoding",
            "tab",
            "retype-list",
            "lookalike",
        ]
    )
    cfg = copy.deepcopy(base.rows)
    paths = _leaves(cfg)
    if kind == "crlf":
        return Mutation(kind, base.data.replace(b"\n", b"\r\n"), SAME)
    if kind == "bom":
        return Mutation(kind, BOM + base.data, ANY)
    if kind == "truncate":
        cut = rng.randrange(0, len(base.data))
        return Mutation(f"truncate@{cut}", base.data[:cut], ANY)
    if kind == "encoding":
        codec = rng.choice(["utf-16", "latin-1"])
        data = base.data.decode("utf-8").encode(codec, errors="replace")
        return Mutation(f"encoding {codec}", data, SAME if data == base.data else ERROR)
    if kind == "tab":
        return Mutation(kind, base.data.replace(b"\n  ", b"\n\t", 1), ERROR)
    path = rng.choice(paths)
    if kind == "delete":
        _set(cfg, path, None, delete=True)
        # the schema gives every key a default: a deleted key falls back to it
        return Mutation(f"delete {path}", _yaml(cfg), ANY)
    if kind == "unknown-key":
        dicts = [p for p in [(), *paths] if isinstance(_get(cfg, p), dict)]
        where = rng.choice(dicts)
        _get(cfg, where)["random_sed"] = 1
        return Mutation(f"unknown key under {where}", _yaml(cfg), ERROR)
    if kind == "lookalike":
        strs = [p for p in paths if isinstance(_get(cfg, p), str)]
        path = rng.choice(strs)
        new = lookalike(_get(cfg, path), rng) or _get(cfg, path) + "\u200b"
        _set(cfg, path, new)
        return Mutation(f"lookalike {path}: {new!r}", _yaml(cfg), ANY)
    if kind == "retype-list":
        lists = [p for p in paths if isinstance(_get(cfg, p), list)] or [path]
        path = rng.choice(lists)
        _set(cfg, path, ",".join(map(str, _get(cfg, path))) or "x")
        return Mutation(f"list as text {path}", _yaml(cfg), ANY)
    value = rng.choice(CONFIG_VALUES)
    _set(cfg, path, value)
    return Mutation(f"set {path} = {value!r}", _yaml(cfg), ANY)


def _get(obj: Any, path: tuple) -> Any:
    for p in path:
        obj = obj[p]
    return obj


def _rda_base(src: Path, target: Target) -> pd.DataFrame:
    """Kazakhstan's and Estonia's last years: the columns the reader needs, as R stores them."""
    df = pyreadr.read_r(str(src))["vdemlite"]
    df = df[df["country_text_id"].isin(["KAZ", "EST"])].sort_values(["country_text_id", "year"])
    half = target.rows // 2
    df = df.groupby("country_text_id").tail(half)
    return df[list(target.required)].reset_index(drop=True)


def _rda_bytes(df: pd.DataFrame, name: str = "vdemlite") -> bytes:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "x.rda"
        pyreadr.write_rdata(str(path), df, df_name=name)
        return path.read_bytes()


def mutate_rda(base: Base, rng: random.Random) -> Mutation:
    df = base.rows.copy()
    kinds = [
        "truncate",
        "not-r-data",
        "rename-frame",
        "drop-row",
        "duplicate-row",
        "drop-column",
        "shuffle-rows",
        "cell-out-of-range",
        "cell-empty",
        "cell-fraction-year",
        "code-lookalike",
        "extra-column",
    ]
    kind = rng.choice(kinds)
    i = rng.randrange(len(df))
    if kind == "truncate":
        cut = rng.randrange(0, len(base.data))
        return Mutation(f"truncate@{cut}", base.data[:cut], ERROR)
    if kind == "not-r-data":
        return Mutation(kind, b"country_text_id,year\nKAZ,2023\n", ERROR)
    if kind == "rename-frame":
        return Mutation(kind, _rda_bytes(df, rng.choice(["vdem", "df", "VDEMLITE"])), ERROR)
    if kind == "drop-row":
        return Mutation(f"drop-row {i + 1}", _rda_bytes(df.drop(index=i)), ANY)
    if kind == "duplicate-row":
        dup = pd.concat([df, df.iloc[[i]]], ignore_index=True)
        return Mutation(f"duplicate-row {i + 1}", _rda_bytes(dup), ERROR)
    if kind == "drop-column":
        col = rng.choice(list(df.columns))
        return Mutation(f"drop-column {col!r}", _rda_bytes(df.drop(columns=[col])), ERROR)
    if kind == "shuffle-rows":
        return Mutation(kind, _rda_bytes(df.sample(frac=1, random_state=rng.randrange(99))), SAME)
    if kind == "extra-column":
        return Mutation(kind, _rda_bytes(df.assign(extra_col=1.0)), SAME)
    col = rng.choice(list(VDEM_TAGS))
    if kind == "cell-out-of-range":
        df.loc[i, col] = rng.choice([7.5, -6.0, 1e300, float("inf"), float("-inf")])
        expect = ERROR
    elif kind == "cell-empty":
        df.loc[i, col], expect = float("nan"), ANY
    elif kind == "cell-fraction-year":
        col, expect = "year", ERROR
        df.loc[i, col] = df.loc[i, col] + 0.5
    else:
        col, expect = "country_text_id", ERROR
        df.loc[i, col] = lookalike(str(df.loc[i, col]), rng) or f"{df.loc[i, col]}\u200b"
    return Mutation(
        f"{kind} row {i + 1} {col!r}", _rda_bytes(df), expect, notes={"row": i + 1, "column": col}
    )


MUTATORS = {"csv": mutate_csv, "xlsx": mutate_xlsx, "yaml": mutate_config, "rda": mutate_rda}


# --------------------------------------------------------------------------- the oracle


def _normal(df: pd.DataFrame) -> pd.DataFrame:
    return df[sorted(df.columns)].reset_index(drop=True)


def same_data(a: Any, b: Any) -> bool:
    if isinstance(a, pd.DataFrame) and isinstance(b, pd.DataFrame):
        if sorted(a.columns) != sorted(b.columns) or len(a) != len(b):
            return False
        try:
            pd.testing.assert_frame_equal(_normal(a), _normal(b), check_dtype=True)
        except AssertionError:
            return False
        return True
    return a == b


def invariant_problems(target: Target, base: Base, out: Any) -> list[str]:
    """What is wrong with a successful read of a mutated file (empty when nothing)."""
    if target.kind == "yaml" or not isinstance(out, pd.DataFrame):
        return []
    problems = []
    if out.empty:
        problems.append("read returned no rows")
    if target.index_table:
        ref = base.expected
        new_iso = set(out["iso3"]) - set(ref["iso3"])
        if new_iso:
            problems.append(f"ISO3 code(s) {sorted(new_iso)} not in the original file")
        v = out["value"].to_numpy(dtype=float)
        if not np.isfinite(v).all():
            problems.append("non-finite value")
        elif ((v < out["scale_min"]) | (v > out["scale_max"])).any():
            problems.append("value off its scale")
        se = out["std_error"].to_numpy(dtype=float)
        if np.isinf(se).any():
            problems.append("infinite standard error")
        if out.duplicated(["source", "indicator", "year", "iso3"]).any():
            problems.append("duplicate country-year")
        if not set(out["indicator"]) <= set(ref["indicator"]):
            problems.append("indicator not in the original")
    for col in out.columns:
        s = out[col]
        if s.dtype.kind == "f" and np.isinf(s.to_numpy()).any():
            problems.append(f"infinite value in {col}")
    return problems


def clear_message(msg: str, path: Path) -> bool:
    """The message names the file, and a row, a column or what was expected."""
    return path.name in msg and any(w in msg for w in (", row ", ", column ", "(expected "))


@dataclass
class Result:
    target: str
    label: str
    expect: str
    outcome: str
    detail: str = ""


def run_case(base: Base, mutation: Mutation, folder: Path) -> Result:
    """Write the mutated file, read it through the adapter, classify the outcome."""
    t = base.target
    raw = folder / "raw" / Path(t.raw).name
    raw.parent.mkdir(parents=True, exist_ok=True)
    raw.write_bytes(mutation.data)
    digest = hashlib.sha256(mutation.data).hexdigest()
    out_path = folder / "out" / f"{t.name}.parquet"
    if out_path.exists():
        out_path.unlink()
    got: dict[str, Any] = {}

    def main(sm: Any) -> None:
        got["value"] = t.read(raw)
        if isinstance(got["value"], pd.DataFrame):
            write_parquet(got["value"], out_path)

    sm = SimpleNamespace(log=[str(folder / "log" / f"{t.name}.log")], rule=f"fuzz_{t.name}")
    r = lambda outcome, detail="": Result(t.name, mutation.label, mutation.expect, outcome, detail)  # noqa: E731
    try:
        adapter.run(sm, main)
    except SystemExit as exc:
        err = _error_line(Path(sm.log[0]))
        if exc.code != 1:
            return r("wrong", f"exit status {exc.code}")
        if hashlib.sha256(raw.read_bytes()).hexdigest() != digest:
            return r("wrong", "raw file modified")
        if out_path.exists() or list(out_path.parent.glob(f".{out_path.name}.*")):
            return r("wrong", "output written despite the error")
        if not clear_message(err, raw):
            return r("wrong", f"unclear message: {err}")
        if mutation.expect == SAME:
            return r("wrong", f"harmless change refused: {err}")
        return r("clear_error", str(err))
    except Exception:  # a bug: any exception but InputError
        return r("traceback", traceback.format_exc(limit=-4))
    out = got.get("value")
    if mutation.expect == ERROR:
        return r("wrong", "harmful change read without complaint")
    if mutation.expect == SAME and not same_data(out, base.expected):
        return r("wrong", "harmless change altered the data")
    problems = invariant_problems(t, base, out)
    if problems:
        return r("wrong", "; ".join(problems))
    return r("correct_read")


def _error_line(log: Path) -> str:
    """The adapter's one-paragraph message, as the rule's log holds it."""
    lines = [ln for ln in log.read_text(encoding="utf-8").splitlines() if ln.startswith("ERROR")]
    return lines[-1] if lines else ""


def draw_case(base: Base, rng: random.Random) -> Mutation:
    """One mutation of ``base``; ``rng`` comes from hypothesis (``st.randoms()``)."""
    return MUTATORS[base.target.kind](base, rng)


def make_bases(folder: Path) -> dict[str, Base]:
    return {t.name: make_base(t, folder) for t in TARGETS}


def fuzz_settings(max_examples: int) -> Any:
    """Deterministic hypothesis settings: fixed derandomised search, no example database."""
    from hypothesis import HealthCheck, settings

    return settings(
        max_examples=max_examples,
        derandomize=True,
        database=None,
        deadline=None,
        suppress_health_check=list(HealthCheck),
        print_blob=False,
    )


def run_fuzz(bases: dict[str, Base], folder: Path, max_examples: int) -> list[Result]:
    """Run ``max_examples`` generated cases (hypothesis, derandomised); return every result."""
    from hypothesis import given
    from hypothesis import strategies as st

    results: list[Result] = []

    @fuzz_settings(max_examples)
    @given(name=st.sampled_from(sorted(bases)), rng=st.randoms(use_true_random=False))
    def case(name: str, rng: random.Random) -> None:
        base = bases[name]
        results.append(run_case(base, draw_case(base, rng), folder / "case"))

    with contextlib.redirect_stderr(io.StringIO()):  # the adapter prints each error too
        case()
    return results


def tally(results: list[Result]) -> dict[str, int]:
    counts = dict.fromkeys(OUTCOMES, 0)
    for res in results:
        counts[res.outcome] += 1
    return {"cases": len(results), **counts}
