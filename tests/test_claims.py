"""Unit tests of the claims ledger on small SYNTHETIC fixtures: GRIM, OBS rank with ties,
direction checks, the status rules of the audit, bad inputs, and the page renderers.

Every table built here is synthetic and labelled so; none is data about any country.
"""

from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path

import pandas as pd
import pytest

from kzopen.claims.audit import audit_claims, check_audit, summarise
from kzopen.claims.page import render_html, render_markdown
from kzopen.claims.references import compute_references, direction_checks, obs_rank
from kzopen.claims.registry import (
    AUDIT_COLUMNS,
    CLAIM_COLUMNS,
    DIRECTION_COLUMNS,
    STATUSES,
    check_quotes,
    decimals_of,
    normalise_text,
    parse_number,
    read_article_text,
    read_claims,
    read_outside_facts,
)
from kzopen.core.errors import InputError
from kzopen.portal.grim import grim_k, grim_min_n, grim_share

EITHER = "either"  # the claims audit's rounding rule (kzopen.claims.audit.CLAIMS_ROUNDING)


def grim_consistent(pct: str, decimals: int, n: int) -> bool:
    return grim_k(pct, decimals, n, EITHER) is not None


# --------------------------------------------------------------------------- GRIM


@pytest.mark.parametrize(
    ("pct", "decimals", "n_min", "k"),
    [
        ("35.0", 1, 20, 7),
        ("32.0", 1, 25, 8),
        ("28.8", 1, 52, 15),
        ("25.0", 1, 4, 1),
        ("52.2", 1, 23, 12),
        ("49.3", 1, 67, 33),
        ("29.4", 1, 17, 5),
        ("28.2", 1, 39, 11),
        ("54", 0, 13, 7),
        ("23", 0, 13, 3),
    ],
)
def test_grim_min_n_known_answers(pct, decimals, n_min, k):
    # known answers: hand-checked, e.g. 15/52 = 28.846 -> 28.8, and no n < 52 gives 28.8
    assert grim_min_n(pct, decimals, 1000, EITHER) == (n_min, k)


def test_grim_consistent_edges():
    assert grim_consistent("28.8", 1, 52)
    assert not grim_consistent("28.8", 1, 51)
    # 1/8 = 12.5 exactly: both rounding conventions accepted (12 or 13 at 0 decimals)
    assert grim_consistent("13", 0, 8) and grim_consistent("12", 0, 8)
    assert grim_consistent("0", 0, 1) and grim_consistent("100", 0, 1)
    assert grim_min_n("33.3", 1, 2, EITHER) is None  # 1/3 needs n = 3
    assert not grim_consistent("10", 0, 0)  # no sample, no percentage
    with pytest.raises(ValueError):
        grim_k("10", 0, 5, "half_down")  # not a rounding rule


def test_grim_share_has_little_power_for_integer_percentages():
    assert grim_share("54", 0, 200, EITHER) > 0.7
    assert grim_share("28.8", 1, 200, EITHER) < 0.15


def test_claims_audit_uses_the_either_rule():
    from kzopen.claims.audit import CLAIMS_ROUNDING

    assert CLAIMS_ROUNDING == EITHER


def test_parse_number_and_decimals():
    assert parse_number("25,000") == Decimal("25000")
    assert parse_number(" 28.8 ") == Decimal("28.8")
    assert parse_number("near-last") is None
    assert parse_number("10 sites; 5 criteria") is None
    assert decimals_of(Decimal("35.0")) == 1 and decimals_of(Decimal("54")) == 0


# --------------------------------------------------------------------------- OBS rank

SYNTH = "synthetic"


def _indices(values: dict[str, float], year: int = 2021, indicator: str = "obi") -> pd.DataFrame:
    """SYNTHETIC long index table (codes AAA.. are not countries)."""
    return pd.DataFrame(
        {
            "iso3": list(values),
            "country": [f"{SYNTH} {k}" for k in values],
            "year": year,
            "source": "src",
            "indicator": indicator,
            "value": list(values.values()),
        }
    )


