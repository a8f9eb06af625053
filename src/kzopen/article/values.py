"""The article's context: one flat dictionary of named values, each with its source.

``build_values`` reads finished tables (``data/processed/``, ``results/``, the transcribed
article tables and the raw-data manifest) and only *looks values up*: it selects, counts and
copies; statistics are computed by the analysis rules that wrote those tables. The result is
written to ``results/article_values.json``::

    {"values": {"kz.ti_cpi.cpi_score.value": 39.0, ...},
     "sources": {"kz.ti_cpi.cpi_score.value": "data/processed/indices.parquet: ...", ...},
     "tables": {"table1_legislation": [{...}, ...], ...}}

The manuscript template refers to values by name only, so a changed raw value flows into
every sentence, table and caption that uses it.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from kzopen.errors import InputError

VERIFICATION_STATUSES = ("verified", "contradicted", "unverifiable")


class Values:
    """Accumulates named values with their provenance; a name may be set only once."""

    def __init__(self) -> None:
        self.values: dict[str, Any] = {}
        self.sources: dict[str, str] = {}
        self.tables: dict[str, list[dict[str, Any]]] = {}

    def set(self, name: str, value: Any, source: str) -> None:
        if name in self.values:
            raise ValueError(f"value {name!r} set twice")
        self.values[name] = _jsonable(value)
        self.sources[name] = source

    def table(self, name: str, df: pd.DataFrame) -> None:
        if name in self.tables:
            raise ValueError(f"table {name!r} set twice")
        self.tables[name] = [
            {k: _jsonable(v) for k, v in rec.items()} for rec in df.to_dict(orient="records")
        ]

    def to_json(self) -> str:
        doc = {
            "values": dict(sorted(self.values.items())),
            "sources": dict(sorted(self.sources.items())),
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


def add_indices(v: Values, indices: pd.DataFrame, catalogue: pd.DataFrame, file: str) -> None:
    """Kazakhstan's first and latest value of every indicator, and coverage counts."""
    _require(
        indices, ["iso3", "year", "source", "indicator", "value", "scale_min", "scale_max"], file
    )
    v.set("indices.n_sources", indices["source"].nunique(), f"{file}: distinct source")
    v.set("indices.n_indicators", len(catalogue), f"{file}: rows of the indicator catalogue")
    v.set("indices.n_countries", indices["iso3"].nunique(), f"{file}: distinct iso3")
    v.set("indices.n_rows", len(indices), f"{file}: rows")
    v.set("indices.first_year", int(indices["year"].min()), f"{file}: min(year)")
    v.set("indices.last_year", int(indices["year"].max()), f"{file}: max(year)")
    kz = indices[indices["iso3"] == "KAZ"].sort_values(["source", "indicator", "year"])
    for (src, ind), g in kz.groupby(["source", "indicator"], sort=True):
        key = f"kz.{src}.{ind}"
        loc = f"{file}: iso3=KAZ, source={src}, indicator={ind}"
        last, first = g.iloc[-1], g.iloc[0]
        year_n = indices[
            (indices["source"] == src)
            & (indices["indicator"] == ind)
            & (indices["year"] == last["year"])
        ]["iso3"].nunique()
        v.set(f"{key}.year", int(last["year"]), f"{loc}: latest year")
        v.set(f"{key}.value", float(last["value"]), f"{loc}, year={int(last['year'])}: value")
        v.set(f"{key}.first_year", int(first["year"]), f"{loc}: first year")
        v.set(f"{key}.first_value", float(first["value"]), f"{loc}, year={int(first['year'])}")
        v.set(f"{key}.scale_max", float(last["scale_max"]), f"{loc}: scale_max")
        v.set(f"{key}.scale_min", float(last["scale_min"]), f"{loc}: scale_min")
        v.set(
            f"{key}.n_countries_latest",
            int(year_n),
            f"{file}: countries with {src}/{ind} in the latest year",
        )
        v.set(f"{key}.n_years", int(g["year"].nunique()), f"{loc}: years with a value")
    obs = indices[
        (indices["source"] == "ibp_open_budget_survey")
        & (indices["indicator"] == "budget_transparency")
    ]
    rounds = obs.groupby("year")["iso3"].nunique().reset_index(name="n_countries")
    kz_obs = obs[obs["iso3"] == "KAZ"][["year", "value"]].rename(columns={"value": "kazakhstan"})
    v.table("obs_rounds", rounds.merge(kz_obs, on="year", how="left").sort_values("year"))
    for r in rounds.itertuples(index=False):
        v.set(
            f"obs.{int(r.year)}.n_countries",
            int(r.n_countries),
            f"{file}: countries in OBS {int(r.year)}",
        )
    for r in kz_obs.itertuples(index=False):
        v.set(
            f"obs.{int(r.year)}.kazakhstan", float(r.kazakhstan), f"{file}: KAZ OBS {int(r.year)}"
        )
    cat = catalogue.copy()
    v.table("indicator_catalogue", cat)


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
            v.set(f"groups.{col}.n", int(groups[col].astype(bool).sum()), f"{file}: sum({col})")


