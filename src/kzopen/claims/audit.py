"""The audit: one status per claim, from its check method."""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

import pandas as pd

from kzopen.claims.registry import (
    AUDIT_COLUMNS,
    AUDIT_EXTRA_COLUMNS,
    GRIM_CITATION,
    NAMES_PRIMARY,
    STATUS_LABEL,
    STATUS_TIERS,
    STATUSES,
    SUMMARY_COLUMNS,
    TIERS,
    decimals_of,
    parse_number,
)
from kzopen.core.errors import InputError
from kzopen.core.fmt import Formatter
from kzopen.portal.grim import grim_min_n, grim_share

FMT = Formatter()  # the article's number rules (kzopen.core.fmt)
# The authors' rounding is unknown: the audit accepts a tie rounded either way.
CLAIMS_ROUNDING = "either"

# --------------------------------------------------------------------------- audit

# Direction checks of the article's "Municipal Transparency Index" statements (the index was
# not located), as opposed to checks of other statements against real data.
MTI_CHECKS = ("cis_vs_europe", "kz_near_last_europe", "kz_below_developed")


@dataclass
class Verdict:
    reproduced: str
    status: str
    method: str
    evidence: str
    note: str
    difference: float | None = None
    tier: str = "none"
    source: str = ""


SHORT_QUOTE, SHORT_SOURCE = 90, 70  # characters of the register printed in the supplement


def shorten(text: str, limit: int) -> str:
    """``text`` with whitespace collapsed, cut at a word boundary to ``limit`` characters + '…'."""
    t = " ".join(str(text).split())
    if len(t) <= limit:
        return t
    return t[:limit].rsplit(" ", 1)[0].rstrip(",;:") + "\u2026"


def best_tier(tiers) -> str:
    """The strongest of the given evidence tiers (``none`` when there are none)."""
    ranked = [t for t in TIERS if t in set(tiers)]
    return ranked[0] if ranked else "none"


def tiered_status(relation: str, tier: str, source: str) -> str:
    """The status an outside fact supports: strong only on primary or named-primary evidence."""
    strong = tier == "primary" or (
        tier == "secondary-reliable" and re.search(NAMES_PRIMARY, source) is not None
    )
    if relation == "contradicts":
        return "contradicted_by_source" if strong else "differs_from_secondary_reports"
    return "confirmed_by_source" if strong else "matches_secondary_reports"


def _reported(r) -> str:
    """The value as the article reports it, with a stated denominator when it has a number."""
    value = r.value.strip() or "(statement, see quote)"
    d = r.denominator_or_n_if_stated.strip()
    if not re.search(r"\d", d):
        return value
    return f"{value} (n = {d})" if parse_number(d) is not None else f"{value} (of {d})"


def _urls(facts: pd.DataFrame) -> str:
    return " ; ".join(dict.fromkeys(u for f in facts["url"] for u in f.split(" ; ")))


def _default_status(kind: str) -> str:
    return "not_quantitative" if kind == "qualitative-finding" else "unverifiable"


def _tol(tolerance: str, reported: Decimal) -> Decimal:
    if tolerance.startswith("abs:"):
        return Decimal(tolerance[4:])
    return Decimal(0)


