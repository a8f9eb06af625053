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

import itertools
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any

import numpy as np
import pandas as pd

from kzopen.core.errors import InputError
from kzopen.core.producers import RowKinds
from kzopen.portal.conditional import (
    city_contrast_rows,
    conditional_chi2,
    conditional_table,
    homogeneity_n_for_power,
    homogeneity_power,
    min_n_where,
    pair_powers,
    sensitivity_grid,
    two_share_n_for_power,
)
from kzopen.portal.counts import glm_covariate, glm_units, homogeneity, pairwise, wilson
from kzopen.portal.grim import grim_common_n, grim_feasible, grim_k
from kzopen.portal.settings import CONDITIONAL, REPORTED, PortalSettings

UNITS_COLUMNS = [
    "outcome",
    "unit_type",
    "unit",
    "reported_pct",
    "decimals",
    "n",
    "successes",
    "ci95_low",
    "ci95_high",
    "grim_min_n",
    # beyond the contract: provenance and context
    "grim_min_k",
    "grim_n_consistent",
    "observed_pct",
    "n_effective",
    "design_effect",
    "region_codes",
    "population",
    "claim_id",
    "basis",
]
TESTS_COLUMNS = [
    "test",
    "outcome",
    "assumed_n",
    "statistic",
    "df",
    "p",
    "note",
    "n_for_power_80",
    "power_alpha",
]
SENSITIVITY_COLUMNS = [
    "outcome",
    "assumed_n",
    "statistic",
    "p",
    "power",
    "n_for_power_80",
]
PAIRS_COLUMNS = ["outcome", "comparison", "assumed_n", "statistic", "p", "p_holm", "power"]
HALFWIDTH_COLUMNS = [
    "outcome",
    "unit",
    "reported_pct",
    "assumed_n",
    "ci95_low",
    "ci95_high",
    "half_width",
]
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


# --------------------------------------------------------------------------- assembly


# What the errors call the inputs when the caller does not pass their paths.
INPUT_NAMES = {"units": "the units table", "population": "the BNS population table"}


def _region_covariates(
    units_tbl: pd.DataFrame, population: pd.DataFrame, year: int, files: Mapping[str, str]
) -> pd.DataFrame:
    """Population (sum over the unit's BNS codes) and a city flag for each region unit."""
    pop = population[population["year"] == year]
    if pop.empty:
        raise InputError(
            files["population"],
            f"no population for year {year}",
            column="year",
            expected="portal.population_year within the BNS table's years",
        )
    by_code = pop.set_index("region_code")
    rows = []
    for u in units_tbl.itertuples(index=False):
        codes = [c for c in u.region_codes.split(";") if c]
        missing = [c for c in codes if c not in by_code.index]
        if missing:
            raise InputError(
                files["units"],
                f"region code {missing[0]!r} of unit {u.unit!r} is not in the BNS population table",
                column="region_codes",
                expected=f"codes of kz_region_population.parquet: {sorted(by_code.index)}",
            )
        rows.append(
            {
                "unit_type": u.unit_type,
                "unit": u.unit,
                "population": float(by_code.loc[codes, "population"].sum()),
                "city": bool(len(codes) == 1 and by_code.loc[codes[0], "city"]),
            }
        )
    return pd.DataFrame(rows, columns=["unit_type", "unit", "population", "city"])


@dataclass
class _Rows:
    """The result rows as the steps of :func:`analyse` add them (in output order)."""

    tests: list[dict] = field(default_factory=list)
    sensitivity: list[dict] = field(default_factory=list)
    pairs: list[pd.DataFrame] = field(default_factory=list)
    halfwidth: list[dict] = field(default_factory=list)
    models: list[pd.DataFrame] = field(default_factory=list)