def test_obs_rank_states_ties_at_full_and_published_precision():
    idx = _indices({"AAA": 90.0, "BBB": 80.2, "KKK": 80.2, "CCC": 79.9, "DDD": 10.0})
    ref = obs_rank(idx, source="src", indicator="obi", year=2021, iso3="KKK", published_decimals=0)
    assert ref.value is None  # tied: no single rank
    assert "rank 2-3 (tied with 1 other) of 5 countries covered" in ref.display
    # at integer precision 80.2, 80.2 and 79.9 are all 80: ranks 2-4
    assert "at publisher precision 2-4 (tied with 2 other)" in ref.note
    ref = obs_rank(idx, source="src", indicator="obi", year=2021, iso3="CCC", published_decimals=1)
    assert ref.value == 4.0 and ref.unit == "rank of 5"


def test_obs_rank_bad_inputs():
    idx = _indices({"AAA": 1.0, "BBB": 2.0})
    with pytest.raises(InputError, match="no rows for src/obi in 2019"):
        obs_rank(idx, source="src", indicator="obi", year=2019, iso3="AAA", published_decimals=0)
    with pytest.raises(InputError, match="KKK not covered"):
        obs_rank(idx, source="src", indicator="obi", year=2021, iso3="KKK", published_decimals=0)
    dup = pd.concat([idx, idx])
    with pytest.raises(InputError, match="duplicate countries"):
        obs_rank(dup, source="src", indicator="obi", year=2021, iso3="AAA", published_decimals=0)


# --------------------------------------------------------------------------- direction

DIR_CFG = {
    "indicators": ["s1/i1", "s2/i2", "s3/i3"],
    "max_year": 2023,
    "cis_group": "cis",
    "europe_group": "europe",
    "developed_group": "eu27",
    "near_last_percentile": 25,
    "majority": 0.5,
    "alpha": 0.05,
}


def _position() -> pd.DataFrame:
    """SYNTHETIC Kazakhstan-position table (format of results/kazakhstan_position.csv)."""
    rows = []
    for src, ind, pct, z in [("s1", "i1", 5.0, -2.0), ("s2", "i2", 60.0, 0.5), ("s3", "i3", 0, -1)]:
        for year in (2022, 2023, 2024):  # 2024 is beyond max_year and must be ignored
            for grp in ("europe", "eu27"):
                p = 99.0 if year == 2024 else pct
                rows.append(
                    dict(
                        source=src,
                        indicator=ind,
                        year=year,
                        value=1.0,
                        ci95_low=0,
                        ci95_high=2,
                        group=grp,
                        rank=10,
                        n=20,
                        percentile=p,
                        z_in_group=z,
                    )
                )
    rows.append(
        dict(
            source="s9",
            indicator="i9",
            year=2023,
            value=1.0,
            ci95_low=0,
            ci95_high=2,
            group="europe",
            rank=1,
            n=20,
            percentile=99.0,
            z_in_group=3.0,
        )
    )
    return pd.DataFrame(rows)


def _comparisons() -> pd.DataFrame:
    """SYNTHETIC group-comparison table (format of results/group_comparisons.csv)."""
    rows = [
        dict(
            source="s1",
            indicator="i1",
            year=2023,
            group_a="cis",
            group_b="europe",
            mean_a=30.0,
            mean_b=60.0,
            welch_p=0.001,
            p_holm=0.003,
            p_bh=float("nan"),
        ),
        dict(
            source="s2",
            indicator="i2",
            year=2023,
            group_a="europe",
            group_b="cis",
            mean_a=40.0,
            mean_b=50.0,
            welch_p=0.2,
            p_holm=0.4,
            p_bh=float("nan"),
        ),
        dict(
            source="s3",
            indicator="i3",
            year=2021,
            group_a="cis",
            group_b="europe",
            mean_a=1.0,
            mean_b=2.0,
            welch_p=0.04,
            p_holm=float("nan"),
            p_bh=0.08,
        ),
        dict(
            source="s3",
            indicator="i3",
            year=2023,
            group_a="cis",
            group_b="eu27",
            mean_a=9.0,
            mean_b=2.0,
            welch_p=0.04,
            p_holm=float("nan"),
            p_bh=0.08,
        ),
    ]
    return pd.DataFrame(rows)


