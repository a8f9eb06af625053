"""Two-group comparisons of country index scores, and Kazakhstan's position within groups.

For one source x indicator x year x pair of groups, :func:`compare_two` returns the group
summaries and

* Welch's t-test (``scipy.stats.ttest_ind(equal_var=False)``),
* the Mann-Whitney U test (``scipy.stats.mannwhitneyu``, exact when small and tie-free),
* a permutation test of the mean difference (``scipy.stats.permutation_test``; scipy
  enumerates all partitions when there are no more of them than ``n_permutations``, and
  otherwise draws ``n_permutations`` random ones; p-values include the observed partition),
* Hedges' g (``statsmodels.stats.meta_analysis.effectsize_smd``, small-sample corrected) with a
  bootstrap confidence interval (``scipy.stats.bootstrap``, groups resampled independently),
* a Monte-Carlo measurement-error check where the source publishes standard errors: every
  country's score is redrawn from Normal(score, se) and Welch's test repeated.

Directional statistics (``diff``, ``welch_t``, ``mwu_u``, ``hedges_g`` and its interval) are
for "group_a minus group_b". Every comparison is computed in a canonical order of the two
(sorted) samples and then oriented, so swapping the groups flips every directional statistic
exactly and the result never depends on the row order of the input. Random draws come from a
seed derived from ``random_seed`` and the comparison's key, so a comparison gets the same
numbers whichever job or order computes it.
"""

from __future__ import annotations

import warnings
import zlib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
from scipy import stats
from statsmodels.stats.meta_analysis import effectsize_smd
from statsmodels.stats.multitest import multipletests

from kzopen.errors import ConfigError, InputError
from kzopen.groups import CONFIG, KAZAKHSTAN, check_group_ids

COMPARISON_COLUMNS = [
    "source", "indicator", "indicator_label", "year", "group_a", "group_b",
    "n_a", "n_b", "mean_a", "mean_b", "median_a", "median_b", "sd_a", "sd_b", "diff",
    "welch_t", "welch_df", "welch_p", "mwu_u", "mwu_p", "perm_p", "perm_method",
    "perm_n_resamples", "hedges_g", "g_ci_low", "g_ci_high", "g_ci_method",
    "g_ci_low_ho", "g_ci_high_ho", "family", "p_holm", "holm_reject", "p_bh", "p_adjusted_from",
    "mc_draws", "mc_share_same_sign", "mc_share_significant", "mc_note",
    "is_primary", "countries_a", "countries_b", "reason",
]  # fmt: skip
POSITION_COLUMNS = [
    "source", "indicator", "indicator_label", "year", "value", "std_error", "ci90_low",
    "ci90_high", "ci95_low", "ci95_high", "group", "rank", "rank_lowest", "n_tied", "n",
    "percentile", "group_mean", "group_sd", "z_in_group", "kazakhstan_in_group", "reason",
]  # fmt: skip
DIRECTIONAL = ("diff", "welch_t", "hedges_g")


@dataclass(frozen=True)
class Settings:
    """Resampling sizes and test levels for :func:`compare_two`."""

    n_permutations: int = 20000
    n_bootstrap: int = 5000
    n_monte_carlo: int = 2000
    bootstrap_method: str = "BCa"
    confidence: float = 0.95
    alpha: float = 0.05
    # Below this many countries in a group: descriptives, exact permutation and Mann-Whitney only.
    min_group_n: int = 5


def comparison_seed(random_seed: int, key: Sequence[Any]) -> np.random.SeedSequence:
    """A seed that depends only on the global seed and the comparison's identity."""
    text = "|".join(str(k) for k in key)
    return np.random.SeedSequence([int(random_seed), zlib.crc32(text.encode("utf-8"))])


def _mean_diff(x: np.ndarray, y: np.ndarray, axis: int = -1) -> np.ndarray:
    return np.mean(x, axis=axis) - np.mean(y, axis=axis)


