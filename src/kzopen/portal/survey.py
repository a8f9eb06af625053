"""Survey ingest for the portal analysis: three input forms, one counts table.

Forms (``portal.input_form`` in the config):

``respondents`` (a)
    One row per respondent and rated unit: ``respondent_id, survey, unit_type, unit, response``
    plus optional ``weight`` and ``date``. CSV, Parquet, SPSS ``.sav`` or Stata ``.dta``.
    Read once, in record batches (bounded memory), and aggregated to counts per
    ``(survey, unit_type, unit, response)`` with pyarrow's hash group-by; the outcomes of the
    config (``portal.outcomes``: which unit type, which response categories count as a
    "success") then turn these into successes / trials per unit.
``counts`` (b)
    One row per outcome and unit: ``outcome, unit_type, unit, successes, trials``.
``reported`` (c)
    The article's case: ``outcome, unit_type, unit, reported_pct, decimals, claim_id`` with no
    sample size. Always read (it carries the article's values shown beside any result).

Every form is validated; a failure is an :class:`~kzopen.core.errors.InputError` naming the file,
the spreadsheet row (header = row 1) and the column. Weighted respondent files give Kish
effective sample sizes (``n_eff = (sum w)^2 / sum w^2``, design effect ``n / n_eff``).
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path

import numpy as np
import pandas as pd
import pandera.pandas as pa
import pyarrow as pa_arrow
import pyarrow.compute as pc
import pyarrow.csv as pacsv
import pyarrow.parquet as pq

from kzopen.core.errors import CONFIGURATION, InputError
from kzopen.ingest.common import (
    check_field_counts,
    check_header_names,
    check_unique,
    read_csv_file,
    require_columns,
    text_problem,
    validate,
)

UNIT_TYPES = ("ministry", "national", "region")
UNIT_COLUMNS = ["unit_type", "unit", "region_codes", "note"]
REPORTED_COLUMNS = ["outcome", "unit_type", "unit", "reported_pct", "decimals", "claim_id"]
COUNTS_INPUT_COLUMNS = ["outcome", "unit_type", "unit", "successes", "trials"]
RESPONDENT_COLUMNS = ["respondent_id", "survey", "unit_type", "unit", "response"]
RESPONDENT_OPTIONAL = ["weight", "date"]
#: The counts table every model runs on (one row per outcome and unit).
COUNTS_COLUMNS = [
    "outcome",
    "unit_type",
    "unit",
    "successes",
    "trials",
    "weighted",
    "n_effective",
    "successes_effective",
    "design_effect",
]
GROUP_KEYS = ["survey", "unit_type", "unit", "response"]
_WHOLE = re.compile(r"[+-]?[0-9]+(?:\.0*)?")
MAX_COUNT = 10**12  # more respondents than people on Earth is a typo, not a count
_OUTCOME_RE = r"^[a-z][a-z0-9_]*$"


@dataclass(frozen=True)
class Outcome:
    """How respondent answers become a binary outcome for one type of unit."""

    name: str
    unit_type: str
    success: tuple[str, ...]
    survey: str | None = None

    @classmethod
    def from_config(cls, cfg: Mapping) -> Outcome:
        return cls(
            name=str(cfg["name"]),
            unit_type=str(cfg["unit_type"]),
            success=tuple(str(s) for s in cfg["success"]),
            survey=None if cfg.get("survey") in (None, "") else str(cfg["survey"]),
        )


# --------------------------------------------------------------------------- small tables


def read_units(path: str | Path) -> pd.DataFrame:
    """The units table: which ministries/regions exist and their BNS region codes."""
    raw = read_csv_file(path, dtype=str, keep_default_na=False)
    require_columns(raw, UNIT_COLUMNS, path)
    schema = pa.DataFrameSchema(
        {
            "unit_type": pa.Column(str, pa.Check.isin(list(UNIT_TYPES)), nullable=False),
            "unit": pa.Column(str, pa.Check.str_length(min_value=1), nullable=False),
            "region_codes": pa.Column(str, pa.Check.str_matches(r"^([A-Za-z]+(;[A-Za-z]+)*)?$")),
        }
    )
    raw = validate(raw, schema, path)
    check_unique(raw, ["unit_type", "unit"], path)
    bad = raw["unit_type"].isin(["region", "national"]) & (raw["region_codes"] == "")
    if bad.any():
        i = int(np.flatnonzero(bad.to_numpy())[0])
        raise InputError(
            path,
            "region without region code",
            row=i + 2,
            column="region_codes",
            expected="';'-separated BNS region codes",
        )
    units = raw[UNIT_COLUMNS].reset_index(drop=True)
    units.attrs["source"] = str(path)  # named in the errors of tables that refer to a unit
    return units


def _units_file(units: pd.DataFrame) -> str:
    return units.attrs.get("source", "the units table")


def _check_units(
    df: pd.DataFrame, units: pd.DataFrame, path: str | Path, first_row: int = 2
) -> None:
    """Every (unit_type, unit) pair must be in the units table; report the first that is not."""
    types = df["unit_type"].astype(str)
    bad_type = ~types.isin(UNIT_TYPES)
    if bad_type.any():
        i = int(np.flatnonzero(bad_type.to_numpy())[0])
        raise InputError(
            path,
            f"unknown unit type {types.iat[i]!r}",
            row=i + first_row,
            column="unit_type",
            expected=f"one of {list(UNIT_TYPES)}",
        )
    known = set(zip(units["unit_type"], units["unit"], strict=True))
    pairs = list(zip(types, df["unit"].astype(str), strict=True))
    for i, pair in enumerate(pairs):
        if pair not in known:
            raise InputError(
                path,
                f"unit {pair[1]!r} of type {pair[0]!r} is not in the units table",
                row=i + first_row,
                column="unit",
                expected=f"a unit listed in {_units_file(units)} (add it there with its region code)",
            )


def _parse_pct(value: str, path: str | Path, row: int) -> Decimal:
    try:
        d = Decimal(value.strip())
    except (InvalidOperation, AttributeError):
        raise InputError(
            path,
            f"value {value!r} is not a number",
            row=row,
            column="reported_pct",
            expected="a percentage written as printed, e.g. 49.3",
        ) from None
    if not d.is_finite() or d < 0 or d > 100:
        raise InputError(
            path,
            f"percentage {value!r} outside 0-100",
            row=row,
            column="reported_pct",
            expected="a percentage between 0 and 100",
        )
    return d


def read_reported(path: str | Path, units: pd.DataFrame) -> pd.DataFrame:
    """Form (c): reported percentages with their printed precision and no n.

    ``reported_pct`` is kept as the printed text (``reported_text``) so that GRIM works on
    exact decimals, and as a float for display. ``decimals`` must match the printed text.
    """
    raw = read_csv_file(path, dtype=str, keep_default_na=False)
    require_columns(raw, REPORTED_COLUMNS, path)
    schema = pa.DataFrameSchema(
        {
            "outcome": pa.Column(str, pa.Check.str_matches(_OUTCOME_RE), nullable=False),
            "unit": pa.Column(str, pa.Check.str_length(min_value=1), nullable=False),
            "decimals": pa.Column(int, pa.Check.in_range(0, 6), coerce=True, nullable=False),
            "claim_id": pa.Column(str, nullable=False),
        }
    )
    raw = validate(raw, schema, path)
    _check_units(raw, units, path)
    check_unique(raw, ["outcome", "unit"], path)
    pcts = [_parse_pct(v, path, i + 2) for i, v in enumerate(raw["reported_pct"])]
    for i, (d, dec) in enumerate(zip(pcts, raw["decimals"], strict=True)):
        printed = max(0, -d.as_tuple().exponent)
        if printed != int(dec):
            raise InputError(
                path,
                f"{raw['reported_pct'].iat[i]!r} has {printed} decimal(s) but decimals is {dec}",
                row=i + 2,
                column="decimals",
                expected="the number of decimals printed",
            )
    _check_one_type_per_outcome(raw, path)
    out = raw[REPORTED_COLUMNS].copy()
    out["reported_text"] = raw["reported_pct"].str.strip()
    out["reported_pct"] = [float(d) for d in pcts]
    out["decimals"] = out["decimals"].astype("int64")
    return out.reset_index(drop=True)


def _check_one_type_per_outcome(df: pd.DataFrame, path: str | Path) -> None:
    first = df.groupby("outcome", sort=False)["unit_type"].transform("first")
    bad = df["unit_type"] != first
    if bad.any():
        i = int(np.flatnonzero(bad.to_numpy())[0])
        raise InputError(
            path,
            f"outcome {df['outcome'].iat[i]!r} mixes unit types",
            row=i + 2,
            column="unit_type",
            expected="one unit type per outcome (different outcomes are "
            "different measurements and are never compared)",
        )


def read_counts(path: str | Path, units: pd.DataFrame) -> pd.DataFrame:
    """Form (b): aggregated counts ``successes`` out of ``trials`` per outcome and unit."""
    raw = read_csv_file(path, dtype=str, keep_default_na=False)
    require_columns(raw, COUNTS_INPUT_COLUMNS, path)
    for col in ("successes", "trials"):
        for i, v in enumerate(raw[col]):
            text = v.strip(" \t")
            # a plain whole number (42 or 42.0) of a size a count can have; not inf or 1e999
            ok = bool(_WHOLE.fullmatch(text)) and abs(float(text)) <= MAX_COUNT
            if not ok:
                raise InputError(
                    path,
                    f"value {v!r} is not a whole number",
                    row=i + 2,
                    column=col,
                    expected="a non-negative integer count",
                )
    schema = pa.DataFrameSchema(
        {
            "outcome": pa.Column(str, pa.Check.str_matches(_OUTCOME_RE), nullable=False),
            "successes": pa.Column(int, pa.Check.ge(0), coerce=True, nullable=False),
            "trials": pa.Column(int, pa.Check.gt(0), coerce=True, nullable=False),
        }
    )
    raw["successes"] = raw["successes"].astype(float).astype("int64")
    raw["trials"] = raw["trials"].astype(float).astype("int64")
    raw = validate(raw, schema, path)
    over = raw["successes"] > raw["trials"]
    if over.any():
        i = int(np.flatnonzero(over.to_numpy())[0])
        raise InputError(
            path,
            f"successes {raw['successes'].iat[i]} greater than trials {raw['trials'].iat[i]}",
            row=i + 2,
            column="successes",
            expected="0 <= successes <= trials",
        )
    _check_units(raw, units, path)
    check_unique(raw, ["outcome", "unit"], path)
    _check_one_type_per_outcome(raw, path)
    out = raw[COUNTS_INPUT_COLUMNS].copy()
    return _finish_counts(out.assign(weighted=False))


def _finish_counts(df: pd.DataFrame) -> pd.DataFrame:
    df = df.copy()
    if "n_effective" not in df:
        df["n_effective"] = df["trials"].astype("float64")
        df["successes_effective"] = df["successes"].astype("float64")
        df["design_effect"] = 1.0
    df["successes"] = df["successes"].astype("int64")
    df["trials"] = df["trials"].astype("int64")
    df["weighted"] = df["weighted"].astype(bool)
    for c in ("n_effective", "successes_effective", "design_effect"):
        df[c] = df[c].astype("float64")
    return df[COUNTS_COLUMNS].sort_values(["outcome", "unit"], kind="stable").reset_index(drop=True)


def empty_counts() -> pd.DataFrame:
    """The counts table of form (c): no rows, the documented columns and types."""
    df = pd.DataFrame({c: pd.Series(dtype="object") for c in COUNTS_COLUMNS[:3]})
    df["successes"] = pd.Series(dtype="int64")
    df["trials"] = pd.Series(dtype="int64")
    df["weighted"] = pd.Series(dtype=bool)
    for c in ("n_effective", "successes_effective", "design_effect"):
        df[c] = pd.Series(dtype="float64")
    return df


# --------------------------------------------------------------------------- respondents


def _iter_batches(path: Path, batch_rows: int) -> Iterator[pa_arrow.RecordBatch]:
    """Record batches of a respondent file, in file order, never the whole file in memory."""
    suffix = path.suffix.lower()
    if not path.exists():
        raise InputError(path, "file not found")
    if path.stat().st_size == 0:
        raise InputError(path, "file is empty", expected="a header row and data rows")
    try:
        if suffix == ".csv":
            string_cols = {c: pa_arrow.string() for c in [*RESPONDENT_COLUMNS, "date"]}
            reader = pacsv.open_csv(
                path,
                read_options=pacsv.ReadOptions(block_size=64 << 20),
                convert_options=pacsv.ConvertOptions(
                    column_types={**string_cols, "weight": pa_arrow.float64()},
                    strings_can_be_null=True,
                    quoted_strings_can_be_null=False,
                ),
            )
            yield from reader
        elif suffix == ".parquet":
            yield from pq.ParquetFile(path).iter_batches(batch_size=batch_rows)
        elif suffix in (".sav", ".dta", ".zsav"):
            import pyreadstat

            fn = pyreadstat.read_dta if suffix == ".dta" else pyreadstat.read_sav
            for chunk, _meta in pyreadstat.read_file_in_chunks(
                fn, str(path), chunksize=batch_rows, apply_value_formats=True
            ):
                for col in chunk.columns:
                    if col != "weight" and chunk[col].dtype != "float64":
                        chunk[col] = chunk[col].astype("string")
                yield from pa_arrow.Table.from_pandas(chunk, preserve_index=False).to_batches()
        else:
            raise InputError(
                path,
                f"unsupported file type {suffix!r}",
                expected="a respondent file ending .csv, .parquet, .sav or .dta",
            )
    except (pa_arrow.ArrowInvalid, pa_arrow.ArrowTypeError) as exc:
        msg = str(exc).splitlines()[0]
        column = next((c for c in [*RESPONDENT_COLUMNS, "weight"] if f"'{c}'" in msg), None)
        if suffix == ".csv" and "columns, got" in msg:
            _raise_ragged_line(path)
        raise InputError(
            path,
            f"cannot be read: {msg}",
            column=column,
            expected=f"a {suffix} respondent file as documented in docs/portal.md",
        ) from None
    except Exception as exc:  # pyreadstat raises its own types for a corrupt file
        if isinstance(exc, InputError) or type(exc).__module__.startswith("kzopen"):
            raise
        if "pyreadstat" in type(exc).__module__ or type(exc).__name__ == "ReadstatError":
            raise InputError(path, f"cannot be read ({type(exc).__name__}: {exc})") from None
        raise


def _raise_ragged_line(path: Path) -> None:
    """Name the first line whose field count differs from the header's (error path only:
    streams the file once, in bounded memory)."""
    with open(path, encoding="utf-8", errors="replace", newline="") as fh:
        rows = csv.reader(fh)
        check_field_counts(path, next(rows, []), rows)


def _first_true(mask: pa_arrow.Array) -> int:
    return int(np.flatnonzero(mask.to_numpy(zero_copy_only=False))[0])


def aggregate_respondents(path: str | Path, batch_rows: int = 1_000_000) -> pd.DataFrame:
    """One pass over a respondent file -> counts per ``(survey, unit_type, unit, response)``.

    Returns columns ``survey, unit_type, unit, response, n, sum_w, sum_w2, weighted`` (when
    the file has no ``weight`` column every weight is 1). Memory is bounded by one record
    batch plus the (small) per-batch group tables. Rows with a missing id, survey, unit type,
    unit or response, or (in a weighted file) a missing or negative weight, are errors.
    """
    path = Path(path)
    partials: list[pa_arrow.Table] = []
    offset = 0
    weighted: bool | None = None
    for batch in _iter_batches(path, batch_rows):
        if weighted is None:
            names = batch.schema.names
            check_header_names(names, path, row=1)
            missing = [c for c in RESPONDENT_COLUMNS if c not in names]
            if missing:
                raise InputError(
                    path,
                    "required column missing",
                    column=missing[0],
                    expected=f"columns {RESPONDENT_COLUMNS} (+ optional {RESPONDENT_OPTIONAL})",
                )
            weighted = "weight" in names
        if batch.num_rows == 0:
            continue
        for col in RESPONDENT_COLUMNS:
            # nulls are counted by Arrow (O(1)); empty or blank strings are found on the
            # small aggregated table after the pass (see counts_from_respondents)
            arr = batch.column(col)
            if arr.null_count:
                raise InputError(
                    path,
                    "missing value",
                    row=offset + _first_true(pc.is_null(arr)) + 2,
                    column=col,
                    expected="a non-empty value",
                )
        cols = {k: pc.cast(batch.column(k), pa_arrow.string()) for k in GROUP_KEYS}
        if weighted:
            w = pc.cast(batch.column("weight"), pa_arrow.float64())
            bad = pc.or_kleene(pc.is_null(w, nan_is_null=True), pc.less(w, 0.0))
            if pc.any(bad).as_py():
                i = _first_true(pc.fill_null(bad, True))
                value = w[i].as_py()
                raise InputError(
                    path,
                    f"weight {value!r} is missing or negative",
                    row=offset + i + 2,
                    column="weight",
                    expected="a non-negative number on every row of a weighted file",
                )
            cols["w"] = w
            cols["w2"] = pc.multiply(w, w)
        else:
            cols["w"] = pa_arrow.array(np.ones(batch.num_rows))
            cols["w2"] = cols["w"]
        table = pa_arrow.table(cols)
        partials.append(
            table.group_by(GROUP_KEYS).aggregate([("w", "count"), ("w", "sum"), ("w2", "sum")])
        )
        offset += batch.num_rows
    if weighted is None or offset == 0:
        raise InputError(path, "no data rows", expected="at least one respondent row")
    combined = (
        pa_arrow.concat_tables(partials)
        .group_by(GROUP_KEYS)
        .aggregate([("w_count", "sum"), ("w_sum", "sum"), ("w2_sum", "sum")])
    )
    df = combined.to_pandas().rename(
        columns={"w_count_sum": "n", "w_sum_sum": "sum_w", "w2_sum_sum": "sum_w2"}
    )
    df["n"] = df["n"].astype("int64")
    df["weighted"] = bool(weighted)
    return df.sort_values(GROUP_KEYS, kind="stable").reset_index(drop=True)


def _locate_row(path: Path, column: str, value: str, batch_rows: int) -> int | None:
    """Spreadsheet row of the first record whose ``column`` equals ``value`` (error path only)."""
    offset = 0
    for batch in _iter_batches(path, batch_rows):
        hit = pc.equal(pc.cast(batch.column(column), pa_arrow.string()), value)
        hit = pc.fill_null(hit, False)
        if pc.any(hit).as_py():
            return offset + _first_true(hit) + 2
        offset += batch.num_rows
    return None


def _check_group_keys(groups: pd.DataFrame, path: Path, batch_rows: int) -> None:
    """No blank and no look-alike survey, unit type, unit or response (on the small
    aggregated table; the offending row is located by a second scan, on error only)."""
    for col in GROUP_KEYS:
        blank = groups[col].str.strip() == ""
        if blank.any():
            value = groups.loc[blank, col].iat[0]
            row = _locate_row(path, col, value, batch_rows)
            raise InputError(
                path, "missing value", row=row, column=col, expected="a non-empty value"
            )
        # a look-alike of 'satisfied' would silently count as not satisfied
        for value in sorted(set(groups[col])):
            problem = text_problem(value)
            if problem:
                row = _locate_row(path, col, value, batch_rows)
                raise InputError(
                    path,
                    f"value {value!r} contains {problem}",
                    row=row,
                    column=col,
                    expected="plain text as in the survey's codebook",
                )


def counts_from_respondents(
    path: str | Path,
    units: pd.DataFrame,
    outcomes: Sequence[Outcome],
    batch_rows: int = 1_000_000,
) -> pd.DataFrame:
    """Form (a) end to end: aggregate once, validate units, derive each outcome's counts.

    For an outcome, ``trials`` are all respondents who rated a unit of its ``unit_type`` (in
    its ``survey`` when given), ``successes`` those whose response is in ``success``. With
    weights, ``n_effective = (sum w)^2 / sum w^2`` (Kish) and ``successes_effective`` is the
    weighted proportion times ``n_effective``.
    """
    path = Path(path)
    groups = aggregate_respondents(path, batch_rows)
    # unit types and units are checked on the small aggregated table; the offending row is
    # then located by a second scan, only when there is an error to report
    _check_group_keys(groups, path, batch_rows)
    known = set(zip(units["unit_type"], units["unit"], strict=True))
    for ut, unit in sorted(set(zip(groups["unit_type"], groups["unit"], strict=True))):
        if ut not in UNIT_TYPES:
            row = _locate_row(path, "unit_type", ut, batch_rows)
            raise InputError(
                path,
                f"unknown unit type {ut!r}",
                row=row,
                column="unit_type",
                expected=f"one of {list(UNIT_TYPES)}",
            )
        if (ut, unit) not in known:
            row = _locate_row(path, "unit", unit, batch_rows)
            raise InputError(
                path,
                f"unit {unit!r} of type {ut!r} is not in the units table",
                row=row,
                column="unit",
                expected=f"a unit listed in {_units_file(units)}",
            )
    rows = []
    weighted = bool(groups["weighted"].iat[0]) if len(groups) else False
    for oc in outcomes:
        g = groups[groups["unit_type"] == oc.unit_type]
        if oc.survey is not None:
            g = g[g["survey"] == oc.survey]
        g = g.assign(hit=g["response"].isin(oc.success))
        for unit, gu in g.groupby("unit", sort=True):
            n = int(gu["n"].sum())
            sw, sw2 = float(gu["sum_w"].sum()), float(gu["sum_w2"].sum())
            s = int(gu.loc[gu["hit"], "n"].sum())
            sw_hit = float(gu.loc[gu["hit"], "sum_w"].sum())
            if sw <= 0:
                raise InputError(
                    path,
                    f"all weights are zero for unit {unit!r}",
                    column="weight",
                    expected="a positive total weight per unit",
                )
            n_eff = sw * sw / sw2 if weighted else float(n)
            rows.append(
                {
                    "outcome": oc.name,
                    "unit_type": oc.unit_type,
                    "unit": unit,
                    "successes": s,
                    "trials": n,
                    "weighted": weighted,
                    "n_effective": n_eff,
                    # unweighted: exactly the counts (no floating-point round trip)
                    "successes_effective": sw_hit / sw * n_eff if weighted else float(s),
                    "design_effect": n / n_eff,
                }
            )
    if not rows:
        raise InputError(
            path,
            "no respondent matches any configured outcome",
            column="unit_type",
            expected="rows whose unit_type (and survey) match portal.outcomes in the config",
        )
    return _finish_counts(pd.DataFrame(rows))


def load_counts(
    form: str,
    path: str | Path | None,
    units: pd.DataFrame,
    outcomes: Sequence[Outcome],
    batch_rows: int = 1_000_000,
) -> pd.DataFrame:
    """The counts table for the configured input form (empty for the article's form c)."""
    if form == "reported":
        return empty_counts()
    if path is None:
        raise InputError(
            CONFIGURATION,
            f"portal.input_form is {form!r} but no path is set",
            column=f"portal.{form}",
            expected="the path of the input file",
        )
    if form == "counts":
        return read_counts(path, units)
    if form == "respondents":
        return counts_from_respondents(path, units, outcomes, batch_rows)
    raise InputError(
        CONFIGURATION,
        f"unknown portal.input_form {form!r}",
        expected="reported, counts or respondents",
    )
