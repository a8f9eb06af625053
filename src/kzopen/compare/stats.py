"""Two-group comparisons of country index scores, and Kazakhstan's position within groups.

For one source x indicator x year x pair of groups, :func:`compare_two` returns the group
summaries and

* Welch's t-test (``scipy.stats.ttest_ind(equal_var=False)``),
* the Mann-Whitney U test (``scipy.stats.mannwhitneyu``, exact when small and tie-free),
* a permutation test of the mean difference: all partitions enumerated by
  ``scipy.stats.permutation_test`` when there are no more of them than ``n_permutations``,
  otherwise ``n_permutations`` random relabellings drawn in batches
  (:func:`randomised_permutation_p`, scipy's p-value rule; p-values include the observed
  partition),
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
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
from scipy import stats
from statsmodels.stats.meta_analysis import effectsize_smd

from kzopen.core.errors import InputError

COMPARISON_COLUMNS = [
    "source",
    "indicator",
    "indicator_label",
    "year",
    "group_a",
    "group_b",
    "n_a",
    "n_b",
    "mean_a",
    "mean_b",
    "median_a",
    "median_b",
    "sd_a",
    "sd_b",
    "diff",
    "welch_t",
    "welch_df",
    "welch_p",
    "mwu_u",
    "mwu_p",
    "perm_p",
    "perm_method",
    "perm_n_resamples",
    "hedges_g",
    "g_ci_low",
    "g_ci_high",
    "g_ci_method",
    "g_ci_low_ho",
    "g_ci_high_ho",
    "family",
    "p_holm",
    "holm_reject",
    "p_bh",
    "p_adjusted_from",
    "mc_draws",
    "mc_share_same_sign",
    "mc_share_significant",
    "mc_note",
    "is_primary",
    "countries_a",
    "countries_b",
    "reason",
]
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
            np.mean(x, axis=axis),
            np.std(x, axis=axis, ddof=1),
            n1,
            np.mean(y, axis=axis),
            np.std(y, axis=axis, ddof=1),
            n2,
        )


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
    for k in (
        "diff",
        "welch_t",
        "welch_df",
        "welch_p",
        "mwu_u",
        "mwu_p",
        "perm_p",
        "hedges_g",
        "g_ci_low",
        "g_ci_high",
        "g_ci_low_ho",
        "g_ci_high_ho",
        "mc_share_same_sign",
        "mc_share_significant",
    ):
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
    n_partitions = _n_partitions(len(x), len(y))
    exact = n_partitions <= settings.n_permutations
    rng = np.random.default_rng(seed)
    if exact:  # every partition enumerated by scipy: no randomness
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)
            perm_p = stats.permutation_test(
                (x, y),
                _mean_diff,
                permutation_type="independent",
                vectorized=True,
                n_resamples=settings.n_permutations,
                alternative="two-sided",
                rng=rng,
            ).pvalue
    else:
        perm_p = randomised_permutation_p(x, y, settings.n_permutations, rng)
    return {
        "mwu_u": float(mwu.statistic),
        "mwu_p": float(mwu.pvalue),
        "perm_p": float(perm_p),
        "perm_method": "exact" if exact else "randomised",
        "perm_n_resamples": int(n_partitions if exact else settings.n_permutations),
    }


PERMUTATION_BATCH = 5_000  # permutations drawn at once (memory: batch x n values)


def randomised_permutation_p(
    x: np.ndarray, y: np.ndarray, n_resamples: int, rng: np.random.Generator
) -> float:
    """Two-sided p of the mean difference from ``n_resamples`` random relabellings.

    The same test as ``scipy.stats.permutation_test(..., permutation_type="independent")``
    when it samples (p = 2 min(P_less, P_greater), each (count + 1) / (n_resamples + 1),
    Phipson & Smyth 2010, with scipy's tolerance for ties), with the relabellings drawn in
    batches (``Generator.permuted`` shuffles every row of a batch in one call) instead of one
    ``rng.permutation`` call per relabelling, which is most of scipy's run time here. The rows
    are shuffled by the same Fisher-Yates draws, in the same order, as scipy's calls, so for
    the same generator the relabellings, and the p-value, are identical to scipy's.
    """
    pooled = np.concatenate([x, y])
    observed = np.mean(x) - np.mean(y)
    gamma = abs(np.finfo(float).eps * 100 * observed)
    less = greater = 0
    for start in range(0, n_resamples, PERMUTATION_BATCH):
        size = min(PERMUTATION_BATCH, n_resamples - start)
        shuffled = rng.permuted(np.tile(pooled, (size, 1)), axis=1)
        null = _mean_diff(shuffled[:, : len(x)], shuffled[:, len(x) :])
        less += int(np.count_nonzero(null <= observed + gamma))
        greater += int(np.count_nonzero(null >= observed - gamma))
    p_less, p_greater = (less + 1) / (n_resamples + 1), (greater + 1) / (n_resamples + 1)
    return float(min(2 * min(p_less, p_greater), 1.0))


def _effect_and_welch(
    x: np.ndarray, y: np.ndarray, settings: Settings, seed: np.random.SeedSequence
) -> dict[str, Any]:
    """Welch's t, Hedges' g with Hedges-Olkin and bootstrap intervals (canonical order)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        welch = stats.ttest_ind(x, y, equal_var=False)
    g, var_g = (float(v) for v in hedges_g_and_var(x, y))
    out = {
        "welch_t": float(welch.statistic),
        "welch_df": float(welch.df),
        "welch_p": float(welch.pvalue),
    }
    if not np.isfinite(g):
        return {**out, "reason": "both groups have zero variance: t, g undefined"}
    lo, hi, method = _bootstrap_g(x, y, settings, seed)
    ho_lo, ho_hi = hedges_olkin_ci(g, var_g, settings.confidence)
    return {
        **out,
        "g_ci_low": lo,
        "g_ci_high": hi,
        "g_ci_method": method,
        "g_ci_low_ho": ho_lo,
        "g_ci_high_ho": ho_hi,
    }


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
        seed.spawn(3)
        if isinstance(seed, np.random.SeedSequence)
        else np.random.SeedSequence(seed).spawn(3)
    )
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
                (x, y),
                _hedges_g,
                n_resamples=settings.n_bootstrap,
                vectorized=True,
                paired=False,
                confidence_level=settings.confidence,
                method=method,
                rng=np.random.default_rng(seed),
            )
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


def primary_row(comparisons: pd.DataFrame, file: str) -> pd.Series:
    """The one row of the comparison table flagged ``is_primary`` (CSV or in-memory)."""
    prim = comparisons[comparisons["is_primary"].astype(str) == "True"]
    if len(prim) != 1:
        raise InputError(
            file,
            f"{len(prim)} rows have is_primary = True",
            column="is_primary",
            expected="exactly one primary comparison",
        )
    return prim.iloc[0]