def hedges_g_and_var(x: np.ndarray, y: np.ndarray, axis: int = -1) -> tuple[Any, Any]:
    """Hedges' g (small-sample corrected) and its large-sample variance (Hedges & Olkin 1985,
    eq. 5.15), both from ``statsmodels.stats.meta_analysis.effectsize_smd``."""
    n1, n2 = x.shape[axis], y.shape[axis]
    with np.errstate(divide="ignore", invalid="ignore"):
        return effectsize_smd(
            np.mean(x, axis=axis), np.std(x, axis=axis, ddof=1), n1,
            np.mean(y, axis=axis), np.std(y, axis=axis, ddof=1), n2,
        )  # fmt: skip


def _hedges_g(x: np.ndarray, y: np.ndarray, axis: int = -1) -> np.ndarray:
    return hedges_g_and_var(x, y, axis)[0]


def hedges_olkin_ci(g: float, var_g: float, confidence: float) -> tuple[float, float]:
    """Analytic normal-theory interval g +/- z * sqrt(var_g) (Hedges & Olkin 1985)."""
    half = stats.norm.ppf(0.5 + confidence / 2) * np.sqrt(var_g)
    return g - half, g + half


def _sorted(values: np.ndarray, se: np.ndarray | None) -> tuple[np.ndarray, np.ndarray | None]:
    if se is None:
        return np.sort(values), None
    order = np.lexsort((se, values))
    return values[order], se[order]


def _oriented(
    a: np.ndarray, b: np.ndarray, se_a: np.ndarray | None, se_b: np.ndarray | None
) -> tuple[bool, tuple]:
    """Sort each sample; put the samples in a canonical order; say whether they were swapped."""
    a, se_a = _sorted(np.asarray(a, dtype=float), se_a)
    b, se_b = _sorted(np.asarray(b, dtype=float), se_b)
    swap = (len(b), tuple(b)) < (len(a), tuple(a))
    return swap, ((b, a, se_b, se_a) if swap else (a, b, se_a, se_b))


def _descriptives(a: np.ndarray, b: np.ndarray) -> dict[str, Any]:
    out: dict[str, Any] = {"n_a": len(a), "n_b": len(b), "reason": ""}
    for name, x in (("a", a), ("b", b)):
        out[f"mean_{name}"] = np.mean(x) if len(x) else np.nan
        out[f"median_{name}"] = np.median(x) if len(x) else np.nan
        out[f"sd_{name}"] = np.std(x, ddof=1) if len(x) > 1 else np.nan
    for k in ("diff", "welch_t", "welch_df", "welch_p", "mwu_u", "mwu_p", "perm_p", "hedges_g",
              "g_ci_low", "g_ci_high", "g_ci_low_ho", "g_ci_high_ho", "mc_share_same_sign",
              "mc_share_significant"):  # fmt: skip
        out[k] = np.nan
    out.update(perm_method="", perm_n_resamples=0, g_ci_method="", mc_draws=0, mc_note="")
    return out


