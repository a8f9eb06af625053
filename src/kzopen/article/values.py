"""The article's context: one flat dictionary of named values, each with its source.

``build_values`` reads finished tables (``data/processed/``, ``results/``, the transcribed
article tables and the raw-data manifest) and only *looks values up*: it selects, counts and
copies; statistics are computed by the analysis rules that wrote those tables. The result is
written to ``results/article_values.json``::

    {"values": {"kz.ti_cpi.cpi_score.value": 39.0, ...},
     "sources": {"kz.ti_cpi.cpi_score.value": "data/processed/indices.parquet: ...", ...},
     "provenance": {"kz.ti_cpi.cpi_score.value": {"spec": <the key's pattern>,
                    "file": ..., "row": {...}, "column": "value", "selected_by": ...}, ...},
     "producers": {"data/processed/indices.parquet": {"rule": "combine_indices",
                   "script": ..., "functions": [...]}, ...},
     "tables": {"table1_legislation": [{...}, ...], ...}}

The manuscript template refers to values by name only, so a changed raw value flows into
every sentence, table and caption that uses it.
"""

from __future__ import annotations

import json
import math
import re
import sys
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from kzopen.compare.robustness import SHOWN_COLUMNS
from kzopen.compare.table import COMPARISON_COLUMNS, primary_row
from kzopen.core.errors import InputError
from kzopen.core.io import one_row, read_results
from kzopen.core.labels import indicator_name

VERIFICATION_STATUSES = ("verified", "contradicted", "unverifiable")


class Values:
    """Accumulates named values with their provenance; a name may be set only once.

    Every value is set through a *spec*, the literal pattern of its key
    (``cmp.confirmatory.{source}.{indicator}.{column}``) filled with ``fields``: the spec is
    spelled out once, here in this module beside the lookup, so ``grep -rn SPEC src/`` finds the
    home of any key, and the provenance of each key records its spec.
    """

    def __init__(self) -> None:
        self.values: dict[str, Any] = {}
        self.sources: dict[str, str] = {}
        self.provenance: dict[str, dict[str, Any]] = {}
        self.tables: dict[str, list[dict[str, Any]]] = {}

    def set(
        self,
        spec: str,
        value: Any,
        where: str,
        /,
        *,
        row: Mapping[str, Any] | None = None,
        column: str | None = None,
        **fields: Any,
    ) -> None:
        """Set the value ``spec.format(**fields)``; ``where`` says in words where it comes
        from (``file: selection``); ``row`` (column = value pairs selecting exactly one row of
        that file) and ``column`` say it in a form a program can follow."""
        name = spec.format(**fields, **({"column": column} if column else {}))
        if name in self.values:
            raise ValueError(f"value {name!r} set twice")
        self.values[name] = _jsonable(value)
        self.sources[name] = where
        caller = sys._getframe(1).f_code.co_name  # the add_* lookup that selected it
        self.provenance[name] = {
            "spec": spec,
            "file": where.split(": ", 1)[0],
            "row": {k: _jsonable(x) for k, x in row.items()} if row is not None else None,
            "column": column,
            "selected_by": f"{__name__}.{caller}",
        }

    def table(self, name: str, df: pd.DataFrame) -> None:
        if name in self.tables:
            raise ValueError(f"table {name!r} set twice")
        self.tables[name] = [
            {k: _jsonable(v) for k, v in rec.items()} for rec in df.to_dict(orient="records")
        ]

    def to_json(self, producers: Mapping[str, Any] | None = None) -> str:
        doc = {
            "values": dict(sorted(self.values.items())),
            "sources": dict(sorted(self.sources.items())),
            "provenance": dict(sorted(self.provenance.items())),
            "producers": dict(sorted((producers or {}).items())),
            "tables": dict(sorted(self.tables.items())),
        }
        return json.dumps(doc, indent=1, ensure_ascii=False, allow_nan=False) + "\n"


def _jsonable(v: Any) -> Any:
    if hasattr(v, "item"):
        v = v.item()
    if isinstance(v, float) and math.isnan(v):
        return None
    if v is pd.NA or v is pd.NaT:
        return None
    return v


def _require(df: pd.DataFrame, cols: list[str], file: str) -> None:
    missing = [c for c in cols if c not in df.columns]
    if missing:
        raise InputError(file, f"missing column(s) {missing}", expected=", ".join(cols))


def add_indices(
    v: Values, indices: pd.DataFrame, catalogue: pd.DataFrame, file: str, catalogue_file: str
) -> None:
    """Kazakhstan's first and latest value of every indicator, and coverage counts."""
    _require(
        indices, ["iso3", "year", "source", "indicator", "value", "scale_min", "scale_max"], file
    )
    v.set("indices.n_sources", indices["source"].nunique(), f"{file}: distinct source")
    v.set("indices.n_indicators", len(catalogue), f"{catalogue_file}: rows")
    v.set("indices.n_countries", indices["iso3"].nunique(), f"{file}: distinct iso3")
    v.set("indices.n_rows", len(indices), f"{file}: rows")
    v.set("indices.first_year", int(indices["year"].min()), f"{file}: min(year)")
    v.set("indices.last_year", int(indices["year"].max()), f"{file}: max(year)")
    kz = indices[indices["iso3"] == "KAZ"].sort_values(["source", "indicator", "year"])
    for (src, ind), g in kz.groupby(["source", "indicator"], sort=True):
        _add_kz_series(v, indices, g, src, ind, file)
    _add_obs_rounds(v, indices, file)
    v.table("indicator_catalogue", catalogue.copy())


