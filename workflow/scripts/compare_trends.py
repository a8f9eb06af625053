"""Snakemake adapter: trends, group trajectories and the openness profile (radar data)."""

import pandas as pd

from kzopen.compare.trends import openness_profile, trajectories, trends_by_level
from kzopen.core.io import write_csv
from kzopen.groups import check_group_ids
from kzopen.pipeline.adapter import params, run


def main(sm):
    cfg = params(sm)  # the compare keys this rule passes
    check_group_ids(cfg["trend_groups"], sm.params.definitions, "compare.trend_groups")
    check_group_ids(cfg["figure_groups"], sm.params.definitions, "compare.figure_groups")
    indices = pd.read_parquet(sm.input.indices)
    membership = pd.read_parquet(sm.input.membership)
    out = trends_by_level(
        indices,
        membership,
        cfg["trend_groups"],
        local_sources=sorted({c["source"] for c in cfg["confirmatory_local"]}),
        first_year=cfg["trend_first_year"],
        series_breaks=cfg["series_breaks"],
        min_group_n=cfg["min_group_n"],
        reported=[
            (cfg["primary"]["source"], cfg["primary"]["indicator"], cfg["primary"][g])
            for g in ("group_a", "group_b")
        ],
        min_years=cfg["trend_min_years"],
        hac_maxlags=cfg["hac_maxlags"],
        hac_min_years=cfg["hac_min_years"],
        confidence=cfg["confidence"],
    )
    groups = sorted(set(cfg["trend_groups"]) | set(cfg["figure_groups"]))
    traj = trajectories(indices[indices["year"] >= cfg["trend_first_year"]], membership, groups)
    profile = openness_profile(indices, membership, cfg["radar_indicators"], cfg["figure_groups"])
    write_csv(out, sm.output.trends)
    write_csv(traj, sm.output.trajectories)
    write_csv(profile, sm.output.profile)


run(snakemake, main)
