"""Snakemake adapter: comparisons + index table -> correlations among the confirmatory family."""

import pandas as pd

from kzopen.compare.family import family_correlations
from kzopen.core.io import write_csv
from kzopen.pipeline.adapter import run


def main(sm):
    comp = pd.read_csv(sm.input.comparisons, keep_default_na=False, na_values=[""])
    comp["countries_a"] = comp["countries_a"].fillna("")
    comp["countries_b"] = comp["countries_b"].fillna("")
    indices = pd.read_parquet(sm.input.indices)
    table = family_correlations(comp, indices, "confirmatory", str(sm.input.comparisons))
    write_csv(table, sm.output.table)


run(snakemake, main)
