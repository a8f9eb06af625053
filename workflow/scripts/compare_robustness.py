"""Snakemake adapter: results/group_comparisons.csv -> results/compare_robustness.csv."""

import pandas as pd

from kzopen.compare.robustness import robustness_counts
from kzopen.core.io import write_csv
from kzopen.pipeline.adapter import run


def main(sm):
    comp = pd.read_csv(sm.input.comparisons, keep_default_na=True)
    write_csv(robustness_counts(comp, sm.params.alpha, sm.input.comparisons), sm.output.table)


run(snakemake, main)
