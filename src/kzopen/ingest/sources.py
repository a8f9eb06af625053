"""Dispatch from a source name to its reader, with config renames applied."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from pathlib import Path

import pandas as pd

from kzopen.core.errors import InputError
from kzopen.ingest.common import RENAME_HINT, RENAMES
from kzopen.ingest.cpi import read_cpi
from kzopen.ingest.egov import read_egov
from kzopen.ingest.fiw import read_fiw
from kzopen.ingest.obs import read_obs
from kzopen.ingest.wgi import read_wgi
from kzopen.ingest.wjp import read_wjp

READERS = {
    "ti_cpi": read_cpi,
    "wb_wgi": read_wgi,
    "ibp_open_budget_survey": read_obs,
    "un_egov_survey": read_egov,
    "wjp_rule_of_law": read_wjp,
    "freedom_house_fiw": read_fiw,
}


def read_source(
    source: str, paths: Iterable[str | Path], column_map: Mapping[str, str] | None = None
) -> pd.DataFrame:
    """Read all raw files of one source into one tidy table. ``column_map`` renames columns
    and sheets of a new release to the names the reader expects ({new: expected})."""
    if source not in READERS:
        raise InputError(
            f"source {source}", "unknown index source", expected=f"one of {sorted(READERS)}"
        )
    token = RENAMES.set(dict(column_map or {}))
    try:
        parts = [READERS[source](p) for p in paths]
    except InputError as exc:
        if exc.problem != "required column missing" and "not found" not in exc.problem:
            raise
        raise InputError(
            exc.file,
            exc.problem,
            row=exc.row,
            column=exc.column,
            expected=(exc.expected or "") + RENAME_HINT,
        ) from None
    finally:
        RENAMES.reset(token)
    return (
        pd.concat(parts, ignore_index=True)
        .sort_values(["indicator", "year", "iso3"], kind="stable")
        .reset_index(drop=True)
    )