def _add_kz_series(
    v: Values, indices: pd.DataFrame, g: pd.DataFrame, src: str, ind: str, file: str
) -> None:
    """Kazakhstan's latest and first value of one indicator, and its coverage."""
    ids = {"source": src, "indicator": ind}
    loc = f"{file}: iso3=KAZ, source={src}, indicator={ind}"
    last, first = g.iloc[-1], g.iloc[0]
    latest = {"iso3": "KAZ", **ids, "year": int(last["year"])}
    earliest = {"iso3": "KAZ", **ids, "year": int(first["year"])}
    year_n = indices[
        (indices["source"] == src)
        & (indices["indicator"] == ind)
        & (indices["year"] == last["year"])
    ]["iso3"].nunique()
    for spec, value, said, row, col in (
        ("kz.{source}.{indicator}.year", int(last["year"]), "latest year", latest, "year"),
        ("kz.{source}.{indicator}.value", float(last["value"]), "latest value", latest, "value"),
        ("kz.{source}.{indicator}.first_year", int(first["year"]), "first year", earliest, "year"),
        ("kz.{source}.{indicator}.first_value", float(first["value"]), "first value", earliest,
         "value"),
        ("kz.{source}.{indicator}.scale_max", float(last["scale_max"]), "scale_max", latest,
         "scale_max"),
        ("kz.{source}.{indicator}.scale_min", float(last["scale_min"]), "scale_min", latest,
         "scale_min"),
    ):  # fmt: skip
        v.set(spec, value, f"{loc}: {said}", row=row, column=col, **ids)
    v.set(
        "kz.{source}.{indicator}.n_countries_latest",
        int(year_n),
        f"{file}: countries with {src}/{ind} in the latest year",
        **ids,
    )
    v.set(
        "kz.{source}.{indicator}.n_years",
        int(g["year"].nunique()),
        f"{loc}: years with a value",
        **ids,
    )


def _add_obs_rounds(v: Values, indices: pd.DataFrame, file: str) -> None:
    """Countries covered by each Open Budget Survey round, and Kazakhstan's score in it."""
    ids = {"source": "ibp_open_budget_survey", "indicator": "budget_transparency"}
    obs = indices[(indices["source"] == ids["source"]) & (indices["indicator"] == ids["indicator"])]
    rounds = obs.groupby("year")["iso3"].nunique().reset_index(name="n_countries")
    kz_obs = obs[obs["iso3"] == "KAZ"][["year", "value"]].rename(columns={"value": "kazakhstan"})
    v.table("obs_rounds", rounds.merge(kz_obs, on="year", how="left").sort_values("year"))
    for r in rounds.itertuples(index=False):
        v.set(
            "obs.{year}.n_countries",
            int(r.n_countries),
            f"{file}: countries in OBS {int(r.year)}",
            year=int(r.year),
        )
    for r in kz_obs.itertuples(index=False):
        v.set(
            "obs.{year}.kazakhstan",
            float(r.kazakhstan),
            f"{file}: KAZ OBS {int(r.year)}",
            row={"iso3": "KAZ", **ids, "year": int(r.year)},
            column="value",
            year=int(r.year),
        )


def add_groups(v: Values, groups: pd.DataFrame, file: str) -> None:
    """Sizes of the country groups used in the comparisons."""
    for col in [
        "cis_members_2023",
        "central_asia",
        "europe_m49",
        "europe_m49_non_cis",
        "eu27",
        "coe_member",
    ]:
        if col in groups.columns:
            v.set(
                "groups.{group}.n",
                int(groups[col].astype(bool).sum()),
                f"{file}: sum({col})",
                group=col,
            )


def add_claims(v: Values, claims: pd.DataFrame, file: str) -> None:
    """The article's reported claims: count by kind, and each claim's reported value."""
    _require(claims, ["claim_id", "section", "quote", "value", "unit", "kind"], file)
    v.set("claims.n", len(claims), f"{file}: rows")
    for kind, n in claims["kind"].value_counts().sort_index().items():
        v.set("claims.kind.{kind}.n", int(n), f"{file}: kind={kind}", kind=kind)
    for r in claims.to_dict(orient="records"):
        for col in ("value", "quote", "unit"):
            said = f"{file}: claim_id={r['claim_id']}, {col}" + (" (reported)" * (col == "value"))
            v.set(
                "claim.{claim_id}.{column}",
                _str(r[col]),
                said,
                row={"claim_id": r["claim_id"]},
                column=col,
                claim_id=r["claim_id"],
            )
    v.table("claims", claims)


def _str(x: Any) -> str:
    return "" if x is None or (isinstance(x, float) and math.isnan(x)) else str(x)


def add_article_table(v: Values, name: str, df: pd.DataFrame, file: str) -> None:
    """A transcribed article table (reported) with its verification status per row."""
    _require(df, ["row", "claim_id", "verification_status"], file)
    bad = ~df["verification_status"].isin(VERIFICATION_STATUSES)
    if bad.any():
        i = int(bad.to_numpy().nonzero()[0][0])
        raise InputError(
            file,
            f"unknown verification status {df['verification_status'].iat[i]!r}",
            row=i + 2,
            column="verification_status",
            expected=" | ".join(VERIFICATION_STATUSES),
        )
    v.set("{table}.n_rows", len(df), f"{file}: rows", table=name)
    for status in VERIFICATION_STATUSES:
        v.set(
            "{table}.n_{status}",
            int((df["verification_status"] == status).sum()),
            f"{file}: status={status}",
            table=name,
            status=status,
        )
    v.table(name, df)


def add_manifest(v: Values, manifest: pd.DataFrame, file: str) -> None:
    v.set("manifest.n_files", len(manifest), f"{file}: rows")
    v.set("manifest.n_sources", manifest["source"].nunique(), f"{file}: distinct source")
    v.table("manifest", manifest)


