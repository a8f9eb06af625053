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
* where the source publishes standard errors, the published errors propagated into the
  standard error of the difference of group means, countries held fixed:
  ``se_propagated`` = sqrt(sum(se_a^2) / n_a^2 + sum(se_b^2) / n_b^2), beside the sampling
  standard error of the same difference, ``se_sampling`` = sqrt(sd_a^2 / n_a + sd_b^2 / n_b)
  (Welch's), and ``me_var_share``, the mean published error variance over the pooled
  within-group variance of the scores (how much of the spread is measurement error).

Directional statistics (``diff``, ``welch_t``, ``mwu_u``, ``hedges_g`` and its interval) are
for "group_a minus group_b". Every comparison is computed in a canonical order of the two
(sorted) samples and then oriented, so swapping the groups flips every directional statistic
exactly and the result never depends on the row order of the input. Random draws come from a
seed derived from ``random_seed`` and the comparison's key, so a comparison gets the same
numbers whichever job or order computes it.

"""

from __future__ import annotations

import functools
import itertools
import warnings
import zlib
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from scipy import stats
from statsmodels.stats.meta_analysis import effectsize_smd


@dataclass(frozen=True)
class Settings:
    """Resampling sizes and test levels for :func:`compare_two`. The config keys of the same
    names (``compare:``) have their defaults in the config schema only, so these fields have
    none (``kzopen.compare.tasks.settings_from_config`` fills them)."""

    n_permutations: int
    n_bootstrap: int
    bootstrap_method: str
    confidence: float
    alpha: float
    # Below this many countries in a group: descriptives, exact permutation and Mann-Whitney only.
    min_group_n: int
    # Per-row switches, not config defaults. The studentized permutation test enumerates every
    # partition up to this many (0: the same rule as the raw-difference test, exact up to
    # n_permutations); run_comparisons sets compare.exact_max_partitions for confirmatory rows.
    exact_max_partitions: int = 0
    # Seed of the random relabellings (the config's random_seed): common to every comparison
    # with the same group sizes (see random_relabellings).
    relabel_seed: int = 0


@dataclass(frozen=True)
class BootstrapSettings:
    """What the bootstrap interval of g needs (:func:`_bootstrap_g`), for callers that run it
    alone (the Monte-Carlo error of the printed bounds); :class:`Settings` has the same fields."""

    n_bootstrap: int
    bootstrap_method: str
    confidence: float


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
    (m1, s1), (m2, s2) = _mean_sd(x, axis), _mean_sd(y, axis)
    with np.errstate(divide="ignore", invalid="ignore"):
        return effectsize_smd(m1, s1, n1, m2, s2, n2)


def _mean_sd(x: np.ndarray, axis: int) -> tuple[np.ndarray, np.ndarray]:
    """``np.mean`` and ``np.std(ddof=1)`` along ``axis``, the mean computed once and handed to
    ``np.std`` (its ``mean=`` argument): the same numbers, bit for bit, as the two calls, with
    one pass over the data fewer (the bootstrap evaluates this on every resample)."""
    mean = np.mean(x, axis=axis, keepdims=True)
    return np.squeeze(mean, axis=axis), np.std(x, axis=axis, ddof=1, mean=mean)


def welch_t_statistic(x: np.ndarray, y: np.ndarray, axis: int = -1) -> np.ndarray:
    """Welch's t, the studentized mean difference (vectorised along ``axis``). Where both
    groups are constant it is 0 when the means agree and +-inf otherwise."""
    nx, ny = x.shape[axis], y.shape[axis]
    diff = np.mean(x, axis=axis) - np.mean(y, axis=axis)
    se = np.sqrt(np.var(x, axis=axis, ddof=1) / nx + np.var(y, axis=axis, ddof=1) / ny)
    with np.errstate(divide="ignore", invalid="ignore"):
        t = diff / se
        return np.where(se > 0, t, np.where(diff == 0, 0.0, np.sign(diff) * np.inf))


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
    mean = lambda x: np.mean(x) if len(x) else np.nan  # noqa: E731
    median = lambda x: np.median(x) if len(x) else np.nan  # noqa: E731
    sd = lambda x: np.std(x, ddof=1) if len(x) > 1 else np.nan  # noqa: E731
    out: dict[str, Any] = {"n_a": len(a), "n_b": len(b), "reason": ""}
    out.update(mean_a=mean(a), median_a=median(a), sd_a=sd(a))
    out.update(mean_b=mean(b), median_b=median(b), sd_b=sd(b))
    for k in (
        "diff",
        "welch_t",
        "welch_df",
        "welch_p",
        "mwu_u",
        "mwu_p",
        "perm_p",
        "perm_p_t",
        "perm_t_mc_se",
        "cliffs_delta",
        "hedges_g",
        "g_ci_low",
        "g_ci_high",
        "g_ci_low_ho",
        "g_ci_high_ho",
        "se_sampling",
        "se_propagated",
        "me_var_share",
    ):
        out[k] = np.nan
    out.update(perm_method="", perm_n_resamples=0, perm_t_method="", perm_t_n_resamples=0)
    out.update(g_ci_method="", me_note="")
    return out


def _rank_tests(x: np.ndarray, y: np.ndarray, settings: Settings) -> dict[str, Any]:
    """Mann-Whitney U and two permutation tests (canonical order): the studentized test, with
    Welch's t as the statistic (Janssen 1997; Chung & Romano 2013), valid for equal means when
    the variances differ, which is the test of record; and the raw mean-difference test, kept
    for comparison. Each is exact (every partition) when there are few enough partitions,
    otherwise both are computed on the same ``n_permutations`` random relabellings, the common
    relabellings of the design (:func:`random_relabellings`)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        mwu = stats.mannwhitneyu(x, y, alternative="two-sided", method="auto")
    nx, ny = len(x), len(y)
    n_partitions = int(_n_partitions(nx, ny))
    exact = n_partitions <= settings.n_permutations
    exact_t = n_partitions <= max(settings.exact_max_partitions, settings.n_permutations)
    p_diff = p_t = float("nan")
    if exact or exact_t:
        p_diff, p_t = permutation_p(x, y, all_partitions(nx, ny), exact=True)
    if not (exact and exact_t):
        relabel = random_relabellings(nx, ny, settings.n_permutations, settings.relabel_seed)
        r_diff, r_t = permutation_p(x, y, (relabel,), exact=False)
        p_diff = p_diff if exact else r_diff
        p_t = p_t if exact_t else r_t
    n_t = n_partitions if exact_t else settings.n_permutations
    return {
        "mwu_u": float(mwu.statistic),
        "mwu_p": float(mwu.pvalue),
        "perm_p": p_diff,
        "perm_method": "exact" if exact else "randomised",
        "perm_n_resamples": int(n_partitions if exact else settings.n_permutations),
        "perm_p_t": p_t,
        "perm_t_method": "exact" if exact_t else "randomised",
        "perm_t_n_resamples": int(n_t),
        # Monte-Carlo standard error of a randomised p (binomial, sqrt(p(1-p)/B)); 0 if exact
        "perm_t_mc_se": 0.0 if exact_t else float(np.sqrt(p_t * (1 - p_t) / n_t)),
    }


PERMUTATION_BATCH = 50_000  # partitions enumerated at once (memory: batch x n booleans)


TIE_TOLERANCE = 1e-9  # relative: see _two_sided


def _two_sided(null: np.ndarray, observed: np.ndarray, scale: np.ndarray) -> np.ndarray:
    """Counts (statistic x [at or below, at or above]) of relabellings against the observed
    statistics. Values within ``TIE_TOLERANCE`` of the larger of the observed value and the
    statistic's ``scale`` count as ties: scores published as fractions (ninths, sixths) give
    partitions whose statistics are equal in exact arithmetic but differ by more than scipy's
    100 machine epsilons of the observed value after rounding, which then miscounts ties
    (``tests/test_compare_resampling.py`` checks an exact p against rational arithmetic)."""
    finite = np.isfinite(observed)
    gamma = np.where(finite, TIE_TOLERANCE * np.maximum(np.abs(observed), scale), 0.0)
    below = np.count_nonzero(null <= observed + gamma, axis=0)
    above = np.count_nonzero(null >= observed - gamma, axis=0)
    return np.stack([below, above], axis=1).astype(np.int64)


def _statistics(in_x: np.ndarray, pooled: np.ndarray, nx: int) -> np.ndarray:
    """Mean difference and Welch's t of every labelling at once: ``in_x`` (labellings x n,
    boolean or 0.0/1.0) marks group x. Group sums and sums of squares come from one matrix
    product; the values are shifted by their minimum first (which changes neither statistic and
    keeps integer scores exact). Returns labellings x 2 (difference, t), with :func:`welch_t_statistic`'s
    convention where both groups are constant."""
    z = pooled - pooled.min()
    ny = len(pooled) - nx
    sums = np.asarray(in_x, dtype=float) @ np.column_stack([z, z * z])
    sx, qx = sums[:, 0], sums[:, 1]
    sy, qy = z.sum() - sx, (z * z).sum() - qx
    diff = sx / nx - sy / ny
    # variances from sums of squares; rounding below 1e-12 of the pooled variance is a zero
    tol = 1e-12 * max(float(np.var(z)), np.finfo(float).tiny)
    vx = np.maximum((qx - sx * sx / nx) / (nx - 1), 0.0)
    vy = np.maximum((qy - sy * sy / ny) / (ny - 1), 0.0)
    vx[vx < tol], vy[vy < tol] = 0.0, 0.0
    se = np.sqrt(vx / nx + vy / ny)
    with np.errstate(divide="ignore", invalid="ignore"):
        t = np.where(se > 0, diff / se, np.where(diff == 0, 0.0, np.sign(diff) * np.inf))
    return np.column_stack([diff, t])


def permutation_p(
    x: np.ndarray, y: np.ndarray, labellings: Iterable[np.ndarray], *, exact: bool
) -> tuple[float, float]:
    """Two-sided permutation p-values of the mean difference and of Welch's t, (p of the
    difference, p of t), over the group-x indicator matrices ``labellings`` (each labellings x
    (nx + ny), boolean or 0.0/1.0, over ``concatenate([x, y])``).

    scipy's rule (``scipy.stats.permutation_test``): p = 2 min(P_less, P_greater), capped at 1;
    over every partition (``exact``) each P is a share of the partitions, over random
    relabellings each is (count + 1) / (B + 1), counting the observed labelling (Phipson &
    Smyth 2010). The observed statistics come from the same arithmetic as the null ones, and
    ties are counted with a tolerance (:func:`_two_sided`)."""
    pooled = np.concatenate([x, y]).astype(float)
    nx = len(x)
    observed_x = np.zeros((1, len(pooled)), dtype=bool)
    observed_x[0, :nx] = True
    observed = _statistics(observed_x, pooled, nx)[0]
    # the scale of each statistic: the scores' standard deviation (difference), 1 (t)
    scale = np.array([float(np.std(pooled)) or 1.0, 1.0])
    counts, total = np.zeros((2, 2), dtype=np.int64), 0
    for block in labellings:
        for start in range(0, len(block), PERMUTATION_BATCH):
            chunk = block[start : start + PERMUTATION_BATCH]
            counts += _two_sided(_statistics(chunk, pooled, nx), observed, scale)
            total += len(chunk)
    adjustment = 0 if exact else 1
    p = 2 * (np.minimum(counts[:, 0], counts[:, 1]) + adjustment) / (total + adjustment)
    p = np.minimum(p, 1.0)
    return float(p[0]), float(p[1])


def relabelling_matrix(nx: int, ny: int, n_resamples: int, rng: np.random.Generator) -> np.ndarray:
    """``n_resamples`` random relabellings as a group-x indicator matrix (n_resamples x (nx +
    ny), boolean). Each row is a random permutation of the pooled positions, drawn a batch at a
    time by ``Generator.permuted``, whose Fisher-Yates draws are those of scipy's one
    ``rng.permutation`` call per resample; the first nx permuted positions form group x. For the
    same generator the relabellings, and the p-values, are scipy's (tested)."""
    n = nx + ny
    out = np.zeros((n_resamples, n), dtype=bool)
    for start in range(0, n_resamples, PERMUTATION_BATCH):
        size = min(PERMUTATION_BATCH, n_resamples - start)
        order = rng.permuted(np.tile(np.arange(n), (size, 1)), axis=1)
        np.put_along_axis(out[start : start + size], order[:, :nx], True, axis=1)
    return out


def relabelling_seed(random_seed: int, nx: int, ny: int) -> np.random.SeedSequence:
    """The seed of the common relabellings of a design: the global seed and the group sizes."""
    return np.random.SeedSequence([int(random_seed), zlib.crc32(f"relabel|{nx}|{ny}".encode())])


@functools.lru_cache(maxsize=32)
def random_relabellings(nx: int, ny: int, n_resamples: int, random_seed: int) -> np.ndarray:
    """The common random relabellings of every comparison with group sizes (nx, ny) (common
    random numbers: one draw per design, from :func:`relabelling_seed`, shared by all the
    comparisons of that design, so a comparison's p-value still does not depend on which job or
    order computes it). Read-only, and as 0.0/1.0, the form :func:`_statistics` multiplies
    (kept so, the indicator matrix is not converted again for every comparison): 8 bytes a cell,
    about 10 MB for 20,000 relabellings of 60 countries, at most 32 designs kept."""
    rng = np.random.default_rng(relabelling_seed(random_seed, nx, ny))
    out = relabelling_matrix(nx, ny, n_resamples, rng).astype(float)
    out.flags.writeable = False
    return out


def all_partitions(nx: int, ny: int) -> Iterable[np.ndarray]:
    """Every partition of nx + ny positions into groups of nx and ny, as blocks of group-x
    indicator rows (``itertools.combinations`` order), for exact enumeration. Designs with at
    most ``CACHED_PARTITIONS`` partitions are enumerated once per process."""
    if _n_partitions(nx, ny) <= CACHED_PARTITIONS:
        return _cached_partitions(nx, ny)
    return _partition_blocks(nx, ny)


CACHED_PARTITIONS = 200_000


@functools.lru_cache(maxsize=64)
def _cached_partitions(nx: int, ny: int) -> tuple[np.ndarray, ...]:
    blocks = tuple(_partition_blocks(nx, ny))
    for b in blocks:
        b.flags.writeable = False
    return blocks


def _partition_blocks(nx: int, ny: int) -> Iterator[np.ndarray]:
    n = nx + ny
    combos = itertools.combinations(range(n), nx)
    while chunk := list(itertools.islice(combos, PERMUTATION_BATCH)):
        block = np.zeros((len(chunk), n), dtype=bool)
        positions = np.array(chunk, dtype=np.intp).reshape(len(chunk), nx)
        np.put_along_axis(block, positions, True, axis=1)
        yield block


def randomised_permutation_p(
    x: np.ndarray, y: np.ndarray, n_resamples: int, rng: np.random.Generator
) -> tuple[float, float]:
    """Two-sided p-values of the mean difference and of Welch's t from the same
    ``n_resamples`` random relabellings drawn from ``rng`` (:func:`relabelling_matrix`):
    (p of the difference, p of t), equal to scipy's for the same generator."""
    return permutation_p(x, y, (relabelling_matrix(len(x), len(y), n_resamples, rng),), exact=False)


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
    settings: Settings,
    se_a: Iterable[float] | None = None,
    se_b: Iterable[float] | None = None,
) -> dict[str, Any]:
    """All statistics for group a versus group b (see the module docstring).

    Needs at least two values in each group (NaN statistics and a ``reason`` otherwise). Below
    ``settings.min_group_n`` in a group only the descriptives, Hedges' g as a point value, the
    permutation test and Mann-Whitney are given, with a ``reason``: Welch's test and interval
    estimates are not reliable with a handful of countries. ``se_a``/``se_b`` (per-country
    standard errors, same order as the values) switch on the propagated measurement error.
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
    # children: (formerly the permutations, now common to the design), bootstrap, spare
    _, s_boot, _ = (
        seed.spawn(3)
        if isinstance(seed, np.random.SeedSequence)
        else np.random.SeedSequence(seed).spawn(3)
    )
    canon = {"diff": np.mean(x) - np.mean(y), "hedges_g": float(_hedges_g(x, y))}
    canon.update(_rank_tests(x, y, settings))
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
        canon.update(propagated_se(x, y, ex, ey))
    out.update(_orient(canon, swap, len(x) * len(y)))
    # Cliff's delta, P(a > b) - P(a < b), from the oriented Mann-Whitney U of group a (ties
    # count half): the effect size for ordinal scores (Cliff 1993)
    out["cliffs_delta"] = 2 * out["mwu_u"] / (len(a) * len(b)) - 1
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
    x: np.ndarray,
    y: np.ndarray,
    settings: Settings | BootstrapSettings,
    seed: np.random.SeedSequence,
) -> tuple[float, float, str]:
    """Bootstrap CI of Hedges' g for one comparison (:func:`bootstrap_g_intervals`)."""
    lo, hi, method = bootstrap_g_intervals(x, y, settings, seed)
    return float(lo), float(hi), str(method)


