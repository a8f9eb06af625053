"""Snakemake adapter: indices, membership and comparison tables -> the table behind Figure 1."""

import pandas as pd

from kzopen.compare.figure_data import figure_groups, primary_distribution
from kzopen.core.io import write_csv
from kzopen.pipeline.adapter import run


def main(sm):
    cfg = sm.params.compare
    table = primary_distribution(
        pd.read_parquet(sm.input.indices),
        pd.read_parquet(sm.input.membership),
        pd.read_csv(sm.input.trajectories),
        pd.read_csv(sm.input.comparisons),
        pd.read_csv(sm.input.position),
        cfg["primary"],
        figure_groups(cfg["primary"], cfg["figure_groups"]),
    )
    write_csv(table, sm.output.table)


run(snakemake, main)