def add_group_comparisons(v: Values, df: pd.DataFrame, file: str) -> None:
    """The primary CIS-vs-Europe comparison (``is_primary``), copied value by value."""
    _require(df, [*COMPARISON_COLUMNS, "is_primary"], file)
    row = primary_row(df, file)
    for col in COMPARISON_COLUMNS:
        v.set(
            "cmp.primary.{column}",
            row[col],
            f"{file}: is_primary row, column {col}",
            row={"is_primary": True},
            column=col,
        )
    v.set("cmp.n_rows", len(df), f"{file}: rows")


def add_kazakhstan_position(v: Values, df: pd.DataFrame, file: str) -> None:
    """Kazakhstan's rank in each comparison group, latest year of each indicator (a lookup)."""
    cols = [
        "source",
        "indicator",
        "indicator_label",
        "year",
        "value",
        "group",
        "rank",
        "n",
        "percentile",
    ]
    _require(df, cols, file)
    latest = df[df["rank"].notna()].sort_values(["source", "indicator", "group", "year"])
    latest = latest.groupby(["source", "indicator", "group"], sort=True).tail(1)
    ci = [c for c in ("rank_ci_low", "rank_ci_high") if c in latest.columns]
    local = latest["source"].isin(local_sources(v))
    for name, part in (
        ("kz_position_latest", latest[~local]),
        ("kz_position_local", latest[local]),
    ):
        v.table(name, part[cols + ci].astype({c: "Int64" for c in ci}).reset_index(drop=True))
    for r in latest.to_dict(orient="records"):
        ids = {"group": r["group"], "source": r["source"], "indicator": r["indicator"]}
        row = {**ids, "year": int(r["year"])}
        loc = f"{file}: group={r['group']}, {r['source']}/{r['indicator']}, year={r['year']}"
        for col in ("rank", "n", "year", *ci):
            if pd.notna(r[col]):
                v.set(
                    "pos.{group}.{source}.{indicator}.{column}",
                    int(r[col]),
                    f"{loc}, {col}",
                    row=row,
                    column=col,
                    **ids,
                )
        if pd.notna(r.get("n_others")):
            v.set(
                "pos.{group}.{source}.{indicator}.n_others",
                int(r["n_others"]),
                f"{loc}, column n_others",
                row=row,
                column="n_others",
                **ids,
            )


def add_compare_robustness(v: Values, df: pd.DataFrame, file: str) -> None:
    """Descriptive counts over the exploratory comparisons, copied from the table written by
    kzopen.compare.robustness (nothing is counted here)."""
    _require(
        df,
        [
            "scope",
            "comparisons",
            "same_direction",
            "same_direction_bh",
            "g_ci_excludes_0",
            "not_counted",
            "share_same_direction",
        ],
        file,
    )
    row = one_row(df, "scope", "all", file, "exactly one row for all exploratory comparisons")
    for col in (
        "comparisons",
        "same_direction",
        "same_direction_bh",
        "g_ci_excludes_0",
        "not_counted",
        "n_sources",
        "n_indicators",
        "n_years",
        "n_pairs",
        "alpha",
        "share_same_direction",
    ):
        v.set(
            "cmp.robust.{column}",
            row[col],
            f"{file}: scope=all, column {col}",
            row={"scope": "all"},
            column=col,
        )
    shown = SHOWN_COLUMNS
    pairs = df[df["scope"] == "pair"]
    v.table("cmp_robust_pairs", pairs[["group_a", "group_b", *shown]])
    for r in pairs.to_dict(orient="records"):
        for col in ("comparisons", "not_counted"):
            v.set(
                "cmp.robust.pair.{group_a}.{group_b}.{column}",
                int(r[col]),
                f"{file}: scope=pair, {r['group_a']} vs {r['group_b']}, column {col}",
                row={"scope": "pair", "group_a": r["group_a"], "group_b": r["group_b"]},
                column=col,
                group_a=r["group_a"],
                group_b=r["group_b"],
            )
    v.table("cmp_robust_sources", df[df["scope"] == "source"][["source", *shown]])


def add_confirmatory(v: Values, df: pd.DataFrame, file: str) -> None:
    """The confirmatory family, row by row (Holm within the family, from the permutation p)."""
    conf = df[df["family"] == "confirmatory"].reset_index(drop=True)
    v.set("cmp.confirmatory.n", len(conf), f"{file}: rows with family = confirmatory")
    alpha_rows = conf["p_holm"].notna()
    for r in conf.to_dict(orient="records"):
        ids = {"source": r["source"], "indicator": r["indicator"]}
        row = {"family": "confirmatory", **ids}
        for col in (
            "year",
            "n_a",
            "n_b",
            "diff",
            "hedges_g",
            "perm_p",
            "perm_p_t",
            "perm_t_method",
            "cliffs_delta",
            "p_holm",
            "holm_reject",
        ):
            v.set(
                "cmp.confirmatory.{source}.{indicator}.{column}",
                r[col],
                f"{file}: family=confirmatory, {r['source']}/{r['indicator']}, column {col}",
                row=row,
                column=col,
                **ids,
            )
    v.set(
        "cmp.confirmatory.n_tested", int(alpha_rows.sum()), f"{file}: confirmatory rows with p_holm"
    )
    cols = [
        "source",
        "indicator",
        "indicator_label",
        "year",
        "n_a",
        "n_b",
        "mean_a",
        "mean_b",
        "diff",
        "hedges_g",
        "g_ci_low",
        "g_ci_high",
        "perm_p",
        "perm_p_t",
        "perm_t_method",
        "p_holm",
        "holm_reject",
    ]
    v.table("cmp_confirmatory", _with_names(conf[cols]))


def _names(sources: pd.Series, indicators: pd.Series, labels: pd.Series) -> list[str]:
    """The running-text name of each row's indicator."""
    return [
        indicator_name(s, i, lab) for s, i, lab in zip(sources, indicators, labels, strict=True)
    ]


