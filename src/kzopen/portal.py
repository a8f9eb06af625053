"""Portal satisfaction / regional dissatisfaction: proportions, tests, models, sensitivity.

Two kinds of result, never mixed:

* **With counts** (forms a and b of :mod:`kzopen.survey`): Wilson 95 % intervals (on the Kish
  effective sample size when weighted), Pearson's chi-square test of homogeneity of a k x 2
  table (scipy ``chi2_contingency``; a Monte-Carlo test when an expected count is below the
  configured minimum), all pairwise two-proportion z-tests (statsmodels
  ``proportions_ztest``) with Holm's correction (``multipletests``), a binomial GLM with unit
  as a factor and, for regions, a GLM on a real region-level covariate (BNS population).
* **Without n** (form c, the article): GRIM-style consistency of each reported percentage
  (integer arithmetic), and *conditional* analyses as a function of an assumed common n. Rows
  of these carry ``assumed_n``; no significance is claimed for data the pipeline lacks.

Different outcomes (ministry satisfaction, regional dissatisfaction, ...) are analysed
separately and never tested against each other.
"""

from __future__ import annotations

import contextlib
import gc
import itertools
import math
import warnings
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal

import numpy as np
import pandas as pd
import statsmodels.api as sm
from scipy import stats
from statsmodels.stats.multitest import multipletests
from statsmodels.stats.power import GofChisquarePower, NormalIndPower
from statsmodels.stats.proportion import (
    proportion_confint,
    proportion_effectsize,
    proportions_ztest,
)
from statsmodels.tools.sm_exceptions import PerfectSeparationWarning

from kzopen.errors import InputError

UNITS_COLUMNS = [
    "outcome", "unit_type", "unit", "reported_pct", "decimals", "n", "successes", "ci95_low",
    "ci95_high", "grim_min_n",
    # beyond the contract: provenance and context
    "grim_min_k", "grim_n_consistent", "observed_pct", "n_effective", "design_effect",
    "region_codes", "population", "claim_id", "basis",
]  # fmt: skip
TESTS_COLUMNS = ["test", "outcome", "assumed_n", "statistic", "df", "p", "note",
                 "power_at_min_n", "n_for_power_80"]  # fmt: skip
SENSITIVITY_COLUMNS = ["outcome", "assumed_n", "statistic", "p", "power", "power_at_min_n",
                       "n_for_power_80"]  # fmt: skip
PAIRS_COLUMNS = ["outcome", "comparison", "assumed_n", "statistic", "p", "p_holm", "power"]
HALFWIDTH_COLUMNS = ["outcome", "unit", "reported_pct", "assumed_n", "ci95_low", "ci95_high",
                     "half_width"]  # fmt: skip
GRIM_COLUMNS = ["outcome", "unit", "reported_pct", "decimals", "n", "k"]
MODELS_COLUMNS = [
    "outcome",
    "model",
    "term",
    "estimate",
    "std_error",
    "z",
    "p",
    "observed_log_odds",
]

REPORTED = "reported in the article"
CONDITIONAL = (
    "CONDITIONAL: assumes every unit had assumed_n ratings and the reported percentage is exact; "
    "the article gives no n, so this is not evidence of a difference"
)


@dataclass(frozen=True)
class PortalSettings:
    """The ``portal:`` config section, typed."""

    grim_max_n: int = 2_000
    grim_rounding: str = "half_up"
    alpha: float = 0.05
    min_expected: float = 5.0
    monte_carlo_resamples: int = 9_999
    sensitivity_n_min: int = 10
    sensitivity_n_max: int = 100_000
    sensitivity_points: int = 121
    assumed_n_table: tuple[int, ...] = (50, 100, 200, 500, 1000)
    population_year: int = 2021
    region_covariates: tuple[str, ...] = ("log_population", "city")
    seed: int = 0

    @classmethod
    def from_config(cls, cfg: Mapping, seed: int) -> PortalSettings:
        keys = {f for f in cls.__dataclass_fields__ if f != "seed"}
        kw = {k: (tuple(v) if isinstance(v, list) else v) for k, v in cfg.items() if k in keys}
        return cls(**kw, seed=seed)


# --------------------------------------------------------------------------- GRIM


