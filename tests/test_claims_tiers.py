"""Evidence tiers, the tier rule, the OBS rank from the vendored file and the erratum sentences.

Real registry and outside facts from data/raw/article/; the synthetic rows below are labelled.
"""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd
import pytest

from kzopen.claims.audit import audit_claims, check_tiers, tiered_status
from kzopen.claims.corrections import build_corrections, erratum
from kzopen.claims.references import obs_rank
from kzopen.claims.registry import (
    STATUS_LABEL,
    STATUS_TIERS,
    STATUSES,
    STRONG_STATUSES,
    TIERS,
    read_claims,
    read_outside_facts,
)
from kzopen.core.errors import InputError
from kzopen.ingest.obs import read_obs

ROOT = Path(__file__).resolve().parents[1]
ARTICLE = ROOT / "data/raw/article"
FACTS = ARTICLE / "outside_facts_2026-12-02.csv"
OBS = ROOT / "data/raw/indices/ibp_open_budget_survey/open_budget_survey_2006_2023.csv"


@pytest.fixture(scope="module")
def audit():
    """The real audit of the real registry; pipeline references are synthetic stand-ins
    (labelled: no statistic is read from them), except the OBS rank, computed from the vendored
    file, so every outside-fact and GRIM verdict is the build's own."""
    claims = read_claims(ARTICLE / "claims.csv")
    facts = read_outside_facts(FACTS, claims)
    keys = sorted(set(claims.loc[claims["check_method"] == "results_key", "check_ref"]))
    obs = obs_rank(
        read_obs(OBS),
        source="ibp_open_budget_survey",
        indicator="budget_transparency",
        year=2021,
        iso3="KAZ",
        published_decimals=0,
    )
    rows = [
        dict(
            key=k,
            value=None,
            display="synthetic",
            unit="",
            consistent=pd.NA,
            evidence="synthetic",
            note="synthetic stand-in",
        )
        for k in keys
        if k != "obs_rank"
    ]
    rows.append(
        dict(
            key="obs_rank",
            value=obs.value,
            display=obs.display,
            unit=obs.unit,
            consistent=pd.NA,
            evidence=obs.evidence,
            note=obs.note,
        )
    )
    refs = pd.DataFrame(rows)
    refs["consistent"] = refs["consistent"].astype("boolean")
    return audit_claims(claims, facts, refs, None, 100000)


def test_every_status_has_a_label_and_allowed_tiers():
    assert set(STATUS_LABEL) == set(STATUSES) == set(STATUS_TIERS)
    for s in STRONG_STATUSES:
        assert set(STATUS_TIERS[s]) <= {"primary", "secondary-reliable"}
    assert (
        STATUS_LABEL["grim_possible_unverifiable"] == "arithmetically possible (GRIM); unverifiable"
    )


def test_real_audit_obeys_the_tier_rule(audit):
    check_tiers(audit, "results/claims_audit.csv")
    strong = audit[audit["status"].isin(STRONG_STATUSES)]
    assert set(strong["evidence_tier"]) <= {"primary", "secondary-reliable"}
    assert not (
        audit["status"].eq("contradicted_by_source") & audit["evidence_tier"].eq("none")
    ).any()
    grim = audit[audit["method"].str.startswith("grim")]
    assert set(grim["status"]) == {"grim_possible_unverifiable"}  # no data: never "consistent"


@pytest.mark.parametrize("status", STRONG_STATUSES)
@pytest.mark.parametrize("tier", ["tertiary", "none"])
def test_strong_status_on_weak_evidence_fails(status, tier):
    """Synthetic row: a strong status on tertiary or no evidence stops the build."""
    bad = pd.DataFrame([dict(claim_id="synthetic", status=status, evidence_tier=tier)])
    with pytest.raises(InputError, match="evidence"):
        check_tiers(bad, "synthetic.csv")