def _with_names(df: pd.DataFrame) -> pd.DataFrame:
    """``df`` with ``indicator_name``, the running-text name of each row's indicator."""
    return df.assign(indicator_name=_names(df["source"], df["indicator"], df["indicator_label"]))


TREND_COLUMNS = (
    "first_year",
    "last_year",
    "n_years",
    "kz_slope",
    "kz_slope_se",
    "se_method",
    "kz_slope_ci_low",
    "kz_slope_ci_high",
    "kz_slope_p",
    "kz_slope_p_holm",
    "group_slope",
    "slope_diff",
    "slope_diff_se",
    "slope_diff_df",
    "slope_diff_p",
    "slope_diff_p_adj",
    "slope_diff_adjust",
    "slope_diff_reason",
    "slope_diff_p_ar1",
    "kz_slope_p_ar1",
    "kz_slope_p_ar1_holm",
    "kz_resid_acf1",
    "break_year",
    "kz_slope_percentile",
    "n_members",
)


def add_trends(v: Values, df: pd.DataFrame, file: str) -> None:
    """Kazakhstan's slope and its difference from each group's, per indicator (a lookup)."""
    _require(df, ["source", "indicator", "group", *TREND_COLUMNS], file)
    for r in df.to_dict(orient="records"):
        ids = {"group": r["group"], "source": r["source"], "indicator": r["indicator"]}
        for col in TREND_COLUMNS:
            loc = f"{file}: group={r['group']}, {r['source']}/{r['indicator']}, column {col}"
            v.set(
                "trend.{group}.{source}.{indicator}.{column}",
                r[col],
                loc,
                row=ids,
                column=col,
                **ids,
            )
    add_primary_trends(v, df, file)
    v.table("trends", df)
    if "config.compare.alpha" in v.values:  # the level the text states (config compare.alpha)
        add_trend_counts(v, df, file, float(v.values["config.compare.alpha"]))


def add_primary_trends(v: Values, df: pd.DataFrame, file: str) -> None:
    """The trend rows of the primary comparison's indicator against its two groups, under
    literal keys (``trend.primary_a.*``, ``trend.primary_b.*``) for the text."""
    if "cmp.primary.source" not in v.values:
        return
    src, ind = v.values["cmp.primary.source"], v.values["cmp.primary.indicator"]
    for side in ("a", "b"):
        group = v.values[f"cmp.primary.group_{side}"]
        ids = {"group": group, "source": src, "indicator": ind}
        sel = df[(df["group"] == group) & (df["source"] == src) & (df["indicator"] == ind)]
        for r in sel.to_dict(orient="records"):
            for col in TREND_COLUMNS:
                v.set(
                    "trend.primary_{side}.{column}",
                    r[col],
                    f"{file}: group={group}, {src}/{ind}, column {col}",
                    row=ids,
                    column=col,
                    side=side,
                )


def add_trend_counts(v: Values, df: pd.DataFrame, file: str, alpha: float) -> None:
    """How many series rose or fell with a trend p (raw or Holm) below ``alpha`` (counts)."""
    series = df.drop_duplicates(["source", "indicator"])
    series = series[~series["source"].isin(local_sources(v))]  # the national series
    fitted = series[series["kz_slope"].notna()]
    src = f"{file}: one row per source x indicator with a trend"
    v.set("trend.n_series", len(fitted), src)
    v.set("trend.n_tested", int(fitted["kz_slope_p"].notna().sum()), f"{src} and a p-value")
    rose, fell = np.sign(fitted["kz_slope"]) == 1, np.sign(fitted["kz_slope"]) == -1
    raw, holm = fitted["kz_slope_p"] < alpha, fitted["kz_slope_p_holm"] < alpha
    v.set("trend.n_rose", int((rose & raw).sum()), f"{src}, kz_slope_p < {alpha}")
    v.set("trend.n_fell", int((fell & raw).sum()), f"{src}, kz_slope_p < {alpha}")
    v.set("trend.n_rose_holm", int((rose & holm).sum()), f"{src}, kz_slope_p_holm < {alpha}")
    v.set("trend.n_fell_holm", int((fell & holm).sum()), f"{src}, kz_slope_p_holm < {alpha}")
    add_trend_sensitivity_counts(v, fitted, src, alpha)


def add_trend_sensitivity_counts(v: Values, fitted: pd.DataFrame, src: str, alpha: float) -> None:
    """The AR(1) GLS check of the trend counts, and the series cut at a break (counts)."""
    status = np.sign(fitted["kz_slope"]) * (fitted["kz_slope_p_holm"] < alpha)
    ar1 = fitted["kz_slope_p_ar1"].notna()
    status_ar1 = np.sign(fitted["kz_slope_ar1"]) * (fitted["kz_slope_p_ar1_holm"] < alpha)
    v.set("trend.n_ar1", int(ar1.sum()), f"{src} and kz_slope_p_ar1")
    v.set(
        "trend.n_ar1_same",
        int((ar1 & (status == status_ar1)).sum()),
        f"{src}: same Holm-significant direction (or none) under OLS and AR(1) GLS",
    )
    v.set("trend.n_rose_holm_ar1", int((status_ar1 == 1).sum()), f"{src}, AR(1) Holm < {alpha}")
    v.set("trend.n_fell_holm_ar1", int((status_ar1 == -1).sum()), f"{src}, AR(1) Holm < {alpha}")
    wgi = fitted[fitted["source"] == "wb_wgi"]["kz_resid_acf1"].dropna()
    if len(wgi):
        v.set("trend.wgi_max_resid_acf1", float(wgi.max()), f"{src}: max kz_resid_acf1, WGI")
    broken = fitted[fitted["break_year"].notna()] if "break_year" in fitted else fitted.iloc[:0]
    v.set("trend.n_cut_at_break", len(broken), f"{src} and a break_year")


