"""Reviewer claims ledger: every checkable statement of the article, audited.

The registry ``data/raw/article/claims.csv`` lists each claim of the article (its verbatim
quote, the value *reported in the article*, its kind) and says how it is checked:

* ``results_key``: against a reference value this pipeline computes from real data
  (:func:`compute_references` writes them to ``results/claims_reference.csv``);
* ``outside_fact``: against a sourced fact in ``data/raw/article/outside_facts_2026-12-02.csv`` (with an evidence tier);
* ``grim``: a GRIM-type consistency check of a reported percentage (Brown & Heathers 2017);
* ``none``: nothing to check against (qualitative statement, or no data located).

:func:`audit_claims` gives every claim one status from :data:`STATUSES`. The article's numbers
are reported claims: they are never used as observations in any statistic.

"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation
from pathlib import Path

import pandas as pd
import pandera.pandas as pa

from kzopen.core.errors import InputError
from kzopen.ingest.common import check_unique, read_csv_file, require_columns, validate

# --------------------------------------------------------------------------- vocabulary

STATUSES = (
    "contradicted_by_source",
    "confirmed_by_source",
    "differs",
    "reproduced",
    "differs_from_secondary_reports",
    "matches_secondary_reports",
    "consistent_only",
    "grim_possible_unverifiable",
    "not_located",
    "unverifiable",
    "not_quantitative",
)
STATUS_LABEL = {
    "contradicted_by_source": "contradicted by a primary or quoted-primary source",
    "confirmed_by_source": "confirmed by a primary or quoted-primary source",
    "differs": "differs from the data",
    "reproduced": "reproduced from the data",
    "differs_from_secondary_reports": "differs from secondary reports (tertiary evidence)",
    "matches_secondary_reports": "matches secondary reports (tertiary evidence)",
    "consistent_only": "direction consistent only",
    "grim_possible_unverifiable": "arithmetically possible (GRIM); unverifiable",
    "not_located": "not located",
    "unverifiable": "unverifiable",
    "not_quantitative": "qualitative, nothing to check",
}
STATUS_MEANING = {
    "contradicted_by_source": "a primary source (or a secondary-reliable one naming the primary) "
    "gives a different figure or fact",
    "confirmed_by_source": "a primary source (or a secondary-reliable one naming the primary) "
    "gives the same figure or fact",
    "differs": "vendored publisher data computed by this pipeline give a different value or "
    "direction",
    "reproduced": "the reported value matches a value computed by this pipeline from vendored "
    "publisher data, within the stated tolerance",
    "differs_from_secondary_reports": "only tertiary sources (mirrors, aggregators, indexing "
    "sites) were found, and they differ; not a contradiction",
    "matches_secondary_reports": "only tertiary sources (mirrors, aggregators, indexing sites) "
    "were found, and they agree; not a confirmation",
    "consistent_only": "related real indices point the same way, but the article's own index "
    "could not be located, so its value is not reproduced",
    "grim_possible_unverifiable": "the percentage is arithmetically possible for some sample size "
    "(GRIM), but no data exist to check it; this is not consistency with data",
    "not_located": "a source was searched for and not located",
    "unverifiable": "no data or source to check the reported value",
    "not_quantitative": "a qualitative statement with nothing to check",
}
# Evidence tiers of the outside-facts file (claims_verification.md section 7) and of the
# pipeline's own checks (vendored publisher data are primary).
TIERS = ("primary", "secondary-reliable", "tertiary", "none")
# The strength of a status follows its tier: the tiers each status may rest on.
STATUS_TIERS = {
    "contradicted_by_source": ("primary", "secondary-reliable"),
    "confirmed_by_source": ("primary", "secondary-reliable"),
    "differs": ("primary",),
    "reproduced": ("primary",),
    "differs_from_secondary_reports": ("tertiary",),
    "matches_secondary_reports": ("tertiary",),
    "consistent_only": ("primary",),
    "grim_possible_unverifiable": ("none",),
    "not_located": TIERS,
    "unverifiable": TIERS,
    "not_quantitative": TIERS,
}
STRONG_STATUSES = ("contradicted_by_source", "confirmed_by_source", "differs", "reproduced")
# A secondary-reliable source supports a strong status only when it names the primary it quotes.
NAMES_PRIMARY = r"(as reported by|reported by|quoting|quoted by|reproduced in|statement|Box \d)"
# Each " ; "-separated part of a fact's url column: a URL, optionally with a note after it.
URL_PATTERN = r"^https?://\S+( [^;]*)?( ; https?://\S+( [^;]*)?)*$"
# Claims with something to check (all kinds but qualitative findings).
QUALITATIVE_KINDS = ("qualitative-finding",)
CHECK_METHODS = ("results_key", "outside_fact", "grim", "none")
# event: a dated fact (an inclusion, adoption or publication) that a document can confirm
KINDS = (
    "qualitative-finding",
    "percentage",
    "count",
    "index-score",
    "legal-reference",
    "rank",
    "event",
)
NUMERIC_KINDS = ("percentage", "count", "index-score", "rank")
RELATIONS = ("contradicts", "confirms", "context")
REVIEW_VERDICTS = ("verified", "contradicted", "unverifiable")
TOLERANCE_PATTERN = r"^(|exact|relation|direction|context|grim|abs:\d+(\.\d+)?)$"

CLAIM_COLUMNS = [
    "claim_id",
    "section",
    "quote",
    "value",
    "unit",
    "denominator_or_n_if_stated",
    "cited_source_in_article",
    "kind",
    "what_data_would_verify_it",
    "check_method",
    "check_ref",
    "tolerance",
    "source_review",
]
FACT_COLUMNS = [
    "claim_id",
    "relation",
    "value",
    "unit",
    "source",
    "url",
    "retrieved",
    "note",
    "source_tier",
]
REFERENCE_COLUMNS = ["key", "value", "display", "unit", "consistent", "evidence", "note"]
DIRECTION_COLUMNS = [
    "check",
    "source",
    "indicator",
    "year",
    "group",
    "statistic",
    "value",
    "n",
    "p_holm",
    "p_bh",
    "agrees_with_article",
]
AUDIT_COLUMNS = [
    "claim_id",
    "kind",
    "reported",
    "reproduced",
    "unit",
    "status",
    "method",
    "evidence",
    "note",
]
AUDIT_EXTRA_COLUMNS = [
    "difference",
    "section",
    "quote",
    "source_review",
    "evidence_tier",
    "source",
    "status_label",
    "checkable",
    "short_quote",
    "source_short",
]
SUMMARY_COLUMNS = ["status", "n", "label", "checkable", "qualitative"]

GRIM_CITATION = (
    "GRIM test (Brown & Heathers 2017, Soc. Psychol. Personal. Sci. 8:363-369): "
    "a percentage p reported to d decimals is feasible for n if some integer k in 0..n has "
    "|100k/n - p| <= 0.5*10^-d"
)


# --------------------------------------------------------------------------- readers


def _read_str_csv(path: str | Path) -> pd.DataFrame:
    """A raw claims file as text cells, read strictly (BOM, UTF-8, short lines, no rows), as
    every raw CSV is: a column renamed by config ``ingest.column_map`` is read under the name
    the map gives it (the map is empty unless a new release renames a column)."""
    return read_csv_file(path, dtype=str, keep_default_na=False)


def _nonempty(col: str) -> pa.Check:
    return pa.Check(lambda s: s.str.strip() != "", element_wise=False, name=f"{col}_not_empty")


def read_claims(path: str | Path) -> pd.DataFrame:
    """The claims registry, validated: unique ids, known kinds/methods, checkable references."""
    df = _read_str_csv(path)
    require_columns(df, CLAIM_COLUMNS, path)
    df = df[CLAIM_COLUMNS].copy()
    schema = pa.DataFrameSchema(
        {
            "claim_id": pa.Column(str, pa.Check.str_matches(r"^[a-z0-9_]+$")),
            "quote": pa.Column(str, _nonempty("quote")),
            "kind": pa.Column(str, pa.Check.isin(KINDS)),
            "check_method": pa.Column(str, pa.Check.isin(CHECK_METHODS)),
            "tolerance": pa.Column(str, pa.Check.str_matches(TOLERANCE_PATTERN)),
            "source_review": pa.Column(str, pa.Check.isin(REVIEW_VERDICTS)),
        },
        strict=False,
    )
    validate(df, schema, path)
    check_unique(df, ["claim_id"], path)
    for i, r in enumerate(df.itertuples(index=False)):
        row = i + 2
        if r.check_method in ("results_key", "outside_fact") and not r.check_ref.strip():
            raise InputError(
                path,
                f"claim {r.claim_id!r} uses {r.check_method} but names no reference",
                row=row,
                column="check_ref",
                expected="a results key or an outside-fact claim_id",
            )
        if r.check_method == "grim":
            if r.kind != "percentage":
                raise InputError(
                    path,
                    f"GRIM applies to percentages, claim {r.claim_id!r} is {r.kind!r}",
                    row=row,
                    column="check_method",
                    expected="kind 'percentage'",
                )
            if parse_number(r.value) is None:
                raise InputError(
                    path,
                    f"reported value {r.value!r} is not a number",
                    row=row,
                    column="value",
                    expected="a percentage such as 28.8",
                )
        if r.tolerance.startswith("abs:") and parse_number(r.value) is None:
            raise InputError(
                path,
                f"numeric tolerance for a non-numeric value {r.value!r}",
                row=row,
                column="tolerance",
                expected="'relation' or 'context' for a non-numeric claim",
            )
    return df.reset_index(drop=True)


def read_outside_facts(path: str | Path, claims: pd.DataFrame) -> pd.DataFrame:
    """Outside facts: each names a known claim, a relation, a source and an http(s) URL."""
    df = _read_str_csv(path)
    require_columns(df, FACT_COLUMNS, path)
    df = df[FACT_COLUMNS].copy()
    schema = pa.DataFrameSchema(
        {
            "claim_id": pa.Column(str, pa.Check.isin(list(claims["claim_id"]))),
            "relation": pa.Column(str, pa.Check.isin(RELATIONS)),
            "value": pa.Column(str, _nonempty("value")),
            "source": pa.Column(str, _nonempty("source")),
            "url": pa.Column(str, pa.Check.str_matches(URL_PATTERN)),
            "retrieved": pa.Column(str, pa.Check.str_matches(r"^\d{4}-\d{2}-\d{2}$")),
            "source_tier": pa.Column(str, pa.Check.isin(TIERS)),
        },
        strict=False,
    )
    validate(df, schema, path)
    # at most one verdict (contradicts/confirms) per claim; context rows may repeat
    verdicts = df[df["relation"] != "context"]
    check_unique(verdicts, ["claim_id"], path)
    twice = df.duplicated(keep="first").to_numpy()
    if twice.any():  # a row listed twice is a copy-paste slip
        raise InputError(
            path,
            "row repeats an earlier row",
            row=int(twice.nonzero()[0][0]) + 2,
            column="claim_id",
            expected="each outside fact once",
        )
    by_id = claims.set_index("claim_id")
    for i, r in enumerate(df.itertuples(index=False)):
        if r.relation == "context":
            continue
        claim = by_id.loc[r.claim_id]
        if claim["check_method"] not in ("outside_fact", "results_key"):
            raise InputError(
                path,
                f"a {r.relation!r} fact names claim {r.claim_id!r}, whose check_method is "
                f"{claim['check_method']!r}",
                row=i + 2,
                column="relation",
                expected="check_method outside_fact or results_key in the claims registry",
            )
    return df.reset_index(drop=True)


def read_article_text(path: str | Path, start_marker: str = "Abstract.") -> str:
    """The English article body: the text from ``start_marker`` (the foreword is Russian)."""
    try:
        text = Path(path).read_text(encoding="utf-8")
    except FileNotFoundError:
        raise InputError(path, "file not found") from None
    except UnicodeDecodeError as exc:
        raise InputError(path, f"not valid UTF-8 text (byte {exc.start})") from None
    at = text.find(start_marker)
    if at < 0:
        raise InputError(path, f"marker {start_marker!r} not found", expected="the English body")
    return text[at:]


def normalise_text(text: str) -> str:
    """Join words hyphenated across lines and collapse whitespace (quotes are compared so)."""
    return re.sub(r"\s+", " ", re.sub(r"-[ \t]*\n\s*", "-", text)).strip()


def check_quotes(claims: pd.DataFrame, body: str, path: str | Path) -> None:
    """Every quote is a verbatim substring of the article body (after normalisation)."""
    norm = normalise_text(body)
    for i, r in enumerate(claims.itertuples(index=False)):
        if normalise_text(r.quote) not in norm:
            raise InputError(
                path,
                f"quote of claim {r.claim_id!r} is not in the article text",
                row=i + 2,
                column="quote",
                expected="a verbatim substring of the English body",
            )


# --------------------------------------------------------------------------- numbers


def parse_number(text: str) -> Decimal | None:
    """A plain number ('28.8', '25000', '54'), or None for anything else."""
    t = str(text).strip().replace(",", "")
    if not re.fullmatch(r"-?\d+(\.\d+)?", t):
        return None
    try:
        return Decimal(t)
    except InvalidOperation:  # pragma: no cover - the regex admits only valid decimals
        return None


def decimals_of(value: Decimal) -> int:
    exp = value.as_tuple().exponent
    return max(0, -int(exp)) if isinstance(exp, int) else 0
