"""Coverage simulation of the effect-size intervals and the batched bootstrap (SYNTHETIC data)."""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest
from scipy import stats
from support import compare_settings

from kzopen.compare.coverage import interval_coverage
from kzopen.compare.stats import (
    DEGENERATE_BOOTSTRAP,
    _bootstrap_g,
    _hedges_g,
    bootstrap_g_intervals,
)
from kzopen.core.errors import ConfigError

BOOT = compare_settings(n_bootstrap=999)


def _scipy_one(x, y, method, seed, settings=BOOT):
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
    return res.confidence_interval.low, res.confidence_interval.high


def test_a_batch_is_each_sample_resampled_with_the_same_indices():
    rng = np.random.default_rng(3)
    x, y = rng.normal(0.5, 1, (6, 9)), rng.normal(0, 2, (6, 30))
    seed = np.random.SeedSequence(11)
    lo, hi, method = bootstrap_g_intervals(x, y, BOOT, seed)
    assert lo.shape == hi.shape == method.shape == (6,)
    for i in range(6):
        one_lo, one_hi = _scipy_one(x[i], y[i], BOOT.bootstrap_method, seed)
        assert lo[i] == pytest.approx(one_lo, rel=1e-12)
        assert hi[i] == pytest.approx(one_hi, rel=1e-12)
        assert method[i] == BOOT.bootstrap_method
    # one comparison: the 1-D call, unchanged
    assert _bootstrap_g(x[0], y[0], BOOT, seed)[:2] == _scipy_one(x[0], y[0], "BCa", seed)


def test_an_element_where_both_methods_fail_is_undefined_alone():
    rng = np.random.default_rng(4)
    x, y = rng.normal(0, 1, (3, 8)), rng.normal(1, 1, (3, 12))
    x[1], y[1] = 2.0, 1.0  # constant groups: g is undefined on every resample
    lo, hi, method = bootstrap_g_intervals(x, y, BOOT, np.random.SeedSequence(2))
    assert list(method) == ["BCa", DEGENERATE_BOOTSTRAP, "BCa"]
    assert np.isnan([lo[1], hi[1]]).all() and np.isfinite(lo[[0, 2]]).all()


def test_an_element_where_only_bca_fails_falls_back_to_its_percentile_interval():
    """Scores found by search (seed 869, 199 resamples): BCa gives a finite interval for the
    first comparison and none for the second, whose percentile interval is finite. In one batch
    each keeps its own method, and the fallback is scipy's percentile interval of the same
    resamples."""
    small = compare_settings(n_bootstrap=199)
    x = np.array([[2.0, 1.0, 1.0, 0.0], [1.0, 0.0, 0.0, 2.0]])
    y = np.array([[1.0, 0.0, 0.0, 0.0, 0.0, 3.0], [1.0, 1.0, 1.0, 3.0, 1.0, 1.0]])
    seed = np.random.SeedSequence(869)

    def scipy_one(i, method):
        return _scipy_one(x[i], y[i], method, seed, small)

    assert np.isfinite(scipy_one(0, "BCa")).all() and not np.isfinite(scipy_one(1, "BCa")).all()
    lo, hi, method = bootstrap_g_intervals(x, y, small, seed)
    assert list(method) == ["BCa", "percentile"]
    for i, name in enumerate(method):
        assert (lo[i], hi[i]) == pytest.approx(scipy_one(i, name), rel=1e-12)


def _family(n_a=10, n_b=30, sd_a=1.0, sd_b=1.0, diff=0.8) -> pd.DataFrame:
    row = dict(
        family="confirmatory", source="s", indicator="x", indicator_label="X", n_a=n_a, n_b=n_b
    )
    return pd.DataFrame([{**row, "sd_a": sd_a, "sd_b": sd_b, "diff": diff}])


def _coverage(**cfg) -> pd.DataFrame:
    sizes = dict(analytic_samples=4000, bootstrap_samples=200, bootstrap_resamples=499)
    table = interval_coverage(
        _family(), "confirmatory", {**sizes, "bootstrap_batch": 20, **cfg}, BOOT, 7, "f.csv"
    )
    return table.set_index("interval")


def test_coverage_is_near_nominal_and_the_bootstrap_error_is_batch_means():
    t = _coverage()
    # normal data, equal variances: Welch's and Hedges-Olkin's intervals close to nominal
    assert (
        abs(t.loc["welch_difference", "coverage"] - 0.95) < 4 * t.loc["welch_difference", "mc_se"]
    )
    assert abs(t.loc["hedges_olkin", "coverage"] - 0.95) < 0.03
    boot = t.loc["bootstrap_g"]
    assert 0.8 < boot["coverage"] <= 1.0 and boot["n_samples"] == 200
    assert boot["n_resamples"] == 499
    binomial = np.sqrt(boot["coverage"] * (1 - boot["coverage"]) / 200)
    # batch means, not the binomial formula, and on the scale of a share (not of a count)
    assert boot["mc_se"] != pytest.approx(binomial, rel=1e-9)
    assert 0.5 * binomial < boot["mc_se"] < 2 * binomial


def test_the_batch_size_changes_the_draws_not_the_estimand():
    a, b = _coverage(bootstrap_batch=10), _coverage(bootstrap_batch=50)
    # the analytic intervals do not depend on the batches
    assert a.loc["hedges_olkin", "coverage"] == b.loc["hedges_olkin", "coverage"]
    diff = abs(a.loc["bootstrap_g", "coverage"] - b.loc["bootstrap_g", "coverage"])
    assert diff < 4 * np.hypot(a.loc["bootstrap_g", "mc_se"], b.loc["bootstrap_g", "mc_se"])


@pytest.mark.parametrize("batch", [30, 200])
def test_batches_that_do_not_divide_the_samples_are_a_config_error(batch):
    with pytest.raises(ConfigError, match="bootstrap_batch"):
        _coverage(bootstrap_batch=batch)