def add_reported_group_means(v: Values, df: pd.DataFrame, file: str) -> None:
    """The article's group averages: reported claims with their label, never observations."""
    _require(df, ["group", "reported_value", "label"], file)
    for r in df.to_dict(orient="records"):
        for key, col in (("value", "reported_value"), ("label", "label")):
            v.set(
                "reported.{group}.{key}",
                _str(r[col]),
                f"{file}: group={r['group']}, {col}",
                row={"group": r["group"]},
                column=col,
                group=r["group"],
                key=key,
            )


def add_portal_units(v: Values, df: pd.DataFrame, file: str) -> None:
    """Per unit: the reported percentage and its GRIM minimum n, keyed by claim id."""
    _require(df, ["outcome", "unit", "reported_pct", "grim_min_n", "claim_id"], file)
    for r in df.to_dict(orient="records"):
        for col in ("unit", "outcome", "reported_pct", "grim_min_n"):
            said = f"{file}: claim_id={r['claim_id']}, {col}"
            said += " (reported)" * (col == "reported_pct")
            v.set(
                "portal.unit.{claim_id}.{column}",
                r[col],
                said,
                row={"claim_id": r["claim_id"]},
                column=col,
                claim_id=r["claim_id"],
            )
    v.table("portal_units", df)


def _slug(s: str) -> str:
    return re.sub(r"[^a-z0-9]+", "_", str(s).lower()).strip("_")


def add_portal_tests(v: Values, df: pd.DataFrame, file: str) -> None:
    """GRIM smallest common n, the n at which the (conditional) homogeneity test and each
    pairwise test would cross p < .05; copied row by row."""
    _require(df, ["test", "outcome", "assumed_n", "p"], file)
    from kzopen.portal.conditional import POWER_TARGET

    v.set(
        "portal.power_target",
        POWER_TARGET,
        "src/kzopen/portal/conditional.py: POWER_TARGET (n_for_power_80)",
    )
    for r in df.to_dict(orient="records"):
        row = {"test": r["test"], "outcome": r["outcome"]}
        loc = f"{file}: test={r['test']}, outcome={r['outcome']}"
        test, _, pair = r["test"].partition(": ")
        ids = {"outcome": r["outcome"], "pair": _slug(pair)}
        where = {"row": row, "outcome": r["outcome"]}
        if test == "grim_smallest_common_n":
            v.set(
                "portal.{outcome}.grim_common_n", r["assumed_n"], loc, column="assumed_n", **where
            )
        elif test == "homogeneity_chi2_min_n":
            v.set(
                "portal.{outcome}.homogeneity_min_n",
                r["assumed_n"],
                loc,
                column="assumed_n",
                **where,
            )
            v.set("portal.{outcome}.homogeneity_min_n_p", r["p"], loc, column="p", **where)
            for col in POWER_COLUMNS:
                v.set(
                    "portal.{outcome}.homogeneity.{column}",
                    r[col],
                    f"{loc}, column {col}",
                    column=col,
                    **where,
                )
        elif test in ("pairwise_z_min_n", "pairwise_z_holm_min_n"):
            key, power_key = PAIRWISE_SPECS[test]
            v.set(key, r["assumed_n"], loc, row=row, column="assumed_n", **ids)
            for col in POWER_COLUMNS:
                v.set(power_key, r[col], f"{loc}, column {col}", row=row, column=col, **ids)
        elif test == "homogeneity_chi2_grim_n":
            v.set("portal.{outcome}.homogeneity_grim_n_p", r["p"], loc, column="p", **where)
        elif test in ("pairwise_z_grim_n", "pairwise_z_holm_grim_n"):
            v.set(
                "portal.{outcome}.{pair}.{test}_p",
                r["p"],
                loc,
                row=row,
                column="p",
                test=test,
                **ids,
            )
        elif test == "city_vs_oblast_z_min_n":
            v.set(
                "portal.{outcome}.city_vs_oblast.min_n",
                r["assumed_n"],
                loc,
                column="assumed_n",
                **where,
            )
            for col in POWER_COLUMNS:
                v.set(
                    "portal.{outcome}.city_vs_oblast.{column}",
                    r[col],
                    f"{loc}, column {col}",
                    column=col,
                    **where,
                )
    v.table("portal_tests", df)


POWER_COLUMNS = ("n_for_power_80", "power_alpha")  # of one conditional test row
PAIRWISE_SPECS = {  # test name -> (break-even n, its power columns)
    "pairwise_z_min_n": (
        "portal.{outcome}.{pair}.pairwise_z_min_n",
        "portal.{outcome}.{pair}.pairwise_z_min_n.{column}",
    ),
    "pairwise_z_holm_min_n": (
        "portal.{outcome}.{pair}.pairwise_z_holm_min_n",
        "portal.{outcome}.{pair}.pairwise_z_holm_min_n.{column}",
    ),
}


def add_portal_sensitivity(v: Values, df: pd.DataFrame, file: str) -> None:
    """The range of assumed n over which the conditional sensitivity was computed."""
    _require(df, ["outcome", "assumed_n", "p"], file)
    for outcome, g in df.groupby("outcome", sort=True):
        v.set(
            "portal.{outcome}.sens_n_min",
            g["assumed_n"].min(),
            f"{file}: min assumed_n",
            outcome=outcome,
        )
        v.set(
            "portal.{outcome}.sens_n_max",
            g["assumed_n"].max(),
            f"{file}: max assumed_n",
            outcome=outcome,
        )


def add_claims_summary(v: Values, df: pd.DataFrame, file: str) -> None:
    _require(df, ["status", "n"], file)
    for r in df.itertuples(index=False):
        v.set(
            "audit.status.{status}.n",
            int(r.n),
            f"{file}: status={r.status}",
            row={"status": r.status},
            column="n",
            status=r.status,
        )
    v.set("audit.n", int(df["n"].sum()), f"{file}: sum(n)")
    if {"checkable", "qualitative"} <= set(df.columns):
        v.set("audit.checkable.n", int(df["checkable"].sum()), f"{file}: sum(checkable)")
        v.set("audit.qualitative.n", int(df["qualitative"].sum()), f"{file}: sum(qualitative)")
    v.table("claims_summary", df)