def test_tiered_status_needs_a_named_primary():
    assert tiered_status("contradicts", "primary", "IBP data") == "contradicted_by_source"
    named = "Election commission, as reported by Kazinform"
    assert tiered_status("contradicts", "secondary-reliable", named) == "contradicted_by_source"
    assert (
        tiered_status("contradicts", "secondary-reliable", "Kazinform")
        == "differs_from_secondary_reports"
    )
    assert tiered_status("contradicts", "tertiary", named) == "differs_from_secondary_reports"
    assert tiered_status("confirms", "tertiary", "mirror") == "matches_secondary_reports"


def test_unknown_tier_is_rejected(tmp_path):
    claims = read_claims(ARTICLE / "claims.csv")
    df = pd.read_csv(FACTS, dtype=str, keep_default_na=False)
    df.loc[0, "source_tier"] = "wikipedia"
    bad = tmp_path / "facts.csv"
    df.to_csv(bad, index=False)
    with pytest.raises(InputError, match="source_tier"):
        read_outside_facts(bad, claims)
    assert set(read_outside_facts(FACTS, claims)["source_tier"]) <= set(TIERS)


def test_not_located_is_never_contradicted(audit):
    claims = read_claims(ARTICLE / "claims.csv")
    facts = read_outside_facts(FACTS, claims)
    none_only = set(facts.loc[facts["source_tier"] == "none", "claim_id"])
    got = audit.set_index("claim_id").loc[sorted(none_only), "status"]
    assert not got.isin(STRONG_STATUSES).any()
    assert {"res_hearings_25000_2023", "res_accountability_index_52"} <= set(
        audit.loc[audit["status"] == "not_located", "claim_id"]
    )


def test_obs_2021_from_the_vendored_file():
    """Kazakhstan 2021: 62.96 at full precision, 28th of 120; tied 27th-29th at integer scores."""
    ref = obs_rank(
        read_obs(OBS),
        source="ibp_open_budget_survey",
        indicator="budget_transparency",
        year=2021,
        iso3="KAZ",
        published_decimals=0,
    )
    assert ref.value == 28
    assert ref.unit == "rank of 120"
    assert "score 62.96/100" in ref.display
    assert "at publisher precision 27-29" in ref.note


def test_checkable_and_qualitative_are_counted_apart(audit):
    from kzopen.claims.audit import summarise

    s = summarise(audit)
    assert int(s["n"].sum()) == len(audit)
    assert int(s["qualitative"].sum()) == int((audit["status"] == "not_quantitative").sum())
    assert int(s["checkable"].sum() + s["qualitative"].sum()) == len(audit)


ERRATUM = re.compile(r"^(For '[^\n]+' read '[^\n]+'\.|Delete '[^\n]+' \([^\n]+\)\.)$")


def test_erratum_sentences(audit):
    corr = build_corrections(audit.drop(columns="difference"))
    assert len(corr) >= 5
    for r in corr.itertuples(index=False):
        assert ERRATUM.match(r.suggested_correction), r.suggested_correction
        assert "http" not in r.suggested_correction
        assert r.source and "http" not in r.source
        assert r.correction_type in ("replace", "qualify", "delete")
    by = corr.set_index("claim_id")
    assert by.loc["res_mti_ten_areas", "correction_type"] == "delete"
    assert by.loc["res_mti_developed_by_ti", "correction_type"] == "qualify"
    assert "63.3 %" in by.loc["res_turnout_71_9", "suggested_correction"]
    assert "28th of the 120 countries" in by.loc["res_obs_rank_54_of_189", "suggested_correction"]
    assert "score of 63 out of 100" in by.loc["res_obs_rank_54_of_189", "suggested_correction"]


def test_erratum_fallback_substitutes_a_number():
    """Synthetic claim without a template."""
    row = pd.Series(
        dict(
            claim_id="synthetic",
            quote="a share of 40 % in 2020",
            reported="40",
            reproduced="45",
            unit="%",
            source="synthetic source",
            status="differs",
        )
    )
    assert erratum(row) == (
        "replace",
        "For 'a share of 40 % in 2020' read 'a share of 45 % in 2020'.",
    )
