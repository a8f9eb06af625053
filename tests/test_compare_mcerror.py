"""Monte-Carlo error of the bootstrap bounds (SYNTHETIC scores)."""

from __future__ import annotations

import numpy as np
import pandas as pd
from support import compare_settings

from kzopen.compare.mcerror import bootstrap_mc_error
from kzopen.compare.stats import _bootstrap_g

A = [f"A{i}" for i in range(7)]
B = [f"B{i}" for i in range(20)]


def _data(lo: float, hi: float, family: str = "confirmatory"):
    rng = np.random.default_rng(5)
    rows = [("s", "x", 2020, c, rng.normal(0 if c in A else 1.5, 1)) for c in A + B]
    indices = pd.DataFrame(rows, columns=["source", "indicator", "year", "iso3", "value"])
    comp = pd.DataFrame(
        [
            {
                "family": family,
                "source": "s",
                "indicator": "x",
                "indicator_label": "X",
                "year": 2020,
                "g_ci_low": lo,
                "g_ci_high": hi,
                "countries_a": " ".join(A),
                "countries_b": " ".join(B),
            }
        ]
    )
    return comp, indices


def _values(indices):
    d = indices.set_index("iso3")["value"]
    return d.loc[A].to_numpy(float), d.loc[B].to_numpy(float)


def _run(comp, indices, n_bootstrap, repeats=12, decimals=2):
    s = compare_settings(n_bootstrap=n_bootstrap)
    return bootstrap_mc_error(comp, indices, ["confirmatory"], s, repeats, decimals, 7, "f")


def test_mc_error_shrinks_like_one_over_root_resamples():
    comp, indices = _data(0.0, 0.0)
    small = _run(comp, indices, 500, repeats=30)
    large = _run(comp, indices, 8000, repeats=30)
    ratio = float(small["low_mc_se"].iat[0] / large["low_mc_se"].iat[0])
    # sqrt(8000 / 500) = 4; the SD of 30 repeats is itself uncertain by about 13 %
    assert 2.5 < ratio < 6.5, ratio
    assert large["n_resamples"].iat[0] == 8000 and large["n_repeats"].iat[0] == 30


def test_repeats_centre_on_the_interval_of_one_run():
    comp, indices = _data(0.0, 0.0)
    a, b = _values(indices)
    lo, hi, _ = _bootstrap_g(a, b, compare_settings(n_bootstrap=4000), np.random.SeedSequence(1))
    out = _run(comp, indices, 4000, repeats=20)
    se = max(out["low_mc_se"].iat[0], out["high_mc_se"].iat[0])
    assert abs(out["low_repeat_mean"].iat[0] - lo) < 5 * se
    assert abs(out["high_repeat_mean"].iat[0] - hi) < 5 * se
    assert out["high_repeat_mean"].iat[0] < 0  # group A is 1.5 SD lower: interval below zero


def test_stability_compares_with_the_printed_rounding():
    comp, indices = _data(0.0, 0.0)
    first = _run(comp, indices, 2000, decimals=0)
    printed = np.round([first["low_repeat_mean"].iat[0], first["high_repeat_mean"].iat[0]])
    comp2, _ = _data(*printed)
    out = _run(comp2, indices, 2000, decimals=0)
    far, _ = _data(printed[0] + 3, printed[1] + 3)
    off = _run(far, indices, 2000, decimals=0)
    assert out["stable_low"].iat[0] > 0.5 and off["stable_low"].iat[0] == 0.0
    assert off["stable_high"].iat[0] == 0.0


def test_only_the_named_families_are_repeated():
    comp, indices = _data(0.0, 0.0, family="exploratory")
    both = pd.concat([comp, _data(0.0, 0.0)[0]])
    out = _run(both, indices, 500, repeats=3)
    assert out["family"].tolist() == ["confirmatory"]