def add_claims_audit(v: Values, df: pd.DataFrame, file: str) -> None:
    _require(df, ["claim_id", "status", "reported", "reproduced"], file)
    v.table("claims_audit", df)


def add_evidence_keys(v: Values, df: pd.DataFrame, file: str) -> None:
    """The bibliography keys of each claim's outside evidence (``article/evidence_keys.csv``:
    claim_id, keys separated by ";"), as citations in the claims table: ``evidence_cite``, and
    ``source_cited`` (the citation where there is one, the register's source otherwise)."""
    _require(df, ["claim_id", "keys"], file)
    rows = v.tables.get("claims_audit")
    if rows is None:
        raise InputError(file, "no claims audit table to attach evidence to")
    known = {r["claim_id"] for r in rows}
    cites = {}
    for i, r in enumerate(df.to_dict(orient="records"), start=2):
        keys = [k.strip() for k in str(r["keys"]).split(";") if k.strip()]
        if r["claim_id"] not in known or not keys:
            raise InputError(
                file,
                f"claim {r['claim_id']!r} with keys {r['keys']!r}",
                row=i,
                expected="a claim of the register and at least one bibliography key",
            )
        cites[r["claim_id"]] = "[" + "; ".join(f"@{k}" for k in keys) + "]"
    for r in rows:
        r["evidence_cite"] = cites.get(r["claim_id"], "")
        r["source_cited"] = cites.get(r["claim_id"]) or r.get("source_short") or ""


def add_audit_status(v: Values) -> None:
    """Each row of the article's transcribed tables with the claims audit's status of its claim
    (``audit_status``, the register's label), so that a table and the register agree."""
    audit = {r["claim_id"]: r.get("status_label", "") for r in v.tables.get("claims_audit", [])}
    for name in ("table1_legislation", "table2_website_criteria"):
        for r in v.tables.get(name, []):
            r["audit_status"] = audit.get(r["claim_id"], "")


def add_corrections(v: Values, df: pd.DataFrame, file: str) -> None:
    """Corrections to the printed article (results/corrections.csv), one row per wrong claim."""
    _require(df, ["claim_id", "printed_wording", "corrected_value", "suggested_correction"], file)
    v.set("corrections.n", len(df), f"{file}: rows")
    v.table("corrections", df)


def add_fragment(v: Values, name: str, path: str) -> None:
    """A Markdown fragment written by a pipeline rule, kept whole (its numbers are pipeline
    output, so the manuscript includes it as filled content)."""
    try:
        text = Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(path, f"cannot be read: {exc}") from None
    v.set("fragment.{name}", text, f"{path}: whole file", name=name)


def local_sources(v: Values) -> list[str]:
    """The local-level sources (config compare.confirmatory_local), as the settings give them."""
    return list(v.values.get("config.compare.local_sources") or [])


def add_local_confirmatory(v: Values, df: pd.DataFrame, file: str) -> None:
    """The local confirmatory family (V-Dem), row by row (Holm within that family)."""
    conf = df[df["family"] == "confirmatory_local"].reset_index(drop=True)
    v.set("cmp.local.n", len(conf), f"{file}: rows with family = confirmatory_local")
    cols = (
        "year",
        "n_a",
        "n_b",
        "mean_a",
        "mean_b",
        "diff",
        "hedges_g",
        "g_ci_low",
        "g_ci_high",
        "perm_p",
        "perm_p_t",
        "p_holm",
        "holm_reject",
    )
    for r in conf.to_dict(orient="records"):
        ids = {"source": r["source"], "indicator": r["indicator"]}
        for col in cols:
            v.set(
                "cmp.local.{source}.{indicator}.{column}",
                r[col],
                f"{file}: family=confirmatory_local, {r['source']}/{r['indicator']}, column {col}",
                row={"family": "confirmatory_local", **ids},
                column=col,
                **ids,
            )
    v.table("cmp_local", _with_names(conf[["source", "indicator", "indicator_label", *cols]]))


def add_local_changes(v: Values, df: pd.DataFrame, file: str) -> None:
    """Kazakhstan's V-Dem score changes (one row per indicator and year that changed)."""
    _require(df, ["indicator", "year", "value_before", "value_after", "change"], file)
    v.table("local_kz_changes", df)
    for ind, part in df.groupby("indicator", sort=True):
        v.set(
            "local.change.{indicator}.n_years", len(part), f"{file}: rows of {ind}", indicator=ind
        )
        last = part.loc[part["year"].idxmax()]
        for col in ("year", "previous_year", "value_before", "value_after", "change"):
            v.set(
                "local.change.{indicator}.last.{column}",
                last[col],
                f"{file}: indicator={ind}, latest year that changed, column {col}",
                row={"indicator": ind, "year": int(last["year"])},
                column=col,
                indicator=ind,
            )
        for r in part.to_dict(orient="records"):
            ids = {"indicator": ind, "year": int(r["year"])}
            for col in ("previous_year", "value_before", "value_after", "change"):
                v.set(
                    "local.change.{indicator}.{year}.{column}",
                    r[col],
                    f"{file}: indicator={ind}, year={r['year']}, column {col}",
                    row=ids,
                    column=col,
                    **ids,
                )


