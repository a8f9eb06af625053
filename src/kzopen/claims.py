"""Reviewer claims ledger: every checkable statement of the article, audited.

The registry ``data/raw/article/claims.csv`` lists each claim of the article (its verbatim
quote, the value *reported in the article*, its kind) and says how it is checked:

* ``results_key``: against a reference value this pipeline computes from real data
  (:func:`compute_references` writes them to ``results/claims_reference.csv``);
* ``outside_fact``: against a sourced fact in ``data/raw/article/outside_facts.csv``;
* ``grim``: a GRIM-type consistency check of a reported percentage (Brown & Heathers 2017);
* ``none``: nothing to check against (qualitative statement, or no data located).

:func:`audit_claims` gives every claim one status from :data:`STATUSES`. The article's numbers
are reported claims: they are never used as observations in any statistic.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass, replace
from decimal import Decimal, InvalidOperation
from pathlib import Path

import pandas as pd
import pandera.pandas as pa

from kzopen.errors import InputError
from kzopen.ingest import check_csv_text, check_unique, require_columns, validate

# --------------------------------------------------------------------------- vocabulary

STATUSES = (
    "contradicted_by_source",
    "differs",
    "reproduced",
    "consistent_only",
    "unverifiable",
    "not_quantitative",
)
STATUS_MEANING = {
    "reproduced": "the reported value matches a value computed by this pipeline from real data, "
    "or an outside source, within the stated tolerance",
    "differs": "real data computed by this pipeline give a different value or direction",
    "contradicted_by_source": "an authoritative outside source gives a different figure or fact",
    "consistent_only": "passes a consistency check (GRIM, or direction on related real indices) "
    "but the data behind the reported value do not exist or could not be located",
    "unverifiable": "no data or source located to check the reported value",
    "not_quantitative": "a qualitative statement with no number to reproduce",
}
CHECK_METHODS = ("results_key", "outside_fact", "grim", "none")
KINDS = ("qualitative-finding", "percentage", "count", "index-score", "legal-reference", "rank")
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
FACT_COLUMNS = ["claim_id", "relation", "value", "unit", "source", "url", "retrieved", "note"]
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
AUDIT_EXTRA_COLUMNS = ["difference", "section", "quote", "source_review"]
SUMMARY_COLUMNS = ["status", "n"]

GRIM_CITATION = (
    "GRIM test (Brown & Heathers 2017, Soc. Psychol. Personal. Sci. 8:363-369): "
    "a percentage p reported to d decimals is feasible for n if some integer k in 0..n has "
    "|100k/n - p| <= 0.5*10^-d"
)


# --------------------------------------------------------------------------- readers


def _read_str_csv(path: str | Path) -> pd.DataFrame:
    check_csv_text(path)  # BOM, invalid UTF-8 and short (truncated) lines, with the row
    try:
        df = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8")
    except FileNotFoundError:
        raise InputError(path, "file not found") from None
    except UnicodeDecodeError as exc:
        raise InputError(
            path, f"not valid UTF-8 text (byte {exc.start})", expected="UTF-8"
        ) from None
    except (pd.errors.ParserError, pd.errors.EmptyDataError) as exc:
        raise InputError(
            path, f"malformed CSV: {exc}", expected="comma-separated values, quotes closed"
        ) from None
    if df.empty:
        raise InputError(path, "no data rows", expected="at least one data row")
    return df


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
                path, f"claim {r.claim_id!r} uses {r.check_method} but names no reference",
                row=row, column="check_ref", expected="a results key or an outside-fact claim_id",
            )  # fmt: skip
        if r.check_method == "grim":
            if r.kind != "percentage":
                raise InputError(
                    path, f"GRIM applies to percentages, claim {r.claim_id!r} is {r.kind!r}",
                    row=row, column="check_method", expected="kind 'percentage'",
                )  # fmt: skip
            if parse_number(r.value) is None:
                raise InputError(
                    path, f"reported value {r.value!r} is not a number", row=row,
                    column="value", expected="a percentage such as 28.8",
                )  # fmt: skip
        if r.tolerance.startswith("abs:") and parse_number(r.value) is None:
            raise InputError(
                path, f"numeric tolerance for a non-numeric value {r.value!r}", row=row,
                column="tolerance", expected="'relation' or 'context' for a non-numeric claim",
            )  # fmt: skip
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
            "url": pa.Column(str, pa.Check.str_matches(r"^https?://\S+( ; https?://\S+)*$")),
            "retrieved": pa.Column(str, pa.Check.str_matches(r"^\d{4}-\d{2}-\d{2}$")),
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
            path, "row repeats an earlier row", row=int(twice.nonzero()[0][0]) + 2,
            column="claim_id", expected="each outside fact once",
        )  # fmt: skip
    by_id = claims.set_index("claim_id")
    for i, r in enumerate(df.itertuples(index=False)):
        if r.relation == "context":
            continue
        claim = by_id.loc[r.claim_id]
        if claim["check_method"] not in ("outside_fact", "results_key"):
            raise InputError(
                path, f"a {r.relation!r} fact names claim {r.claim_id!r}, whose check_method is "
                f"{claim['check_method']!r}", row=i + 2, column="relation",
                expected="check_method outside_fact or results_key in the claims registry",
            )  # fmt: skip
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
                path, f"quote of claim {r.claim_id!r} is not in the article text", row=i + 2,
                column="quote", expected="a verbatim substring of the English body",
            )  # fmt: skip


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


def grim_consistent(pct: Decimal | float | str, decimals: int, n: int) -> bool:
    """GRIM: can some k/n (k = 0..n) be reported as ``pct`` % at ``decimals`` decimals?

    Either rounding convention is accepted (the half-unit boundary counts as consistent).
    Exact decimal arithmetic, so 28.75 vs 28.8 is decided without float error.
    """
    if n < 1:
        raise ValueError("n must be >= 1")
    p = Decimal(str(pct))
    half = Decimal(5) * Decimal(10) ** (-(decimals + 1))
    k0 = int((p * n / 100).to_integral_value())
    for k in (k0 - 1, k0, k0 + 1):
        if 0 <= k <= n and abs(Decimal(100 * k) / n - p) <= half:
            return True
    return False


def grim_min_n(pct: Decimal | float | str, decimals: int, max_n: int) -> tuple[int, int] | None:
    """Smallest n (and a k) consistent with the reported percentage, or None up to ``max_n``."""
    p = Decimal(str(pct))
    half = Decimal(5) * Decimal(10) ** (-(decimals + 1))
    for n in range(1, max_n + 1):
        k0 = int((p * n / 100).to_integral_value())
        for k in (k0 - 1, k0, k0 + 1):
            if 0 <= k <= n and abs(Decimal(100 * k) / n - p) <= half:
                return n, k
    return None


def grim_share(pct: Decimal | float | str, decimals: int, max_n: int) -> float:
    """Share of n in 1..max_n that are GRIM-consistent (how little the test can reject)."""
    return sum(grim_consistent(pct, decimals, n) for n in range(1, max_n + 1)) / max_n


# --------------------------------------------------------------------------- references


@dataclass(frozen=True)
class Reference:
    """A value this pipeline computes from real data, to set beside an article claim."""

    key: str
    value: float | None
    display: str
    unit: str
    consistent: bool | None  # direction checks: does the real-data direction agree?
    evidence: str
    note: str


def _fmt(x: float, digits: int = 1) -> str:
    return f"{x:.{digits}f}"


def obs_rank(
    indices: pd.DataFrame,
    *,
    source: str,
    indicator: str,
    year: int,
    iso3: str,
    published_decimals: int,
    key: str = "obs_rank",
    evidence: str = "data/processed/indices.parquet",
) -> Reference:
    """Rank of ``iso3`` (1 = most transparent) among the countries a survey round covered.

    Ranks are computed at full precision and at the publisher's precision (scores rounded to
    ``published_decimals``), where ties are possible; both tie-bounds are stated.
    """
    sel = indices[
        (indices["source"] == source)
        & (indices["indicator"] == indicator)
        & (indices["year"] == year)
        & indices["value"].notna()
    ]
    if sel.empty:
        raise InputError(
            evidence, f"no rows for {source}/{indicator} in {year}", column="year",
            expected="the survey round named in config claims.obs",
        )  # fmt: skip
    if sel["iso3"].duplicated().any():
        raise InputError(evidence, f"duplicate countries for {source}/{indicator}/{year}")
    if iso3 not in set(sel["iso3"]):
        raise InputError(evidence, f"{iso3} not covered by {source}/{indicator} in {year}")
    n = len(sel)
    score = float(sel.loc[sel["iso3"] == iso3, "value"].iloc[0])
    full = sel["value"].astype(float)
    pub = full.round(published_decimals)
    kz_pub = round(score, published_decimals)
    lo, hi = int((full > score).sum() + 1), int((full >= score).sum())
    plo, phi = int((pub > kz_pub).sum() + 1), int((pub >= kz_pub).sum())

    def span(a: int, b: int) -> str:
        return f"{a}" if a == b else f"{a}-{b} (tied with {b - a} other)"

    display = f"rank {span(lo, hi)} of {n} countries covered; score {_fmt(score, 2)}/100"
    note = (
        f"{source}/{indicator} {year}: {n} countries covered; {iso3} score {score:.4f} "
        f"(publisher precision {kz_pub:.{published_decimals}f}); rank at full precision "
        f"{span(lo, hi)}, at publisher precision {span(plo, phi)} (1 = most transparent; ties "
        "share the range of ranks, pandas rank min/max)"
    )
    return Reference(
        key=key,
        value=float(lo) if lo == hi else None,
        display=display,
        unit=f"rank of {n}",
        consistent=None,
        evidence=f"{evidence} (source={source}, indicator={indicator}, year={year})",
        note=note,
    )


def _latest(df: pd.DataFrame, max_year: int, keys: Sequence[str]) -> pd.DataFrame:
    df = df[df["year"] <= max_year]
    last = df.groupby(list(keys))["year"].transform("max")
    return df[df["year"] == last]


def _want(df: pd.DataFrame, indicators: Sequence[str]) -> pd.DataFrame:
    pair = df["source"].astype(str) + "/" + df["indicator"].astype(str)
    return df[pair.isin(list(indicators))]


def direction_checks(
    position: pd.DataFrame,
    comparisons: pd.DataFrame,
    cfg: Mapping,
    *,
    position_path: str = "results/kazakhstan_position.csv",
    comparisons_path: str = "results/group_comparisons.csv",
) -> tuple[list[Reference], pd.DataFrame]:
    """Direction-only checks of the article's MTI statements on real indices.

    The article's MTI could not be located, so no value can be reproduced. What can be checked
    is whether real transparency-related indices point the same way:

    * ``cis_vs_europe``: CIS mean below the Europe mean (permutation test, family-adjusted p, from the
      group comparison table);
    * ``kz_near_last_europe``: Kazakhstan's percentile within Europe at or below
      ``near_last_percentile``;
    * ``kz_below_developed``: Kazakhstan below the mean of the ``developed`` group (z < 0).

    A check agrees with the article when more than ``majority`` of the indicators agree.
    """
    require_columns(
        position, ["source", "indicator", "year", "group", "rank", "n", "percentile", "z_in_group"],
        position_path,
    )  # fmt: skip
    require_columns(
        comparisons,
        ["source", "indicator", "year", "group_a", "group_b", "mean_a", "mean_b", "p_holm", "p_bh"],
        comparisons_path,
    )
    inds = list(cfg["indicators"])
    max_year = int(cfg["max_year"])
    cis, europe, developed = cfg["cis_group"], cfg["europe_group"], cfg["developed_group"]
    rows: list[dict] = []

    comp = comparisons[
        ((comparisons["group_a"] == cis) & (comparisons["group_b"] == europe))
        | ((comparisons["group_a"] == europe) & (comparisons["group_b"] == cis))
    ]
    comp = comp[comp["mean_a"].notna() & comp["mean_b"].notna()]
    comp = _latest(_want(comp, inds), max_year, ["source", "indicator"])
    for r in comp.sort_values(["source", "indicator"]).itertuples(index=False):
        m_cis, m_eu = (r.mean_a, r.mean_b) if r.group_a == cis else (r.mean_b, r.mean_a)
        rows.append(
            dict(
                check="cis_vs_europe", source=r.source, indicator=r.indicator, year=int(r.year),
                group=f"{cis} vs {europe}", statistic="mean_cis - mean_europe",
                value=float(m_cis - m_eu), n=None, p_holm=float(r.p_holm), p_bh=float(r.p_bh),
                agrees_with_article=bool(m_cis < m_eu),
            )
        )  # fmt: skip
    pos = position[position["percentile"].notna() | position["z_in_group"].notna()]
    pos = _latest(_want(pos, inds), max_year, ["source", "indicator", "group"])
    for grp, check, stat in (
        (europe, "kz_near_last_europe", "percentile"),
        (developed, "kz_below_developed", "z_in_group"),
    ):
        sub = pos[(pos["group"] == grp) & pos[stat].notna()].sort_values(["source", "indicator"])
        for r in sub.itertuples(index=False):
            v = float(getattr(r, stat))
            agrees = v <= float(cfg["near_last_percentile"]) if stat == "percentile" else v < 0
            rows.append(
                dict(
                    check=check, source=r.source, indicator=r.indicator, year=int(r.year),
                    group=grp, statistic=f"{stat} (rank {int(r.rank)} of {int(r.n)})", value=v,
                    n=int(r.n), p_holm=None, p_bh=None, agrees_with_article=bool(agrees),
                )
            )  # fmt: skip
    detail = pd.DataFrame(rows, columns=DIRECTION_COLUMNS)

    texts = {
        "cis_vs_europe": (
            "indicators with the CIS mean below the Europe mean",
            f"{comparisons_path} (permutation test; Holm-adjusted p in the confirmatory family, "
            "Benjamini-Hochberg in the exploratory family)",
        ),
        "kz_near_last_europe": (
            f"indicators with Kazakhstan at or below the {cfg['near_last_percentile']}th "
            "percentile of Europe",
            position_path,
        ),
        "kz_below_developed": (
            f"indicators with Kazakhstan below the mean of group '{developed}' (z < 0)",
            position_path,
        ),
    }
    refs = []
    for check, (what, ev) in texts.items():
        d = detail[detail["check"] == check]
        m = len(d)
        if m == 0:
            refs.append(
                Reference(check, None, "no comparable real-index data", "share of indicators",
                          None, ev, "none of the configured indicators is in the table")
            )  # fmt: skip
            continue
        k = int(d["agrees_with_article"].sum())
        parts = [
            f"{r.source}/{r.indicator} {r.year}: {r.value:.3g}"
            + (f" (Holm p={r.p_holm:.2g})" if pd.notna(r.p_holm) else "")
            + (f" (BH p={r.p_bh:.2g})" if pd.notna(r.p_bh) else "")
            for r in d.itertuples(index=False)
        ]
        extra = ""
        if check == "cis_vs_europe":
            p_adj = d["p_holm"].fillna(d["p_bh"])
            sig = int(((p_adj < float(cfg["alpha"])) & d["agrees_with_article"]).sum())
            extra = f"; {sig} of {m} with family-adjusted p < {cfg['alpha']}"
        refs.append(
            Reference(
                key=check,
                value=k / m,
                display=f"{k} of {m} {what}{extra}",
                unit="share of indicators",
                consistent=bool(k / m > float(cfg["majority"])),
                evidence=ev,
                note="; ".join(parts),
            )
        )
    return refs, detail


def compute_references(
    indices: pd.DataFrame,
    cfg: Mapping,
    position: pd.DataFrame | None = None,
    comparisons: pd.DataFrame | None = None,
    membership: pd.DataFrame | None = None,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """All reference values (``results/claims_reference.csv``) and the direction detail.

    ``membership`` (group, year, iso3) is used only when the ``developed`` group of the
    direction checks is missing from ``position``: Kazakhstan's position in it is then computed
    with :func:`kzopen.compare.kazakhstan_position`, the function that wrote ``position``.
    """
    obs = cfg["obs"]
    refs = [
        obs_rank(
            indices, source=obs["source"], indicator=obs["indicator"], year=int(obs["year"]),
            iso3=obs["iso3"], published_decimals=int(obs["published_decimals"]),
        ),
        obs_rank(
            indices, key="obs_public_participation", source=obs["source"],
            indicator=obs["participation_indicator"], year=int(obs["year"]), iso3=obs["iso3"],
            published_decimals=int(obs["published_decimals"]),
        ),
    ]  # fmt: skip
    if position is not None and comparisons is not None:
        developed = cfg["direction"]["developed_group"]
        if membership is not None and developed not in set(position["group"]):
            # The compare topic reports other groups; compute this one with its own function.
            from kzopen.compare import kazakhstan_position

            extra = kazakhstan_position(indices, membership, [developed])
            position = pd.concat([position, extra], ignore_index=True)
            computed_here = True
        else:
            computed_here = False
        drefs, detail = direction_checks(position, comparisons, cfg["direction"])
        if computed_here:
            drefs = [
                replace(
                    r, evidence=f"group '{developed}' computed by the claims rule with "
                    "kzopen.compare.kazakhstan_position from data/processed/indices.parquet"
                )
                if r.key == "kz_below_developed" else r
                for r in drefs
            ]  # fmt: skip
    else:
        drefs = [
            Reference(k, None, "not computed in this build", "share of indicators", None,
                      "results/kazakhstan_position.csv; results/group_comparisons.csv",
                      "the group-comparison outputs were not inputs of this build")
            for k in ("cis_vs_europe", "kz_near_last_europe", "kz_below_developed")
        ]  # fmt: skip
        detail = pd.DataFrame(columns=DIRECTION_COLUMNS)
    table = pd.DataFrame([asdict(r) for r in refs + drefs], columns=REFERENCE_COLUMNS)
    table["consistent"] = table["consistent"].astype("boolean")
    return table.sort_values("key", kind="stable").reset_index(drop=True), detail


# --------------------------------------------------------------------------- audit


@dataclass
class Verdict:
    reproduced: str
    status: str
    method: str
    evidence: str
    note: str
    difference: float | None = None


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
            facts_path, f"claim {r.claim_id!r} needs an outside fact {r.check_ref!r} with "
            "relation contradicts or confirms", column="claim_id",
        )  # fmt: skip
    f = fact.iloc[0]
    evidence = f"{f['source']}: {f['url']}"
    rep, ref = parse_number(r.value), parse_number(f["value"])
    diff = None
    if r.tolerance != "relation" and rep is not None and ref is not None:
        diff = float(ref - rep)
        agree = abs(ref - rep) <= _tol(r.tolerance, rep)
        if agree != (f["relation"] == "confirms"):
            raise InputError(
                facts_path, f"fact for {r.claim_id!r} says {f['relation']!r} but the values "
                f"{r.value} and {f['value']} {'agree' if agree else 'differ'} at tolerance "
                f"{r.tolerance or 'exact'}", column="relation",
            )  # fmt: skip
        rule = f"{r.tolerance or 'exact'} numeric comparison"
    else:
        rule = "verdict recorded with the source (relation column)"
    if f["relation"] == "contradicts":
        status = "contradicted_by_source"
    elif r.kind in NUMERIC_KINDS or (rep is not None and ref is not None):
        status = "reproduced"
    else:
        status = "not_quantitative"
    note = f"{f['note']}".strip()
    if status == "reproduced":
        note = f"matches an outside source (not computed by this pipeline). {note}"
    elif status == "not_quantitative":
        note = f"qualitative; confirmed by an outside source. {note}"
    shown = f"{f['value']} {f['unit']}".strip() if ref is not None else f["value"]
    return Verdict(shown, status, f"outside_fact ({rule})", evidence, note, diff)


def _check_results(r, refs: pd.DataFrame, facts: pd.DataFrame, refs_path: str) -> Verdict:
    hit = refs[refs["key"] == r.check_ref]
    if hit.empty:
        raise InputError(
            refs_path, f"claim {r.claim_id!r} names results key {r.check_ref!r}, which is not "
            "computed", column="key", expected=f"one of {sorted(refs['key'])}",
        )  # fmt: skip
    ref = hit.iloc[0]
    evidence = f"results/claims_reference.csv key={ref['key']} ({ref['evidence']})"
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
            note = (
                "direction only: real indices do not point the way the article states (the "
                f"article's MTI could not be located). Per indicator: {ref['note']}"
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
    contra = facts[(facts["claim_id"] == r.claim_id) & (facts["relation"] == "contradicts")]
    if not contra.empty:
        f = contra.iloc[0]
        status = "contradicted_by_source"
        evidence += f" ; {f['source']}: {f['url']}"
        note = f"source: {f['value']} {f['unit']}. {f['note']} Pipeline: {note}"
    return Verdict(str(ref["display"]), status, method, evidence, note, diff)


def _check_grim(r, portal: pd.DataFrame | None, max_n: int, portal_path: str) -> Verdict:
    pct = parse_number(r.value)
    d = decimals_of(pct)
    found = grim_min_n(pct, d, max_n)
    share = grim_share(pct, d, 200)
    method = "grim (GRIM consistency; minimum n)"
    evidence = f"{GRIM_CITATION}; computed by kzopen.claims.grim_min_n"
    prow = None
    if portal is not None and r.check_ref:
        outcome, _, unit = r.check_ref.partition("/")
        hit = portal[(portal["outcome"] == outcome) & (portal["unit"] == unit)]
        if hit.empty:
            raise InputError(
                portal_path, f"no row for outcome/unit {r.check_ref!r} of claim {r.claim_id!r}",
                column="unit", expected="the outcome/unit named in claims.csv check_ref",
            )  # fmt: skip
        prow = hit.iloc[0]
        evidence += f" ; {portal_path} outcome={outcome}, unit={unit}"
    if prow is not None and pd.notna(prow.get("n")) and pd.notna(prow.get("successes")):
        n, k = int(prow["n"]), int(prow["successes"])
        obs = 100 * k / n
        diff = obs - float(pct)
        agree = grim_consistent(pct, d, n) and abs(Decimal(100 * k) / n - pct) <= Decimal(
            5
        ) * Decimal(10) ** (-(d + 1))
        return Verdict(
            f"{obs:.{d}f} ({k}/{n})",
            "reproduced" if agree else "differs",
            "results_key (portal counts, rounding tolerance)",
            evidence,
            f"computed from real counts ({k} of {n}); 95% CI {prow['ci95_low']:.1f}-"
            f"{prow['ci95_high']:.1f}",
            diff,
        )
    if found is None:
        return Verdict(
            "", "differs", method, evidence,
            f"no n up to {max_n} can give {r.value} % at {d} decimal(s) (GRIM-inconsistent)",
        )  # fmt: skip
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
    return Verdict(f"min n = {n_min}", "consistent_only", method, evidence, note)


def _check_none(r, facts: pd.DataFrame) -> Verdict:
    status = _default_status(r.kind)
    ctx = facts[facts["claim_id"] == r.claim_id]
    need = r.what_data_would_verify_it.strip() or "not stated"
    if status == "not_quantitative":
        evidence = "qualitative statement; outside-source review found no source to test it"
    else:
        evidence = "no data or source located among the sources consulted (outside_facts.csv)"
    note = f"would need: {need}"
    if r.value.startswith(("MISSING", "TRUNCATED")):
        note = f"{r.value}. {note}"
    if not ctx.empty:
        evidence += f" ; context: {_urls(ctx)}"
        note += " Context from outside sources: " + " ".join(
            f"{r.value} {r.unit} ({r.source}). {r.note}".replace("  ", " ")
            for r in ctx.itertuples(index=False)
        )
    return Verdict("", status, "none", evidence, note)


def audit_claims(
    claims: pd.DataFrame,
    facts: pd.DataFrame,
    refs: pd.DataFrame,
    portal: pd.DataFrame | None,
    grim_max_n: int,
    *,
    facts_path: str = "data/raw/article/outside_facts.csv",
    refs_path: str = "results/claims_reference.csv",
    portal_path: str = "results/portal_units.csv",
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
                claim_id=r.claim_id, kind=r.kind, reported=_reported(r), reproduced=v.reproduced,
                unit=r.unit, status=v.status, method=v.method, evidence=v.evidence,
                note=" ".join(v.note.split()), difference=v.difference, section=r.section,
                quote=" ".join(r.quote.split()), source_review=r.source_review,
            )
        )  # fmt: skip
    df = pd.DataFrame(out, columns=AUDIT_COLUMNS + AUDIT_EXTRA_COLUMNS)
    df["difference"] = df["difference"].astype("Float64")
    return df


def summarise(audit: pd.DataFrame) -> pd.DataFrame:
    """Claims per status, in the fixed vocabulary order (zero counts kept)."""
    counts = audit["status"].value_counts()
    return pd.DataFrame(
        {"status": list(STATUSES), "n": [int(counts.get(s, 0)) for s in STATUSES]},
        columns=SUMMARY_COLUMNS,
    )


def check_audit(audit: pd.DataFrame, path: str | Path) -> None:
    """The contract: a known status and non-empty evidence for every claim."""
    for i, r in enumerate(audit.itertuples(index=False)):
        if r.status not in STATUSES:
            raise InputError(path, f"unknown status {r.status!r}", row=i + 2, column="status")
        if not str(r.evidence).strip():
            raise InputError(path, f"claim {r.claim_id!r} has no evidence", row=i + 2)
