"""Kazakhstan's rank interval from published standard errors, on SYNTHETIC scores."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from kzopen.compare.position import kazakhstan_position
from kzopen.compare.rank_uncertainty import rank_draws, rank_interval


def _scores(se: float = 2.0, missing_se: bool = False) -> pd.DataFrame:
    """SYNTHETIC: 20 countries scoring 10, 15, ..., 105 with equal standard errors; KAZ 52."""
    iso = [f"C{i:02d}" for i in range(20)]
    d = pd.DataFrame({"iso3": iso + ["KAZ"], "value": [10.0 + 5 * i for i in range(20)] + [52.0]})
    d = d.assign(
        country=d.iso3,
        year=2023,
        source="src",
        indicator="ind",
        indicator_label="Label",
        std_error=se,
        scale_min=0.0,
        scale_max=100.0,
    )
    if missing_se:
        d.loc[0, "std_error"] = np.nan
    return d


def _mem() -> pd.DataFrame:
    return pd.DataFrame({"group": "g", "year": 2023, "iso3": [f"C{i:02d}" for i in range(20)]})


def _position(d: pd.DataFrame, seed: int = 7) -> pd.Series:
    return kazakhstan_position(d, _mem(), ["g"], rank_draws=2000, random_seed=seed).iloc[0]


def test_rank_interval_is_seeded_and_contains_the_rank():
    """Same seed, same interval; the observed rank (12: the eleven countries scoring 55 to 105
    are above 52) lies inside it, and at se = 2 the interval spans more than one rank."""
    a, b = _position(_scores()), _position(_scores())
    assert (a["rank_ci_low"], a["rank_ci_high"]) == (b["rank_ci_low"], b["rank_ci_high"])
    assert a["rank"] == 12 and a["n"] == 21
    assert a["rank_ci_low"] <= a["rank"] <= a["rank_ci_high"]
    assert a["rank_ci_low"] < a["rank_ci_high"]
    assert "redraws" in a["rank_ci_method"]


def test_rank_interval_shrinks_to_the_rank_without_noise():
    """With negligible standard errors every draw keeps the observed order."""
    r = _position(_scores(se=1e-9))
    assert r["rank_ci_low"] == r["rank_ci_high"] == r["rank"]


def test_no_interval_without_every_standard_error():
    r = _position(_scores(missing_se=True))
    assert pd.isna(r["rank_ci_low"]) and "no standard error" in r["rank_ci_method"]


def test_no_draws_no_columns():
    """rank_draws = 0 (the default) leaves the position table as it was."""
    out = kazakhstan_position(_scores(), _mem(), ["g"])
    assert "rank_ci_low" not in out.columns


def test_rank_draws_count_countries_above():
    seed = np.random.SeedSequence(1)
    ranks = rank_draws(50.0, 1e-12, np.array([10.0, 60.0, 70.0]), np.full(3, 1e-12), 50, seed)
    assert (ranks == 3).all()
    assert rank_interval(np.arange(1, 101), 0.95) == (3, 98)
    assert rank_interval(np.array([4] * 10), 0.95) == pytest.approx((4, 4))
