"""Completeness of the claims registry, on the real vendored files in data/raw/article/.

1. Every claim of ``claims.csv`` is valid, quotes the article verbatim, and gets a status and
   evidence from the audit; the claims that the outside-source review found contradicted are
   exactly the ``contradicted_by_source`` ones, each with both values and a source URL.
2. Every number in the article's Results section has a claim.

*Results section* (definition used by the test): the English body of
``data/raw/article/article_text.txt`` from the line that is exactly ``Result and discussion``
(the article's own heading; the body starts at ``Abstract.``) up to, not including, the line
that is exactly ``Conclusions``. It includes Tables 1 and 2 and the page's running header.

*A number*: a run of digits (``25,000`` counts as one number, ``54th`` as 54, ``52.2`` as one
decimal) or an English cardinal word (one .. twenty, hundred, thousand).

*Has a claim*: the number lies inside the verbatim quote of a claim (text compared after
joining line-break hyphens and collapsing whitespace) and its value is among the numbers of
that claim's ``value``, ``unit`` or ``denominator_or_n_if_stated`` fields (ranges such as
``22-25`` expanded); or it is matched by one entry of :data:`ALLOW` (years, figure/table
numbers, list enumerators, citation years, the running header, an idiom), each with a reason.
Every allow-list entry must be used at least once, so the list cannot go stale silently.
"""

from __future__ import annotations

import re
from decimal import Decimal

import pandas as pd
import pytest
from support import REPO

from kzopen.claims.audit import audit_claims, check_audit
from kzopen.claims.registry import (
    CHECK_METHODS,
    STATUSES,
    check_quotes,
    normalise_text,
    read_article_text,
    read_claims,
    read_outside_facts,
)

ARTICLE = REPO / "data/raw/article"
START, END = "Result and discussion", "Conclusions"

WORDS = {
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "thirteen": 13,
    "fourteen": 14,
    "fifteen": 15,
    "sixteen": 16,
    "seventeen": 17,
    "eighteen": 18,
    "nineteen": 19,
    "twenty": 20,
    "hundred": 100,
    "thousand": 1000,
}
NUMBER = re.compile(
    r"(?<![\w.])(\d{1,3}(?:,\d{3})+|\d+(?:\.\d+)?)(?:st|nd|rd|th)?(?![\w])"
    r"|\b(" + "|".join(WORDS) + r")\b",
    re.IGNORECASE,
)

# Numbers that are not quantities of the article's findings; every group of each regex is an
# allowed number. (name, regex, reason)
ALLOW = [
    ("event_year", r"\b[Ii]n (\d{4})\b", "calendar year of an event ('in 2022', 'in 2023')"),
    ("edition_year", r"\bthe (\d{4}) Budget Transparency Index", "edition year of an index"),
    ("citation_year", r"\((?:[^()]*, )?(\d{4})\)", "year of a cited work, '(Zhumashov, 2023)'"),
    ("figure_table", r"\b(?:Figure|Table) (\d+)\b", "figure or table number"),
    ("list_item", r"(?<![\d.])(\d)\. (?=[A-Z][a-z])", "ordered-list enumerator '1. '"),
    ("page_number", r"\b(387) ISSN\b", "page number of the running header"),
    ("issn", r"ISSN (\d{4})-(\d{4})", "the journal's ISSN in the running header"),
    ("issue", r"ISSN \d{4}-\d{4} (\d)\. (\d{4})", "issue and year in the running header"),
    ("idiom", r"\b(one) of the last places", "idiom; the rank claim is res_mti_kz_last_in_europe"),
]


def _numbers_in(text: str) -> set[Decimal]:
    out: set[Decimal] = set()
    for a, b in re.findall(r"(\d+)\s*-\s*(\d+)", text):
        out.update(Decimal(i) for i in range(int(a), int(b) + 1))
    for tok in re.findall(r"\d{1,3}(?:,\d{3})+(?!\d)|\d+(?:\.\d+)?", text):
        out.add(Decimal(tok.replace(",", "")))
    out.update(Decimal(p) for p in re.findall(r"\d+", text))  # parts of dates: 31.12.2019
    for w, v in WORDS.items():
        if re.search(rf"\b{w}\b", text, re.IGNORECASE):
            out.add(Decimal(v))
    return out


def _token_value(m: re.Match) -> Decimal:
    if m.group(1):
        return Decimal(m.group(1).replace(",", ""))
    return Decimal(WORDS[m.group(2).lower()])


@pytest.fixture(scope="module")
def registry():
    claims = read_claims(ARTICLE / "claims.csv")
    facts = read_outside_facts(ARTICLE / "outside_facts_2026-12-02.csv", claims)
    body = read_article_text(ARTICLE / "article_text.txt")
    return claims, facts, body


@pytest.fixture(scope="module")
def results_section(registry):
    body = registry[2]
    lines = body.split("\n")
    starts = [i for i, ln in enumerate(lines) if ln.strip() == START]
    ends = [i for i, ln in enumerate(lines) if ln.strip() == END]
    assert len(starts) == 1 and len(ends) == 1 and starts[0] < ends[0]
    return normalise_text("\n".join(lines[starts[0] + 1 : ends[0]]))