def _rank_tests(
    x: np.ndarray, y: np.ndarray, settings: Settings, seed: np.random.SeedSequence
) -> dict[str, Any]:
    """Mann-Whitney U and the permutation test: valid for groups of any size (canonical order)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        mwu = stats.mannwhitneyu(x, y, alternative="two-sided", method="auto")
        perm = stats.permutation_test(
            (x, y), _mean_diff, permutation_type="independent", vectorized=True,
            n_resamples=settings.n_permutations, alternative="two-sided",
            rng=np.random.default_rng(seed),
        )  # fmt: skip
    n_partitions = _n_partitions(len(x), len(y))
    exact = n_partitions <= settings.n_permutations
    return {
        "mwu_u": float(mwu.statistic), "mwu_p": float(mwu.pvalue), "perm_p": float(perm.pvalue),
        "perm_method": "exact" if exact else "randomised",
        "perm_n_resamples": int(n_partitions if exact else settings.n_permutations),
    }  # fmt: skip


def _effect_and_welch(
    x: np.ndarray, y: np.ndarray, settings: Settings, seed: np.random.SeedSequence
) -> dict[str, Any]:
    """Welch's t, Hedges' g with Hedges-Olkin and bootstrap intervals (canonical order)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        welch = stats.ttest_ind(x, y, equal_var=False)
    g, var_g = (float(v) for v in hedges_g_and_var(x, y))
    out = {"welch_t": float(welch.statistic), "welch_df": float(welch.df),
           "welch_p": float(welch.pvalue)}  # fmt: skip
    if not np.isfinite(g):
        return {**out, "reason": "both groups have zero variance: t, g undefined"}
    lo, hi, method = _bootstrap_g(x, y, settings, seed)
    ho_lo, ho_hi = hedges_olkin_ci(g, var_g, settings.confidence)
    return {**out, "g_ci_low": lo, "g_ci_high": hi, "g_ci_method": method,
            "g_ci_low_ho": ho_lo, "g_ci_high_ho": ho_hi}  # fmt: skip


def compare_two(
    a: Iterable[float],
    b: Iterable[float],
    *,
    seed: np.random.SeedSequence | int,
    settings: Settings = Settings(),
    se_a: Iterable[float] | None = None,
    se_b: Iterable[float] | None = None,
) -> dict[str, Any]:
    """All statistics for group a versus group b (see the module docstring).

    Needs at least two values in each group (NaN statistics and a ``reason`` otherwise). Below
    ``settings.min_group_n`` in a group only the descriptives, Hedges' g as a point value, the
    permutation test and Mann-Whitney are given, with a ``reason``: Welch's test and interval
    estimates are not reliable with a handful of countries. ``se_a``/``se_b`` (per-country
    standard errors, same order as the values) switch on the measurement-error sensitivity check.
    """
    a = np.asarray(list(a), dtype=float)
    b = np.asarray(list(b), dtype=float)
    if np.isnan(a).any() or np.isnan(b).any():
        raise ValueError("compare_two: values must not be NaN")
    out = _descriptives(a, b)
    short = [name for name, x in (("group_a", a), ("group_b", b)) if len(x) < 2]
    if short:
        out["reason"] = "fewer than 2 countries with data in " + " and ".join(short)
        return out

    ea = None if se_a is None else np.asarray(list(se_a), dtype=float)
    eb = None if se_b is None else np.asarray(list(se_b), dtype=float)
    swap, (x, y, ex, ey) = _oriented(a, b, ea, eb)
    s_perm, s_boot, s_mc = (
        seed.spawn(3) if isinstance(seed, np.random.SeedSequence)
        else np.random.SeedSequence(seed).spawn(3)
    )  # fmt: skip
    canon = {"diff": np.mean(x) - np.mean(y), "hedges_g": float(_hedges_g(x, y))}
    canon.update(_rank_tests(x, y, settings, s_perm))
    small = [
        name for name, x_ in (("group_a", a), ("group_b", b)) if len(x_) < settings.min_group_n
    ]
    if small:
        canon["reason"] = (
            f"fewer than {settings.min_group_n} countries in {' and '.join(small)}: descriptives, "
            "permutation and Mann-Whitney tests only"
        )
    else:
        canon.update(_effect_and_welch(x, y, settings, s_boot))
        canon.update(_monte_carlo(x, y, ex, ey, settings, s_mc))
    out.update(_orient(canon, swap, len(x) * len(y)))
    return out