def _check_outside(r, facts: pd.DataFrame, facts_path: str) -> Verdict:
    fact = facts[(facts["claim_id"] == r.check_ref) & (facts["relation"] != "context")]
    if fact.empty:
        raise InputError(
            facts_path,
            f"claim {r.claim_id!r} needs an outside fact {r.check_ref!r} with "
            "relation contradicts or confirms",
            column="claim_id",
        )
    f = fact.iloc[0]
    evidence = f"{f['source']}: {f['url']}"
    rep, ref = parse_number(r.value), parse_number(f["value"])
    diff = None
    if r.tolerance != "relation" and rep is not None and ref is not None:
        diff = float(ref - rep)
        agree = abs(ref - rep) <= _tol(r.tolerance, rep)
        if agree != (f["relation"] == "confirms"):
            raise InputError(
                facts_path,
                f"fact for {r.claim_id!r} says {f['relation']!r} but the values "
                f"{r.value} and {f['value']} {'agree' if agree else 'differ'} at tolerance "
                f"{r.tolerance or 'exact'}",
                column="relation",
            )
        rule = f"{r.tolerance or 'exact'} numeric comparison"
    else:
        rule = "verdict recorded with the source (relation column)"
    status = tiered_status(f["relation"], f["source_tier"], f["source"])
    note = f"{f['note']}".strip()
    if status == "matches_secondary_reports":
        note = f"tertiary evidence only (not a confirmation). {note}"
    elif status == "differs_from_secondary_reports":
        note = f"tertiary evidence only (not a contradiction). {note}"
    shown = f"{f['value']} {f['unit']}".strip() if ref is not None else f["value"]
    return Verdict(
        shown, status, f"outside_fact ({rule})", evidence, note, diff, f["source_tier"], f["source"]
    )


def _check_results(r, refs: pd.DataFrame, facts: pd.DataFrame, refs_path: str) -> Verdict:
    hit = refs[refs["key"] == r.check_ref]
    if hit.empty:
        raise InputError(
            refs_path,
            f"claim {r.claim_id!r} names results key {r.check_ref!r}, which is not computed",
            column="key",
            expected=f"one of {sorted(refs['key'])}",
        )
    ref = hit.iloc[0]
    evidence = f"{refs_path} key={ref['key']} ({ref['evidence']})"
    method = f"results_key ({r.tolerance})"
    diff = None
    consistent = ref["consistent"]
    if r.tolerance == "direction":
        if pd.isna(consistent):
            status = "unverifiable"
            note = "direction check not available: " + str(ref["note"])
        elif bool(consistent):
            status = "consistent_only"
            note = (
                "direction only: real indices point the same way, but the article's index (MTI) "
                f"could not be located, so the reported statement itself is not reproduced. "
                f"Per indicator: {ref['note']}"
            )
        else:
            status = "differs"
            why = " (the article's MTI could not be located)" if r.check_ref in MTI_CHECKS else ""
            note = (
                f"direction only: real data do not point the way the article states{why}. "
                f"Per indicator: {ref['note']}"
            )
    elif r.tolerance == "context":
        status = _default_status(r.kind)
        note = (
            "the reported value itself cannot be checked (source not located); set beside it, "
            f"computed from real data on a different measure, for context: {ref['display']}. "
            f"{ref['note']}"
        )
    else:
        rep = parse_number(r.value)
        if rep is None or pd.isna(ref["value"]):
            status = "unverifiable"
            note = f"no single comparable value: {ref['note']}"
        else:
            diff = float(ref["value"]) - float(rep)
            agree = abs(Decimal(str(ref["value"])) - rep) <= _tol(r.tolerance, rep)
            status = "reproduced" if agree else "differs"
            note = str(ref["note"])
    tier = "primary" if status in ("reproduced", "differs", "consistent_only") else "none"
    source = "the publisher's data, analysed here"
    contra = facts[(facts["claim_id"] == r.claim_id) & (facts["relation"] == "contradicts")]
    if not contra.empty:
        f = contra.iloc[0]
        status = tiered_status("contradicts", f["source_tier"], f["source"])
        evidence += f" ; {f['source']}: {f['url']}"
        note = f"source: {f['value']} {f['unit']}. {f['note']} Pipeline: {note}"
        tier = best_tier([tier, f["source_tier"]])
        source = f"{f['source']}; the publisher's data, analysed here"
    return Verdict(str(ref["display"]), status, method, evidence, note, diff, tier, source)


