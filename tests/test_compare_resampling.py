"""The batched permutation test against scipy's own (SYNTHETIC samples, fixed seeds): the same
generator gives the same relabellings, so the p-values are equal, not merely close."""

from __future__ import annotations

import math

import numpy as np
import pytest
from scipy import stats

from kzopen.compare.stats import randomised_permutation_p


def _scipy_p(x, y, n, seed):
    return stats.permutation_test(
        (x, y),
        lambda a, b, axis=-1: a.mean(axis) - b.mean(axis),
        vectorized=True,
        permutation_type="independent",
        n_resamples=n,
        rng=np.random.default_rng(seed),
    ).pvalue


@pytest.mark.parametrize(("shift", "n"), [(0.0, 20_000), (0.4, 12_345), (0.8, 7)])
def test_equals_scipy_for_the_same_generator(shift, n):
    rng = np.random.default_rng(7)
    x, y = rng.normal(shift, 1, 14), rng.normal(0, 1, 16)  # SYNTHETIC
    ours = randomised_permutation_p(x, y, n, np.random.default_rng(1))
    assert ours == _scipy_p(x, y, n, 1)


def test_a_different_generator_gives_a_close_but_different_estimate():
    rng = np.random.default_rng(7)
    x, y = rng.normal(0.4, 1, 14), rng.normal(0, 1, 16)  # SYNTHETIC
    n = 20_000
    ours, theirs = randomised_permutation_p(x, y, n, np.random.default_rng(1)), _scipy_p(x, y, n, 2)
    sd = 2 * math.sqrt(2 * theirs * (1 - theirs) / n)  # two independent estimates of one p
    assert ours != theirs and abs(ours - theirs) < 5 * sd


def test_floor_and_determinism():
    x, y = np.arange(10.0) + 100, np.arange(10.0)  # SYNTHETIC, fully separated
    p = randomised_permutation_p(x, y, 999, np.random.default_rng(3))
    assert p == pytest.approx(2 / 1000)  # no relabelling as extreme: 2 (0 + 1) / (999 + 1)
    assert p == randomised_permutation_p(x, y, 999, np.random.default_rng(3))


def test_identical_groups_give_p_one():
    x = np.array([1.0, 2.0, 3.0, 4.0, 5.0, 6.0])  # SYNTHETIC
    assert randomised_permutation_p(x, x.copy(), 5_000, np.random.default_rng(0)) == 1.0
