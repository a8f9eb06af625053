"""Corrections table: which audit rows it keeps and how the suggested sentence is filled."""

import pandas as pd
import pytest

from kzopen.claims.corrections import CORRECTION_COLUMNS, build_corrections, source_name
from kzopen.errors import InputError


def _row(claim_id, status, quote, reported, reproduced, unit, evidence):
    return dict(
        claim_id=claim_id,
        section="Results",
        quote=quote,
        reported=reported,
        reproduced=reproduced,
        unit=unit,
        status=status,
        evidence=evidence,
    )


AUDIT = pd.DataFrame(
    [
        _row(
            "turnout",
            "contradicted_by_source",
            "with a turnout of 71.9 % in 2021.",
            "71.9",
            "63.3 % turnout",
            "% turnout",
            "Election Commission: https://a.example ; https://b.example",
        ),
        _row(
            "rank",
            "differs",
            "ranked 54th out of 189",
            "54 (of 189 countries)",
            "rank 28 of 120",
            "rank",
            "results/claims_reference.csv key=obs_rank",
        ),
        _row("ok", "reproduced", "score 60", "60", "60", "points", "x"),
        _row("gone", "unverifiable", "n/a", "1", "", "", "x"),
    ]
)


def test_only_wrong_claims_in_audit_order():
    out = build_corrections(AUDIT)
    assert list(out.columns) == CORRECTION_COLUMNS
    assert out["claim_id"].tolist() == ["turnout", "rank"]


def test_number_substituted_in_place_when_unambiguous():
    out = build_corrections(AUDIT).set_index("claim_id")
    assert out.loc["turnout", "suggested_correction"] == (
        "Read: “with a turnout of 63.3 % in 2021” (Election Commission)."
    )
    assert out.loc["turnout", "printed_value"] == "71.9"
    assert out.loc["turnout", "corrected_value"] == "63.3 % turnout"


def test_reword_template_when_value_has_a_denominator():
    text = build_corrections(AUDIT).set_index("claim_id").loc["rank", "suggested_correction"]
    assert text == (
        "Replace “ranked 54th out of 189”; as computed from "
        "results/claims_reference.csv key=obs_rank: rank 28 of 120."
    )


def test_ambiguous_number_is_not_substituted():
    audit = AUDIT.iloc[[0]].assign(quote="71.9 % then 71.9 % again")
    assert build_corrections(audit)["suggested_correction"].iloc[0].startswith("Replace")


def test_source_name_skips_bare_urls():
    assert source_name("A: https://x ; https://y") == "A"
    assert source_name("key=1 ; B, 2021: http://z") == "B, 2021"


def test_missing_column_is_input_error():
    with pytest.raises(InputError, match="evidence"):
        build_corrections(AUDIT.drop(columns="evidence"))


def test_no_wrong_claims_gives_empty_table_with_columns():
    out = build_corrections(AUDIT[AUDIT["status"] == "reproduced"])
    assert out.empty and list(out.columns) == CORRECTION_COLUMNS
