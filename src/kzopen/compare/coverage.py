"""Coverage of the effect-size intervals at the confirmatory family's own designs.

For each comparison of the family, samples are drawn from normal populations with the observed
group sizes, standard deviations and mean difference, and each interval the text uses is
computed on every sample. Coverage is the share of samples whose interval contains the
population value: the standardised difference delta = (mu_a - mu_b) / pooled sigma for Hedges'
g (its estimand; Hedges & Olkin 1985), and mu_a - mu_b for the Welch interval of the raw
difference. The Monte-Carlo standard error of the analytic intervals' coverage p over R samples is
sqrt(p (1 - p) / R). The bootstrap interval is costly, so it gets fewer samples and fewer
resamples than the analytic ones (config ``compare.coverage``); both numbers are in the table.
Its samples are drawn and resampled in batches of ``bootstrap_batch``: scipy resamples every
sample of a batch with the same indices, so the hits of a batch's samples are dependent through
their shared indices, while the batches are independent. Each sample's interval is still an ordinary bootstrap interval
(the indices are independent of the data), so the coverage is unbiased, and its Monte-Carlo
standard error is the batch-means one: the standard deviation of the batches' coverages over
the square root of their number. A degenerate (undefined) interval counts as a miss.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd
from scipy import stats

from kzopen.compare.family import family_rows
from kzopen.compare.stats import (
    Settings,
    bootstrap_g_intervals,
    comparison_seed,
    hedges_g_and_var,
    hedges_olkin_ci,
)
from kzopen.core.errors import CONFIGURATION, ConfigError

# the config keys (compare.coverage) of the sample sizes: analytic, bootstrap, bootstrap batch
COVERAGE_SIZES = ("analytic_samples", "bootstrap_samples", "bootstrap_batch")

COVERAGE_COLUMNS = [
    "source",
    "indicator",
    "indicator_label",
    "n_a",
    "n_b",
    "sd_ratio",
    "interval",
    "target",
    "n_samples",
    "n_resamples",
    "coverage",
    "mc_se",
]


def _design(r: Any) -> tuple[int, int, float, float, float, float]:
    na, nb, sa, sb = int(r.n_a), int(r.n_b), float(r.sd_a), float(r.sd_b)
    pooled = np.sqrt(((na - 1) * sa**2 + (nb - 1) * sb**2) / (na + nb - 2))
    return na, nb, sa, sb, float(r.diff), float(r.diff) / pooled


def _analytic(na, nb, sa, sb, diff, delta, reps, rng, confidence) -> dict[str, float]:
    """Coverage of the Hedges-Olkin interval of g and of Welch's interval of the difference."""
    x = rng.normal(diff, sa, size=(reps, na))
    y = rng.normal(0.0, sb, size=(reps, nb))
    g, var_g = hedges_g_and_var(x, y, axis=1)
    lo, hi = hedges_olkin_ci(g, var_g, confidence)
    welch = stats.ttest_ind(x, y, axis=1, equal_var=False).confidence_interval(confidence)
    return {
        "hedges_olkin": float(np.mean((lo <= delta) & (delta <= hi))),
        "welch_difference": float(np.mean((welch.low <= diff) & (diff <= welch.high))),
    }


def _bootstrap(na, nb, sa, sb, diff, delta, reps, batch, settings, seed) -> tuple[float, float]:
    """Coverage of the bootstrap interval of g (the text's) on ``reps`` samples, ``batch`` at a
    time (see the module docstring), and its batch-means Monte-Carlo standard error."""
    rng = np.random.default_rng(seed)
    hits = []
    for s in seed.spawn(reps // batch):
        x, y = rng.normal(diff, sa, (batch, na)), rng.normal(0.0, sb, (batch, nb))
        lo, hi, _ = bootstrap_g_intervals(x, y, settings, s)
        hits.append(int(np.count_nonzero((lo <= delta) & (delta <= hi))))
    per_batch = np.array(hits) / batch
    return sum(hits) / reps, float(np.std(per_batch, ddof=1) / np.sqrt(len(hits)))


def interval_coverage(
    comparisons: pd.DataFrame,
    family: str,
    cfg: Mapping[str, Any],
    settings: Settings,
    random_seed: int,
    file: str,
) -> pd.DataFrame:
    """One row per comparison of ``family`` and interval (see the module docstring)."""
    rows = family_rows(comparisons, family, file)
    n_an, n_bs, batch = (int(cfg[k]) for k in COVERAGE_SIZES)
    if n_bs % batch or n_bs // batch < 2:
        raise ConfigError(
            CONFIGURATION,
            f"compare.coverage.bootstrap_samples is {n_bs} and bootstrap_batch {batch}",
            column="compare.coverage",
            expected="bootstrap_samples a multiple of bootstrap_batch, at least two batches",
        )
    boot = Settings(**{**settings.__dict__, "n_bootstrap": int(cfg["bootstrap_resamples"])})
    out = []
    for r in rows.itertuples(index=False):
        design = _design(r)
        seed = comparison_seed(random_seed, ("coverage", r.source, r.indicator))
        s_an, s_bs = seed.spawn(2)
        cov = _analytic(*design, n_an, np.random.default_rng(s_an), settings.confidence)
        cov_b, se_b = _bootstrap(*design, n_bs, batch, boot, s_bs)
        ids = {
            "source": r.source,
            "indicator": r.indicator,
            "indicator_label": r.indicator_label,
            "n_a": design[0],
            "n_b": design[1],
            "sd_ratio": max(design[2], design[3]) / min(design[2], design[3]),
        }
        for name, target, n, b, p, se in (
            ("bootstrap_g", "delta", n_bs, boot.n_bootstrap, cov_b, se_b),
            ("hedges_olkin", "delta", n_an, 0, cov["hedges_olkin"], None),
            ("welch_difference", "mean difference", n_an, 0, cov["welch_difference"], None),
        ):
            se = float(np.sqrt(p * (1 - p) / n)) if se is None else se
            out.append(
                {
                    **ids,
                    "interval": name,
                    "target": target,
                    "n_samples": n,
                    "n_resamples": b,
                    "coverage": p,
                    "mc_se": se,
                }
            )
    return pd.DataFrame(out, columns=COVERAGE_COLUMNS)


# Which function computes each column (the first step of a printed value's trail;
# tests/test_column_producers.py checks each).
COVERAGE_COLUMN_PRODUCERS: dict[str, Any] = dict.fromkeys(COVERAGE_COLUMNS, interval_coverage)
