"""Snakemake adapter: indices, membership and comparison tables -> the table behind Figure 1."""

import pandas as pd

from kzopen.compare.figure_data import figure_groups, primary_distribution
from kzopen.core.io import read_results, write_csv
from kzopen.pipeline.adapter import run


def main(sm):
    table = primary_distribution(
        pd.read_parquet(sm.input.indices),
        pd.read_parquet(sm.input.membership),
        read_results(sm.input.trajectories),
        read_results(sm.input.comparisons),
        read_results(sm.input.position),
        sm.params.primary,
        figure_groups(sm.params.primary, sm.params.figure_groups),
    )
    write_csv(table, sm.output.table)


run(snakemake, main)