def analyse(
    reported: pd.DataFrame,
    counts: pd.DataFrame,
    units_tbl: pd.DataFrame,
    population: pd.DataFrame,
    settings: PortalSettings,
    files: Mapping[str, str] = MappingProxyType(INPUT_NAMES),
) -> dict[str, pd.DataFrame]:
    """All portal results: units, tests, sensitivity (+ pairs), half-widths, GRIM sets, models.
    ``files`` names the units and population inputs in error messages."""
    region_units = units_tbl[units_tbl["unit_type"].isin(["region", "national"])]
    cov = _region_covariates(region_units, population, settings.population_year, files)
    codes = units_tbl.set_index(["unit_type", "unit"])["region_codes"]
    grim_tbl, grim_min = grim_sets(reported, settings)
    units_out = units_table(reported, counts, codes, cov, grim_min, settings)
    rows = _Rows()
    for outcome, g in reported.groupby("outcome", sort=True):  # without n (form c)
        _conditional_rows(
            rows,
            outcome,
            g.sort_values("unit", kind="stable"),
            grim_tbl,
            set(counts["outcome"]),
            cov,
            settings,
        )
    for outcome, g in counts.groupby("outcome", sort=True):  # with counts (forms a and b)
        _count_rows(rows, outcome, g.sort_values("unit", kind="stable"), cov, settings)
    return _assemble(rows, units_out, grim_tbl)


def grim_sets(
    reported: pd.DataFrame, settings: PortalSettings
) -> tuple[pd.DataFrame, dict[tuple[str, str], tuple[int | None, int | None]]]:
    """Every feasible (n, k) of every reported percentage, and the smallest per unit."""
    grim_rows, grim_min = [], {}
    for r in reported.itertuples(index=False):
        feas = grim_feasible(
            r.reported_text, r.decimals, settings.grim_max_n, settings.grim_rounding
        )
        grim_min[(r.outcome, r.unit)] = feas[0] if feas else (None, None)
        grim_rows += [
            {
                "outcome": r.outcome,
                "unit": r.unit,
                "reported_pct": r.reported_pct,
                "decimals": r.decimals,
                "n": n,
                "k": k,
            }
            for n, k in feas
        ]
    return pd.DataFrame(grim_rows, columns=GRIM_COLUMNS), grim_min


def units_table(
    reported: pd.DataFrame,
    counts: pd.DataFrame,
    codes: pd.Series,
    cov: pd.DataFrame,
    grim_min: Mapping[tuple[str, str], tuple[int | None, int | None]],
    settings: PortalSettings,
) -> pd.DataFrame:
    """Reported values beside any observed counts (outer join), one row per unit."""
    rep = reported.assign(basis=REPORTED)
    cnt = counts.assign(basis_c="observed counts")
    merged = rep.merge(cnt, on=["outcome", "unit_type", "unit"], how="outer", sort=False)
    rows = [_unit_row(m, codes, grim_min, settings) for m in merged.itertuples(index=False)]
    out = pd.DataFrame(rows).reindex(columns=UNITS_COLUMNS)
    pop = cov.set_index(["unit_type", "unit"])["population"]
    out["population"] = [
        pop.get((t, u), np.nan) for t, u in zip(out.unit_type, out.unit, strict=True)
    ]
    for c in ("n", "successes", "grim_min_n", "grim_min_k", "decimals"):
        out[c] = out[c].astype("Int64")
    out["grim_n_consistent"] = out["grim_n_consistent"].astype("boolean")
    return out.sort_values(["outcome", "unit"], kind="stable").reset_index(drop=True)


def _unit_row(m: Any, codes: pd.Series, grim_min: Mapping, settings: PortalSettings) -> dict:
    has_rep, has_cnt = isinstance(m.basis, str), isinstance(m.basis_c, str)
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
    if not has_cnt:
        row["basis"] = f"{REPORTED}; n not reported, no interval"
        return row
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
        "observed counts"
        + ("; Kish design effect applied" if m.weighted else "")
        + (f"; reported value {REPORTED}" if has_rep else "")
    )
    return row