def _orient(canon: dict[str, Any], swap: bool, n_pairs: int) -> dict[str, Any]:
    """Statistics computed in canonical order, turned into group_a minus group_b."""
    if not swap:
        return canon
    out = dict(canon)
    for k in ("diff", "welch_t", "hedges_g"):
        if k in out:
            out[k] = -out[k]
    if "mwu_u" in out:
        out["mwu_u"] = n_pairs - out["mwu_u"]
    for lo, hi in (("g_ci_low", "g_ci_high"), ("g_ci_low_ho", "g_ci_high_ho")):
        if lo in out:
            out[lo], out[hi] = -out[hi], -out[lo]
    return out


def _n_partitions(n1: int, n2: int) -> float:
    from math import comb

    return float(comb(n1 + n2, n1))


def _bootstrap_g(
    x: np.ndarray, y: np.ndarray, settings: Settings, seed: np.random.SeedSequence
) -> tuple[float, float, str]:
    """Bootstrap CI of Hedges' g; falls back to the percentile method if BCa degenerates."""
    methods = [settings.bootstrap_method]
    if settings.bootstrap_method != "percentile":
        methods.append("percentile")
    for method in methods:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            res = stats.bootstrap(
                (x, y), _hedges_g, n_resamples=settings.n_bootstrap, vectorized=True,
                paired=False, confidence_level=settings.confidence, method=method,
                rng=np.random.default_rng(seed),
            )  # fmt: skip
        lo, hi = float(res.confidence_interval.low), float(res.confidence_interval.high)
        if np.isfinite(lo) and np.isfinite(hi):
            return lo, hi, method
    return np.nan, np.nan, "undefined (degenerate bootstrap distribution)"


def _monte_carlo(
    x: np.ndarray,
    y: np.ndarray,
    ex: np.ndarray | None,
    ey: np.ndarray | None,
    settings: Settings,
    seed: np.random.SeedSequence,
) -> dict[str, Any]:
    """Redraw every score from Normal(score, se) and repeat Welch's test."""
    if ex is None or ey is None or settings.n_monte_carlo == 0:
        return {"mc_note": "source publishes no standard errors"}
    if np.isnan(ex).any() or np.isnan(ey).any():
        return {"mc_note": "standard error missing for some countries"}
    rng = np.random.default_rng(seed)
    r = settings.n_monte_carlo
    xd = x + ex * rng.standard_normal((r, len(x)))
    yd = y + ey * rng.standard_normal((r, len(y)))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        res = stats.ttest_ind(xd, yd, axis=1, equal_var=False)
    obs = np.sign(np.mean(x) - np.mean(y))
    same = np.sign(xd.mean(axis=1) - yd.mean(axis=1)) == obs
    return {
        "mc_draws": r,
        "mc_share_same_sign": float(same.mean()),
        "mc_share_significant": float((same & (res.pvalue < settings.alpha)).mean()),
        "mc_note": f"scores redrawn from Normal(score, published se); Welch p < {settings.alpha}",
    }


# --------------------------------------------------------------------------- selection


@dataclass(frozen=True)
class Primary:
    source: str
    indicator: str
    year: int
    group_a: str
    group_b: str


def catalogue(indices: pd.DataFrame) -> pd.DataFrame:
    """source, indicator, indicator_label and the sorted years with data."""
    return (
        indices.groupby(["source", "indicator"], sort=True)
        .agg(indicator_label=("indicator_label", "first"), years=("year", lambda s: sorted(set(s))))
        .reset_index()
    )


def resolve_indicators(
    indices: pd.DataFrame, requested: str | Sequence[str]
) -> list[tuple[str, str]]:
    """``"all"`` or a list of ``source/indicator`` (or bare ``source``) -> (source, indicator)."""
    cat = catalogue(indices)
    available = [f"{s}/{i}" for s, i in zip(cat["source"], cat["indicator"], strict=True)]
    if requested == "all":
        return [tuple(x.split("/")) for x in available]
    out: list[tuple[str, str]] = []
    for item in requested:
        if "/" in item:
            if item not in available:
                raise ConfigError(
                    CONFIG, f"unknown index {item!r}", column="compare.indicators",
                    expected=f"'all' or some of {available}",
                )  # fmt: skip
            out.append(tuple(item.split("/")))
        else:
            hits = [tuple(x.split("/")) for x in available if x.split("/")[0] == item]
            if not hits:
                raise ConfigError(
                    CONFIG, f"unknown index {item!r}", column="compare.indicators",
                    expected=f"'all', a source in {sorted(set(cat['source']))} or one of {available}",
                )  # fmt: skip
            out += hits
    return sorted(set(out))


