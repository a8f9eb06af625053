"""Reference values the claims are checked against, computed from real data."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass, replace
from types import MappingProxyType

import pandas as pd

from kzopen.claims.registry import DIRECTION_COLUMNS, REFERENCE_COLUMNS
from kzopen.core.errors import InputError
from kzopen.core.fmt import Formatter
from kzopen.core.labels import label
from kzopen.ingest.common import require_columns

# --------------------------------------------------------------------------- references


FMT = Formatter()  # the article's number rules (kzopen.core.fmt)
# What compute_references calls its inputs unless the rule passes their file names.
FILE_NAMES = {
    "indices": "the index table",
    "position": "the position table",
    "comparisons": "the comparison table",
}


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


def obs_rank(
    indices: pd.DataFrame,
    *,
    source: str,
    indicator: str,
    year: int,
    iso3: str,
    published_decimals: int,
    key: str = "obs_rank",
    evidence: str = "the index table",
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
            evidence,
            f"no rows for {source}/{indicator} in {year}",
            column="year",
            expected="the survey round named in config claims.obs",
        )
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

    display = f"rank {span(lo, hi)} of {n} countries covered; score {FMT.num(score, 2)}/100"
    note = (
        f"{source}/{indicator} {year}: {n} countries covered; {iso3} score {FMT.num(score, 4)} "
        f"(publisher precision {FMT.num(kz_pub, published_decimals)}); rank at full precision "
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
    position_path: str = "the position table",
    comparisons_path: str = "the comparison table",
) -> tuple[list[Reference], pd.DataFrame]:
    """Direction-only checks of the article's MTI statements on real indices.

    The article's MTI could not be located, so no value can be reproduced. What can be checked
    is whether real transparency-related indices point the same way:

    * ``cis_vs_europe``: CIS mean below the Europe mean, from the group comparison table: the
      confirmatory family's rows (the Results' years and Holm-adjusted p) where the table has
      families, otherwise each indicator's latest year up to ``max_year``;
    * ``kz_near_last_europe``: Kazakhstan's percentile within Europe at or below
      ``near_last_percentile``;
    * ``kz_below_developed``: Kazakhstan below the mean of the ``developed`` group (z < 0).

    The position checks use the same years as the family where it exists. A check agrees with
    the article when more than ``majority`` of the indicators agree.
    """
    require_columns(
        position,
        ["source", "indicator", "year", "group", "rank", "n", "percentile", "z_in_group"],
        position_path,
    )
    require_columns(
        comparisons,
        ["source", "indicator", "year", "group_a", "group_b", "mean_a", "mean_b", "p_holm", "p_bh"],
        comparisons_path,
    )
    family = confirmatory_rows(comparisons)
    years = {
        (r.source, r.indicator): int(r.year)
        for r in family[["source", "indicator", "year"]].itertuples(index=False)
    }
    rows = _cis_vs_europe_rows(comparisons, cfg) + _position_rows(position, cfg, years)
    detail = pd.DataFrame(rows, columns=DIRECTION_COLUMNS)
    texts = {
        "cis_vs_europe": (
            "indicators with the CIS mean below the Europe mean",
            f"{comparisons_path} (the confirmatory family of the Results: its years and its "
            "Holm-adjusted p)"
            if len(family)
            else f"{comparisons_path} (latest year up to max_year; Holm-adjusted p in the "
            "confirmatory family, Benjamini-Hochberg in the exploratory family)",
        ),
        "kz_near_last_europe": (
            f"indicators with Kazakhstan at or below the {cfg['near_last_percentile']}th "
            "percentile of Europe",
            position_path,
        ),
        "kz_below_developed": (
            f"indicators with Kazakhstan below the mean of group '{cfg['developed_group']}' "
            "(z < 0)",
            position_path,
        ),
    }
    refs = [_direction_reference(c, what, ev, detail, cfg) for c, (what, ev) in texts.items()]
    return refs, detail


def confirmatory_rows(comparisons: pd.DataFrame) -> pd.DataFrame:
    """The confirmatory family of the comparison table (empty if the table has no families)."""
    if "family" not in comparisons.columns:
        return comparisons.iloc[:0]
    return comparisons[comparisons["family"].astype(str) == "confirmatory"]


def _cis_vs_europe_rows(comparisons: pd.DataFrame, cfg: Mapping) -> list[dict]:
    """The CIS-vs-Europe comparison of each configured indicator: the confirmatory family's row
    (the Results' year and Holm-adjusted p) where the table has one, otherwise the latest
    comparison up to ``max_year``."""
    cis, europe = cfg["cis_group"], cfg["europe_group"]
    comp = comparisons[
        ((comparisons["group_a"] == cis) & (comparisons["group_b"] == europe))
        | ((comparisons["group_a"] == europe) & (comparisons["group_b"] == cis))
    ]
    comp = comp[comp["mean_a"].notna() & comp["mean_b"].notna()]
    family = confirmatory_rows(comp)
    if len(family):
        comp = _want(family, cfg["indicators"])
    else:
        comp = _latest(
            _want(comp, cfg["indicators"]), int(cfg["max_year"]), ["source", "indicator"]
        )
    rows = []
    for r in comp.sort_values(["source", "indicator"]).itertuples(index=False):
        m_cis, m_eu = (r.mean_a, r.mean_b) if r.group_a == cis else (r.mean_b, r.mean_a)
        rows.append(
            dict(
                check="cis_vs_europe",
                source=r.source,
                indicator=r.indicator,
                year=int(r.year),
                group=f"{cis} vs {europe}",
                statistic="mean_cis - mean_europe",
                value=float(m_cis - m_eu),
                n=None,
                p_holm=float(r.p_holm),
                p_bh=float(r.p_bh),
                agrees_with_article=bool(m_cis < m_eu),
            )
        )
    return rows


def _position_rows(
    position: pd.DataFrame, cfg: Mapping, years: Mapping[tuple[str, str], int] | None = None
) -> list[dict]:
    """Kazakhstan's percentile in Europe and z in the developed group, per indicator: in the
    confirmatory family's year of the indicator (``years``) where given, otherwise the latest
    up to ``max_year``."""
    pos = position[position["percentile"].notna() | position["z_in_group"].notna()]
    pos = _want(pos, cfg["indicators"])
    if years:
        keys = zip(pos["source"], pos["indicator"], strict=True)
        pos = pos[[years.get(k) == y for k, y in zip(keys, pos["year"], strict=True)]]
    else:
        pos = _latest(pos, int(cfg["max_year"]), ["source", "indicator", "group"])
    rows = []
    for grp, check, stat in (
        (cfg["europe_group"], "kz_near_last_europe", "percentile"),
        (cfg["developed_group"], "kz_below_developed", "z_in_group"),
    ):
        sub = pos[(pos["group"] == grp) & pos[stat].notna()].sort_values(["source", "indicator"])
        for r in sub.itertuples(index=False):
            v = float(getattr(r, stat))
            agrees = v <= float(cfg["near_last_percentile"]) if stat == "percentile" else v < 0
            rows.append(
                dict(
                    check=check,
                    source=r.source,
                    indicator=r.indicator,
                    year=int(r.year),
                    group=grp,
                    statistic=f"{stat} (rank {int(r.rank)} of {int(r.n)})",
                    value=v,
                    n=int(r.n),
                    p_holm=None,
                    p_bh=None,
                    agrees_with_article=bool(agrees),
                )
            )
    return rows


def _direction_reference(
    check: str, what: str, evidence: str, detail: pd.DataFrame, cfg: Mapping
) -> Reference:
    """One check's verdict: the share of indicators that point the article's way."""
    d = detail[detail["check"] == check]
    m = len(d)
    if m == 0:
        return Reference(
            check,
            None,
            "no comparable real-index data",
            "share of indicators",
            None,
            evidence,
            "none of the configured indicators is in the table",
        )
    k = int(d["agrees_with_article"].sum())
    parts = [
        f"{r.source}/{r.indicator} {r.year}: {FMT.sig(r.value, 3)}"
        + (f" (Holm p={FMT.sig(r.p_holm, 2)})" if pd.notna(r.p_holm) else "")
        + (f" (BH p={FMT.sig(r.p_bh, 2)})" if pd.notna(r.p_bh) else "")
        for r in d.itertuples(index=False)
    ]
    extra = ""
    if check == "cis_vs_europe":
        p_adj = d["p_holm"].fillna(d["p_bh"])
        sig = int(((p_adj < float(cfg["alpha"])) & d["agrees_with_article"]).sum())
        extra = f"; {sig} of {m} with family-adjusted p < {cfg['alpha']}"
    return Reference(
        key=check,
        value=k / m,
        display=f"{k} of {m} {what}{extra}",
        unit="share of indicators",
        consistent=bool(k / m > float(cfg["majority"])),
        evidence=evidence,
        note="; ".join(parts),
    )


def _obs_references(indices: pd.DataFrame, obs: Mapping, evidence: str) -> list[Reference]:
    """Kazakhstan's Open Budget Survey ranks the article states: budget transparency and
    public participation (config ``claims.obs``)."""
    return [
        obs_rank(
            indices,
            key=key,
            source=obs["source"],
            indicator=obs[column],
            year=int(obs["year"]),
            iso3=obs["iso3"],
            published_decimals=int(obs["published_decimals"]),
            evidence=evidence,
        )
        for key, column in (
            ("obs_rank", "indicator"),
            ("obs_public_participation", "participation_indicator"),
        )
    ]


def compute_references(
    indices: pd.DataFrame,
    cfg: Mapping,
    position: pd.DataFrame | None = None,
    comparisons: pd.DataFrame | None = None,
    membership: pd.DataFrame | None = None,
    files: Mapping[str, str] = MappingProxyType(FILE_NAMES),
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """All reference values and the direction detail. ``files`` names the inputs (``indices``,
    ``position``, ``comparisons``) in the evidence column and in error messages.

    ``membership`` (group, year, iso3) is used only when the ``developed`` group of the
    direction checks is missing from ``position``: Kazakhstan's position in it is then computed
    with :func:`kzopen.compare.position.kazakhstan_position`, the function that wrote ``position``.
    """
    refs = _obs_references(indices, cfg["obs"], files["indices"])
    if position is not None and comparisons is not None:
        developed = cfg["direction"]["developed_group"]
        if membership is not None and developed not in set(position["group"]):
            # The compare topic reports other groups; compute this one with its own function.
            from kzopen.compare.position import kazakhstan_position

            extra = kazakhstan_position(indices, membership, [developed])
            position = pd.concat([position, extra], ignore_index=True)
            computed_here = True
        else:
            computed_here = False
        drefs, detail = direction_checks(
            position,
            comparisons,
            cfg["direction"],
            position_path=files["position"],
            comparisons_path=files["comparisons"],
        )
        if computed_here:
            drefs = [
                replace(
                    r,
                    evidence=f"group '{developed}' computed by the claims rule with "
                    f"kzopen.compare.position.kazakhstan_position from {files['indices']}",
                )
                if r.key == "kz_below_developed"
                else r
                for r in drefs
            ]
    else:
        drefs = [
            Reference(
                k,
                None,
                "not computed in this build",
                "share of indicators",
                None,
                "the position and comparison tables",
                "the group-comparison outputs were not inputs of this build",
            )
            for k in ("cis_vs_europe", "kz_near_last_europe", "kz_below_developed")
        ]
        detail = pd.DataFrame(columns=DIRECTION_COLUMNS)
    if position is not None and "electability" in cfg:
        drefs.append(electability_reference(position, cfg["electability"], files["position"]))
    table = pd.DataFrame([asdict(r) for r in refs + drefs], columns=REFERENCE_COLUMNS)
    table["consistent"] = table["consistent"].astype("boolean")
    return table.sort_values("key", kind="stable").reset_index(drop=True), detail


def electability_reference(
    position: pd.DataFrame, cfg: Mapping, position_path: str = "the position table"
) -> Reference:
    """The article's "electability of local self-government is relatively high" set against
    V-Dem's measures of elected local government (config ``claims.electability``).

    "Relatively high" is read as above the middle of a comparison group: Kazakhstan's
    percentile above 50 in every configured group agrees with the claim, below 50 in every
    group disagrees, anything else is mixed (no verdict). Every group in the position table for
    that measure and year is listed in the note, the configured ones and the others."""
    key = "local_electability"
    src, ind = cfg["indicators"][0].split("/")
    year, groups = int(cfg["year"]), list(cfg["groups"])
    sel = position[(position["source"] == src) & (position["year"] == year)]
    main = sel[(sel["indicator"] == ind) & sel["group"].isin(groups) & sel["rank"].notna()]
    evidence = f"{position_path} (V-Dem v14)"
    if len(main) < len(groups):
        return Reference(
            key,
            None,
            "not computed",
            "percentile",
            None,
            evidence,
            f"no position of {src}/{ind} in {year} for every group of {groups}",
        )
    pct = main.set_index("group").loc[groups, "percentile"].astype(float)
    above, below = bool((pct > 50).all()), bool((pct < 50).all())
    parts = []
    for item in cfg["indicators"]:
        s, i = item.split("/")
        for r in sel[(sel["indicator"] == i) & sel["rank"].notna()].itertuples(index=False):
            parts.append(
                f"{r.indicator_label} {year}: Kazakhstan {FMT.sig(r.value, 3)}, rank "
                f"{int(r.rank)} of {int(r.n)} in {label('group', r.group)} (percentile "
                f"{FMT.sig(r.percentile, 3)})"
            )
    shown = ", ".join(f"{label('group', g)}: percentile {FMT.sig(p, 3)}" for g, p in pct.items())
    return Reference(
        key=key,
        value=float(pct.min()),
        display=f"{main['indicator_label'].iat[0]} {year}: {shown}",
        unit="percentile within group",
        consistent=True if above else (False if below else None),
        evidence=evidence,
        note="; ".join(parts),
    )
