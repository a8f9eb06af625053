"""The batched permutation test against scipy's own (SYNTHETIC samples, fixed seeds): the same
generator gives the same relabellings, so the p-values are equal, not merely close."""

from __future__ import annotations

import math

import numpy as np
import pytest
from scipy import stats

from kzopen.compare.stats import randomised_permutation_p, welch_t_statistic


def _scipy_p(x, y, n, seed, statistic=None):
    return stats.permutation_test(
        (x, y),
        statistic or (lambda a, b, axis=-1: a.mean(axis) - b.mean(axis)),
        vectorized=True,
        permutation_type="independent",
        n_resamples=n,
        rng=np.random.default_rng(seed),
    ).pvalue


@pytest.mark.parametrize(("shift", "n"), [(0.0, 20_000), (0.4, 12_345), (0.8, 7)])
def test_equals_scipy_for_the_same_generator(shift, n):
    rng = np.random.default_rng(7)
    x, y = rng.normal(shift, 1, 14), rng.normal(0, 1, 16)  # SYNTHETIC
    ours, ours_t = randomised_permutation_p(x, y, n, np.random.default_rng(1))
    assert ours == _scipy_p(x, y, n, 1)
    assert ours_t == _scipy_p(x, y, n, 1, welch_t_statistic)  # studentized: same relabellings


def test_a_different_generator_gives_a_close_but_different_estimate():
    rng = np.random.default_rng(7)
    x, y = rng.normal(0.4, 1, 14), rng.normal(0, 1, 16)  # SYNTHETIC
    n = 20_000
    ours, theirs = (
        randomised_permutation_p(x, y, n, np.random.default_rng(1))[0],
        _scipy_p(x, y, n, 2),
    )
    sd = 2 * math.sqrt(2 * theirs * (1 - theirs) / n)  # two independent estimates of one p
    assert ours != theirs and abs(ours - theirs) < 5 * sd


def test_floor_and_determinism():
    x, y = np.arange(10.0) + 100, np.arange(10.0)  # SYNTHETIC, fully separated
    p = randomised_permutation_p(x, y, 999, np.random.default_rng(3))
    assert p == pytest.approx(
        (2 / 1000, 2 / 1000)
    )  # no relabelling as extreme: 2 (0 + 1) / (999 + 1)
    assert p == randomised_permutation_p(x, y, 999, np.random.default_rng(3))


def test_identical_groups_give_p_one():
    x = np.array([1.0, 2.0, 3.0, 4.0, 5.0, 6.0])  # SYNTHETIC
    assert randomised_permutation_p(x, x.copy(), 5_000, np.random.default_rng(0)) == (1.0, 1.0)


def _enumerated_p(x, y, statistic):
    """Exact two-sided p by brute-force enumeration of every partition (itertools)."""
    from itertools import combinations

    pooled = np.concatenate([x, y])
    obs = float(statistic(x, y))
    null = []
    for idx in combinations(range(len(pooled)), len(x)):
        mask = np.zeros(len(pooled), dtype=bool)
        mask[list(idx)] = True
        null.append(float(statistic(pooled[mask], pooled[~mask])))
    null = np.array(null)
    tol = abs(np.finfo(float).eps * 100 * obs)
    less, greater = np.mean(null <= obs + tol), np.mean(null >= obs - tol)
    return min(1.0, 2 * min(less, greater))


def test_studentized_exact_test_equals_brute_force_enumeration():
    """A small group with the larger variance (the case the studentized test is for)."""
    from kzopen.compare.stats import Settings, _rank_tests

    x = np.array([0.5, 3.9, -2.1, 4.4, 1.2])  # SYNTHETIC: n = 5, spread out
    y = np.array([0.1, 0.3, -0.2, 0.4, 0.0, 0.2, -0.1, 0.35, 0.05])  # SYNTHETIC: tight
    r = _rank_tests(
        x, y, Settings(n_permutations=100, exact_max_partitions=5000), np.random.SeedSequence(0)
    )
    assert r["perm_t_method"] == "exact" and r["perm_t_n_resamples"] == math.comb(14, 5)
    assert r["perm_t_mc_se"] == 0.0
    assert r["perm_p_t"] == pytest.approx(_enumerated_p(x, y, welch_t_statistic), abs=1e-12)
    # the raw-difference test stays randomised here (more partitions than n_permutations)
    assert r["perm_method"] == "randomised" and r["perm_n_resamples"] == 100


def test_welch_t_statistic_matches_scipy_and_handles_constant_groups():
    rng = np.random.default_rng(5)
    x, y = rng.normal(1, 2, 6), rng.normal(0, 1, 30)  # SYNTHETIC
    assert float(welch_t_statistic(x, y)) == pytest.approx(
        stats.ttest_ind(x, y, equal_var=False).statistic
    )
    same = np.ones(4)
    assert float(welch_t_statistic(same, same)) == 0.0
    assert float(welch_t_statistic(same + 1, same)) == np.inf


def test_cliffs_delta_by_pair_counting_and_orientation():
    from kzopen.compare.stats import compare_two

    a = [0.0, 1, 2, 2, 3, 4]  # SYNTHETIC ordinal scores with ties across groups
    b = [2.0, 3, 3, 4, 4, 4, 4]
    pairs = [(x > y) - (x < y) for x in a for y in b]
    want = sum(pairs) / len(pairs)
    r = compare_two(a, b, seed=1)
    assert r["cliffs_delta"] == pytest.approx(want)
    assert compare_two(b, a, seed=1)["cliffs_delta"] == pytest.approx(-want)
