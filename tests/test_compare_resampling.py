"""The batched permutation test against scipy's own (SYNTHETIC samples, fixed seeds): the same
generator gives the same relabellings, so the p-values are equal, not merely close."""

from __future__ import annotations

import math

import numpy as np
import pytest
from scipy import stats
from support import compare_settings

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
    from kzopen.compare.stats import _rank_tests

    x = np.array([0.5, 3.9, -2.1, 4.4, 1.2])  # SYNTHETIC: n = 5, spread out
    y = np.array([0.1, 0.3, -0.2, 0.4, 0.0, 0.2, -0.1, 0.35, 0.05])  # SYNTHETIC: tight
    r = _rank_tests(x, y, compare_settings(n_permutations=100, exact_max_partitions=5000))
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
    r = compare_two(a, b, seed=1, settings=compare_settings())
    assert r["cliffs_delta"] == pytest.approx(want)
    assert compare_two(b, a, seed=1, settings=compare_settings())["cliffs_delta"] == pytest.approx(
        -want
    )


def _scipy_exact(x, y, statistic):
    return stats.permutation_test(
        (x, y),
        statistic,
        vectorized=True,
        permutation_type="independent",
        n_resamples=np.inf,
        alternative="two-sided",
    ).pvalue


@pytest.mark.parametrize(
    ("x", "y"),
    [
        # SYNTHETIC integer scores with many ties (Freedom House-like, 0-4 items)
        ([0.0, 1, 1, 2, 2, 3], [1.0, 2, 2, 3, 3, 3, 4, 4]),
        # SYNTHETIC: a constant small group, ties across groups
        ([2.0, 2, 2], [1.0, 2, 3, 3, 4]),
        # SYNTHETIC continuous scores on a large offset (cancellation in sums of squares)
        ([1000.13, 1000.71, 1001.02, 999.94], [1000.5, 1001.4, 1002.3, 1001.9, 1000.8]),
    ],
)
def test_exact_enumeration_equals_scipy_with_ties_and_constant_groups(x, y):
    from kzopen.compare.stats import all_partitions, permutation_p

    x, y = np.array(x), np.array(y)
    p_diff, p_t = permutation_p(x, y, all_partitions(len(x), len(y)), exact=True)
    assert p_diff == pytest.approx(
        _scipy_exact(x, y, lambda a, b, axis=-1: a.mean(axis) - b.mean(axis)), abs=1e-12
    )
    assert p_t == pytest.approx(_scipy_exact(x, y, welch_t_statistic), abs=1e-12)


def test_partition_statistics_equal_the_direct_ones():
    """The statistics from sums and sums of squares equal numpy's mean and Welch's t on every
    labelling, including labellings with a constant group (t = 0 or +-inf)."""
    from kzopen.compare.stats import _statistics, all_partitions

    pooled = np.array([3.0, 3, 3, 5, 5, 7.5])  # SYNTHETIC, tied
    nx = 3
    for block in all_partitions(nx, len(pooled) - nx):
        got = _statistics(block, pooled, nx)
        for row, (d, t) in zip(block, got, strict=True):
            a, b = pooled[row], pooled[~row]
            assert d == pytest.approx(a.mean() - b.mean(), abs=1e-12)
            want = float(welch_t_statistic(a, b))
            assert t == want or t == pytest.approx(want, rel=1e-9)


def test_relabellings_are_common_to_a_design_and_seeded():
    """Common random numbers: one relabelling matrix per (global seed, nx, ny), each row with nx
    members of group x; another design or seed gives another matrix."""
    from kzopen.compare.stats import random_relabellings

    m = random_relabellings(5, 9, 1000, 20240101)
    assert m is random_relabellings(5, 9, 1000, 20240101)  # shared, not redrawn
    assert (m.sum(axis=1) == 5).all() and not m.flags.writeable
    assert not np.array_equal(m, random_relabellings(5, 9, 1000, 1))
    assert random_relabellings(6, 8, 1000, 20240101).sum(axis=1).max() == 6


def _rational_exact_p(x, y):
    """Two-sided exact p of the mean difference in exact rational arithmetic (the reference);
    ``x`` and ``y`` are Fractions."""
    from itertools import combinations

    pooled = [*x, *y]
    nx, n, total = len(x), len(pooled), sum(pooled)
    diff = lambda s: s / nx - (total - s) / (n - nx)  # noqa: E731
    observed = diff(sum(pooled[:nx]))
    null = [diff(sum(pooled[i] for i in c)) for c in combinations(range(n), nx)]
    below = sum(d <= observed for d in null)
    above = sum(d >= observed for d in null)
    return min(1.0, 2 * min(below, above) / len(null))


def test_exact_p_counts_ties_of_fractional_scores():
    """Scores in eighteenths (SYNTHETIC, like the Open Budget Survey's averages of 0-100
    items): partitions with equal means in exact arithmetic must count as ties although their
    floating-point means differ by more than 100 machine epsilons of the observed difference,
    which scipy's tolerance misses (its p is 0.9481 here against the exact 0.9491)."""
    from fractions import Fraction

    from kzopen.compare.stats import all_partitions, permutation_p

    x = [Fraction(k, 18) for k in (1102, 1475, 1230, 1568, 1698)]
    y = [Fraction(k, 18) for k in (1125, 1276, 1072, 1454, 1411, 1575, 1544, 1681, 1670)]
    want = _rational_exact_p(x, y)
    assert want == pytest.approx(1900 / 2002, abs=1e-12)  # 950 of C(14, 5) = 2002, doubled
    fx, fy = np.array([float(v) for v in x]), np.array([float(v) for v in y])
    got, _ = permutation_p(fx, fy, all_partitions(len(x), len(y)), exact=True)
    assert got == pytest.approx(want, abs=1e-12)