def test_direction_checks_counts_known_answer():
    refs, detail = direction_checks(_position(), _comparisons(), DIR_CFG)
    by = {r.key: r for r in refs}
    # CIS below Europe on s1 (30<60) and s3 (1<2, latest year with the pair); not on s2
    # (group order reversed: CIS 50 > Europe 40). significant after adjustment in its family and agreeing: s1 only.
    assert by["cis_vs_europe"].display.startswith("2 of 3 indicators")
    assert "1 of 3 with family-adjusted p < 0.05" in by["cis_vs_europe"].display
    assert by["cis_vs_europe"].consistent is True
    # percentile <= 25 on s1 (5) and s3 (0), not s2 (60); s9 is not a configured indicator
    assert by["kz_near_last_europe"].value == pytest.approx(2 / 3)
    assert by["kz_below_developed"].display.startswith("2 of 3 indicators")
    assert set(detail["year"]) == {2021, 2023}
    assert list(detail.columns) == DIRECTION_COLUMNS


def test_direction_checks_use_the_confirmatory_family_years_and_holm():
    """SYNTHETIC: with a confirmatory family in the table, the CIS-vs-Europe check takes the
    family's rows (year 2024, beyond max_year, and its Holm p, never a BH p of another year)
    and the position checks the same years."""
    comp = _comparisons().assign(family="exploratory")
    fam = comp.iloc[[0, 1]].assign(year=2024, family="confirmatory", p_holm=[0.01, 0.02])
    fam.loc[fam.index[1], ["mean_a", "mean_b"]] = [60.0, 20.0]  # Europe above: CIS lower
    s3 = comp.iloc[[2]].assign(year=2024, family="confirmatory", p_holm=0.5, p_bh=float("nan"))
    comp = pd.concat([comp, fam, s3], ignore_index=True)
    _, detail = direction_checks(_position(), comp, DIR_CFG)
    cis = detail[detail["check"] == "cis_vs_europe"]
    assert set(cis["year"]) == {2024} and cis["p_bh"].isna().all()
    assert list(cis["p_holm"]) == [0.01, 0.02, 0.5]
    pos = detail[detail["check"] != "cis_vs_europe"]
    assert set(pos["year"]) == {2024} and (pos["value"] != 5.0).any()
    refs, _ = direction_checks(_position(), comp, DIR_CFG)
    by = {r.key: r for r in refs}
    assert "2 of 3 with family-adjusted p < 0.05" in by["cis_vs_europe"].display


def test_direction_checks_disagree_and_missing():
    cfg = {**DIR_CFG, "majority": 0.7}
    refs, _ = direction_checks(_position(), _comparisons(), cfg)
    assert {r.key: r.consistent for r in refs}["cis_vs_europe"] is False
    cfg = {**DIR_CFG, "developed_group": "oecd"}
    refs, _ = direction_checks(_position(), _comparisons(), cfg)
    dev = {r.key: r for r in refs}["kz_below_developed"]
    assert dev.consistent is None and dev.value is None


def test_direction_checks_missing_column_is_input_error():
    with pytest.raises(InputError, match="percentile"):
        direction_checks(_position().drop(columns="percentile"), _comparisons(), DIR_CFG)


# --------------------------------------------------------------------------- audit

CLAIM_HEADER = ",".join(CLAIM_COLUMNS)


def _claims_csv(tmp_path: Path, rows: list[str]) -> Path:
    p = tmp_path / "claims.csv"
    p.write_text(CLAIM_HEADER + "\n" + "\n".join(rows) + "\n", encoding="utf-8")
    return p