def add_local_elected(v: Values, df: pd.DataFrame, file: str) -> None:
    """Which offices are elected: countries per category by group (counts, not averages)."""
    _require(df, ["indicator", "group", "code", "category", "n_countries", "n_group"], file)
    v.table("local_elected_offices", df)
    for r in df.to_dict(orient="records"):
        ids = {"indicator": r["indicator"], "group": r["group"], "code": int(r["code"])}
        for col in ("n_countries", "n_group", "year"):
            v.set(
                "local.elected.{indicator}.{group}.{code}.{column}",
                int(r[col]),
                f"{file}: indicator={r['indicator']}, group={r['group']}, code={r['code']}",
                row=ids,
                column=col,
                **ids,
            )
        if r["code"] == r["kazakhstan_code"] and r["group"] == df["group"].iat[0]:
            v.set(
                "local.elected.{indicator}.kz_category",
                r["category"],
                f"{file}: indicator={r['indicator']}, code = kazakhstan_code",
                row={"indicator": r["indicator"], "group": r["group"], "code": int(r["code"])},
                column="category",
                indicator=r["indicator"],
            )


def add_local_correlations(v: Values, df: pd.DataFrame, file: str) -> None:
    """Local against national measures across countries (descriptive correlations)."""
    v.table("local_correlations", df)
    for r in df.to_dict(orient="records"):
        ids = {
            "local": r["local_indicator"],
            "source": r["source"],
            "indicator": r["indicator"],
            "scope": _slug(r["scope"]),
        }
        for col in ("n", "spearman_rho", "pearson_r"):
            v.set(
                "local.corr.{local}.{source}.{indicator}.{scope}.{column}",
                r[col],
                f"{file}: {r['local_indicator']} x {r['source']}/{r['indicator']}, {r['scope']}",
                row={
                    "local_indicator": r["local_indicator"],
                    "source": r["source"],
                    "indicator": r["indicator"],
                    "scope": r["scope"],
                },
                column=col,
                **ids,
            )


def add_local_exploratory(v: Values, df: pd.DataFrame, file: str) -> None:
    """Counts over the local level's exploratory comparisons (per indicator and pair)."""
    v.table("local_exploratory", df)
    v.set("local.expl.n_comparisons", int(df["comparisons"].sum()), f"{file}: sum(comparisons)")
    v.set("local.expl.n_a_lower_bh", int(df["a_lower_bh"].sum()), f"{file}: sum(a_lower_bh)")
    v.set("local.expl.n_a_higher_bh", int(df["a_higher_bh"].sum()), f"{file}: sum(a_higher_bh)")
    v.set(
        "local.expl.n_pairs",
        len(df[["group_a", "group_b"]].drop_duplicates()),
        f"{file}: distinct pairs",
    )


def add_confirmatory_measurement(v: Values, df: pd.DataFrame, file: str) -> None:
    """The published errors propagated into the confirmatory differences (where published)."""
    conf = df[(df["family"] == "confirmatory") & df["se_propagated"].notna()]
    src = f"{file}: family=confirmatory rows with se_propagated"
    v.set("cmp.confirmatory.n_se_propagated", len(conf), src)
    if conf.empty:
        return
    for r in conf.to_dict(orient="records"):
        ids = {"source": r["source"], "indicator": r["indicator"]}
        for col in ("se_propagated", "se_sampling", "me_var_share"):
            v.set(
                "cmp.confirmatory_me.{source}.{indicator}.{column}",
                r[col],
                f"{file}: family=confirmatory, {r['source']}/{r['indicator']}, column {col}",
                row={"family": "confirmatory", **ids},
                column=col,
                **ids,
            )
    ratio = conf["se_propagated"] / conf["se_sampling"]
    v.set(
        "cmp.confirmatory.se_ratio_max", float(ratio.max()), f"{src}: max se_propagated/se_sampling"
    )
    v.set(
        "cmp.confirmatory.me_share_min",
        float(conf["me_var_share"].min()),
        f"{src}: min me_var_share",
    )
    v.set(
        "cmp.confirmatory.me_share_max",
        float(conf["me_var_share"].max()),
        f"{src}: max me_var_share",
    )


def add_confirmatory_correlations(v: Values, df: pd.DataFrame, file: str) -> None:
    """Correlations among the confirmatory family's indicators, with running-text names."""
    _require(df, ["source_a", "indicator_a", "label_a", "source_b", "indicator_b", "label_b"], file)
    names = {
        f"name_{side}": _names(df[f"source_{side}"], df[f"indicator_{side}"], df[f"label_{side}"])
        for side in ("a", "b")
    }
    v.table("confirmatory_correlations", df.assign(**names))
    rho = df["spearman_rho"].astype(float)
    for stat, x in (("min", rho.min()), ("max", rho.max()), ("median", rho.median())):
        v.set(
            "cmp.family_corr.{stat}",
            float(x),
            f"{file}: {stat} of spearman_rho",
            column="spearman_rho",
            stat=stat,
        )


def add_confirmatory_common_set(v: Values, df: pd.DataFrame, file: str) -> None:
    """The confirmatory family on the common set of countries: sizes and counts."""
    _require(df, ["n_a", "n_b", "countries_a", "same_direction", "holm_reject", "reason"], file)
    v.table("confirmatory_common_set", df)
    small = df["reason"].fillna("").astype(str) != ""
    for name, x, what in (
        ("n_a", int(df["n_a"].max()), "max of n_a"),
        ("n_b", int(df["n_b"].max()), "max of n_b"),
        ("n", len(df), "rows"),
        ("n_same_direction", int(df["same_direction"].astype(bool).sum()), "sum of same_direction"),
        ("n_holm_reject", int(df["holm_reject"].astype(bool).sum()), "sum of holm_reject"),
        ("n_small", int(small.sum()), "rows with a reason"),
    ):
        v.set("cmp.common_set.{stat}", x, f"{file}: {what}", stat=name)


