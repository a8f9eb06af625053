"""Snakemake adapter: Kazakhstan's value, rank, percentile and z in each group, per index-year."""

import pandas as pd

from kzopen.compare.position import kazakhstan_position
from kzopen.core.io import write_csv
from kzopen.groups import check_group_ids
from kzopen.pipeline.adapter import run


def main(sm):
    check_group_ids(sm.params.groups, sm.params.definitions, "compare.position_groups")
    indices = pd.read_parquet(sm.input.indices)
    membership = pd.read_parquet(sm.input.membership)
    table = kazakhstan_position(
        indices,
        membership,
        sm.params.groups,
        rank_draws=sm.params.n_monte_carlo,
        random_seed=sm.params.seed,
        confidence=sm.params.confidence,
    )
    write_csv(table, sm.output.table)


run(snakemake, main)