# SYNTHETIC claims: ids, quotes and values are invented for the tests
ROWS = [
    "q_text,S,Some words here.,,,,none,qualitative-finding,x,none,,,unverifiable",
    "q_turnout,S,turnout of 71.9 %,71.9,%,,none,percentage,x,outside_fact,q_turnout,abs:0.05,"
    "contradicted",
    "q_nine,S,nine principles,9,principles,,none,count,x,outside_fact,q_nine,exact,verified",
    "q_rank,S,ranked 54th,54,rank,189 countries,none,rank,x,results_key,obs_rank,exact,"
    "contradicted",
    "q_pct,S,was 28.8 %,28.8,%,,none,percentage,x,grim,sat/Unit A,grim,unverifiable",
    "q_legal,S,cl. 36,Arts. 36,articles,,none,legal-reference,x,none,,,unverifiable",
    "q_dir,S,one of the last,near-last,rank,,none,rank,x,results_key,kz_near,direction,"
    "unverifiable",
    "q_ctx,S,average is 42.2,42.2,points,,none,index-score,x,results_key,kz_near,context,"
    "unverifiable",
]
FACTS = pd.DataFrame(
    [
        dict(
            claim_id="q_turnout",
            relation="contradicts",
            value="63.3",
            unit="%",
            source="CEC",
            url="https://example.org/a",
            retrieved="2026-01-01",
            note="synthetic",
        ),
        dict(
            claim_id="q_nine",
            relation="confirms",
            value="9",
            unit="principles",
            source="UNDP",
            url="https://example.org/b",
            retrieved="2026-01-01",
            note="synthetic",
        ),
        dict(
            claim_id="q_rank",
            relation="contradicts",
            value="120",
            unit="countries",
            source="IBP",
            url="https://example.org/c",
            retrieved="2026-01-01",
            note="synthetic",
        ),
        dict(
            claim_id="q_text",
            relation="context",
            value="a fact",
            unit="",
            source="X",
            url="https://example.org/d ; https://example.org/e",
            retrieved="2026-01-01",
            note="synthetic",
        ),
    ]
)
FACTS["source_tier"] = "primary"  # synthetic facts, all at the strongest tier


def _refs(consistent=True, rank=28.0) -> pd.DataFrame:
    """SYNTHETIC reference table (format of results/claims_reference.csv)."""
    df = pd.DataFrame(
        [
            dict(
                key="obs_rank",
                value=rank,
                display=f"rank {rank:g} of 120",
                unit="rank of 120",
                consistent=None,
                evidence="synthetic",
                note="synthetic rank",
            ),
            dict(
                key="kz_near",
                value=0.7,
                display="5 of 7",
                unit="share",
                consistent=consistent,
                evidence="synthetic",
                note="per indicator",
            ),
        ]
    )
    df["consistent"] = df["consistent"].astype("boolean")
    return df


@pytest.fixture
def claims(tmp_path):
    return read_claims(_claims_csv(tmp_path, ROWS))


def _audit(claims, refs=None, portal=None, facts=FACTS):
    return audit_claims(claims, facts, _refs() if refs is None else refs, portal, 1000)


def test_audit_statuses_known_answer(claims):
    a = _audit(claims).set_index("claim_id")
    assert a.loc["q_text", "status"] == "not_quantitative"
    assert "https://example.org/e" in a.loc["q_text", "evidence"]
    assert a.loc["q_turnout", "status"] == "contradicted_by_source"
    assert a.loc["q_turnout", "reproduced"] == "63.3 %"
    assert a.loc["q_turnout", "difference"] == pytest.approx(-8.6)
    assert a.loc["q_nine", "status"] == "confirmed_by_source"  # an outside source, not our data
    # pipeline says 28 (differs) and a source contradicts: contradicted_by_source wins
    assert a.loc["q_rank", "status"] == "contradicted_by_source"
    assert a.loc["q_rank", "reported"] == "54 (of 189 countries)"
    assert "https://example.org/c" in a.loc["q_rank", "evidence"]
    assert a.loc["q_pct", "status"] == "grim_possible_unverifiable"
    assert a.loc["q_pct", "reproduced"] == "min n = 52"
    assert "No data exist" in a.loc["q_pct", "note"]
    assert a.loc["q_legal", "status"] == "unverifiable"
    assert a.loc["q_dir", "status"] == "consistent_only"
    assert "could not be located" in a.loc["q_dir", "note"]
    assert a.loc["q_ctx", "status"] == "unverifiable"
    assert list(a.reset_index().columns[:9]) == AUDIT_COLUMNS
    check_audit(a.reset_index(), "x")