def build_tasks(
    indices: pd.DataFrame,
    compare_cfg: Mapping[str, Any],
    definitions: Mapping[str, Any],
) -> pd.DataFrame:
    """Every comparison the config asks for: source, indicator, year, group_a, group_b, reason."""
    pairs = [tuple(p) for p in compare_cfg["pairs"]]
    for i, p in enumerate(pairs):
        if len(p) != 2 or p[0] == p[1]:
            raise ConfigError(CONFIG, f"pair {list(p)} is not two different groups",
                              column=f"compare.pairs[{i}]")  # fmt: skip
        check_group_ids(p, definitions, f"compare.pairs[{i}]")
    cat = catalogue(indices).set_index(["source", "indicator"])
    years_cfg = compare_cfg["years"]
    rows = []
    for source, indicator in resolve_indicators(indices, compare_cfg["indicators"]):
        have = cat.loc[(source, indicator), "years"]
        if years_cfg == "all":
            years = have
        elif years_cfg == "latest":
            years = [max(have)]
        else:
            years = sorted({int(y) for y in years_cfg})
        for year in years:
            reason = "" if year in have else f"no data for {year} (years with data: {have})"
            rows += [(source, indicator, year, a, b, reason) for a, b in pairs]
    primary = primary_from_config(indices, compare_cfg, definitions)
    have_keys = {r[:5] for r in rows}
    must = [(primary.source, primary.indicator, primary.year, primary.group_a, primary.group_b)]
    must += confirmatory_keys(indices, compare_cfg, definitions)
    for key in dict.fromkeys(must):
        if key not in have_keys:
            rows.append((*key, ""))
    cols = ["source", "indicator", "year", "group_a", "group_b", "reason"]
    return (
        pd.DataFrame(rows, columns=cols).sort_values(cols[:5], kind="stable").reset_index(drop=True)
    )


def primary_from_config(
    indices: pd.DataFrame, compare_cfg: Mapping[str, Any], definitions: Mapping[str, Any]
) -> Primary:
    p = compare_cfg["primary"]
    resolve_indicators(indices, [f"{p['source']}/{p['indicator']}"])
    check_group_ids([p["group_a"], p["group_b"]], definitions, "compare.primary")
    have = (
        catalogue(indices)
        .set_index(["source", "indicator"])
        .loc[(p["source"], p["indicator"]), "years"]
    )
    if int(p["year"]) not in have:
        raise ConfigError(
            CONFIG, f"{p['source']}/{p['indicator']} has no data for {p['year']}",
            column="compare.primary.year", expected=f"one of {have}",
        )  # fmt: skip
    return Primary(p["source"], p["indicator"], int(p["year"]), p["group_a"], p["group_b"])


# --------------------------------------------------------------------------- running