def add_claims(v: Values, claims: pd.DataFrame, file: str) -> None:
    """The article's reported claims: count by kind, and each claim's reported value."""
    _require(claims, ["claim_id", "section", "quote", "value", "unit", "kind"], file)
    v.set("claims.n", len(claims), f"{file}: rows")
    for kind, n in claims["kind"].value_counts().sort_index().items():
        v.set(f"claims.kind.{kind}.n", int(n), f"{file}: kind={kind}")
    for r in claims.itertuples(index=False):
        v.set(
            f"claim.{r.claim_id}.value",
            _str(r.value),
            f"{file}: claim_id={r.claim_id}, value (reported)",
        )
        v.set(f"claim.{r.claim_id}.quote", _str(r.quote), f"{file}: claim_id={r.claim_id}, quote")
        v.set(f"claim.{r.claim_id}.unit", _str(r.unit), f"{file}: claim_id={r.claim_id}, unit")
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
    v.set(f"{name}.n_rows", len(df), f"{file}: rows")
    for status in VERIFICATION_STATUSES:
        v.set(
            f"{name}.n_{status}",
            int((df["verification_status"] == status).sum()),
            f"{file}: status={status}",
        )
    v.table(name, df)


def add_manifest(v: Values, manifest: pd.DataFrame, file: str) -> None:
    v.set("manifest.n_files", len(manifest), f"{file}: rows")
    v.set("manifest.n_sources", manifest["source"].nunique(), f"{file}: distinct source")
    v.table("manifest", manifest)


PRIMARY_COLUMNS = (
    "source", "indicator", "indicator_label", "year", "group_a", "group_b", "n_a", "n_b",
    "mean_a", "mean_b", "diff", "hedges_g", "g_ci_low", "g_ci_high", "g_ci_method", "g_ci_low_ho",
    "g_ci_high_ho", "welch_p", "perm_p", "perm_method", "perm_n_resamples", "p_holm",
    "holm_reject", "family",
)  # fmt: skip


def add_group_comparisons(v: Values, df: pd.DataFrame, file: str) -> None:
    """The primary CIS-vs-Europe comparison (``is_primary``), copied value by value."""
    _require(df, [*PRIMARY_COLUMNS, "is_primary"], file)
    primary = df[df["is_primary"].astype(bool)]
    if len(primary) != 1:
        raise InputError(file, f"{len(primary)} rows have is_primary = True", column="is_primary",
                         expected="exactly one primary comparison")  # fmt: skip
    row = primary.iloc[0]
    for col in PRIMARY_COLUMNS:
        v.set(f"cmp.primary.{col}", row[col], f"{file}: is_primary row, column {col}")
    v.set("cmp.n_rows", len(df), f"{file}: rows")


def add_kazakhstan_position(v: Values, df: pd.DataFrame, file: str) -> None:
    """Kazakhstan's rank in each comparison group, latest year of each indicator (a lookup)."""
    cols = ["source", "indicator", "indicator_label", "year", "value", "group", "rank", "n",
            "percentile"]  # fmt: skip
    _require(df, cols, file)
    latest = df[df["rank"].notna()].sort_values(["source", "indicator", "group", "year"])
    latest = latest.groupby(["source", "indicator", "group"], sort=True).tail(1)
    ci = [c for c in ("rank_ci_low", "rank_ci_high") if c in latest.columns]
    v.table("kz_position_latest", latest[cols + ci].astype({c: "Int64" for c in ci})
            .reset_index(drop=True))  # fmt: skip
    for r in latest.itertuples(index=False):
        key = f"pos.{r.group}.{r.source}.{r.indicator}"
        v.set(
            f"{key}.rank",
            int(r.rank),
            f"{file}: group={r.group}, {r.source}/{r.indicator}, year={r.year}",
        )
        v.set(
            f"{key}.n",
            int(r.n),
            f"{file}: group={r.group}, {r.source}/{r.indicator}, year={r.year}",
        )
        v.set(f"{key}.year", int(r.year), f"{file}: group={r.group}, {r.source}/{r.indicator}")
        for col in ("rank_ci_low", "rank_ci_high"):
            if hasattr(r, col) and pd.notna(getattr(r, col)):
                v.set(f"{key}.{col}", int(getattr(r, col)),
                      f"{file}: group={r.group}, {r.source}/{r.indicator}, year={r.year}, {col}")  # fmt: skip