def test_audit_differs_and_reproduced_from_results(claims):
    refs = _refs(consistent=False, rank=54.0)
    facts = FACTS[FACTS["claim_id"] != "q_rank"]
    a = _audit(claims, refs=refs, facts=facts).set_index("claim_id")
    assert a.loc["q_rank", "status"] == "reproduced"
    assert a.loc["q_dir", "status"] == "differs"
    a = _audit(claims, refs=_refs(rank=28.0), facts=facts).set_index("claim_id")
    assert a.loc["q_rank", "status"] == "differs"
    assert a.loc["q_rank", "difference"] == pytest.approx(-26.0)
    refs = _refs()
    refs.loc[refs["key"] == "kz_near", "consistent"] = pd.NA
    a = _audit(claims, refs=refs).set_index("claim_id")
    assert a.loc["q_dir", "status"] == "unverifiable"


def test_audit_uses_real_counts_when_portal_has_them(claims):
    # SYNTHETIC portal row: 15 of 52 -> 28.846 % -> 28.8: reproduced
    portal = pd.DataFrame(
        [
            dict(
                outcome="sat",
                unit="Unit A",
                reported_pct=28.8,
                decimals=1,
                n=52,
                successes=15,
                ci95_low=17.3,
                ci95_high=42.3,
                grim_min_n=52,
            )
        ]
    )
    a = _audit(claims, portal=portal).set_index("claim_id")
    assert a.loc["q_pct", "status"] == "reproduced"
    portal.loc[0, "successes"] = 16
    a = _audit(claims, portal=portal).set_index("claim_id")
    assert a.loc["q_pct", "status"] == "differs"
    portal.loc[0, ["n", "successes"]] = [float("nan"), float("nan")]
    a = _audit(claims, portal=portal).set_index("claim_id")
    assert a.loc["q_pct", "status"] == "grim_possible_unverifiable"
    with pytest.raises(InputError, match="no row for outcome/unit"):
        _audit(claims, portal=portal.assign(unit="Unit B"))


def test_audit_bad_references(claims):
    with pytest.raises(InputError, match="results key 'obs_rank'"):
        _audit(claims, refs=_refs().iloc[1:])
    facts = FACTS.copy()
    facts.loc[facts["claim_id"] == "q_turnout", "value"] = "71.9"  # agrees, yet 'contradicts'
    with pytest.raises(InputError, match="says 'contradicts' but the values"):
        _audit(claims, facts=facts)
    with pytest.raises(InputError, match="needs an outside fact"):
        _audit(claims, facts=FACTS[FACTS["claim_id"] != "q_nine"])


def test_summary_keeps_vocabulary_order(claims):
    s = summarise(_audit(claims))
    assert list(s["status"]) == list(STATUSES)
    assert s["n"].sum() == len(ROWS)
    assert dict(zip(s["status"], s["n"], strict=True))["differs"] == 0


def test_check_audit_rejects_missing_evidence_and_unknown_status(claims):
    a = _audit(claims)
    bad = a.copy()
    bad.loc[0, "evidence"] = " "
    with pytest.raises(InputError, match="has no evidence"):
        check_audit(bad, "audit.csv")
    bad = a.copy()
    bad.loc[1, "status"] = "verified"
    with pytest.raises(InputError, match="unknown status 'verified'"):
        check_audit(bad, "audit.csv")


# --------------------------------------------------------------------------- bad registry


