"""Corrections to the printed article: one row per claim the audit found wrong.

For every claim whose audit status is ``differs`` or ``contradicted_by_source`` the table gives
the printed wording and value, the value the data or the primary source give, the source (in its
own column, with its URLs in another), the kind of correction and one erratum sentence.

The erratum sentence comes from a per-claim template (:data:`ERRATA`), filled with the corrected
value from the audit row (the pipeline's value or the source's):

* ``replace``: "For '<printed wording>' read '<corrected wording>'.";
* ``qualify``: the same form, the corrected wording saying what the source does support;
* ``delete``: "Delete '<printed wording>' (<why>)." where nothing can stand in its place (an
  index or a clause that does not exist).

A claim without a template gets ``replace`` when its printed number appears once in the quote and
the corrected value is a number of the same unit, and ``qualify`` otherwise.
"""

from __future__ import annotations

import re
from decimal import ROUND_HALF_UP, Decimal

import pandas as pd

from kzopen.claims.registry import parse_number
from kzopen.core.errors import InputError

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
    "evidence_tier",
    "source",
]
CORRECTION_COLUMNS = [
    "claim_id",
    "section",
    "status",
    "evidence_tier",
    "printed_wording",
    "printed_value",
    "corrected_value",
    "unit",
    "source",
    "source_url",
    "correction_type",
    "suggested_correction",
]
CORRECTION_TYPES = ("replace", "qualify", "delete")
READ = "For '{quote}' read '{new}'."
DELETE = "Delete '{quote}' ({why})."
# Per-claim templates: (type, wording). Fields: {quote}, {value} (the first number of the
# corrected value), {ordinal} (it as an ordinal), {of} (the number after "of"), {score} (the
# score after "score", at the publisher's precision, half up), {corrected} (the whole value).
ERRATA = {
    "res_turnout_71_9": (
        "replace",
        "with a turnout of {value} % in the joint Mazhilis and maslikhat elections of 2021",
    ),
    "res_obs_rank_54_of_189": (
        "replace",
        "Kazakhstan ranked {ordinal} of the {of} countries covered by the 2021 Open Budget "
        "Survey, with an Open Budget Index score of {score} out of 100.",
    ),
    "res_mti_developed_by_ti": (
        "qualify",
        "A Municipal Transparency Index (ITM) was developed by Transparency International's "
        "Portuguese chapter with university partners to assess Portuguese municipalities; no "
        "cross-national edition covering Kazakhstan exists.",
    ),
    "res_mti_ten_areas": (
        "delete",
        "{corrected}",
    ),
    "res_electability_high": (
        "qualify",
        "Turnout does not measure how far local self-government is elected; on V-Dem's local "
        "government index Kazakhstan does not stand high ({corrected})",
    ),
    "tab1_access_info_law_clauses": (
        "replace",
        'Law of the Republic of Kazakhstan "On access to information" ({corrected})',
    ),
}
_NUMBER = re.compile(r"(?<![\d.,])\d+(?:\.\d+)?(?![\d.,]*\d)")
_PUBLISHED_DECIMALS = 0  # Open Budget Index scores are published as integers (config claims.obs)


def source_urls(evidence: str) -> str:
    """The URLs of the evidence, in order, once each, separated by `` ; ``."""
    urls = re.findall(r"https?://[^\s;]+", evidence)
    return " ; ".join(dict.fromkeys(urls))


def _ordinal(n: int) -> str:
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def _fields(quote: str, corrected: str) -> dict[str, str]:
    first = _NUMBER.search(corrected)
    of = re.search(r"\bof (\d+)", corrected)
    score = re.search(r"score (\d+(?:\.\d+)?)", corrected)
    q = Decimal(1).scaleb(-_PUBLISHED_DECIMALS)
    return {
        "quote": quote,
        "corrected": corrected,
        "value": first.group() if first else corrected,
        "ordinal": _ordinal(int(first.group())) if first and "." not in first.group() else "",
        "of": of.group(1) if of else "",
        "score": str(Decimal(score.group(1)).quantize(q, ROUND_HALF_UP)) if score else "",
    }


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


def erratum(row: pd.Series) -> tuple[str, str]:
    """(correction type, erratum sentence) for one audit row (see the module docstring)."""
    quote = row["quote"].strip().rstrip(".")
    corrected = row["reproduced"].strip()
    if row["claim_id"] in ERRATA:
        kind, wording = ERRATA[row["claim_id"]]
        text = wording.format(**_fields(quote, corrected)).rstrip(".")
    else:
        text = _substituted(quote, row["reported"], corrected, row["unit"])
        kind = "replace" if text is not None else "qualify"
        if text is None:
            text = f"{quote} (according to {row['source'].strip()}: {corrected})"
    if kind == "delete":
        return kind, DELETE.format(quote=quote, why=text)
    return kind, READ.format(quote=quote, new=text)


def suggested_correction(row: pd.Series) -> str:
    """The erratum sentence for one audit row."""
    return erratum(row)[1]


def build_corrections(audit: pd.DataFrame, path: str = "the claims audit") -> pd.DataFrame:
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
    rows = []
    for _, r in wrong.iterrows():
        kind, sentence = erratum(r)
        rows.append(
            {
                "claim_id": r["claim_id"],
                "section": r["section"],
                "status": r["status"],
                "evidence_tier": r["evidence_tier"],
                "printed_wording": r["quote"].strip(),
                "printed_value": r["reported"],
                "corrected_value": r["reproduced"],
                "unit": r["unit"],
                "source": r["source"],
                "source_url": source_urls(r["evidence"]),
                "correction_type": kind,
                "suggested_correction": sentence,
            }
        )
    return pd.DataFrame(rows, columns=CORRECTION_COLUMNS)
