"""Snakemake adapter: the primary comparison with and without listed countries
-> results/primary_sensitivity.csv."""

import pandas as pd

from kzopen.compare.tasks import primary_sensitivity
from kzopen.core.io import write_csv
from kzopen.pipeline.adapter import params, run


def main(sm):
    table = primary_sensitivity(
        pd.read_parquet(sm.input.indices),
        pd.read_parquet(sm.input.membership),
        params(sm),  # the compare keys this rule passes
        sm.params.definitions,
        random_seed=sm.params.seed,
    )
    write_csv(table, sm.output.table)


run(snakemake, main)
