"""Snakemake adapter: results/group_comparisons.csv -> results/compare_robustness.csv."""

from kzopen.compare.robustness import robustness_counts
from kzopen.core.io import read_results, write_csv
from kzopen.pipeline.adapter import run


def main(sm):
    comp = read_results(sm.input.comparisons)
    write_csv(robustness_counts(comp, sm.params.alpha, sm.input.comparisons), sm.output.table)


run(snakemake, main)