def add_compare_robustness(v: Values, df: pd.DataFrame, file: str) -> None:
    """Descriptive counts over the exploratory comparisons, copied from
    ``results/compare_robustness.csv`` (computed by kzopen.robustness, nothing counted here)."""
    _require(df, ["scope", "comparisons", "same_direction", "same_direction_bh",
                  "g_ci_excludes_0", "not_counted"], file)  # fmt: skip
    overall = df[df["scope"] == "all"]
    if len(overall) != 1:
        raise InputError(file, f"{len(overall)} rows have scope = all", column="scope",
                         expected="exactly one row for all exploratory comparisons")  # fmt: skip
    row = overall.iloc[0]
    for col in ("comparisons", "same_direction", "same_direction_bh", "g_ci_excludes_0",
                "not_counted", "n_sources", "n_indicators", "n_years", "n_pairs", "alpha"):  # fmt: skip
        v.set(f"cmp.robust.{col}", row[col], f"{file}: scope=all, column {col}")
    v.set("cmp.robust.share_same_direction", row["same_direction"] / row["comparisons"],
          f"{file}: scope=all, same_direction / comparisons")  # fmt: skip
    shown = ["comparisons", "same_direction", "same_direction_bh", "g_ci_excludes_0", "median_g",
             "not_counted"]  # fmt: skip
    v.table("cmp_robust_pairs", df[df["scope"] == "pair"][["group_a", "group_b", *shown]])
    v.table("cmp_robust_sources", df[df["scope"] == "source"][["source", *shown]])


def add_confirmatory(v: Values, df: pd.DataFrame, file: str) -> None:
    """The confirmatory family, row by row (Holm within the family, from the permutation p)."""
    conf = df[df["family"] == "confirmatory"].reset_index(drop=True)
    v.set("cmp.confirmatory.n", len(conf), f"{file}: rows with family = confirmatory")
    alpha_rows = conf["p_holm"].notna()
    for r in conf.itertuples(index=False):
        key = f"cmp.confirmatory.{r.source}.{r.indicator}"
        for col in ("year", "n_a", "n_b", "diff", "hedges_g", "perm_p", "p_holm", "holm_reject"):
            v.set(f"{key}.{col}", getattr(r, col),
                  f"{file}: family=confirmatory, {r.source}/{r.indicator}, column {col}")  # fmt: skip
    v.set(
        "cmp.confirmatory.n_tested", int(alpha_rows.sum()), f"{file}: confirmatory rows with p_holm"
    )
    cols = ["source", "indicator", "indicator_label", "year", "n_a", "n_b", "mean_a", "mean_b", "diff",
            "hedges_g", "g_ci_low", "g_ci_high", "perm_p", "p_holm"]  # fmt: skip
    v.table("cmp_confirmatory", conf[cols])


TREND_COLUMNS = (
    "first_year", "last_year", "n_years", "kz_slope", "kz_slope_se", "se_method",
    "kz_slope_ci_low", "kz_slope_ci_high", "kz_slope_p", "kz_slope_p_holm", "group_slope",
    "slope_diff", "slope_diff_se", "slope_diff_df", "slope_diff_p", "kz_slope_percentile",
    "n_members",
)  # fmt: skip


def add_trends(v: Values, df: pd.DataFrame, file: str) -> None:
    """Kazakhstan's slope and its difference from each group's, per indicator (a lookup)."""
    _require(df, ["source", "indicator", "group", *TREND_COLUMNS], file)
    for r in df.to_dict(orient="records"):
        key = f"trend.{r['group']}.{r['source']}.{r['indicator']}"
        for col in TREND_COLUMNS:
            loc = f"{file}: group={r['group']}, {r['source']}/{r['indicator']}, column {col}"
            v.set(f"{key}.{col}", r[col], loc)
    v.table("trends", df)
    if "config.compare.alpha" in v.values:  # the level the text states (config compare.alpha)
        add_trend_counts(v, df, file, float(v.values["config.compare.alpha"]))