def _check_grim(r, portal: pd.DataFrame | None, max_n: int, portal_path: str) -> Verdict:
    pct = parse_number(r.value)
    d = decimals_of(pct)
    found = grim_min_n(str(pct), d, max_n, CLAIMS_ROUNDING)
    share = grim_share(str(pct), d, 200, CLAIMS_ROUNDING)
    method = "grim (GRIM consistency; minimum n)"
    evidence = f"{GRIM_CITATION}; computed by kzopen.portal.grim.grim_min_n"
    prow = None
    if portal is not None and r.check_ref:
        outcome, _, unit = r.check_ref.partition("/")
        hit = portal[(portal["outcome"] == outcome) & (portal["unit"] == unit)]
        if hit.empty:
            raise InputError(
                portal_path,
                f"no row for outcome/unit {r.check_ref!r} of claim {r.claim_id!r}",
                column="unit",
                expected="the outcome/unit named in claims.csv check_ref",
            )
        prow = hit.iloc[0]
        evidence += f" ; {portal_path} outcome={outcome}, unit={unit}"
    if prow is not None and pd.notna(prow.get("n")) and pd.notna(prow.get("successes")):
        n, k = int(prow["n"]), int(prow["successes"])
        obs = 100 * k / n
        diff = obs - float(pct)
        # the observed share is within half a printed unit of the claimed value
        agree = abs(Decimal(100 * k) / n - pct) <= Decimal(5) * Decimal(10) ** (-(d + 1))
        return Verdict(
            f"{FMT.num(obs, d)} ({k}/{n})",
            "reproduced" if agree else "differs",
            "results_key (portal counts, rounding tolerance)",
            evidence,
            f"computed from real counts ({k} of {n}); 95% CI {FMT.num(prow['ci95_low'], 1)}-"
            f"{FMT.num(prow['ci95_high'], 1)}",
            diff,
            "primary",
            f"{portal_path} (counts)",
        )
    if found is None:
        return Verdict(
            "",
            "differs",
            method,
            evidence,
            f"no n up to {max_n} can give {r.value} % at {d} decimal(s) (GRIM-inconsistent)",
            tier="primary",  # the printed number itself, in the article (a primary document)
            source="the article's printed percentage (GRIM)",
        )
    n_min, k_min = found
    note = (
        f"GRIM-feasible: smallest n = {n_min} ({k_min}/{n_min}); {share:.0%} of n in 1..200 are "
        "feasible, so the check has little power. No data exist: the article gives no sample "
        "size or counts and its source was not located."
    )
    if prow is not None and pd.notna(prow.get("grim_min_n")) and int(prow["grim_min_n"]) != n_min:
        note += (
            f" NOTE: {portal_path} gives grim_min_n = {int(prow['grim_min_n'])}, this audit "
            f"{n_min}; the two GRIM conventions differ."
        )
    return Verdict(
        f"min n = {n_min}",
        "grim_possible_unverifiable",
        method,
        evidence,
        note,
        source="GRIM arithmetic only; no data",
    )


def _check_none(r, facts: pd.DataFrame) -> Verdict:
    status = _default_status(r.kind)
    ctx = facts[facts["claim_id"] == r.claim_id]
    if status == "unverifiable" and (ctx["source_tier"] == "none").any():
        status = "not_located"
    need = r.what_data_would_verify_it.strip() or "not stated"
    if status == "not_quantitative":
        evidence = "qualitative statement; outside-source review found no source to test it"
    else:
        evidence = "no data or source located among the sources consulted (outside facts)"
    note = f"would need: {need}"
    if r.value.startswith(("MISSING", "TRUNCATED")):
        note = f"{r.value}. {note}"
    if not ctx.empty:
        evidence += f" ; context: {_urls(ctx)}"
        note += " Context from outside sources: " + " ".join(
            f"{r.value} {r.unit} ({r.source}). {r.note}".replace("  ", " ")
            for r in ctx.itertuples(index=False)
        )
    tier = best_tier(ctx["source_tier"])
    source = " ; ".join(dict.fromkeys(ctx["source"])) if not ctx.empty else ""
    return Verdict("", status, "none", evidence, note, tier=tier, source=source)