def run_comparisons(
    indices: pd.DataFrame,
    membership: pd.DataFrame,
    tasks: pd.DataFrame,
    *,
    random_seed: int,
    settings: Settings = Settings(),
) -> pd.DataFrame:
    """Compute every task; a task that cannot be computed keeps a row with its ``reason``."""
    idx = indices.set_index(["source", "indicator", "year"]).sort_index()
    mem = membership.groupby(["group", "year"])["iso3"].apply(lambda s: sorted(s)).to_dict()
    labels = indices.groupby(["source", "indicator"])["indicator_label"].first().to_dict()
    rows = []
    for t in tasks.itertuples(index=False):
        base = {
            "source": t.source, "indicator": t.indicator,
            "indicator_label": labels.get((t.source, t.indicator), ""), "year": int(t.year),
            "group_a": t.group_a, "group_b": t.group_b,
        }  # fmt: skip
        mem_a = mem.get((t.group_a, int(t.year)), [])
        mem_b = mem.get((t.group_b, int(t.year)), [])
        overlap = sorted(set(mem_a) & set(mem_b))
        if t.reason or overlap:
            reason = t.reason or f"groups share countries: {', '.join(overlap)}"
            stats_ = compare_two([], [], seed=0, settings=settings)
            rows.append({**base, **stats_, "reason": reason, "countries_a": "", "countries_b": ""})
            continue
        key = (t.source, t.indicator, int(t.year))
        data = idx.loc[key] if key in idx.index else indices.iloc[0:0]
        data = data.set_index("iso3")
        da = data.loc[data.index.intersection(mem_a)].sort_index()
        db = data.loc[data.index.intersection(mem_b)].sort_index()
        has_se = data["std_error"].notna().any()
        seed = comparison_seed(random_seed, (*key, *sorted([t.group_a, t.group_b])))
        res = compare_two(
            da["value"], db["value"], seed=seed, settings=settings,
            se_a=da["std_error"] if has_se else None, se_b=db["std_error"] if has_se else None,
        )  # fmt: skip
        rows.append(
            {**base, **res, "countries_a": " ".join(da.index), "countries_b": " ".join(db.index)}
        )
    out = pd.DataFrame(rows)
    for c in COMPARISON_COLUMNS:
        if c not in out.columns:
            out[c] = np.nan if c not in ("reason", "p_adjusted_from") else ""
    return out[COMPARISON_COLUMNS]


def confirmatory_keys(
    indices: pd.DataFrame, compare_cfg: Mapping[str, Any], definitions: Mapping[str, Any]
) -> list[tuple[str, str, int, str, str]]:
    """The pre-specified confirmatory family: each ``compare.confirmatory`` indicator in its
    latest year with data, for the primary pair of groups."""
    primary = primary_from_config(indices, compare_cfg, definitions)
    cat = catalogue(indices).set_index(["source", "indicator"])
    keys = []
    for i, item in enumerate(compare_cfg["confirmatory"]):
        name = f"{item['source']}/{item['indicator']}"
        if (item["source"], item["indicator"]) not in cat.index:
            raise ConfigError(
                CONFIG, f"unknown index {name!r}", column=f"compare.confirmatory[{i}]",
                expected=f"one of {[f'{s}/{x}' for s, x in cat.index]}",
            )  # fmt: skip
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
) -> pd.DataFrame:
    """Merge per-source tables, label the families, adjust ``p_column`` within each family
    (Holm in the confirmatory family, Benjamini-Hochberg in the exploratory one), flag the
    primary row. Rows with a ``reason`` (too few countries) are in no family's adjustment."""
    df = pd.concat(parts, ignore_index=True)
    df = df.sort_values(["source", "indicator", "year", "group_a", "group_b"], kind="stable")
    df = df.reset_index(drop=True)
    key = list(zip(df["source"], df["indicator"], df["year"].astype(int), df["group_a"],
                   df["group_b"], strict=True))  # fmt: skip
    conf = np.array([k in set(confirmatory) for k in key], dtype=bool)
    missing = sorted(set(confirmatory) - set(key))
    if missing:
        raise InputError("results/compare", f"confirmatory comparisons not computed: {missing}",
                         expected="every compare.confirmatory indicator in the comparison set")  # fmt: skip
    df["family"] = np.where(conf, "confirmatory", "exploratory")
    usable = (df["reason"].fillna("") == "").to_numpy() & df[p_column].notna().to_numpy()
    df["p_holm"], df["p_bh"], df["p_adjusted_from"] = np.nan, np.nan, ""
    for rows, col, method, label in ((usable & conf, "p_holm", "holm", "Holm, confirmatory"),
                                     (usable & ~conf, "p_bh", "fdr_bh", "BH, exploratory")):  # fmt: skip
        df.loc[rows, col] = _adjust(df, rows, p_column, method)
        df.loc[rows, "p_adjusted_from"] = f"{p_column} ({label} family of {int(rows.sum())})"
    # The only rows the text may call a finding: confirmatory, Holm-adjusted p below alpha.
    df["holm_reject"] = np.where(df["p_holm"].notna(), (df["p_holm"] < alpha).astype(str), "")
    df["is_primary"] = [k == (primary.source, primary.indicator, primary.year, primary.group_a,
                              primary.group_b) for k in key]  # fmt: skip
    prim = df[df["is_primary"]]
    if len(prim) != 1 or prim["reason"].iat[0]:
        why = prim["reason"].iat[0] if len(prim) else "not in the comparison set"
        raise InputError(
            "data/processed/indices.parquet",
            f"the primary comparison {primary} cannot be computed: {why}",
            expected="at least min_group_n countries with data in each primary group",
        )
    return df[COMPARISON_COLUMNS]


