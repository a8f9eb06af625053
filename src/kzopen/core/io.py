"""Results I/O: deterministic, atomic writers and the one typed reader of results tables.

Every output goes to a temporary file in the target folder and is renamed into place only
when complete, so an interrupted job never leaves a truncated output behind. Every consumer
of a results CSV reads it with :func:`read_results`, so booleans and integers come back typed
and only an empty field is missing (a country code "NA" stays a string).
"""

from __future__ import annotations

import contextlib
import glob
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from kzopen.core.errors import InputError


@contextlib.contextmanager
def atomic_path(path: str | Path) -> Iterator[Path]:
    """Yield a temporary path beside ``path``; rename it onto ``path`` on success."""
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    # a temporary file left by a killed job (SIGKILL skips the cleanup below) is garbage
    for stale in target.parent.glob(f".{glob.escape(target.name)}.*.tmp"):
        stale.unlink(missing_ok=True)
    fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
    os.close(fd)
    try:
        yield Path(tmp)
        # mkstemp creates 0600; give the output ordinary permissions (0666 less the umask).
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)
        os.replace(tmp, target)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)


def write_text(text: str, path: str | Path) -> None:
    """Write UTF-8 text with Unix newlines, atomically."""
    with atomic_path(path) as tmp:
        tmp.write_text(text, encoding="utf-8", newline="\n")


def write_csv(df: pd.DataFrame, path: str | Path) -> None:
    """Write a CSV at full float precision (shortest round-trip repr), no index."""
    with atomic_path(path) as tmp:
        df.to_csv(tmp, index=False, lineterminator="\n", encoding="utf-8")


def write_parquet(df: pd.DataFrame, path: str | Path) -> None:
    """Write Parquet without the pandas index; pyarrow output is byte-stable for equal input."""
    with atomic_path(path) as tmp:
        df.to_parquet(tmp, index=False, engine="pyarrow", compression="zstd")


def _typed(col: pd.Series) -> pd.Series:
    """One column read with nullable dtypes, returned as the plainest dtype that holds it."""
    if col.isna().all():
        return col.astype("float64")
    if isinstance(col.dtype, pd.StringDtype):
        return col.astype(object).where(col.notna(), np.nan)
    if isinstance(col.dtype, pd.Float64Dtype):
        return col.astype("float64")
    if not col.hasnans and col.dtype.kind in "iub":
        return col.astype(col.dtype.numpy_dtype)
    return col  # Int64 or boolean with gaps: keep the nullable dtype, not float or object


def parse_csv(
    path: str | Path, *, missing: str | None, empty: str, malformed: str, **kwargs: Any
) -> pd.DataFrame:
    """``pandas.read_csv`` with its failures as :class:`InputError`s naming the file: the
    file missing, empty, not valid text in its encoding, malformed; ``missing``, ``empty`` and
    ``malformed`` say what was expected in each case. Every CSV the package reads with pandas
    goes through it (the portal's large respondent files are streamed with pyarrow)."""
    kwargs.setdefault("encoding", "utf-8")
    try:
        return pd.read_csv(path, **kwargs)
    except FileNotFoundError:
        raise InputError(path, "file not found", expected=missing) from None
    except pd.errors.EmptyDataError:
        raise InputError(path, "file is empty", expected=empty) from None
    except UnicodeDecodeError as exc:
        raise InputError(
            path,
            f"not valid {kwargs['encoding'].upper()} text (byte {exc.start})",
            expected="UTF-8",
        ) from None
    except pd.errors.ParserError as exc:
        raise InputError(path, f"malformed CSV: {exc}", expected=malformed) from None


def read_results(path: str | Path, *, text: bool = False) -> pd.DataFrame:
    """Read a results CSV written by :func:`write_csv`, typed.

    Only an empty field is missing. Integer and boolean columns come back as ``int64`` and
    ``bool`` (``Int64`` and ``boolean`` where a value is missing), numbers as ``float64`` and
    text as ``object``. ``text=True`` reads every cell as the string written, for comparing
    tables cell by cell.
    """
    if text:
        kwargs: dict = {"dtype": str, "keep_default_na": False}
    else:
        kwargs = {"keep_default_na": False, "na_values": [""], "dtype_backend": "numpy_nullable"}
    table = "a results table"
    df = parse_csv(path, missing=table, empty="a header row", malformed=table, **kwargs)
    if text:
        return df
    # column by column (DataFrame.apply on a header-only table would leave every column object):
    # a column without values, as in a table with no rows, is float64
    return pd.DataFrame({c: _typed(df[c]) for c in df.columns}, index=df.index)


def one_row(
    df: pd.DataFrame,
    column: str,
    value: object,
    file: str | Path,
    expected: str = "exactly one such row",
) -> pd.Series:
    """The one row of a results table whose ``column`` equals ``value``; none or several is an
    :class:`InputError` naming the file and the column."""
    hit = df[df[column] == value]
    if len(hit) != 1:
        raise InputError(
            file, f"{len(hit)} rows have {column} = {value}", column=column, expected=expected
        )
    return hit.iloc[0]
