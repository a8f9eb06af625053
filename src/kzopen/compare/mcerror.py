"""Monte-Carlo error of the printed bootstrap interval bounds.

A bootstrap interval is itself random: another seed gives other resamples and slightly other
bounds. For every comparison of the given families (those whose intervals the text prints),
the interval of Hedges' g is recomputed ``n_repeats`` times with independent seeds and the
same settings as the comparison itself (``scipy.stats.bootstrap``, same method and number of
resamples). The standard deviation of a bound over the repeats is its Monte-Carlo standard
error (the batch method; Efron & Tibshirani 1993, ch. 19), and ``stable_low``/``stable_high``
are the shares of repeats whose bound, rounded as printed, equals the comparison's printed bound.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd

from kzopen.compare.family import family_rows, scores_in_year
from kzopen.compare.stats import BootstrapSettings, Settings, _bootstrap_g, comparison_seed

MC_ERROR_COLUMNS = [
    "family",
    "source",
    "indicator",
    "indicator_label",
    "year",
    "n_a",
    "n_b",
    "n_repeats",
    "n_resamples",
    "g_ci_low",
    "g_ci_high",
    "low_mc_se",
    "high_mc_se",
    "low_repeat_mean",
    "high_repeat_mean",
    "stable_low",
    "stable_high",
]


def _repeats(
    a: np.ndarray, b: np.ndarray, settings: Settings | BootstrapSettings, seed, n: int
) -> np.ndarray:
    """The bootstrap interval of g (group a minus group b) under ``n`` independent seeds."""
    return np.array([_bootstrap_g(a, b, settings, s)[:2] for s in seed.spawn(n)])


def bootstrap_mc_error(
    comparisons: pd.DataFrame,
    indices: pd.DataFrame,
    families: Sequence[str],
    settings: Settings | BootstrapSettings,
    n_repeats: int,
    decimals: int,
    random_seed: int,
    file: str,
) -> pd.DataFrame:
    """One row per comparison of ``families`` (see the module docstring)."""
    out = []
    for family in families:
        for r in family_rows(comparisons, family, file).itertuples(index=False):
            d = scores_in_year(indices, r.source, r.indicator, r.year)
            a = d.loc[str(r.countries_a).split()].to_numpy(float)
            b = d.loc[str(r.countries_b).split()].to_numpy(float)
            seed = comparison_seed(random_seed, ("bootstrap_mc", r.source, r.indicator, r.year))
            bounds = _repeats(a, b, settings, seed, n_repeats)
            printed = np.round([r.g_ci_low, r.g_ci_high], decimals)
            stable = (np.round(bounds, decimals) == printed).mean(axis=0)
            out.append(
                {
                    "family": family,
                    "source": r.source,
                    "indicator": r.indicator,
                    "indicator_label": r.indicator_label,
                    "year": int(r.year),
                    "n_a": len(a),
                    "n_b": len(b),
                    "n_repeats": n_repeats,
                    "n_resamples": settings.n_bootstrap,
                    "g_ci_low": float(r.g_ci_low),
                    "g_ci_high": float(r.g_ci_high),
                    "low_mc_se": float(bounds[:, 0].std(ddof=1)),
                    "high_mc_se": float(bounds[:, 1].std(ddof=1)),
                    "low_repeat_mean": float(bounds[:, 0].mean()),
                    "high_repeat_mean": float(bounds[:, 1].mean()),
                    "stable_low": float(stable[0]),
                    "stable_high": float(stable[1]),
                }
            )
    return pd.DataFrame(out, columns=MC_ERROR_COLUMNS)


# Which function computes each column (the first step of a printed value's trail;
# tests/test_column_producers.py checks each).
MC_ERROR_COLUMN_PRODUCERS: dict[str, Any] = dict.fromkeys(MC_ERROR_COLUMNS, bootstrap_mc_error)