# --------------------------------------------------------------------------- Kazakhstan


def kazakhstan_position(
    indices: pd.DataFrame,
    membership: pd.DataFrame,
    groups: Sequence[str],
    *,
    country: str = KAZAKHSTAN,
    rank_draws: int = 0,
    random_seed: int = 0,
    confidence: float = 0.95,
) -> pd.DataFrame:
    """Kazakhstan's value (with 90/95 % intervals), rank, percentile and z within each group.

    The reference set is the group's other countries with data that year (Kazakhstan is never
    part of its own reference distribution). ``rank`` counts Kazakhstan among the group
    (1 = highest score; competition ranking: tied countries share the best rank;
    ``rank_lowest`` is the worst rank it shares, ``n_tied`` the number of others with the same
    score). ``percentile`` is ``scipy.stats.percentileofscore(others, value, kind='mean')``: the
    share of the others scoring below, ties counted half. ``z_in_group`` =
    (value - mean of others) / SD of others (ddof=1).
    """
    z90, z95 = stats.norm.ppf(0.95), stats.norm.ppf(0.975)
    mem = membership.groupby(["group", "year"])["iso3"].apply(set).to_dict()
    kz = indices[indices["iso3"] == country]
    rows = []
    for (source, indicator, year), part in indices.groupby(
        ["source", "indicator", "year"], sort=True
    ):
        k = kz[(kz["source"] == source) & (kz["indicator"] == indicator) & (kz["year"] == year)]
        if k.empty:
            continue
        value, se = float(k["value"].iat[0]), float(k["std_error"].iat[0])
        base = {
            "source": source, "indicator": indicator, "indicator_label": k["indicator_label"].iat[0],
            "year": int(year), "value": value, "std_error": se,
            "ci90_low": value - z90 * se, "ci90_high": value + z90 * se,
            "ci95_low": value - z95 * se, "ci95_high": value + z95 * se,
        }  # fmt: skip
        for gid in groups:
            members_ = mem.get((gid, int(year)), set())
            others = np.sort(part.loc[part["iso3"].isin(members_ - {country}), "value"].to_numpy())
            row = {**base, "group": gid, "kazakhstan_in_group": country in members_, "reason": ""}
            if len(others) < 2:
                row.update(
                    rank=np.nan, rank_lowest=np.nan, n_tied=np.nan, n=len(others) + 1,
                    percentile=np.nan, group_mean=np.nan, group_sd=np.nan, z_in_group=np.nan,
                    reason=f"fewer than 2 other countries with data in {gid}",
                )  # fmt: skip
            else:
                above = int((others > value).sum())
                tied = int((others == value).sum())
                mean, sd = float(np.mean(others)), float(np.std(others, ddof=1))
                row.update(
                    rank=above + 1, rank_lowest=above + tied + 1, n_tied=tied, n=len(others) + 1,
                    percentile=float(stats.percentileofscore(others, value, kind="mean")),
                    group_mean=mean, group_sd=sd, z_in_group=(value - mean) / sd if sd > 0 else np.nan,
                )  # fmt: skip
            rows.append(row)
    out = pd.DataFrame(rows, columns=POSITION_COLUMNS)
    for c in ("rank", "rank_lowest", "n_tied", "n"):
        out[c] = out[c].astype("Int64")
    out = out.sort_values(["source", "indicator", "year", "group"], kind="stable").reset_index(
        drop=True
    )
    if rank_draws > 0:  # rank_ci_low/high: kzopen.rank_uncertainty (redraws from published se)
        from kzopen.rank_uncertainty import add_rank_intervals

        out = add_rank_intervals(out, indices, membership, random_seed=random_seed,
                                 n_draws=rank_draws, confidence=confidence, country=country)  # fmt: skip
    return out