def audit_claims(
    claims: pd.DataFrame,
    facts: pd.DataFrame,
    refs: pd.DataFrame,
    portal: pd.DataFrame | None,
    grim_max_n: int,
    *,
    facts_path: str = "the outside facts table",
    refs_path: str = "the reference values table",
    portal_path: str = "the portal units table",
) -> pd.DataFrame:
    """One row per claim (registry order) with status, reference value, method and evidence."""
    out = []
    for r in claims.itertuples(index=False):
        if r.check_method == "outside_fact":
            v = _check_outside(r, facts, facts_path)
        elif r.check_method == "results_key":
            v = _check_results(r, refs, facts, refs_path)
        elif r.check_method == "grim":
            v = _check_grim(r, portal, grim_max_n, portal_path)
        else:
            v = _check_none(r, facts)
        ctx = facts[(facts["claim_id"] == r.claim_id) & (facts["relation"] == "context")]
        if r.check_method != "none" and not ctx.empty:
            v.evidence += f" ; context: {_urls(ctx)}"
        out.append(
            dict(
                claim_id=r.claim_id,
                kind=r.kind,
                reported=_reported(r),
                reproduced=v.reproduced,
                unit=r.unit,
                status=v.status,
                method=v.method,
                evidence=v.evidence,
                note=" ".join(v.note.split()),
                difference=v.difference,
                section=r.section,
                quote=" ".join(r.quote.split()),
                source_review=r.source_review,
                evidence_tier=v.tier,
                source=v.source,
                status_label=STATUS_LABEL[v.status],
                short_quote=shorten(r.quote, SHORT_QUOTE),
                source_short=shorten(v.source.split(" ; ")[0], SHORT_SOURCE) or "none",
                checkable=v.status != "not_quantitative",
            )
        )
    df = pd.DataFrame(out, columns=AUDIT_COLUMNS + AUDIT_EXTRA_COLUMNS)
    df["difference"] = df["difference"].astype("Float64")
    return df


def summarise(audit: pd.DataFrame) -> pd.DataFrame:
    """Claims per status, in the fixed vocabulary order (zero counts kept), with the split
    into checkable claims and qualitative statements (nothing to check)."""
    counts = audit["status"].value_counts()
    n = [int(counts.get(s, 0)) for s in STATUSES]
    qual = [k if s == "not_quantitative" else 0 for s, k in zip(STATUSES, n, strict=True)]
    return pd.DataFrame(
        {
            "status": list(STATUSES),
            "n": n,
            "label": [STATUS_LABEL[s] for s in STATUSES],
            "checkable": [k - q for k, q in zip(n, qual, strict=True)],
            "qualitative": qual,
        },
        columns=SUMMARY_COLUMNS,
    )


def check_tiers(audit: pd.DataFrame, path: str | Path) -> None:
    """The tier rule: no status stronger than the tier of its best evidence."""
    for i, r in enumerate(audit.itertuples(index=False)):
        allowed = STATUS_TIERS[r.status]
        if r.evidence_tier not in allowed:
            raise InputError(
                path,
                f"claim {r.claim_id!r} has status {r.status!r} on {r.evidence_tier!r} evidence",
                row=i + 2,
                column="evidence_tier",
                expected=" | ".join(allowed),
            )


def check_audit(audit: pd.DataFrame, path: str | Path) -> None:
    """The contract: a known status and non-empty evidence for every claim."""
    for i, r in enumerate(audit.itertuples(index=False)):
        if r.status not in STATUSES:
            raise InputError(path, f"unknown status {r.status!r}", row=i + 2, column="status")
        if not str(r.evidence).strip():
            raise InputError(path, f"claim {r.claim_id!r} has no evidence", row=i + 2)
    check_tiers(audit, path)


# Which function computes each column (the first step of a printed value's trail;
# tests/test_column_producers.py checks each).
SUMMARY_COLUMN_PRODUCERS: dict[str, Any] = dict.fromkeys(SUMMARY_COLUMNS, summarise)