def test_registry_is_valid_and_quotes_are_verbatim(registry):
    claims, facts, body = registry
    assert len(claims) == 66
    check_quotes(claims, body, "claims.csv")
    assert set(claims["check_method"]) <= set(CHECK_METHODS)


def test_every_number_in_the_results_section_has_a_claim(registry, results_section):
    claims = registry[0]
    text = results_section
    spans: list[tuple[int, int, set[Decimal]]] = []
    for r in claims.itertuples(index=False):
        q = normalise_text(r.quote)
        nums = _numbers_in(f"{r.value} ; {r.unit} ; {r.denominator_or_n_if_stated}")
        for m in re.finditer(re.escape(q), text):
            spans.append((m.start(), m.end(), nums))
    allowed: dict[tuple[int, int], str] = {}
    used = dict.fromkeys(name for name, _, _ in ALLOW)
    for name, rx, _ in ALLOW:
        for m in re.finditer(rx, text):
            for g in range(1, (m.lastindex or 0) + 1):
                allowed[m.span(g)] = name
    missing = []
    n_tokens = 0
    for m in NUMBER.finditer(text):
        n_tokens += 1
        span = m.span(1) if m.group(1) else m.span(2)
        value = _token_value(m)
        if any(s <= span[0] and span[1] <= e and value in nums for s, e, nums in spans):
            continue
        if span in allowed:
            used[allowed[span]] = True
            continue
        missing.append(f"{m.group(0)!r} in ...{text[max(0, span[0] - 40) : span[1] + 40]}...")
    assert n_tokens > 40  # the section really was found and scanned
    assert not missing, "numbers of the Results section without a claim:\n" + "\n".join(missing)
    stale = [name for name, hit in used.items() if not hit]
    assert not stale, f"allow-list entries that match nothing: {stale}"


def test_known_numbers_are_recognised(results_section):
    found = {_token_value(m) for m in NUMBER.finditer(results_section)}
    for v in ("42.2", "54.1", "54", "189", "25000", "35.0", "28.2", "52", "23", "71.9", "10"):
        assert Decimal(v) in found, v


def test_every_claim_gets_a_status_and_evidence(registry):
    claims, facts, _ = registry
    # SYNTHETIC reference values standing in for results/claims_reference.csv; the statuses
    # of the claims they feed are not asserted here, only that every claim gets one.
    refs = pd.DataFrame(
        [
            dict(
                key=k,
                value=v,
                display="synthetic",
                unit="",
                consistent=c,
                evidence="synthetic",
                note="synthetic",
            )
            for k, v, c in [
                ("obs_rank", 28.0, None),
                ("obs_public_participation", 74.0, None),
                ("cis_vs_europe", 0.8, True),
                ("kz_near_last_europe", 0.7, True),
                ("kz_below_developed", 0.8, True),
                ("local_electability", 0.0, False),
            ]
        ]
    )
    refs["consistent"] = refs["consistent"].astype("boolean")
    audit = audit_claims(claims, facts, refs, None, 1000)
    check_audit(audit, "claims_audit.csv")
    assert len(audit) == len(claims) == audit["claim_id"].nunique()
    assert audit["status"].isin(STATUSES).all()
    assert (audit["evidence"].str.strip() != "").all()
    assert (audit["method"].str.strip() != "").all()

    reviewed = set(claims.loc[claims["source_review"] == "contradicted", "claim_id"])
    contradicted = audit[audit["status"] == "contradicted_by_source"]
    assert set(contradicted["claim_id"]) == reviewed
    assert len(reviewed) == 5
    for r in contradicted.itertuples(index=False):
        assert r.reported.strip() and r.reproduced.strip(), r.claim_id
        assert "http" in r.evidence, r.claim_id
    a = audit.set_index("claim_id")
    assert a.loc["res_turnout_71_9", "reproduced"].startswith("63.3 % turnout")
    assert a.loc["res_turnout_71_9", "evidence_tier"] == "secondary-reliable"
    assert "189" in a.loc["res_obs_rank_54_of_189", "reported"]
    # percentages without data are GRIM-checked and said to have no data
    grim = audit[claims["check_method"] == "grim"]
    assert len(grim) == 10 and (grim["status"] == "grim_possible_unverifiable").all()
    assert grim["note"].str.contains("No data exist").all()
    # an outside source confirms, it does not reproduce: 'reproduced' is for the pipeline's data
    assert a.loc["intro_undp1997_nine_principles", "status"] == "confirmed_by_source"
    assert "intro_undp1997_nine_principles" not in set(
        audit.loc[audit["status"] == "reproduced", "claim_id"]
    )


def test_outside_facts_cover_the_five_contradictions_with_sources(registry):
    claims, facts, _ = registry
    verdicts = facts[facts["relation"] == "contradicts"]
    assert set(verdicts["claim_id"]) == set(
        claims.loc[claims["source_review"] == "contradicted", "claim_id"]
    )
    turnout = verdicts.set_index("claim_id").loc["res_turnout_71_9"]
    assert turnout["value"] == "63.3"
    obs = verdicts.set_index("claim_id").loc["res_obs_rank_54_of_189"]
    assert "rank 28 of 120" in obs["value"] and "internationalbudget.org" in obs["url"]
    assert obs["source_tier"] == "primary"
