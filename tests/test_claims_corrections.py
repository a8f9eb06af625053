"""Corrections table: which audit rows it keeps and how the erratum sentence is filled.
All rows below are synthetic."""

import pandas as pd
import pytest

from kzopen.claims.corrections import CORRECTION_COLUMNS, build_corrections, source_urls
from kzopen.core.errors import InputError


def _row(claim_id, status, quote, reported, reproduced, unit, evidence, source="Source X"):
    return dict(
        claim_id=claim_id,
        section="Results",
        quote=quote,
        reported=reported,
        reproduced=reproduced,
        unit=unit,
        status=status,
        evidence=evidence,
        evidence_tier="primary",
        source=source,
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
            "Election Commission",
        ),
        _row(
            "rank",
            "differs",
            "ranked 54th out of 189",
            "54 (of 189 countries)",
            "rank 28 of 120",
            "rank",
            "results/claims_reference.csv key=obs_rank",
            "this pipeline",
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
        "For 'with a turnout of 71.9 % in 2021' read 'with a turnout of 63.3 % in 2021'."
    )
    assert out.loc["turnout", "correction_type"] == "replace"
    assert out.loc["turnout", "source"] == "Election Commission"
    assert out.loc["turnout", "source_url"] == "https://a.example ; https://b.example"


def test_qualification_when_value_has_a_denominator():
    row = build_corrections(AUDIT).set_index("claim_id").loc["rank"]
    assert row["correction_type"] == "qualify"
    assert row["suggested_correction"] == (
        "For 'ranked 54th out of 189' read 'ranked 54th out of 189 (according to this "
        "pipeline: rank 28 of 120)'."
    )


def test_ambiguous_number_is_not_substituted():
    audit = AUDIT.iloc[[0]].assign(quote="71.9 % then 71.9 % again")
    assert build_corrections(audit)["correction_type"].iloc[0] == "qualify"


def test_template_per_claim_deletes_when_nothing_can_stand():
    audit = AUDIT.iloc[[0]].assign(claim_id="res_mti_ten_areas", reproduced="no such areas")
    out = build_corrections(audit).iloc[0]
    assert out["correction_type"] == "delete"
    assert (
        out["suggested_correction"] == "Delete 'with a turnout of 71.9 % in 2021' (no such areas)."
    )


def test_source_urls_once_each():
    assert source_urls("A: https://x ; https://y ; B: https://x") == "https://x ; https://y"


def test_missing_column_is_input_error():
    with pytest.raises(InputError, match="evidence"):
        build_corrections(AUDIT.drop(columns="evidence"))


def test_no_wrong_claims_gives_empty_table_with_columns():
    out = build_corrections(AUDIT[AUDIT["status"] == "reproduced"])
    assert out.empty and list(out.columns) == CORRECTION_COLUMNS