def _conditional_rows(
    rows: _Rows,
    outcome: str,
    g: pd.DataFrame,
    grim_tbl: pd.DataFrame,
    outcomes_with_counts: set[str],
    cov: pd.DataFrame,
    settings: PortalSettings,
) -> None:
    """Without n: the GRIM common n, half-widths and the conditional tests of one outcome."""
    feas_sets = [
        list(grim_tbl.loc[(grim_tbl.outcome == outcome) & (grim_tbl.unit == u), "n"])
        for u in g["unit"]
    ]
    common = grim_common_n(feas_sets)
    rows.tests.append(_grim_common_row(outcome, common, settings))
    pcts = g["reported_pct"].to_numpy(dtype=float)
    grid = sensitivity_grid(settings)
    for u, p in zip(g["unit"], pcts, strict=True):
        lo, hi = wilson(p / 100 * grid, grid.astype(float))
        rows.halfwidth += [
            {
                "outcome": outcome,
                "unit": u,
                "reported_pct": p,
                "assumed_n": int(n),
                "ci95_low": a,
                "ci95_high": b,
                "half_width": (b - a) / 2,
            }
            for n, a, b in zip(grid, lo, hi, strict=True)
        ]
    if len(g) < 2:
        return
    if outcome not in outcomes_with_counts:
        rows.tests.append(
            {
                "test": "homogeneity_chi2_not_computed",
                "outcome": outcome,
                "note": "not computed from the article: it reports percentages without sample "
                "sizes, so no test of a difference between units is possible; see the "
                "conditional rows (assumed_n) and the portal sensitivity table",
            }
        )
    _homogeneity_rows(rows, outcome, pcts, settings)
    units_list = list(g["unit"])
    _pairwise_rows(rows, outcome, units_list, pcts, settings)
    if common is not None:
        rows.tests += grim_n_rows(outcome, units_list, pcts, common)
    if g["unit_type"].iat[0] == "region":
        city = cov.set_index("unit").loc[units_list, "city"].to_numpy(bool)
        rows.tests += city_contrast_rows(
            outcome, units_list, pcts, city, settings.alpha, settings.sensitivity_n_max
        )