# --------------------------------------------------------------------------- reported values


def read_reported_means(path: str, claims_path: str) -> pd.DataFrame:
    """The article's reported group averages, checked against the transcribed claims table."""
    from kzopen.ingest import _read_csv, check_unique, require_columns

    rep = _read_csv(path)
    require_columns(rep, ["claim_id", "group", "article_wording", "reported_value", "label"], path)
    claims = _read_csv(claims_path)
    require_columns(claims, ["claim_id", "value"], claims_path)
    check_unique(claims, ["claim_id"], claims_path)
    cvals = dict(zip(claims["claim_id"], claims["value"], strict=True))
    for i, r in enumerate(rep.itertuples(index=False)):
        if r.claim_id not in cvals:
            raise InputError(path, f"claim_id {r.claim_id!r} not in {claims_path}", row=i + 2,
                             column="claim_id")  # fmt: skip
        try:
            same = float(cvals[r.claim_id]) == float(r.reported_value)
        except ValueError:
            same = False
        if not same:
            raise InputError(
                path, f"reported_value {r.reported_value!r} differs from the claims table "
                f"({cvals[r.claim_id]!r})", row=i + 2, column="reported_value",
            )  # fmt: skip
    return rep


def settings_from_config(compare_cfg: Mapping[str, Any]) -> Settings:
    """The resampling settings of config ``compare:``."""
    return Settings(
        n_permutations=int(compare_cfg["n_permutations"]),
        n_bootstrap=int(compare_cfg["n_bootstrap"]),
        n_monte_carlo=int(compare_cfg["n_monte_carlo"]),
        bootstrap_method=str(compare_cfg["bootstrap_method"]),
        confidence=float(compare_cfg["confidence"]),
        alpha=float(compare_cfg["alpha"]),
        min_group_n=int(compare_cfg["min_group_n"]),
    )


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
    task = pd.DataFrame([{"source": primary.source, "indicator": primary.indicator,
                          "year": primary.year, "group_a": primary.group_a,
                          "group_b": primary.group_b, "reason": ""}])  # fmt: skip
    settings = settings_from_config(compare_cfg)
    variants = [{"name": "as defined", "drop": []}, *compare_cfg["primary_sensitivity"]]
    parts = []
    for v in variants:
        kept = membership[~membership["iso3"].isin(v["drop"])]
        res = run_comparisons(indices, kept, task, random_seed=random_seed, settings=settings)
        parts.append(res.assign(variant=v["name"], dropped=" ".join(sorted(v["drop"]))))
    cols = ["variant", "dropped", "source", "indicator", "year", "group_a", "group_b", "n_a",
            "n_b", "mean_a", "mean_b", "diff", "hedges_g", "g_ci_low", "g_ci_high", "welch_p",
            "perm_p", "reason"]  # fmt: skip
    return pd.concat(parts, ignore_index=True)[cols]
