"""The printed rank bounds do not depend on the seed: Kazakhstan's rank intervals of the
latest year of every indicator and group (the rows the manuscript prints) are identical under
three seeds at the configured number of redraws, on the session build's data."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
import yaml

from kzopen.compare.rank_uncertainty import add_rank_intervals

REPO = Path(__file__).resolve().parent.parent


@pytest.mark.e2e
def test_printed_rank_bounds_are_the_same_under_three_seeds(built_repo: Path) -> None:
    cfg = yaml.safe_load((REPO / "config/config.yaml").read_text(encoding="utf-8"))["compare"]
    pos = pd.read_csv(built_repo / "results/kazakhstan_position.csv")
    pos = pos[pos["rank"].notna()].drop(columns=["rank_ci_low", "rank_ci_high", "rank_ci_method"])
    latest = pos.sort_values("year").groupby(["source", "indicator", "group"]).tail(1)
    indices = pd.read_parquet(built_repo / "data/processed/indices.parquet")
    membership = pd.read_parquet(built_repo / "data/processed/group_membership.parquet")
    runs = [
        add_rank_intervals(
            latest, indices, membership, random_seed=seed, n_draws=int(cfg["n_monte_carlo"])
        )[["rank_ci_low", "rank_ci_high"]]
        for seed in (11, 22, 33)
    ]
    assert runs[0].notna().all(axis=1).sum() > 0
    for other in runs[1:]:
        pd.testing.assert_frame_equal(runs[0], other)
