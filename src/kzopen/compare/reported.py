"""The article's reported group averages (claims, not observations)."""

from __future__ import annotations

import pandas as pd

from kzopen.core.errors import InputError

# --------------------------------------------------------------------------- reported values


def read_reported_means(path: str, claims_path: str) -> pd.DataFrame:
    """The article's reported group averages, checked against the transcribed claims table."""
    from kzopen.ingest.common import check_unique, read_csv_file, require_columns

    rep = read_csv_file(path)
    require_columns(rep, ["claim_id", "group", "article_wording", "reported_value", "label"], path)
    check_unique(rep, ["claim_id"], path)
    claims = read_csv_file(claims_path)
    require_columns(claims, ["claim_id", "value"], claims_path)
    check_unique(claims, ["claim_id"], claims_path)
    cvals = dict(zip(claims["claim_id"], claims["value"], strict=True))
    for i, r in enumerate(rep.itertuples(index=False)):
        if r.claim_id not in cvals:
            raise InputError(
                path, f"claim_id {r.claim_id!r} not in {claims_path}", row=i + 2, column="claim_id"
            )
        try:
            same = float(cvals[r.claim_id]) == float(r.reported_value)
        except ValueError:
            same = False
        if not same:
            raise InputError(
                path,
                f"reported_value {r.reported_value!r} differs from the claims table "
                f"({cvals[r.claim_id]!r})",
                row=i + 2,
                column="reported_value",
            )
    return rep