def add_interval_coverage(v: Values, df: pd.DataFrame, file: str) -> None:
    """Simulated coverage of each interval: its range over the family's designs."""
    _require(df, ["interval", "coverage", "mc_se", "n_samples"], file)
    v.table("interval_coverage", df)
    for name, part in df.groupby("interval", sort=True):
        for stat, x in (
            ("min", part["coverage"].min()),
            ("max", part["coverage"].max()),
            ("mc_se_max", part["mc_se"].max()),
            ("n_samples", part["n_samples"].max()),
        ):
            v.set(
                "coverage.{interval}.{stat}",
                float(x),
                f"{file}: interval={name}, {stat}",
                interval=name,
                stat=stat,
            )


def add_bootstrap_mc_error(v: Values, df: pd.DataFrame, file: str) -> None:
    """Monte-Carlo error of the printed bootstrap bounds: the largest over both bounds of every
    comparison, the smallest share of repeats that printed the same bound, and the repeats."""
    _require(df, ["low_mc_se", "high_mc_se", "stable_low", "stable_high", "n_repeats"], file)
    v.table("bootstrap_mc_error", df)
    for stat, x, what in (
        ("se_max", df[["low_mc_se", "high_mc_se"]].to_numpy().max(), "max of low/high_mc_se"),
        ("stable_min", df[["stable_low", "stable_high"]].to_numpy().min(), "min of stable_*"),
        ("n_repeats", int(df["n_repeats"].max()), "max of n_repeats"),
        ("n", 2 * len(df), "bounds (two per row)"),
    ):
        v.set("bootmc.{stat}", x, f"{file}: {what}", stat=stat)
    se_max = float(df[["low_mc_se", "high_mc_se"]].to_numpy().max())
    v.set("bootmc.two_se_max", 2 * se_max, f"{file}: twice the max of low/high_mc_se")
    unstable = int((df[["stable_low", "stable_high"]].to_numpy() < 1).sum())
    v.set("bootmc.n_unstable", unstable, f"{file}: bounds with stable_* below 1")


def add_primary_sensitivity(v: Values, df: pd.DataFrame, file: str) -> None:
    """The primary comparison repeated without Kosovo (the variant the Methods name)."""
    _require(df, ["variant", "n_b", "mean_b", "diff", "hedges_g", "g_ci_low", "g_ci_high"], file)
    v.table("primary_sensitivity", df)
    row = one_row(df, "variant", "without Kosovo", file)
    for col in ("n_b", "mean_b", "diff", "hedges_g", "g_ci_low", "g_ci_high"):
        v.set(
            "cmp.without_kosovo.{column}",
            row[col],
            f"{file}: variant=without Kosovo, column {col}",
            row={"variant": "without Kosovo"},
            column=col,
        )


RESULT_HANDLERS = {
    "group_comparisons": lambda v, df, f: (
        add_group_comparisons(v, df, f),
        add_confirmatory(v, df, f),
        add_confirmatory_measurement(v, df, f),
        add_local_confirmatory(v, df, f),
    ),
    "local_kz_changes": add_local_changes,
    "local_elected_offices": add_local_elected,
    "local_correlations": add_local_correlations,
    "local_exploratory": add_local_exploratory,
    "compare_robustness": add_compare_robustness,
    "confirmatory_correlations": add_confirmatory_correlations,
    "primary_sensitivity": add_primary_sensitivity,
    "interval_coverage": add_interval_coverage,
    "bootstrap_mc_error": add_bootstrap_mc_error,
    "confirmatory_common_set": add_confirmatory_common_set,
    "kazakhstan_position": add_kazakhstan_position,
    "trends": add_trends,
    "reported_group_means": add_reported_group_means,
    "portal_units": add_portal_units,
    "portal_tests": add_portal_tests,
    "portal_sensitivity": add_portal_sensitivity,
    "claims_summary": add_claims_summary,
    "claims_audit": add_claims_audit,
    "corrections": add_corrections,
}


def add_results_table(v: Values, name: str, df: pd.DataFrame) -> None:
    """Any other results table, kept whole; the template picks rows by key columns."""
    v.table(name, df)


def read_table(path: str | Path) -> pd.DataFrame:
    """Read a CSV or Parquet input, turning unreadable files into an InputError."""
    path = Path(path)
    try:
        if path.suffix == ".parquet":
            return pd.read_parquet(path)
        return read_results(path)
    except OSError as exc:
        raise InputError(path, f"cannot be read: {exc}") from None


def build_values(
    inputs: Mapping[str, str],
    extra: Mapping[str, str] | None = None,
    settings: Mapping[str, Any] | None = None,
    settings_file: str = "the configuration",
) -> Values:
    """Build the context from the named input files (see workflow/rules/article.smk) and the
    analysis settings the text names (e.g. the significance level), from ``settings_file``."""
    v = Values()
    for name, val in sorted((settings or {}).items()):
        v.set("config.{name}", val, f"{settings_file}: {name}", column=name, name=name)
    catalogue = read_table(inputs["catalogue"])
    add_indices(v, read_table(inputs["indices"]), catalogue, inputs["indices"], inputs["catalogue"])
    add_groups(v, read_table(inputs["groups"]), inputs["groups"])
    add_claims(v, read_table(inputs["claims"]), inputs["claims"])
    for name in ("table1_legislation", "table2_website_criteria"):
        add_article_table(v, name, read_table(inputs[name]), inputs[name])
    add_manifest(v, read_results(inputs["manifest"], text=True), inputs["manifest"])
    for name, path in sorted((extra or {}).items()):
        if str(path).endswith(".md"):
            add_fragment(v, name, path)
            continue
        df = read_table(path)
        if name in RESULT_HANDLERS:
            RESULT_HANDLERS[name](v, df, path)
        else:
            add_results_table(v, name, df)
    if "evidence" in inputs:
        add_evidence_keys(v, read_table(inputs["evidence"]), inputs["evidence"])
    add_audit_status(v)
    return v
