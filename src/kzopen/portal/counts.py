"""Tests on counts: Wilson intervals, homogeneity, pairwise z-tests, binomial GLMs."""

from __future__ import annotations

import contextlib
import gc
import itertools
import warnings
from collections.abc import Iterator, Sequence

import numpy as np
import pandas as pd
import statsmodels.api as sm
from scipy import stats
from statsmodels.stats.multitest import multipletests
from statsmodels.stats.proportion import (
    proportion_confint,
    proportions_ztest,
)
from statsmodels.tools.sm_exceptions import PerfectSeparationWarning

from kzopen.portal.settings import PortalSettings

# --------------------------------------------------------------------------- counts tests


def wilson(successes: np.ndarray | float, n: np.ndarray | float) -> tuple[np.ndarray, np.ndarray]:
    """Wilson score 95 % interval (statsmodels ``proportion_confint(method="wilson")``)."""
    lo, hi = proportion_confint(successes, n, alpha=0.05, method="wilson")
    return np.asarray(lo, dtype=float), np.asarray(hi, dtype=float)


def homogeneity(
    successes: Sequence[float], trials: Sequence[float], settings: PortalSettings, integer: bool
) -> list[dict]:
    """Pearson chi-square test of equal proportions in a k x 2 table (no continuity correction).

    When the smallest expected count is below ``settings.min_expected`` and the table holds
    whole counts, a Monte-Carlo version (scipy ``MonteCarloMethod``, seeded) is added.
    """
    s = np.asarray(successes, dtype=float)
    n = np.asarray(trials, dtype=float)
    table = np.column_stack([s, n - s])
    res = stats.chi2_contingency(table, correction=False)
    min_exp = float(res.expected_freq.min())
    rows = [
        {
            "test": "homogeneity_chi2",
            "statistic": float(res.statistic),
            "df": float(res.dof),
            "p": float(res.pvalue),
            "note": f"Pearson chi-square test of homogeneity, {len(s)} x 2 table, no continuity "
            f"correction (scipy chi2_contingency); smallest expected count {float(min_exp)!r}",
        }
    ]
    if min_exp < settings.min_expected:
        if integer:
            rng = np.random.default_rng(settings.seed)
            method = stats.MonteCarloMethod(n_resamples=settings.monte_carlo_resamples, rng=rng)
            mc = stats.chi2_contingency(np.rint(table).astype(int), correction=False, method=method)
            rows.append(
                {
                    "test": "homogeneity_chi2_monte_carlo",
                    "statistic": float(mc.statistic),
                    "df": float(mc.dof),
                    "p": float(mc.pvalue),
                    "note": f"expected count below {settings.min_expected}: Monte-Carlo p-value "
                    f"with fixed margins, {settings.monte_carlo_resamples} resamples (scipy "
                    "chi2_contingency method=MonteCarloMethod), seeded",
                }
            )
        else:
            rows[0]["note"] += (
                f"; expected count below {settings.min_expected} and counts are weighted "
                "(effective), so no exact/Monte-Carlo alternative: interpret with caution"
            )
    return rows


def pairwise(
    units: Sequence[str], successes: Sequence[float], trials: Sequence[float]
) -> pd.DataFrame:
    """All pairwise two-proportion z-tests (pooled variance) with Holm-adjusted p-values."""
    rows = []
    for (i, a), (j, b) in itertools.combinations(enumerate(units), 2):
        z, p = proportions_ztest(
            np.array([successes[i], successes[j]], dtype=float),
            np.array([trials[i], trials[j]], dtype=float),
        )
        rows.append({"comparison": f"{a} vs {b}", "statistic": float(z), "p": float(p)})
    df = pd.DataFrame(rows, columns=["comparison", "statistic", "p"])
    with _gc_frozen():
        df["p_holm"] = multipletests(df["p"], method="holm")[1] if len(df) else []
    return df


@contextlib.contextmanager
def _gc_frozen() -> Iterator[None]:
    """statsmodels' Holm branch calls ``gc.collect()`` on every call, which costs a full heap
    scan; the sensitivity search calls it thousands of times. Freezing the heap first (an O(1)
    list splice) makes that collection cheap without changing any result."""
    gc.freeze()
    try:
        yield
    finally:
        gc.unfreeze()


def _binomial_glm(successes: np.ndarray, trials: np.ndarray, exog: np.ndarray):
    endog = np.column_stack([successes, trials - successes])
    with warnings.catch_warnings():
        # the unit-factor model is saturated (fitted = observed, residual df 0): statsmodels
        # then warns about a zero-df scale and "perfect prediction", which is expected here
        warnings.simplefilter("ignore", RuntimeWarning)
        warnings.simplefilter("ignore", PerfectSeparationWarning)
        return sm.GLM(endog, exog, family=sm.families.Binomial()).fit()


def glm_units(
    units: Sequence[str], successes: np.ndarray, trials: np.ndarray
) -> tuple[dict, pd.DataFrame]:
    """Binomial GLM with one coefficient per unit (no intercept): each is the unit's log-odds.

    Returns the likelihood-ratio test against the intercept-only model and the coefficients.
    """
    k = len(units)
    full = _binomial_glm(successes, trials, np.eye(k))
    null = _binomial_glm(successes, trials, np.ones((k, 1)))
    lr = float(2 * (full.llf - null.llf))
    test = {
        "test": "glm_binomial_unit_lr",
        "statistic": lr,
        "df": float(k - 1),
        "p": float(stats.chi2.sf(lr, k - 1)),
        "note": "binomial GLM (statsmodels, logit link), unit as a factor, likelihood-ratio test "
        "against the intercept-only model",
    }
    with np.errstate(divide="ignore"):
        observed = np.log(successes / (trials - successes))
    coefs = pd.DataFrame(
        {
            "model": "glm_binomial_unit",
            "term": [f"unit[{u}]" for u in units],
            "estimate": full.params,
            "std_error": full.bse,
            "z": full.tvalues,
            "p": full.pvalues,
            "observed_log_odds": observed,
        }
    )
    return test, coefs


def glm_covariate(
    units: Sequence[str],
    successes: np.ndarray,
    trials: np.ndarray,
    covariate: np.ndarray,
    name: str,
    note: str,
) -> tuple[dict, pd.DataFrame]:
    """Binomial GLM ``logit(p) = a + b * covariate`` with its LR test (df 1)."""
    x = np.column_stack([np.ones(len(units)), covariate])
    full = _binomial_glm(successes, trials, x)
    null = _binomial_glm(successes, trials, np.ones((len(units), 1)))
    lr = float(2 * (full.llf - null.llf))
    test = {
        "test": f"glm_binomial_{name}_lr",
        "statistic": lr,
        "df": 1.0,
        "p": float(stats.chi2.sf(lr, 1)),
        "note": note,
    }
    coefs = pd.DataFrame(
        {
            "model": f"glm_binomial_{name}",
            "term": ["intercept", name],
            "estimate": full.params,
            "std_error": full.bse,
            "z": full.tvalues,
            "p": full.pvalues,
            "observed_log_odds": np.nan,
        }
    )
    return test, coefs
