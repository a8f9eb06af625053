"""Snakemake adapter: comparisons + index table -> Monte-Carlo error of the printed bootstrap
interval bounds of the confirmatory families."""

import pandas as pd

from kzopen.compare.mcerror import bootstrap_mc_error
from kzopen.compare.stats import BootstrapSettings
from kzopen.core.io import read_results, write_csv
from kzopen.core.precision import DECIMALS
from kzopen.pipeline.adapter import run


def main(sm):
    comp = read_results(sm.input.comparisons)
    indices = pd.read_parquet(sm.input.indices)
    p = sm.params
    settings = BootstrapSettings(
        n_bootstrap=int(p.n_bootstrap),
        bootstrap_method=str(p.bootstrap_method),
        confidence=float(p.confidence),
    )
    table = bootstrap_mc_error(
        comp,
        indices,
        ["confirmatory", "confirmatory_local"],
        settings,
        int(p.n_repeats),
        DECIMALS,  # the bounds print at the text's default decimals
        int(p.seed),
        str(sm.input.comparisons),
    )
    write_csv(table, sm.output.table)


run(snakemake, main)
