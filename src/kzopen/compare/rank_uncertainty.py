"""How uncertain Kazakhstan's rank within a group is, where the source publishes standard errors.

For one source x indicator x year x group, every country's score (Kazakhstan's and each other
member's with data) is redrawn ``n_draws`` times from Normal(score, published standard error),
independently, and Kazakhstan's rank (1 = highest) is recounted in each draw. The interval is the
central ``confidence`` share of those ranks (``numpy.quantile``, ``method="inverted_cdf"``, so the
bounds are ranks that occurred). This is the simulation the World Bank uses for the percentile
ranks of the WGI (Kaufmann, Kraay and Mastruzzi 2010). The draws are centred on the published
scores, which already contain noise, so the interval is approximate (a parametric bootstrap) and,
if anything, wide. Seeds follow the project's policy (:func:`kzopen.compare.stats.comparison_seed`: the
global seed plus the row's key), so a row gets the same interval whichever job computes it.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd

from kzopen.groups import KAZAKHSTAN


def rank_draws(
    value: float,
    se: float,
    others: np.ndarray,
    others_se: np.ndarray,
    n_draws: int,
    seed: np.random.SeedSequence,
) -> np.ndarray:
    """Kazakhstan's rank (1 = highest) in each of ``n_draws`` redraws of every score."""
    rng = np.random.default_rng(seed)
    kz = rng.normal(value, se, size=n_draws)
    rest = rng.normal(others, others_se, size=(n_draws, len(others)))
    return 1 + (rest > kz[:, None]).sum(axis=1)


def rank_interval(ranks: np.ndarray, confidence: float) -> tuple[int, int]:
    """The central ``confidence`` interval of simulated ranks, bounds being observed ranks."""
    tail = (1 - confidence) / 2
    lo, hi = np.quantile(ranks, [tail, 1 - tail], method="inverted_cdf")
    return int(lo), int(hi)


def add_rank_intervals(
    position: pd.DataFrame,
    indices: pd.DataFrame,
    membership: pd.DataFrame,
    *,
    random_seed: int,
    n_draws: int,
    confidence: float = 0.95,
    country: str = KAZAKHSTAN,
) -> pd.DataFrame:
    """``position`` (rows of :func:`kzopen.compare.position.kazakhstan_position`) with the rank interval.

    Only the latest year of each indicator and group gets an interval (the rows the manuscript
    prints). Rows without a rank, or where Kazakhstan or any other member lacks a standard
    error, get no interval and say why in ``rank_ci_method``.
    """
    from kzopen.compare.stats import comparison_seed  # compare calls this module: import on use

    mem = membership.groupby(["group", "year"])["iso3"].apply(set).to_dict()
    scores: Mapping = {
        key: part for key, part in indices.groupby(["source", "indicator", "year"], sort=True)
    }
    out = position.copy()
    ranked = out[out["rank"].notna()]
    latest = set(ranked.sort_values("year").groupby(["source", "indicator", "group"]).tail(1).index)
    found = []
    for i, r in zip(out.index, out.itertuples(index=False), strict=True):
        if pd.isna(r.rank):
            found.append((pd.NA, pd.NA, "no rank"))
            continue
        if i not in latest:  # only the latest year is printed; the draws are costly
            found.append((pd.NA, pd.NA, "no interval: not the latest year of the indicator"))
            continue
        part = scores[(r.source, r.indicator, r.year)]
        others = part[part["iso3"].isin(mem.get((r.group, int(r.year)), set()) - {country})]
        if not np.isfinite(r.std_error) or others["std_error"].isna().any():
            found.append((pd.NA, pd.NA, "no interval: no standard error for every country"))
            continue
        seed = comparison_seed(random_seed, ("rank", r.source, r.indicator, r.year, r.group))
        ranks = rank_draws(
            r.value,
            r.std_error,
            others["value"].to_numpy(float),
            others["std_error"].to_numpy(float),
            n_draws,
            seed,
        )
        found.append(
            (
                *rank_interval(ranks, confidence),
                f"{n_draws} redraws of every score from Normal(score, published se); "
                f"central {confidence:.0%} of Kazakhstan's simulated ranks",
            )
        )
    low, high, method = zip(*found, strict=True) if found else ((), (), ())
    out["rank_ci_low"] = pd.array(list(low), dtype="Int64")
    out["rank_ci_high"] = pd.array(list(high), dtype="Int64")
    out["rank_ci_method"] = list(method)
    return out