@pytest.mark.parametrize(
    ("row", "match"),
    [
        ("q_x,S,t,,,,none,opinion,x,none,,,unverifiable", "kind"),
        ("q_x,S,t,,,,none,count,x,guess,,,unverifiable", "check_method"),
        ("q_x,S,t,5,,,none,count,x,results_key,,exact,unverifiable", "names no reference"),
        ("q_x,S,t,5,,,none,count,x,grim,,grim,unverifiable", "GRIM applies to percentages"),
        ("q_x,S,t,many,,,none,percentage,x,grim,,grim,unverifiable", "not a number"),
        ("q_x,S,t,5,,,none,count,x,none,,about,unverifiable", "tolerance"),
        ("q_x,S,t,5,,,none,count,x,none,,,maybe", "source_review"),
        ("Q X,S,t,5,,,none,count,x,none,,,unverifiable", "claim_id"),
    ],
)
def test_read_claims_bad_rows(tmp_path, row, match):
    p = _claims_csv(tmp_path, [ROWS[0], row])
    with pytest.raises(InputError, match=match) as exc:
        read_claims(p)
    assert "row 3" in str(exc.value)


def test_read_claims_duplicate_and_missing_column(tmp_path):
    with pytest.raises(InputError, match="duplicate key"):
        read_claims(_claims_csv(tmp_path, [ROWS[0], ROWS[0]]))
    p = tmp_path / "c.csv"
    p.write_text("claim_id,quote\na,b\n", encoding="utf-8")
    with pytest.raises(InputError, match="required column missing"):
        read_claims(p)
    with pytest.raises(InputError, match="file not found"):
        read_claims(tmp_path / "nope.csv")


def _facts_csv(tmp_path: Path, df: pd.DataFrame) -> Path:
    p = tmp_path / "facts.csv"
    df.to_csv(p, index=False)
    return p


@pytest.mark.parametrize(
    ("change", "match"),
    [
        ({"claim_id": "q_unknown"}, "claim_id"),
        ({"relation": "refutes"}, "relation"),
        ({"url": "www.example.org"}, "url"),
        ({"retrieved": "26/11/2026"}, "retrieved"),
        ({"source": ""}, "source"),
    ],
)
def test_read_outside_facts_bad_rows(tmp_path, claims, change, match):
    df = FACTS.copy()
    for k, v in change.items():
        df.loc[1, k] = v
    with pytest.raises(InputError, match=match) as exc:
        read_outside_facts(_facts_csv(tmp_path, df), claims)
    assert "row 3" in str(exc.value)


def test_read_outside_facts_verdict_needs_a_checking_claim(tmp_path, claims):
    df = pd.concat([FACTS, FACTS.iloc[[1]]], ignore_index=True)
    with pytest.raises(InputError, match="duplicate key"):
        read_outside_facts(_facts_csv(tmp_path, df), claims)
    df = FACTS.copy()
    df.loc[3, "relation"] = "contradicts"  # q_text is checked by 'none'
    with pytest.raises(InputError, match="whose check_method is 'none'"):
        read_outside_facts(_facts_csv(tmp_path, df), claims)


def test_quotes_must_be_verbatim(tmp_path, claims):
    body = (
        "Abstract. x Some words here. turnout of 71.9 % nine principles ranked\n54th was 28.8 "
        "% cl. 36 one of the last average is 42.2"
    )
    check_quotes(claims, body, "claims.csv")
    with pytest.raises(InputError, match="quote of claim 'q_pct' is not in the article") as exc:
        check_quotes(claims, body.replace("28.8", "28.9"), "claims.csv")
    assert "row 6" in str(exc.value)
    p = tmp_path / "a.txt"
    p.write_text("Предисловие\n Abstract. body", encoding="utf-8")
    assert read_article_text(p) == "Abstract. body"
    p.write_text("no marker", encoding="utf-8")
    with pytest.raises(InputError, match="marker"):
        read_article_text(p)


def test_normalise_text_joins_line_break_hyphens():
    assert normalise_text("decision-\nmaking  is\n\n  hard") == "decision-making is hard"


# --------------------------------------------------------------------------- page