def _scaled(pct_text: str, decimals: int) -> int:
    """The printed percentage as an integer count of its last digit (49.3 at 1 dp -> 493)."""
    d = Decimal(str(pct_text))
    return int(d.scaleb(decimals).to_integral_exact())


def grim_k(pct_text: str, decimals: int, n: int, rounding: str = "half_up") -> int | None:
    """The smallest k in 0..n with round(100 k / n, decimals) == pct, or None.

    Exact integer arithmetic. With S = 100 * 10**decimals and P the printed value times
    10**decimals, k/n rounds to P when (2P - 1) n <= 2 S k < (2P + 1) n (``half_up``: a tie
    goes up) or, for ``half_even``, a tie goes to the even last digit.
    """
    if n <= 0:
        return None
    p = _scaled(pct_text, decimals)
    s = 100 * 10**decimals
    lo, hi = (2 * p - 1) * n, (2 * p + 1) * n  # bounds on 2 s k
    k = max(0, -(-lo // (2 * s)))  # ceil(lo / 2s)
    while k <= n and 2 * s * k <= hi:
        v = 2 * s * k
        if lo < v < hi:
            return k
        if v == lo:  # 100k/n is exactly P - 0.5: rounds up to P under half_up
            if rounding == "half_up" or (rounding == "half_even" and p % 2 == 0):
                return k
        elif v == hi:  # exactly P + 0.5: rounds to P only under half_even with P even
            if rounding == "half_even" and p % 2 == 0:
                return k
        k += 1
    return None


def grim_feasible(
    pct_text: str, decimals: int, max_n: int, rounding: str = "half_up"
) -> list[tuple[int, int]]:
    """All (n, k) with 1 <= n <= max_n for which k/n can print as ``pct_text``."""
    out = []
    for n in range(1, max_n + 1):
        k = grim_k(pct_text, decimals, n, rounding)
        if k is not None:
            out.append((n, k))
    return out


def grim_common_n(feasible_sets: Sequence[Sequence[int]]) -> int | None:
    """The smallest n feasible for every percentage of a group, or None up to the bound."""
    if not feasible_sets:
        return None
    common = set(feasible_sets[0]).intersection(*map(set, feasible_sets[1:]))
    return min(common) if common else None


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
            f"correction (scipy chi2_contingency); smallest expected count {min_exp:.3g}",
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


# --------------------------------------------------------------------------- conditional (no n)


def conditional_table(pcts: np.ndarray, n: float) -> tuple[np.ndarray, np.ndarray]:
    """Successes and trials if every unit had ``n`` ratings and the exact reported share."""
    return pcts / 100.0 * n, np.full(len(pcts), float(n))


def conditional_chi2(pcts: np.ndarray, n: float) -> tuple[float, int, float]:
    s, t = conditional_table(pcts, n)
    res = stats.chi2_contingency(np.column_stack([s, t - s]), correction=False)
    return float(res.statistic), int(res.dof), float(res.pvalue)


def _min_n(pvalue_at, alpha: float, lo: int, hi: int) -> int | None:
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
    g = np.geomspace(settings.sensitivity_n_min, settings.sensitivity_n_max,
                     settings.sensitivity_points)  # fmt: skip
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
    return [two_share_power(pcts[i] / 100, pcts[j] / 100, n, alpha)
            for i, j in itertools.combinations(range(len(pcts)), 2)]  # fmt: skip


def city_contrast_rows(
    outcome: str, units: Sequence[str], pcts: np.ndarray, city: np.ndarray, alpha: float,
    n_max: int,
) -> list[dict]:  # fmt: skip
    """Cities of republican significance pooled against oblasts (equal n per unit assumed)."""
    city = np.asarray(city, bool)
    if city.all() or not city.any():
        return []
    k_c, k_o = int(city.sum()), int((~city).sum())
    p_c, p_o = pcts[city].mean() / 100, pcts[~city].mean() / 100

    def p_at(n: float) -> float:
        return float(proportions_ztest(np.array([p_c * k_c * n, p_o * k_o * n]),
                                       np.array([k_c * n, k_o * n]))[1])  # fmt: skip

    nmin = _min_n(p_at, alpha, 2, n_max)
    cities = " + ".join(u for u, c in zip(units, city, strict=True) if c)
    oblasts = " + ".join(u for u, c in zip(units, city, strict=True) if not c)
    row = {
        "test": f"city_vs_oblast_z_min_n: {cities} vs {oblasts}",
        "outcome": outcome,
        "assumed_n": nmin,
        "n_for_power_80": math.ceil(two_share_n_for_power(p_c, p_o, alpha, k_o / k_c) / k_c),
    }
    if nmin is not None:
        z = proportions_ztest(np.array([p_c * k_c * nmin, p_o * k_o * nmin]),
                              np.array([k_c * nmin, k_o * nmin]))[0]  # fmt: skip
        row.update(
            statistic=float(z),
            p=p_at(nmin),
            power_at_min_n=two_share_power(p_c, p_o, k_c * nmin, alpha, k_o / k_c),
        )
    row["note"] = (
        f"coarser contrast: the {k_c} cities of republican significance pooled "
        f"({100 * p_c:.4g} %) against the {k_o} oblasts pooled ({100 * p_o:.4g} %), two-proportion "
        f"z-test; assumed_n is the smallest n per unit with p below {alpha}; the city flag is from "
        f"the BNS region table; chosen after seeing the ranking (the cities lead it), so "
        f"exploratory; {CONDITIONAL}"
    )  # fmt: skip
    return [row]


# --------------------------------------------------------------------------- assembly


def _region_covariates(
    units_tbl: pd.DataFrame, population: pd.DataFrame, year: int
) -> pd.DataFrame:
    """Population (sum over the unit's BNS codes) and a city flag for each region unit."""
    pop = population[population["year"] == year]
    if pop.empty:
        raise InputError(
            "data/processed/kz_region_population.parquet", f"no population for year {year}",
            column="year", expected="portal.population_year within the BNS table's years",
        )  # fmt: skip
    by_code = pop.set_index("region_code")
    rows = []
    for u in units_tbl.itertuples(index=False):
        codes = [c for c in u.region_codes.split(";") if c]
        missing = [c for c in codes if c not in by_code.index]
        if missing:
            raise InputError(
                "data/raw/portal/units.csv", f"region code {missing[0]!r} of unit {u.unit!r} "
                "is not in the BNS population table", column="region_codes",
                expected=f"codes of kz_region_population.parquet: {sorted(by_code.index)}",
            )  # fmt: skip
        rows.append(
            {
                "unit_type": u.unit_type,
                "unit": u.unit,
                "population": float(by_code.loc[codes, "population"].sum()),
                "city": bool(len(codes) == 1 and by_code.loc[codes[0], "city"]),
            }
        )
    return pd.DataFrame(rows, columns=["unit_type", "unit", "population", "city"])


def analyse(
    reported: pd.DataFrame,
    counts: pd.DataFrame,
    units_tbl: pd.DataFrame,
    population: pd.DataFrame,
    settings: PortalSettings,
) -> dict[str, pd.DataFrame]:
    """All portal results: units, tests, sensitivity (+ pairs), half-widths, GRIM sets, models."""
    region_units = units_tbl[units_tbl["unit_type"].isin(["region", "national"])]
    cov = _region_covariates(region_units, population, settings.population_year)
    codes = units_tbl.set_index(["unit_type", "unit"])["region_codes"]

    # ---- GRIM on every reported percentage
    grim_rows, grim_min = [], {}
    for r in reported.itertuples(index=False):
        feas = grim_feasible(r.reported_text, r.decimals, settings.grim_max_n,
                             settings.grim_rounding)  # fmt: skip
        grim_min[(r.outcome, r.unit)] = feas[0] if feas else (None, None)
        grim_rows += [
            {"outcome": r.outcome, "unit": r.unit, "reported_pct": r.reported_pct,
             "decimals": r.decimals, "n": n, "k": k}
            for n, k in feas
        ]  # fmt: skip
    grim_tbl = pd.DataFrame(grim_rows, columns=GRIM_COLUMNS)

    # ---- units table: reported values beside any observed counts (outer join)
    rep = reported.assign(basis=REPORTED)
    cnt = counts.assign(basis_c="observed counts")
    merged = rep.merge(cnt, on=["outcome", "unit_type", "unit"], how="outer", sort=False)
    units_rows = []
    for m in merged.itertuples(index=False):
        has_rep = isinstance(m.basis, str)
        has_cnt = isinstance(m.basis_c, str)
        gmin, gk = grim_min.get((m.outcome, m.unit), (None, None))
        row = {
            "outcome": m.outcome,
            "unit_type": m.unit_type,
            "unit": m.unit,
            "reported_pct": m.reported_pct if has_rep else np.nan,
            "decimals": m.decimals if has_rep else np.nan,
            "grim_min_n": gmin,
            "grim_min_k": gk,
            "region_codes": codes.get((m.unit_type, m.unit), ""),
            "claim_id": m.claim_id if has_rep else "",
        }
        if has_cnt:
            lo, hi = wilson(m.successes_effective, m.n_effective)
            row.update(
                n=int(m.trials),
                successes=int(m.successes),
                ci95_low=float(lo),
                ci95_high=float(hi),
                observed_pct=100.0 * m.successes_effective / m.n_effective,
                n_effective=float(m.n_effective),
                design_effect=float(m.design_effect),
            )
            if has_rep:
                k = grim_k(m.reported_text, int(m.decimals), int(m.trials), settings.grim_rounding)
                row["grim_n_consistent"] = k is not None
            row["basis"] = (
                "observed counts" + ("; Kish design effect applied" if m.weighted else "")
                + (f"; reported value {REPORTED}" if has_rep else "")
            )  # fmt: skip
        else:
            row["basis"] = f"{REPORTED}; n not reported, no interval"
        units_rows.append(row)
    units_out = pd.DataFrame(units_rows).reindex(columns=UNITS_COLUMNS)
    pop = cov.set_index(["unit_type", "unit"])["population"]
    units_out["population"] = [
        pop.get((t, u), np.nan) for t, u in zip(units_out.unit_type, units_out.unit, strict=True)
    ]
    for c in ("n", "successes", "grim_min_n", "grim_min_k", "decimals"):
        units_out[c] = units_out[c].astype("Int64")
    units_out["grim_n_consistent"] = units_out["grim_n_consistent"].astype("boolean")
    units_out = units_out.sort_values(["outcome", "unit"], kind="stable").reset_index(drop=True)

    tests: list[dict] = []
    sens_rows: list[dict] = []
    pair_rows: list[pd.DataFrame] = []
    half_rows: list[dict] = []
    model_rows: list[pd.DataFrame] = []
    grid = sensitivity_grid(settings)
    alpha = settings.alpha

    # ---- without n: GRIM groups and conditional analyses on the reported percentages
    for outcome, g in reported.groupby("outcome", sort=True):
        g = g.sort_values("unit", kind="stable")
        feas_sets = [list(grim_tbl.loc[(grim_tbl.outcome == outcome) & (grim_tbl.unit == u), "n"])
                     for u in g["unit"]]  # fmt: skip
        common = grim_common_n(feas_sets)
        tests.append(
            {
                "test": "grim_smallest_common_n",
                "outcome": outcome,
                "assumed_n": common,
                "note": (
                    f"smallest n (1..{settings.grim_max_n}) at which every percentage of this "
                    f"outcome can arise as k/n rounded {settings.grim_rounding.replace('_', '-')} "
                    f"to its printed decimals ({REPORTED}); a consistency bound, not a sample size"
                    if common is not None
                    else f"none up to the bound {settings.grim_max_n}: no single n reproduces "
                    f"all percentages of this outcome ({REPORTED}); units had different n"
                ),
            }
        )
        pcts = g["reported_pct"].to_numpy(dtype=float)
        for u, p in zip(g["unit"], pcts, strict=True):
            lo, hi = wilson(p / 100 * grid, grid.astype(float))
            half_rows += [
                {"outcome": outcome, "unit": u, "reported_pct": p, "assumed_n": int(n),
                 "ci95_low": a, "ci95_high": b, "half_width": (b - a) / 2}
                for n, a, b in zip(grid, lo, hi, strict=True)
            ]  # fmt: skip
        if len(g) < 2:
            continue
        if outcome not in set(counts["outcome"]):
            tests.append(
                {
                    "test": "homogeneity_chi2",
                    "outcome": outcome,
                    "note": "not computed from the article: it reports percentages without sample "
                    "sizes, so no test of a difference between units is possible; see the "
                    "conditional rows (assumed_n) and results/portal_sensitivity.csv",
                }
            )
        for n in settings.assumed_n_table:
            stat, dof, p = conditional_chi2(pcts, n)
            tests.append(
                {"test": "homogeneity_chi2_conditional", "outcome": outcome, "assumed_n": int(n),
                 "statistic": stat, "df": float(dof), "p": p, "note": CONDITIONAL}
            )  # fmt: skip
        nmin = _min_n(
            lambda n, _p=pcts: conditional_chi2(_p, n)[2], alpha, 2, settings.sensitivity_n_max
        )
        power = {"power_at_min_n": homogeneity_power(pcts, nmin, alpha) if nmin else np.nan,
                 "n_for_power_80": homogeneity_n_for_power(pcts, alpha)}  # fmt: skip
        for n in grid:
            stat, _, p = conditional_chi2(pcts, n)
            sens_rows.append({"outcome": outcome, "assumed_n": int(n), "statistic": stat, "p": p,
                              "power": homogeneity_power(pcts, n, alpha), **power})  # fmt: skip
        row = {"test": "homogeneity_chi2_min_n", "outcome": outcome, "assumed_n": nmin, **power}
        if nmin is not None:
            stat, dof, p = conditional_chi2(pcts, nmin)
            row.update(statistic=stat, df=float(dof), p=p)
        row["note"] = (
            f"smallest assumed common n per unit at which the homogeneity p-value would fall "
            f"below {alpha}" + ("" if nmin else f" (none up to {settings.sensitivity_n_max})")
            + f"; {CONDITIONAL}"
        )  # fmt: skip
        tests.append(row)
        units_list = list(g["unit"])

        def pairs_at(n: float, _p=pcts, _u=units_list) -> pd.DataFrame:
            s, t = conditional_table(_p, n)
            return pairwise(_u, s, t)

        for n in grid:
            pair_rows.append(pairs_at(n).assign(outcome=outcome, assumed_n=int(n),
                                                power=pair_powers(pcts, n, alpha)))  # fmt: skip
        base = pairs_at(100.0)
        index_pairs = list(itertools.combinations(range(len(pcts)), 2))
        for i, comp in enumerate(base["comparison"]):
            shares = (pcts[index_pairs[i][0]] / 100, pcts[index_pairs[i][1]] / 100)
            for kind, col in (("", "p"), ("_holm", "p_holm")):
                nmin = _min_n(lambda n, i=i, col=col: float(pairs_at(n)[col].iat[i]), alpha, 2,
                              settings.sensitivity_n_max)  # fmt: skip
                level = alpha / len(index_pairs) if kind else alpha  # Holm: at least Bonferroni's
                row = {"test": f"pairwise_z{kind}_min_n: {comp}", "outcome": outcome,
                       "assumed_n": nmin,
                       "n_for_power_80": math.ceil(two_share_n_for_power(*shares, level))}  # fmt: skip
                if nmin is not None:
                    at = pairs_at(nmin).iloc[i]
                    row.update(statistic=float(at["statistic"]), df=np.nan, p=float(at[col]),
                               power_at_min_n=two_share_power(*shares, nmin, level))  # fmt: skip
                adj = " after Holm's correction over all pairs" if kind else " (unadjusted)"
                row["note"] = (
                    f"smallest assumed n per unit at which this pair's two-proportion z-test p "
                    f"would fall below {alpha}{adj}"
                    + ("" if nmin else f" (none up to {settings.sensitivity_n_max})")
                    + ("; power at alpha / number of pairs (Bonferroni, a lower bound for Holm)"
                       if kind else "") + f"; {CONDITIONAL}"
                )  # fmt: skip
                tests.append(row)
        if g["unit_type"].iat[0] == "region":
            city = cov.set_index("unit").loc[units_list, "city"].to_numpy(bool)
            tests += city_contrast_rows(outcome, units_list, pcts, city, alpha,
                                        settings.sensitivity_n_max)  # fmt: skip

    # ---- with counts: the full models (nothing here in form c)
    for outcome, g in counts.groupby("outcome", sort=True):
        g = g.sort_values("unit", kind="stable")
        units_list = list(g["unit"])
        s = g["successes_effective"].to_numpy(float)
        t = g["n_effective"].to_numpy(float)
        weighted = bool(g["weighted"].any())
        wnote = (
            "; weighted: effective counts (Kish n_eff = (sum w)^2 / sum w^2), a first-order "
            "design-effect adjustment" if weighted else ""
        )  # fmt: skip
        if len(g) < 2:
            continue
        for r in homogeneity(s, t, settings, integer=not weighted):
            r["note"] += wnote
            tests.append({"outcome": outcome, **r})
        pw = pairwise(units_list, s, t)
        for r in pw.itertuples(index=False):
            tests.append(
                {"test": f"pairwise_z_holm: {r.comparison}", "outcome": outcome,
                 "statistic": r.statistic, "df": np.nan, "p": r.p_holm,
                 "note": f"two-proportion z-test, pooled variance (statsmodels "
                 f"proportions_ztest); p Holm-adjusted over {len(pw)} pairs (multipletests); "
                 f"unadjusted p {r.p:.6g}{wnote}"}
            )  # fmt: skip
        if np.any(s <= 0) or np.any(s >= t):
            tests.append(
                {"test": "glm_binomial_unit_lr", "outcome": outcome,
                 "note": "not fitted: a unit has 0 % or 100 % (log-odds infinite)"}
            )  # fmt: skip
            continue
        test, coefs = glm_units(units_list, s, t)
        test["note"] += wnote
        tests.append({"outcome": outcome, **test})
        model_rows.append(coefs.assign(outcome=outcome))
        if g["unit_type"].iat[0] == "region" and len(g) >= 3:
            c = cov.set_index("unit").loc[units_list]
            for name in settings.region_covariates:
                if name == "log_population":
                    x = np.log(c["population"].to_numpy(float))
                    note = (f"binomial GLM on log BNS average annual population "
                            f"{settings.population_year} (region in the survey's boundaries)")  # fmt: skip
                else:
                    x = c["city"].to_numpy(float)
                    note = "binomial GLM: city of republican significance vs oblast"
                if np.ptp(x) == 0:
                    tests.append({"test": f"glm_binomial_{name}_lr", "outcome": outcome,
                                  "note": f"not fitted: {name} does not vary across units"})  # fmt: skip
                    continue
                test, coefs = glm_covariate(units_list, s, t, x, name, note + "; LR test, df 1")
                test["note"] += wnote
                tests.append({"outcome": outcome, **test})
                model_rows.append(coefs.assign(outcome=outcome))

    tests_out = pd.DataFrame(tests).reindex(columns=TESTS_COLUMNS)
    tests_out["assumed_n"] = tests_out["assumed_n"].astype("Int64")
    tests_out["n_for_power_80"] = tests_out["n_for_power_80"].astype("Int64")
    pairs = (
        pd.concat(pair_rows, ignore_index=True).reindex(columns=PAIRS_COLUMNS)
        if pair_rows else pd.DataFrame(columns=PAIRS_COLUMNS)
    )  # fmt: skip
    models = (
        pd.concat(model_rows, ignore_index=True).reindex(columns=MODELS_COLUMNS)
        if model_rows else pd.DataFrame(columns=MODELS_COLUMNS)
    )  # fmt: skip
    return {
        "units": units_out,
        "tests": tests_out,
        "sensitivity": pd.DataFrame(sens_rows, columns=SENSITIVITY_COLUMNS).astype(
            {"n_for_power_80": "Int64"}
        ),
        "sensitivity_pairs": pairs,
        "halfwidth": pd.DataFrame(half_rows, columns=HALFWIDTH_COLUMNS),
        "grim": grim_tbl,
        "models": models,
    }


def check_outcomes(reported: pd.DataFrame, counts: pd.DataFrame, known: Sequence[str]) -> None:
    """Every outcome in the inputs must be declared in ``portal.outcomes`` of the config."""
    for name, df in (("reported", reported), ("counts", counts)):
        for i, o in enumerate(df["outcome"]):
            if o not in known:
                raise InputError(
                    f"portal {name} input", f"outcome {o!r} is not declared", row=i + 2,
                    column="outcome", expected=f"one of portal.outcomes: {sorted(known)}",
                )  # fmt: skip
