"""The outside evidence of the claims audit is cited through bibliography keys
(article/evidence_keys.csv -> article/references.bib)."""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd
import pytest

from kzopen.article.values import Values, add_evidence_keys
from kzopen.core.errors import InputError

REPO = Path(__file__).resolve().parents[1]
KEYS = pd.read_csv(REPO / "article/evidence_keys.csv")
FACTS = pd.read_csv(REPO / "data/raw/article/outside_facts_2026-12-02.csv")
BIB = set(
    re.findall(r"^@\w+\{([^,]+),", (REPO / "article/references.bib").read_text("utf-8"), re.M)
)


def _keys(cell: str) -> list[str]:
    return [k.strip() for k in cell.split(";") if k.strip()]


def test_every_key_is_in_the_bibliography():
    used = {k for cell in KEYS["keys"] for k in _keys(cell)}
    assert used and used <= BIB, used - BIB


def test_every_strong_outside_verdict_is_cited():
    strong = FACTS[
        FACTS["relation"].isin(["contradicts", "confirms"])
        & FACTS["source_tier"].isin(["primary", "secondary-reliable"])
    ]
    assert set(strong["claim_id"]) <= set(KEYS["claim_id"])


def test_claims_are_unique_and_known():
    claims = set(pd.read_csv(REPO / "data/raw/article/claims.csv")["claim_id"])
    assert KEYS["claim_id"].is_unique and set(KEYS["claim_id"]) <= claims


def _values() -> Values:
    v = Values()
    v.table("claims_audit", pd.DataFrame({"claim_id": ["a", "b"], "source_short": ["S", "T"]}))
    return v


def test_citations_are_attached_to_the_claims_table():
    v = _values()
    add_evidence_keys(v, pd.DataFrame({"claim_id": ["a"], "keys": ["x_1; y_2"]}), "f.csv")
    a, b = v.tables["claims_audit"]
    assert a["evidence_cite"] == "[@x_1; @y_2]" and a["source_cited"] == "[@x_1; @y_2]"
    assert b["evidence_cite"] == "" and b["source_cited"] == "T"


@pytest.mark.parametrize("claim,keys", [("zzz", "x"), ("a", " ; ")])
def test_an_unknown_claim_or_empty_keys_name_the_row(claim, keys):
    with pytest.raises(InputError, match=r"file f\.csv.*row 2"):
        add_evidence_keys(_values(), pd.DataFrame({"claim_id": [claim], "keys": [keys]}), "f.csv")
