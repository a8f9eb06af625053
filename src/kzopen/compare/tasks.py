"""Selecting, running and adjusting the two-group comparisons of the config."""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any

import numpy as np
import pandas as pd
from statsmodels.stats.multitest import multipletests

from kzopen.compare.stats import Settings, compare_two, comparison_seed
from kzopen.compare.table import COMPARISON_COLUMNS
from kzopen.core.errors import CONFIGURATION, ConfigError, InputError
from kzopen.groups import check_group_ids

# --------------------------------------------------------------------------- selection


@dataclass(frozen=True)
class Primary:
    source: str
    indicator: str
    year: int
    group_a: str
    group_b: str


def catalogue(indices: pd.DataFrame) -> pd.DataFrame:
    """source, indicator, indicator_label and the sorted years with data. The functions below
    take it as ``cat=`` when their caller has it (it is computed once per job, not per call)."""
    return (
        indices.groupby(["source", "indicator"], sort=True)
        .agg(indicator_label=("indicator_label", "first"), years=("year", lambda s: sorted(set(s))))
        .reset_index()
    )


def resolve_indicators(
    indices: pd.DataFrame, requested: str | Sequence[str], *, cat: pd.DataFrame | None = None
) -> list[tuple[str, str]]:
    """``"all"`` or a list of ``source/indicator`` (or bare ``source``) -> (source, indicator)."""
    cat = catalogue(indices) if cat is None else cat
    available = [f"{s}/{i}" for s, i in zip(cat["source"], cat["indicator"], strict=True)]
    if requested == "all":
        return [tuple(x.split("/")) for x in available]
    out: list[tuple[str, str]] = []
    for item in requested:
        if "/" in item:
            if item not in available:
                raise ConfigError(
                    CONFIGURATION,
                    f"unknown index {item!r}",
                    column="compare.indicators",
                    expected=f"'all' or some of {available}",
                )
            out.append(tuple(item.split("/")))
        else:
            hits = [tuple(x.split("/")) for x in available if x.split("/")[0] == item]
            if not hits:
                raise ConfigError(
                    CONFIGURATION,
                    f"unknown index {item!r}",
                    column="compare.indicators",
                    expected=f"'all', a source in {sorted(set(cat['source']))} or one of {available}",
                )
            out += hits
    return sorted(set(out))