def _grim_common_row(outcome: str, common: int | None, settings: PortalSettings) -> dict:
    return {
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


def _homogeneity_rows(rows: _Rows, outcome: str, pcts: np.ndarray, settings: PortalSettings):
    """The conditional homogeneity test at the tabled n, over the grid, and its break-even n."""
    alpha, grid = settings.alpha, sensitivity_grid(settings)
    for n in settings.assumed_n_table:
        stat, dof, p = conditional_chi2(pcts, n)
        rows.tests.append(
            {
                "test": "homogeneity_chi2_conditional",
                "outcome": outcome,
                "assumed_n": int(n),
                "statistic": stat,
                "df": float(dof),
                "p": p,
                "note": CONDITIONAL,
            }
        )
    nmin = min_n_where(
        lambda n, _p=pcts: conditional_chi2(_p, n)[2], alpha, 2, settings.sensitivity_n_max
    )
    power = {"n_for_power_80": homogeneity_n_for_power(pcts, alpha), "power_alpha": alpha}
    for n in grid:
        stat, _, p = conditional_chi2(pcts, n)
        rows.sensitivity.append(
            {
                "outcome": outcome,
                "assumed_n": int(n),
                "statistic": stat,
                "p": p,
                "power": homogeneity_power(pcts, n, alpha),
                "n_for_power_80": power["n_for_power_80"],
            }
        )
    row = {"test": "homogeneity_chi2_min_n", "outcome": outcome, "assumed_n": nmin, **power}
    if nmin is not None:
        stat, dof, p = conditional_chi2(pcts, nmin)
        row.update(statistic=stat, df=float(dof), p=p)
    row["note"] = (
        f"smallest assumed common n per unit at which the homogeneity p-value would fall "
        f"below {alpha}"
        + ("" if nmin else f" (none up to {settings.sensitivity_n_max})")
        + f"; {CONDITIONAL}"
    )
    rows.tests.append(row)


def _pairwise_rows(
    rows: _Rows, outcome: str, units_list: list[str], pcts: np.ndarray, settings: PortalSettings
) -> None:
    """Conditional pairwise z-tests over the grid, and each pair's break-even n (raw, Holm)."""
    alpha = settings.alpha

    def pairs_at(n: float) -> pd.DataFrame:
        s, t = conditional_table(pcts, n)
        return pairwise(units_list, s, t)

    for n in sensitivity_grid(settings):
        rows.pairs.append(
            pairs_at(n).assign(outcome=outcome, assumed_n=int(n), power=pair_powers(pcts, n, alpha))
        )
    index_pairs = list(itertools.combinations(range(len(pcts)), 2))
    for i, comp in enumerate(pairs_at(100.0)["comparison"]):
        shares = (pcts[index_pairs[i][0]] / 100, pcts[index_pairs[i][1]] / 100)
        for test, col in (("pairwise_z_min_n", "p"), ("pairwise_z_holm_min_n", "p_holm")):
            holm = col == "p_holm"
            nmin = min_n_where(
                lambda n, i=i, col=col: float(pairs_at(n)[col].iat[i]),
                alpha,
                2,
                settings.sensitivity_n_max,
            )
            level = alpha / len(index_pairs) if holm else alpha  # Bonferroni: Holm's first step
            row = {
                "test": f"{test}: {comp}",
                "outcome": outcome,
                "assumed_n": nmin,
                "n_for_power_80": math.ceil(two_share_n_for_power(*shares, level)),
                "power_alpha": level,
            }
            if nmin is not None:
                at = pairs_at(nmin).iloc[i]
                row.update(
                    statistic=float(at["statistic"]),
                    df=np.nan,
                    p=float(at[col]),
                )
            adj = " after Holm's correction over all pairs" if holm else " (unadjusted)"
            row["note"] = (
                f"smallest assumed n per unit at which this pair's two-proportion z-test p "
                f"would fall below {alpha}{adj}"
                + ("" if nmin else f" (none up to {settings.sensitivity_n_max})")
                + (
                    "; n_for_power_80 at the Bonferroni level alpha / number of pairs "
                    "(power_alpha; Holm's first step, so a bound for Holm)"
                    if holm
                    else ""
                )
                + f"; {CONDITIONAL}"
            )
            rows.tests.append(row)


def grim_n_rows(outcome: str, units_list: list[str], pcts: np.ndarray, n: int) -> list[dict]:
    """The conditional tests at the smallest common n that GRIM allows: under the equal-n
    assumption of the break-even numbers, no smaller n reproduces every printed percentage."""
    stat, dof, p = conditional_chi2(pcts, float(n))
    note = (
        f"conditional test at the smallest common n per unit consistent with every printed "
        f"percentage (GRIM); {CONDITIONAL}"
    )
    out = [
        {
            "test": "homogeneity_chi2_grim_n",
            "outcome": outcome,
            "assumed_n": n,
            "statistic": stat,
            "df": float(dof),
            "p": p,
            "note": note,
        }
    ]
    s, t = conditional_table(pcts, float(n))
    for r in pairwise(units_list, s, t).itertuples(index=False):
        for test, p_col in (("pairwise_z_grim_n", "p"), ("pairwise_z_holm_grim_n", "p_holm")):
            out.append(
                {
                    "test": f"{test}: {r.comparison}",
                    "outcome": outcome,
                    "assumed_n": n,
                    "statistic": float(r.statistic),
                    "p": float(getattr(r, p_col)),
                    "note": note
                    + ("; p Holm-adjusted over all pairs" if p_col == "p_holm" else ""),
                }
            )
    return out


def _count_rows(
    rows: _Rows, outcome: str, g: pd.DataFrame, cov: pd.DataFrame, settings: PortalSettings
) -> None:
    """With counts: homogeneity, pairwise tests and the binomial GLMs of one outcome."""
    units_list = list(g["unit"])
    s, t = g["successes_effective"].to_numpy(float), g["n_effective"].to_numpy(float)
    weighted = bool(g["weighted"].any())
    wnote = (
        "; weighted: effective counts (Kish n_eff = (sum w)^2 / sum w^2), a first-order "
        "design-effect adjustment"
        if weighted
        else ""
    )
    if len(g) < 2:
        return
    for r in homogeneity(s, t, settings, integer=not weighted):
        r["note"] += wnote
        rows.tests.append({"outcome": outcome, **r})
    pw = pairwise(units_list, s, t)
    for r in pw.itertuples(index=False):
        rows.tests.append(
            {
                "test": f"pairwise_z_holm: {r.comparison}",
                "outcome": outcome,
                "statistic": r.statistic,
                "df": np.nan,
                "p": r.p_holm,
                "note": f"two-proportion z-test, pooled variance (statsmodels "
                f"proportions_ztest); p Holm-adjusted over {len(pw)} pairs (multipletests); "
                f"unadjusted p {float(r.p)!r}{wnote}",
            }
        )
    if np.any(s <= 0) or np.any(s >= t):
        rows.tests.append(
            {
                "test": "glm_binomial_unit_lr",
                "outcome": outcome,
                "note": "not fitted: a unit has 0 % or 100 % (log-odds infinite)",
            }
        )
        return
    test, coefs = glm_units(units_list, s, t)
    test["note"] += wnote
    rows.tests.append({"outcome": outcome, **test})
    rows.models.append(coefs.assign(outcome=outcome))
    if g["unit_type"].iat[0] == "region" and len(g) >= 3:
        _covariate_models(rows, outcome, units_list, s, t, cov, settings, wnote)


def _covariate_models(
    rows: _Rows,
    outcome: str,
    units_list: list[str],
    s: np.ndarray,
    t: np.ndarray,
    cov: pd.DataFrame,
    settings: PortalSettings,
    wnote: str,
) -> None:
    """A binomial GLM on each configured region-level covariate (population, city)."""
    c = cov.set_index("unit").loc[units_list]
    for name in settings.region_covariates:
        if name == "log_population":
            x = np.log(c["population"].to_numpy(float))
            note = (
                f"binomial GLM on log BNS average annual population "
                f"{settings.population_year} (region in the survey's boundaries)"
            )
        else:
            x = c["city"].to_numpy(float)
            note = "binomial GLM: city of republican significance vs oblast"
        if np.ptp(x) == 0:
            rows.tests.append(
                {
                    "test": f"glm_binomial_{name}_lr",
                    "outcome": outcome,
                    "note": f"not fitted: {name} does not vary across units",
                }
            )
            continue
        test, coefs = glm_covariate(units_list, s, t, x, name, note + "; LR test, df 1")
        test["note"] += wnote
        rows.tests.append({"outcome": outcome, **test})
        rows.models.append(coefs.assign(outcome=outcome))


def _assemble(rows: _Rows, units_out: pd.DataFrame, grim_tbl: pd.DataFrame) -> dict:
    tests_out = pd.DataFrame(rows.tests).reindex(columns=TESTS_COLUMNS)
    tests_out["assumed_n"] = tests_out["assumed_n"].astype("Int64")
    tests_out["n_for_power_80"] = tests_out["n_for_power_80"].astype("Int64")
    pairs = (
        pd.concat(rows.pairs, ignore_index=True).reindex(columns=PAIRS_COLUMNS)
        if rows.pairs
        else pd.DataFrame(columns=PAIRS_COLUMNS)
    )
    models = (
        pd.concat(rows.models, ignore_index=True).reindex(columns=MODELS_COLUMNS)
        if rows.models
        else pd.DataFrame(columns=MODELS_COLUMNS)
    )
    sensitivity = pd.DataFrame(rows.sensitivity, columns=SENSITIVITY_COLUMNS)
    return {
        "units": units_out,
        "tests": tests_out,
        "sensitivity": sensitivity.astype({"n_for_power_80": "Int64"}),
        "sensitivity_pairs": pairs,
        "halfwidth": pd.DataFrame(rows.halfwidth, columns=HALFWIDTH_COLUMNS),
        "grim": grim_tbl,
        "models": models,
    }


def check_outcomes(reported: pd.DataFrame, counts: pd.DataFrame, known: Sequence[str]) -> None:
    """Every outcome in the inputs must be declared in ``portal.outcomes`` of the config."""
    for name, df in (("reported", reported), ("counts", counts)):
        for i, o in enumerate(df["outcome"]):
            if o not in known:
                raise InputError(
                    f"portal {name} input",
                    f"outcome {o!r} is not declared",
                    row=i + 2,
                    column="outcome",
                    expected=f"one of portal.outcomes: {sorted(known)}",
                )


# Which function writes each kind of row of results/portal_tests.csv (the first step of a
# printed value's trail; tests/test_column_producers.py checks each writes its kind). The
# covariate kinds are those of portal.region_covariates.
TESTS_ROW_PRODUCERS = RowKinds(
    "test",
    {
        "grim_smallest_common_n": _grim_common_row,
        "homogeneity_chi2": homogeneity,
        "homogeneity_chi2_not_computed": _conditional_rows,
        "homogeneity_chi2_monte_carlo": homogeneity,
        "homogeneity_chi2_conditional": _homogeneity_rows,
        "homogeneity_chi2_min_n": _homogeneity_rows,
        "homogeneity_chi2_grim_n": grim_n_rows,
        "pairwise_z_min_n": _pairwise_rows,
        "pairwise_z_holm_min_n": _pairwise_rows,
        "pairwise_z_grim_n": grim_n_rows,
        "pairwise_z_holm_grim_n": grim_n_rows,
        "pairwise_z_holm": _count_rows,
        "city_vs_oblast_z_min_n": city_contrast_rows,
        "glm_binomial_unit_lr": glm_units,
        "glm_binomial_log_population_lr": glm_covariate,
        "glm_binomial_city_lr": glm_covariate,
    },
)
UNITS_COLUMN_PRODUCERS: dict[str, Any] = dict.fromkeys(UNITS_COLUMNS, units_table)