def add_trend_counts(v: Values, df: pd.DataFrame, file: str, alpha: float) -> None:
    """How many series rose or fell with a Holm-adjusted trend p below ``alpha`` (counts)."""
    series = df.drop_duplicates(["source", "indicator"])
    fitted = series[series["kz_slope"].notna()]
    src = f"{file}: one row per source x indicator with a trend"
    v.set("trend.n_series", len(fitted), src)
    v.set("trend.n_tested", int(fitted["kz_slope_p"].notna().sum()), f"{src} and a p-value")
    for name, sign in (("rose", 1), ("fell", -1)):
        moved = np.sign(fitted["kz_slope"]) == sign
        v.set(f"trend.n_{name}", int((moved & (fitted["kz_slope_p"] < alpha)).sum()),
              f"{src}, kz_slope_p < {alpha}")  # fmt: skip
        v.set(f"trend.n_{name}_holm", int((moved & (fitted["kz_slope_p_holm"] < alpha)).sum()),
              f"{src}, kz_slope_p_holm < {alpha}")  # fmt: skip


def add_reported_group_means(v: Values, df: pd.DataFrame, file: str) -> None:
    """The article's group averages: reported claims with their label, never observations."""
    _require(df, ["group", "reported_value", "label"], file)
    for r in df.itertuples(index=False):
        v.set(f"reported.{r.group}.value", _str(r.reported_value), f"{file}: group={r.group}")
        v.set(f"reported.{r.group}.label", _str(r.label), f"{file}: group={r.group}, label")


def _slug(s: str) -> str:
    return re.sub(r"[^a-z0-9]+", "_", str(s).lower()).strip("_")


def add_portal_units(v: Values, df: pd.DataFrame, file: str) -> None:
    """Per unit: the reported percentage and its GRIM minimum n, keyed by claim id."""
    _require(df, ["outcome", "unit", "reported_pct", "grim_min_n", "claim_id"], file)
    for r in df.itertuples(index=False):
        key = f"portal.unit.{r.claim_id}"
        loc = f"{file}: claim_id={r.claim_id}"
        v.set(f"{key}.unit", r.unit, f"{loc}, unit")
        v.set(f"{key}.outcome", r.outcome, f"{loc}, outcome")
        v.set(f"{key}.reported_pct", r.reported_pct, f"{loc}, reported_pct (reported)")
        v.set(f"{key}.grim_min_n", r.grim_min_n, f"{loc}, grim_min_n")
    v.table("portal_units", df)


def add_portal_tests(v: Values, df: pd.DataFrame, file: str) -> None:
    """GRIM smallest common n, the n at which the (conditional) homogeneity test and each
    pairwise test would cross p < .05; copied row by row."""
    _require(df, ["test", "outcome", "assumed_n", "p"], file)
    from kzopen.portal.conditional import POWER_TARGET

    v.set(
        "portal.power_target",
        POWER_TARGET,
        "kzopen.portal.conditional.POWER_TARGET (n_for_power_80)",
    )
    for r in df.itertuples(index=False):
        loc = f"{file}: test={r.test}, outcome={r.outcome}"
        if r.test == "grim_smallest_common_n":
            v.set(f"portal.{r.outcome}.grim_common_n", r.assumed_n, loc)
        elif r.test == "homogeneity_chi2_min_n":
            v.set(f"portal.{r.outcome}.homogeneity_min_n", r.assumed_n, loc)
            v.set(f"portal.{r.outcome}.homogeneity_min_n_p", r.p, loc)
            _set_power(v, f"portal.{r.outcome}.homogeneity", r, loc)
        elif r.test.startswith("pairwise_z_"):
            kind, pair = r.test.split(": ", 1)
            v.set(f"portal.{r.outcome}.{_slug(pair)}.{kind}", r.assumed_n, loc)
            _set_power(v, f"portal.{r.outcome}.{_slug(pair)}.{kind}", r, loc)
        elif r.test.startswith("city_vs_oblast_z_min_n"):
            v.set(f"portal.{r.outcome}.city_vs_oblast.min_n", r.assumed_n, loc)
            _set_power(v, f"portal.{r.outcome}.city_vs_oblast", r, loc)
    v.table("portal_tests", df)


