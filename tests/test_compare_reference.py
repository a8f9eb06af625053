"""compare_two's batched resampling against straightforward reference computations on small
SYNTHETIC samples, through the seed policy (comparison_seed, one spawned child per resampling):
exact and randomised permutation p-values, the bootstrap interval of Hedges' g, and the
measurement-error redraws."""

from __future__ import annotations

from itertools import combinations

import numpy as np
import pytest
from scipy import stats
from support import compare_settings

from kzopen.compare.stats import (
    compare_two,
    comparison_seed,
    hedges_g_and_var,
    relabelling_seed,
)

# Synthetic, sorted, tie-free, and already in compare_two's canonical order (shorter sample first),
# so the statistics need no re-orientation.
SMALL_A = [1.3, 2.9, 4.4]
SMALL_B = [3.1, 5.0, 6.2, 7.7]
MID_A = [41.0, 44.5, 47.25, 52.0, 55.5, 58.75]
MID_B = [46.0, 51.5, 57.0, 60.25, 63.5, 66.0, 70.75, 74.5]


def _seed() -> np.random.SeedSequence:
    return comparison_seed(20240101, ("synthetic", "score", 2023, "a", "b"))


def test_exact_permutation_p_equals_enumeration() -> None:
    """Few partitions: perm_p is the share of all C(7, 3) = 35 relabellings at least as extreme."""
    r = compare_two(SMALL_A, SMALL_B, seed=_seed(), settings=compare_settings(n_permutations=1000))
    pooled = np.array(SMALL_A + SMALL_B)
    observed = abs(np.mean(SMALL_A) - np.mean(SMALL_B))
    extreme = 0
    for idx in combinations(range(len(pooled)), len(SMALL_A)):
        in_a = np.zeros(len(pooled), dtype=bool)
        in_a[list(idx)] = True
        extreme += abs(pooled[in_a].mean() - pooled[~in_a].mean()) >= observed - 1e-12
    assert r["perm_method"] == "exact"
    assert r["perm_n_resamples"] == 35
    assert r["perm_p"] == pytest.approx(extreme / 35, abs=1e-15)


def test_randomised_permutation_p_equals_one_draw_at_a_time() -> None:
    """Randomised: the batched test draws the relabellings scipy's independent-samples path and a
    plain loop of Generator.permutation draw from the same seed, so the p-value is identical."""
    n = 500  # fewer than C(14, 6) = 3003 partitions: randomised
    r = compare_two(MID_A, MID_B, seed=_seed(), settings=compare_settings(n_permutations=n))
    assert r["perm_method"] == "randomised"
    # common random numbers: the relabellings come from the design's seed (global seed, sizes)
    seed_perm = relabelling_seed(compare_settings().relabel_seed, len(MID_A), len(MID_B))
    pooled = np.array(MID_A + MID_B)
    observed = np.mean(MID_A) - np.mean(MID_B)
    rng = np.random.default_rng(seed_perm)
    null = []
    for _ in range(n):
        z = pooled[rng.permutation(len(pooled))]
        null.append(z[: len(MID_A)].mean() - z[len(MID_A) :].mean())
    # scipy's two-sided p: twice the smaller one-sided p, each counting the observed relabelling
    below = (np.sum(np.array(null) <= observed + 1e-12) + 1) / (n + 1)
    above = (np.sum(np.array(null) >= observed - 1e-12) + 1) / (n + 1)
    assert r["perm_p"] == pytest.approx(min(1.0, 2 * min(below, above)), abs=1e-15)
    scipy_independent = stats.permutation_test(
        (np.array(MID_A), np.array(MID_B)),
        lambda x, y: np.mean(x) - np.mean(y),
        permutation_type="independent",
        n_resamples=n,
        rng=np.random.default_rng(seed_perm),
    )
    assert r["perm_p"] == scipy_independent.pvalue


def test_bootstrap_interval_matches_unvectorised_scipy() -> None:
    """The vectorised bootstrap interval of g equals scipy.stats.bootstrap evaluating the
    statistic one resample at a time with the same seed."""
    settings = compare_settings(n_bootstrap=400)
    r = compare_two(MID_A, MID_B, seed=_seed(), settings=settings)
    ref = stats.bootstrap(
        (np.array(MID_A), np.array(MID_B)),
        lambda x, y: float(hedges_g_and_var(x, y)[0]),
        n_resamples=settings.n_bootstrap,
        vectorized=False,
        paired=False,
        confidence_level=settings.confidence,
        method=settings.bootstrap_method,
        rng=np.random.default_rng(_seed().spawn(3)[1]),
    )
    assert r["g_ci_method"] == settings.bootstrap_method
    assert r["g_ci_low"] == pytest.approx(ref.confidence_interval.low, rel=1e-9)
    assert r["g_ci_high"] == pytest.approx(ref.confidence_interval.high, rel=1e-9)


def test_propagated_se_matches_a_loop() -> None:
    """se_propagated is the standard deviation, over simulated error draws (countries fixed),
    of the difference of group means, within Monte-Carlo error (SYNTHETIC errors)."""
    se_a = np.linspace(2.0, 6.0, len(MID_A))
    se_b = np.linspace(1.0, 5.0, len(MID_B))
    r = compare_two(
        MID_A, MID_B, seed=_seed(), settings=compare_settings(n_bootstrap=50), se_a=se_a, se_b=se_b
    )
    rng = np.random.default_rng(11)
    draws = 40_000
    xd = np.array(MID_A) + se_a * rng.standard_normal((draws, len(MID_A)))
    yd = np.array(MID_B) + se_b * rng.standard_normal((draws, len(MID_B)))
    sd = float(np.std(xd.mean(axis=1) - yd.mean(axis=1), ddof=1))
    assert r["se_propagated"] == pytest.approx(sd, rel=0.02)