def build_tasks(
    indices: pd.DataFrame,
    compare_cfg: Mapping[str, Any],
    definitions: Mapping[str, Any],
    *,
    cat: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Every comparison the config asks for: source, indicator, year, group_a, group_b, reason."""
    cat = catalogue(indices) if cat is None else cat
    pairs = [tuple(p) for p in compare_cfg["pairs"]]
    for i, p in enumerate(pairs):
        if len(p) != 2 or p[0] == p[1]:
            raise ConfigError(
                CONFIGURATION,
                f"pair {list(p)} is not two different groups",
                column=f"compare.pairs[{i}]",
            )
        check_group_ids(p, definitions, f"compare.pairs[{i}]")
    by_index = cat.set_index(["source", "indicator"])
    years_cfg = compare_cfg["years"]
    rows = []
    for source, indicator in resolve_indicators(indices, compare_cfg["indicators"], cat=cat):
        have = by_index.loc[(source, indicator), "years"]
        first = compare_cfg["first_year"].get(source)
        have = [y for y in have if first is None or y >= first] or have[-1:]
        if years_cfg == "all":
            years = have
        elif years_cfg == "latest":
            years = [max(have)]
        else:
            years = sorted({int(y) for y in years_cfg})
        for year in years:
            reason = "" if year in have else f"no data for {year} (years with data: {have})"
            rows += [(source, indicator, year, a, b, reason) for a, b in pairs]
    primary = primary_from_config(indices, compare_cfg, definitions, cat=cat)
    have_keys = {r[:5] for r in rows}
    must = [(primary.source, primary.indicator, primary.year, primary.group_a, primary.group_b)]
    must += confirmatory_keys(indices, compare_cfg, definitions, cat=cat)
    must += confirmatory_keys(indices, compare_cfg, definitions, "confirmatory_local", cat=cat)
    for key in dict.fromkeys(must):
        if key not in have_keys:
            rows.append((*key, ""))
    cols = ["source", "indicator", "year", "group_a", "group_b", "reason"]
    return (
        pd.DataFrame(rows, columns=cols).sort_values(cols[:5], kind="stable").reset_index(drop=True)
    )


def primary_from_config(
    indices: pd.DataFrame,
    compare_cfg: Mapping[str, Any],
    definitions: Mapping[str, Any],
    *,
    cat: pd.DataFrame | None = None,
) -> Primary:
    p = compare_cfg["primary"]
    cat = catalogue(indices) if cat is None else cat
    resolve_indicators(indices, [f"{p['source']}/{p['indicator']}"], cat=cat)
    check_group_ids([p["group_a"], p["group_b"]], definitions, "compare.primary")
    have = cat.set_index(["source", "indicator"]).loc[(p["source"], p["indicator"]), "years"]
    if int(p["year"]) not in have:
        raise ConfigError(
            CONFIGURATION,
            f"{p['source']}/{p['indicator']} has no data for {p['year']}",
            column="compare.primary.year",
            expected=f"one of {have}",
        )
    return Primary(p["source"], p["indicator"], int(p["year"]), p["group_a"], p["group_b"])


# --------------------------------------------------------------------------- running


def run_comparisons(
    indices: pd.DataFrame,
    membership: pd.DataFrame,
    tasks: pd.DataFrame,
    *,
    random_seed: int,
    settings: Settings,
    exact_keys: Collection[tuple[str, str, int, str, str]] = (),
    exact_max_partitions: int = 0,
    confirmatory_n_bootstrap: int = 0,
) -> pd.DataFrame:
    """Compute every task; a task that cannot be computed keeps a row with its ``reason``.
    The tasks in ``exact_keys`` (the confirmatory families) get the studentized permutation
    test exact up to ``exact_max_partitions`` partitions (the others up to n_permutations) and
    ``confirmatory_n_bootstrap`` bootstrap resamples (0: n_bootstrap, as the others)."""
    # the random relabellings of the permutation tests: common to each design (group sizes)
    settings = replace(settings, relabel_seed=random_seed)
    exact_settings = replace(
        settings,
        exact_max_partitions=exact_max_partitions,
        n_bootstrap=confirmatory_n_bootstrap or settings.n_bootstrap,
    )
    # each index-year's scores and published errors by country, looked up once per task
    scores: dict[tuple[str, str, int], dict[str, dict[str, float]]] = {}
    columns = ("source", "indicator", "year", "iso3", "value", "std_error")
    if indices.duplicated(list(columns[:4])).any():  # ingest's combine step rejects them
        raise ValueError("run_comparisons: a country has two scores for one index and year")
    for s, i, y, iso3, value, se in zip(*(indices[c].tolist() for c in columns), strict=True):
        scores.setdefault((s, i, int(y)), {})[iso3] = {"value": value, "std_error": se}
    mem = membership.groupby(["group", "year"])["iso3"].apply(lambda s: sorted(s)).to_dict()
    labels = indices.groupby(["source", "indicator"])["indicator_label"].first().to_dict()
    rows = []
    for t in tasks.itertuples(index=False):
        base = {
            "source": t.source,
            "indicator": t.indicator,
            "indicator_label": labels.get((t.source, t.indicator), ""),
            "year": int(t.year),
            "group_a": t.group_a,
            "group_b": t.group_b,
        }
        mem_a = mem.get((t.group_a, int(t.year)), [])
        mem_b = mem.get((t.group_b, int(t.year)), [])
        overlap = sorted(set(mem_a) & set(mem_b))
        if t.reason or overlap:
            reason = t.reason or f"groups share countries: {', '.join(overlap)}"
            stats_ = compare_two([], [], seed=0, settings=settings)
            rows.append({**base, **stats_, "reason": reason, "countries_a": "", "countries_b": ""})
            continue
        key = (t.source, t.indicator, int(t.year))
        data = scores.get(key, {})
        in_a = sorted(set(mem_a) & set(data))  # the members with a score, in code order
        in_b = sorted(set(mem_b) & set(data))
        has_se = any(pd.notna(r["std_error"]) for r in data.values())
        seed = comparison_seed(random_seed, (*key, *sorted([t.group_a, t.group_b])))
        task_key = (t.source, t.indicator, int(t.year), t.group_a, t.group_b)
        res = compare_two(
            [data[c]["value"] for c in in_a],
            [data[c]["value"] for c in in_b],
            seed=seed,
            settings=exact_settings if task_key in exact_keys else settings,
            se_a=[data[c]["std_error"] for c in in_a] if has_se else None,
            se_b=[data[c]["std_error"] for c in in_b] if has_se else None,
        )
        rows.append({**base, **res, "countries_a": " ".join(in_a), "countries_b": " ".join(in_b)})
    out = pd.DataFrame(rows)
    for c in COMPARISON_COLUMNS:
        if c not in out.columns:
            out[c] = np.nan if c not in ("reason", "p_adjusted_from") else ""
    return out[COMPARISON_COLUMNS]


def confirmatory_keys(
    indices: pd.DataFrame,
    compare_cfg: Mapping[str, Any],
    definitions: Mapping[str, Any],
    family: str = "confirmatory",
    *,
    cat: pd.DataFrame | None = None,
) -> list[tuple[str, str, int, str, str]]:
    """A pre-specified confirmatory family (config ``compare.confirmatory``, or
    ``compare.confirmatory_local`` with ``family="confirmatory_local"``): each indicator in its
    latest year with data, for the primary pair of groups."""
    cat = catalogue(indices) if cat is None else cat
    primary = primary_from_config(indices, compare_cfg, definitions, cat=cat)
    cat = cat.set_index(["source", "indicator"])
    keys = []
    for i, item in enumerate(compare_cfg[family]):
        name = f"{item['source']}/{item['indicator']}"
        if (item["source"], item["indicator"]) not in cat.index:
            raise ConfigError(
                CONFIGURATION,
                f"unknown index {name!r}",
                column=f"compare.{family}[{i}]",
                expected=f"one of {[f'{s}/{x}' for s, x in cat.index]}",
            )
        year = int(max(cat.loc[(item["source"], item["indicator"]), "years"]))
        keys.append((item["source"], item["indicator"], year, primary.group_a, primary.group_b))
    return sorted(set(keys))


def _adjust(df: pd.DataFrame, rows: np.ndarray, p_column: str, method: str) -> np.ndarray:
    p = df.loc[rows, p_column].to_numpy(dtype=float)
    return multipletests(p, method=method)[1] if len(p) else p


def finalize(
    parts: Sequence[pd.DataFrame],
    primary: Primary,
    p_column: str,
    confirmatory: Sequence[tuple[str, str, int, str, str]],
    alpha: float = 0.05,
    indices_file: str = "the index table",
    confirmatory_local: Sequence[tuple[str, str, int, str, str]] = (),
) -> pd.DataFrame:
    """Merge per-source tables, label the families, adjust ``p_column`` within each family
    (Holm in a confirmatory family, Benjamini-Hochberg in an exploratory one), flag the
    primary row. Rows with a ``reason`` (too few countries) are in no family's adjustment.
    The sources of ``confirmatory_local`` (the local level, V-Dem) form families of their own:
    ``confirmatory_local`` and ``exploratory_local``, so that adding them leaves the national
    families unchanged. ``indices_file`` is named when the data cannot carry a comparison the
    config requires."""
    df = pd.concat(parts, ignore_index=True)
    df = df.sort_values(["source", "indicator", "year", "group_a", "group_b"], kind="stable")
    df = df.reset_index(drop=True)
    key = list(
        zip(
            df["source"],
            df["indicator"],
            df["year"].astype(int),
            df["group_a"],
            df["group_b"],
            strict=True,
        )
    )
    missing = sorted((set(confirmatory) | set(confirmatory_local)) - set(key))
    if missing:
        raise InputError(
            indices_file,
            f"confirmatory comparisons not computed: {missing}",
            expected="every compare.confirmatory(_local) indicator in the comparison set",
        )
    df["family"] = family_labels(key, confirmatory, confirmatory_local)
    usable = (df["reason"].fillna("") == "").to_numpy() & df[p_column].notna().to_numpy()
    df["p_holm"], df["p_bh"], df["p_adjusted_from"] = np.nan, np.nan, ""
    fam = df["family"].to_numpy()
    for name, col, method, label in (
        ("confirmatory", "p_holm", "holm", "Holm, confirmatory"),
        ("exploratory", "p_bh", "fdr_bh", "BH, exploratory"),
        ("confirmatory_local", "p_holm", "holm", "Holm, local confirmatory"),
        ("exploratory_local", "p_bh", "fdr_bh", "BH, local exploratory"),
    ):
        rows = usable & (fam == name)
        if not rows.any():
            continue
        df.loc[rows, col] = _adjust(df, rows, p_column, method)
        df.loc[rows, "p_adjusted_from"] = f"{p_column} ({label} family of {int(rows.sum())})"
    # The only rows the text may call a finding: confirmatory, Holm-adjusted p below alpha.
    df["holm_reject"] = np.where(df["p_holm"].notna(), (df["p_holm"] < alpha).astype(str), "")
    df["is_primary"] = [
        k == (primary.source, primary.indicator, primary.year, primary.group_a, primary.group_b)
        for k in key
    ]
    prim = df[df["is_primary"]]
    if len(prim) != 1 or prim["reason"].iat[0]:
        why = prim["reason"].iat[0] if len(prim) else "not in the comparison set"
        raise InputError(
            indices_file,
            f"the primary comparison {primary} cannot be computed: {why}",
            expected="at least min_group_n countries with data in each primary group",
        )
    return df[COMPARISON_COLUMNS]


def family_labels(
    keys: Sequence[tuple[str, str, int, str, str]],
    confirmatory: Sequence[tuple[str, str, int, str, str]],
    confirmatory_local: Sequence[tuple[str, str, int, str, str]] = (),
) -> list[str]:
    """The family of each comparison key: the national confirmatory family, the local one, or
    the exploratory family of its level (a source of the local family is at the local level)."""
    conf, local = set(confirmatory), set(confirmatory_local)
    local_sources = {k[0] for k in local}
    out = []
    for k in keys:
        if k in conf:
            out.append("confirmatory")
        elif k in local:
            out.append("confirmatory_local")
        else:
            out.append("exploratory_local" if k[0] in local_sources else "exploratory")
    return out


def settings_from_config(compare_cfg: Mapping[str, Any]) -> Settings:
    """The resampling settings of config ``compare:``."""
    return Settings(
        n_permutations=int(compare_cfg["n_permutations"]),
        n_bootstrap=int(compare_cfg["n_bootstrap"]),
        bootstrap_method=str(compare_cfg["bootstrap_method"]),
        confidence=float(compare_cfg["confidence"]),
        alpha=float(compare_cfg["alpha"]),
        min_group_n=int(compare_cfg["min_group_n"]),
    )


SENSITIVITY_COLUMNS = [
    "variant",
    "dropped",
    "source",
    "indicator",
    "year",
    "group_a",
    "group_b",
    "n_a",
    "n_b",
    "mean_a",
    "mean_b",
    "diff",
    "hedges_g",
    "g_ci_low",
    "g_ci_high",
    "welch_p",
    "perm_p",
    "reason",
]


def primary_sensitivity(
    indices: pd.DataFrame,
    membership: pd.DataFrame,
    compare_cfg: Mapping[str, Any],
    definitions: Mapping[str, Any],
    *,
    random_seed: int,
) -> pd.DataFrame:
    """The primary comparison as defined, then once per ``compare.primary_sensitivity`` variant
    with the listed countries left out of both groups (e.g. Kosovo, which UN M49 does not list)."""
    primary = primary_from_config(indices, compare_cfg, definitions)
    task = pd.DataFrame(
        [
            {
                "source": primary.source,
                "indicator": primary.indicator,
                "year": primary.year,
                "group_a": primary.group_a,
                "group_b": primary.group_b,
                "reason": "",
            }
        ]
    )
    # the primary comparison is in the confirmatory family: its interval gets that family's
    # bootstrap resamples
    settings = replace(
        settings_from_config(compare_cfg),
        n_bootstrap=int(compare_cfg["confirmatory_n_bootstrap"]),
    )
    variants = [{"name": "as defined", "drop": []}, *compare_cfg["primary_sensitivity"]]
    parts = []
    for v in variants:
        kept = membership[~membership["iso3"].isin(v["drop"])]
        res = run_comparisons(indices, kept, task, random_seed=random_seed, settings=settings)
        parts.append(res.assign(variant=v["name"], dropped=" ".join(sorted(v["drop"]))))
    return pd.concat(parts, ignore_index=True)[SENSITIVITY_COLUMNS]


# The function that computes each column of the comparisons table (rule compare_merge writes
# it; each printed value's trail in article.html starts here). tests/test_column_producers.py
# checks that each function, or one it calls, writes the column.
COLUMN_PRODUCERS: dict[str, Any] = {
    **dict.fromkeys(("source", "indicator", "year", "group_a", "group_b"), build_tasks),
    **dict.fromkeys(("indicator_label", "countries_a", "countries_b"), run_comparisons),
    **dict.fromkeys(
        ("family", "p_holm", "holm_reject", "p_bh", "p_adjusted_from", "is_primary"), finalize
    ),
}
COLUMN_PRODUCERS.update(
    dict.fromkeys((c for c in COMPARISON_COLUMNS if c not in COLUMN_PRODUCERS), compare_two)
)
# the primary comparison without listed countries: the same functions, per variant
SENSITIVITY_COLUMN_PRODUCERS: dict[str, Any] = {
    **{c: COLUMN_PRODUCERS[c] for c in SENSITIVITY_COLUMNS if c in COLUMN_PRODUCERS},
    **dict.fromkeys(("variant", "dropped"), primary_sensitivity),
}