def bootstrap_g_intervals(
    x: np.ndarray,
    y: np.ndarray,
    settings: Settings | BootstrapSettings,
    seed: np.random.SeedSequence,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Bootstrap CIs of Hedges' g (``scipy.stats.bootstrap``, the groups resampled
    independently) along the last axis of ``x`` and ``y``: one comparison (1-D samples) or a
    batch of them (same leading shape). scipy resamples every element of a batch with the same
    indices (common random numbers). Where BCa degenerates (a non-finite bound) the element's
    interval is the percentile one, from the same resamples. Returns (low, high, method)."""
    lo = hi = method = None
    methods = [settings.bootstrap_method]
    if settings.bootstrap_method != "percentile":
        methods.append("percentile")
    for name in methods:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            res = stats.bootstrap(
                (x, y),
                _hedges_g,
                n_resamples=settings.n_bootstrap,
                vectorized=True,
                paired=False,
                axis=-1,
                confidence_level=settings.confidence,
                method=name,
                rng=np.random.default_rng(seed),
            )
        new_lo = np.asarray(res.confidence_interval.low, dtype=float)
        new_hi = np.asarray(res.confidence_interval.high, dtype=float)
        ok = np.isfinite(new_lo) & np.isfinite(new_hi)
        if lo is None:
            lo, hi, method = new_lo, new_hi, np.where(ok, name, "")
        else:
            todo = method == ""
            lo, hi = np.where(todo, new_lo, lo), np.where(todo, new_hi, hi)
            method = np.where(todo & ok, name, method)
        if (method != "").all():
            break
    failed = method == ""
    lo, hi = np.where(failed, np.nan, lo), np.where(failed, np.nan, hi)
    return lo, hi, np.where(failed, DEGENERATE_BOOTSTRAP, method).astype(object)


DEGENERATE_BOOTSTRAP = "undefined (degenerate bootstrap distribution)"


def propagated_se(
    x: np.ndarray, y: np.ndarray, ex: np.ndarray | None, ey: np.ndarray | None
) -> dict[str, Any]:
    """The published standard errors propagated into the standard error of the difference of
    group means, the countries held fixed (independent errors: the variance of a mean of n
    scores is the sum of their error variances over n^2), beside the sampling standard error
    of the same difference and the share of the within-group variance that is measurement
    error (see the module docstring)."""
    nx, ny = len(x), len(y)
    out: dict[str, Any] = {
        "se_sampling": float(np.sqrt(np.var(x, ddof=1) / nx + np.var(y, ddof=1) / ny))
    }
    if ex is None or ey is None:
        return {**out, "me_note": "source publishes no standard errors"}
    if np.isnan(ex).any() or np.isnan(ey).any():
        return {**out, "me_note": "standard error missing for some countries"}
    pooled = ((nx - 1) * np.var(x, ddof=1) + (ny - 1) * np.var(y, ddof=1)) / (nx + ny - 2)
    mean_err = (np.sum(ex**2) + np.sum(ey**2)) / (nx + ny)
    return {
        **out,
        "se_propagated": float(np.sqrt(np.sum(ex**2) / nx**2 + np.sum(ey**2) / ny**2)),
        "me_var_share": float(mean_err / pooled) if pooled > 0 else np.nan,
        "me_note": "published standard errors propagated into the difference of group means "
        "(countries fixed, independent errors)",
    }
