"""Analyses without n: conditional tests and power as a function of an assumed n."""

from __future__ import annotations

import itertools
import math
from collections.abc import Sequence

import numpy as np
from scipy import stats
from statsmodels.stats.power import GofChisquarePower, NormalIndPower
from statsmodels.stats.proportion import (
    proportion_effectsize,
    proportions_ztest,
)

from kzopen.portal.settings import CONDITIONAL, PortalSettings

# --------------------------------------------------------------------------- conditional (no n)


def conditional_table(pcts: np.ndarray, n: float) -> tuple[np.ndarray, np.ndarray]:
    """Successes and trials if every unit had ``n`` ratings and the exact reported share."""
    return pcts / 100.0 * n, np.full(len(pcts), float(n))


def conditional_chi2(pcts: np.ndarray, n: float) -> tuple[float, int, float]:
    s, t = conditional_table(pcts, n)
    res = stats.chi2_contingency(np.column_stack([s, t - s]), correction=False)
    return float(res.statistic), int(res.dof), float(res.pvalue)


def min_n_where(pvalue_at, alpha: float, lo: int, hi: int) -> int | None:
    """Smallest integer n in [lo, hi] with pvalue_at(n) < alpha (p decreases in n)."""
    if pvalue_at(hi) >= alpha:
        return None
    if pvalue_at(lo) < alpha:
        return lo
    while hi - lo > 1:
        mid = (lo + hi) // 2
        if pvalue_at(mid) < alpha:
            hi = mid
        else:
            lo = mid
    return hi


def sensitivity_grid(settings: PortalSettings) -> np.ndarray:
    """Log-spaced whole numbers of ratings per unit, unique and sorted."""
    g = np.geomspace(
        settings.sensitivity_n_min, settings.sensitivity_n_max, settings.sensitivity_points
    )
    return np.unique(np.round(g).astype(int))


# --------------------------------------------------------------------------- power (no n)
# Power if the printed shares were the true ones (Cohen 1988): the chi-square test of k shares
# through Cohen's w and the noncentral chi-square with lambda = N w^2 (statsmodels
# GofChisquarePower, df = k - 1); a two-proportion test through Cohen's h = 2 asin sqrt(p1) -
# 2 asin sqrt(p2) and the normal approximation (statsmodels NormalIndPower).

POWER_TARGET = 0.8  # the conventional power of n_for_power_80 (Cohen 1988)


def cohen_w(pcts: np.ndarray) -> float:
    """Cohen's w of the k x 2 table of shares: sqrt(chi-square / N), the same at every n."""
    n = 100.0
    return math.sqrt(conditional_chi2(pcts, n)[0] / (len(pcts) * n))


def homogeneity_power(pcts: np.ndarray, n: float, alpha: float) -> float:
    """Power of the k-unit homogeneity test with ``n`` ratings per unit."""
    return float(GofChisquarePower().power(cohen_w(pcts), len(pcts) * n, alpha, len(pcts)))


def homogeneity_n_for_power(pcts: np.ndarray, alpha: float) -> float:
    """Ratings per unit for POWER_TARGET power of the homogeneity test (rounded up)."""
    w = cohen_w(pcts)
    if w == 0:
        return np.nan
    total = GofChisquarePower().solve_power(w, None, alpha, POWER_TARGET, len(pcts))
    return float(math.ceil(total / len(pcts)))


def two_share_power(p1: float, p2: float, n1: float, alpha: float, ratio: float = 1.0) -> float:
    """Power of a two-sided two-proportion test with ``n1`` and ``ratio * n1`` ratings."""
    h = proportion_effectsize(p1, p2)
    return float(NormalIndPower().power(h, n1, alpha, ratio=ratio)) if h != 0 else alpha


def two_share_n_for_power(p1: float, p2: float, alpha: float, ratio: float = 1.0) -> float:
    """Ratings on the first side for POWER_TARGET power (the other side has ``ratio`` times)."""
    h = proportion_effectsize(p1, p2)
    if h == 0:
        return np.nan
    return float(NormalIndPower().solve_power(h, None, alpha, POWER_TARGET, ratio=ratio))


def pair_powers(pcts: np.ndarray, n: float, alpha: float) -> list[float]:
    """Power of every pairwise test at ``n`` per unit, in :func:`pairwise` order."""
    return [
        two_share_power(pcts[i] / 100, pcts[j] / 100, n, alpha)
        for i, j in itertools.combinations(range(len(pcts)), 2)
    ]


def city_contrast_rows(
    outcome: str,
    units: Sequence[str],
    pcts: np.ndarray,
    city: np.ndarray,
    alpha: float,
    n_max: int,
) -> list[dict]:
    """Cities of republican significance pooled against oblasts (equal n per unit assumed)."""
    city = np.asarray(city, bool)
    if city.all() or not city.any():
        return []
    k_c, k_o = int(city.sum()), int((~city).sum())
    p_c, p_o = pcts[city].mean() / 100, pcts[~city].mean() / 100

    def p_at(n: float) -> float:
        return float(
            proportions_ztest(
                np.array([p_c * k_c * n, p_o * k_o * n]), np.array([k_c * n, k_o * n])
            )[1]
        )

    nmin = min_n_where(p_at, alpha, 2, n_max)
    cities = " + ".join(u for u, c in zip(units, city, strict=True) if c)
    oblasts = " + ".join(u for u, c in zip(units, city, strict=True) if not c)
    row = {
        "test": f"city_vs_oblast_z_min_n: {cities} vs {oblasts}",
        "outcome": outcome,
        "assumed_n": nmin,
        "n_for_power_80": math.ceil(two_share_n_for_power(p_c, p_o, alpha, k_o / k_c) / k_c),
        "power_alpha": alpha,
    }
    if nmin is not None:
        z = proportions_ztest(
            np.array([p_c * k_c * nmin, p_o * k_o * nmin]), np.array([k_c * nmin, k_o * nmin])
        )[0]
        row.update(statistic=float(z), p=p_at(nmin))
    row["note"] = (
        f"coarser contrast: the {k_c} cities of republican significance pooled against the "
        f"{k_o} oblasts pooled (unweighted means of their percentages), two-proportion z-test; assumed_n is the smallest n per unit with p below {alpha}; the city flag is from "
        f"the BNS region table; chosen after seeing the ranking (the cities lead it), so "
        f"exploratory; {CONDITIONAL}"
    )
    return [row]