def test_pages_contradicted_first_escaped_and_self_contained(claims):
    a = _audit(claims)
    a.loc[a["claim_id"] == "q_text", "note"] = "<script>alert(1)</script> a|b"
    s = summarise(a)
    md = render_markdown(a, s, heading_level=2)
    assert md.startswith("## Claims audit")
    assert md.index("Claims contradicted") < md.index("### All claims")
    contra = md[md.index("Claims contradicted") : md.index("### All claims")]
    assert "`q_turnout`" in contra and "`q_rank`" in contra and "`q_nine`" not in contra
    assert "<https://example.org/a>" in contra
    assert "a\\|b" in md  # pipes escaped inside table cells
    page = render_html(a, s, "Synthetic <title>")
    assert "<script>alert(1)" not in page and "&lt;script&gt;" in page
    assert "Synthetic &lt;title&gt;" in page
    assert page.count('data-status="') == len(a)
    # self-contained: no external scripts, styles, images or fonts
    assert not re.search(r"<(script|img|link|iframe)[^>]+(src|href)=", page)
    assert "@import" not in page and "url(" not in page
    assert "addEventListener('change'" in page


def test_compute_references_fills_a_missing_developed_group():
    # SYNTHETIC: five invented codes plus KAZ, one indicator pair used by both checks
    vals = {"KAZ": 30.0, "AAA": 70.0, "BBB": 60.0, "CCC": 50.0, "DDD": 20.0, "EEE": 40.0}
    idx = _indices(vals, year=2021, indicator="obi").assign(
        source="ibp", indicator_label="x", std_error=float("nan"), scale_min=0.0, scale_max=100.0
    )
    idx = pd.concat([idx, idx.assign(indicator="part")], ignore_index=True)
    member = pd.DataFrame(
        {"group": "rich", "year": 2021, "iso3": ["AAA", "BBB", "CCC"]}
    )  # synthetic membership
    cfg = {
        "obs": dict(
            source="ibp",
            indicator="obi",
            participation_indicator="part",
            year=2021,
            iso3="KAZ",
            published_decimals=0,
        ),
        "direction": {**DIR_CFG, "indicators": ["ibp/obi"], "developed_group": "rich"},
    }
    position = _position().assign(source="ibp", indicator="obi", year=2021)
    position = position[position["group"] == "europe"].drop_duplicates("group")
    refs, detail = compute_references(idx, cfg, position, _comparisons(), member)
    refs = refs.set_index("key")
    assert refs.loc["obs_rank", "value"] == 5.0  # 70, 60, 50, 40 above 30
    assert "of 6 countries covered" in refs.loc["obs_rank", "display"]
    dev = refs.loc["kz_below_developed"]
    # KAZ 30 vs rich mean 60: below; computed here with kzopen.compare.position.kazakhstan_position
    assert dev["display"].startswith("1 of 1") and bool(dev["consistent"])
    assert "computed by the claims rule" in dev["evidence"]
    refs, detail = compute_references(idx, cfg)
    assert refs.set_index("key").loc["cis_vs_europe", "display"] == "not computed in this build"
    assert detail.empty


def _electability_position(cis_pct: float, europe_pct: float) -> pd.DataFrame:
    """SYNTHETIC position rows of V-Dem's local government index in 2021."""
    rows = [
        ("cis", 0.03, 6, 10, cis_pct),
        ("europe", 0.03, 37, 37, europe_pct),
        ("central_asia", 0.03, 2, 5, 75.0),
    ]
    return pd.DataFrame(
        [
            dict(
                source="vdem",
                indicator="v2xel_locelec",
                indicator_label="Local government index",
                year=2021,
                group=g,
                value=v,
                rank=r,
                n=n,
                percentile=p,
            )
            for g, v, r, n, p in rows
        ]
    )


@pytest.mark.parametrize(
    ("cis", "europe", "want"), [(44.4, 0.0, False), (60.0, 55.0, True), (60.0, 10.0, None)]
)
def test_electability_reference_reads_the_middle_of_every_group(cis, europe, want):
    from kzopen.claims.references import electability_reference

    cfg = {"indicators": ["vdem/v2xel_locelec"], "year": 2021, "groups": ["cis", "europe"]}
    ref = electability_reference(_electability_position(cis, europe), cfg)
    assert ref.consistent is want
    assert ref.value == min(cis, europe)
    assert "Central Asia" in ref.note  # the other groups are listed, not hidden
    missing = electability_reference(_electability_position(cis, europe).iloc[:1], cfg)
    assert missing.consistent is None and missing.value is None