def _set_power(v: Values, key: str, row: Any, loc: str) -> None:
    """Power at the break-even n and n for 80 % power of one conditional test row."""
    for col in ("power_at_min_n", "n_for_power_80"):
        if hasattr(row, col):
            v.set(f"{key}.{col}", getattr(row, col), f"{loc}, column {col}")


def add_portal_sensitivity(v: Values, df: pd.DataFrame, file: str) -> None:
    """The range of assumed n over which the conditional sensitivity was computed."""
    _require(df, ["outcome", "assumed_n", "p"], file)
    for outcome, g in df.groupby("outcome", sort=True):
        v.set(f"portal.{outcome}.sens_n_min", g["assumed_n"].min(), f"{file}: min assumed_n")
        v.set(f"portal.{outcome}.sens_n_max", g["assumed_n"].max(), f"{file}: max assumed_n")


def add_claims_summary(v: Values, df: pd.DataFrame, file: str) -> None:
    _require(df, ["status", "n"], file)
    for r in df.itertuples(index=False):
        v.set(f"audit.status.{r.status}.n", int(r.n), f"{file}: status={r.status}")
    v.set("audit.n", int(df["n"].sum()), f"{file}: sum(n)")
    v.table("claims_summary", df)


def add_claims_audit(v: Values, df: pd.DataFrame, file: str) -> None:
    _require(df, ["claim_id", "status", "reported", "reproduced"], file)
    v.table("claims_audit", df)


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
    v.set(f"fragment.{name}", text, f"{path}: whole file")


RESULT_HANDLERS = {
    "group_comparisons": lambda v, df, f: (add_group_comparisons(v, df, f),
                                           add_confirmatory(v, df, f)),
    "compare_robustness": add_compare_robustness,
    "kazakhstan_position": add_kazakhstan_position,
    "trends": add_trends,
    "reported_group_means": add_reported_group_means,
    "portal_units": add_portal_units,
    "portal_tests": add_portal_tests,
    "portal_sensitivity": add_portal_sensitivity,
    "claims_summary": add_claims_summary,
    "claims_audit": add_claims_audit,
    "corrections": add_corrections,
}  # fmt: skip


def add_results_table(v: Values, name: str, df: pd.DataFrame) -> None:
    """Any other results table, kept whole; the template picks rows by key columns."""
    v.table(name, df)


def read_table(path: str | Path) -> pd.DataFrame:
    """Read a CSV or Parquet input, turning unreadable files into an InputError."""
    path = Path(path)
    try:
        if path.suffix == ".parquet":
            return pd.read_parquet(path)
        return pd.read_csv(path, keep_default_na=True, encoding="utf-8")
    except (OSError, UnicodeDecodeError, pd.errors.ParserError, pd.errors.EmptyDataError) as exc:
        raise InputError(path, f"cannot be read: {exc}") from None


def build_values(
    inputs: Mapping[str, str],
    extra: Mapping[str, str] | None = None,
    settings: Mapping[str, Any] | None = None,
) -> Values:
    """Build the context from the named input files (see workflow/rules/article.smk) and the
    analysis settings the text names (e.g. the significance level; ``config/config.yaml``)."""
    v = Values()
    for name, val in sorted((settings or {}).items()):
        v.set(f"config.{name}", val, f"config/config.yaml: {name}")
    catalogue = read_table(inputs["catalogue"])
    add_indices(v, read_table(inputs["indices"]), catalogue, inputs["indices"])
    add_groups(v, read_table(inputs["groups"]), inputs["groups"])
    add_claims(v, read_table(inputs["claims"]), inputs["claims"])
    for name in ("table1_legislation", "table2_website_criteria"):
        add_article_table(v, name, read_table(inputs[name]), inputs[name])
    add_manifest(
        v, pd.read_csv(inputs["manifest"], dtype=str, keep_default_na=False), inputs["manifest"]
    )
    for name, path in sorted((extra or {}).items()):
        if str(path).endswith(".md"):
            add_fragment(v, name, path)
            continue
        df = read_table(path)
        if name in RESULT_HANDLERS:
            RESULT_HANDLERS[name](v, df, path)
        else:
            add_results_table(v, name, df)
    return v
