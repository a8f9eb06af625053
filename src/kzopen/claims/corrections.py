"""Corrections to the printed article: one row per claim the audit found wrong.

For every claim whose audit status is ``differs`` or ``contradicted_by_source`` the table gives
the printed wording and value, the value the data or the authoritative source give, the source,
and a suggested corrected sentence. The sentence comes from a fixed template: when the printed
value is a single number that appears once in the quoted wording and the corrected value is a
number of the same unit, the number is replaced in the quote; otherwise the quote is set beside
the corrected value and its source, for the author to reword.
"""

from __future__ import annotations

import re

import pandas as pd

from kzopen.claims.registry import parse_number
from kzopen.errors import InputError

CORRECTED_STATUSES = ("contradicted_by_source", "differs")
AUDIT_NEEDED = [
    "claim_id",
    "section",
    "quote",
    "reported",
    "reproduced",
    "unit",
    "status",
    "evidence",
]
CORRECTION_COLUMNS = [
    "claim_id",
    "section",
    "status",
    "printed_wording",
    "printed_value",
    "corrected_value",
    "unit",
    "source",
    "suggested_correction",
]
# Why two templates: a number can be swapped in place only when it is unambiguous in the quote.
SUBSTITUTED_TEMPLATE = "Read: “{sentence}” ({source})."
REWORD_TEMPLATE = "Replace “{quote}”; {verb} {source}: {corrected}."
VERB = {
    "contradicted_by_source": "as given by",
    "differs": "as computed from",
}
_NUMBER = re.compile(r"(?<![\d.,])\d+(?:\.\d+)?(?![\d.,]*\d)")


def source_name(evidence: str) -> str:
    """The authoritative source's name: the last ``name: url`` part of the evidence, sans URL.

    Evidence lists parts separated by `` ; ``; bare URLs continue the part before them.
    """
    parts = [p.strip() for p in evidence.split(" ; ") if p.strip()]
    named = [p for p in parts if not re.match(r"https?://", p)]
    last = named[-1] if named else evidence.strip()
    return re.split(r":\s*https?://", last, maxsplit=1)[0].strip()


def _substituted(quote: str, reported: str, corrected: str, unit: str) -> str | None:
    """The quote with the printed number replaced by the corrected one, when unambiguous."""
    if parse_number(reported) is None or not re.fullmatch(r"\d+(\.\d+)?", reported.strip()):
        return None
    new = _NUMBER.match(corrected.strip())
    rest = corrected.strip()[new.end() :].strip() if new else ""
    if new is None or (rest and rest != unit.strip()):
        return None
    hits = [m for m in _NUMBER.finditer(quote) if m.group() == reported.strip()]
    if len(hits) != 1:
        return None
    m = hits[0]
    return quote[: m.start()] + new.group() + quote[m.end() :]


def suggested_correction(row: pd.Series) -> str:
    """The suggested corrected sentence for one audit row (see the module docstring)."""
    source = source_name(row["evidence"])
    quote = row["quote"].strip().rstrip(".")
    sentence = _substituted(quote, row["reported"], row["reproduced"], row["unit"])
    if sentence is not None:
        return SUBSTITUTED_TEMPLATE.format(sentence=sentence, source=source)
    return REWORD_TEMPLATE.format(
        quote=quote, verb=VERB[row["status"]], corrected=row["reproduced"].strip(), source=source
    )


def build_corrections(audit: pd.DataFrame, path: str = "results/claims_audit.csv") -> pd.DataFrame:
    """Corrections table (CORRECTION_COLUMNS) from the claims audit, in audit order."""
    missing = [c for c in AUDIT_NEEDED if c not in audit.columns]
    if missing:
        raise InputError(
            path,
            "claims audit lacks columns needed for corrections",
            column=", ".join(missing),
            expected=", ".join(AUDIT_NEEDED),
        )
    wrong = audit[audit["status"].isin(CORRECTED_STATUSES)].fillna("").astype(str)
    rows = [
        {
            "claim_id": r["claim_id"],
            "section": r["section"],
            "status": r["status"],
            "printed_wording": r["quote"].strip(),
            "printed_value": r["reported"],
            "corrected_value": r["reproduced"],
            "unit": r["unit"],
            "source": r["evidence"],
            "suggested_correction": suggested_correction(r),
        }
        for _, r in wrong.iterrows()
    ]
    return pd.DataFrame(rows, columns=CORRECTION_COLUMNS)
