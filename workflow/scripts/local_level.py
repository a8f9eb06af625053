"""Snakemake adapter: index table + V-Dem categories -> the local-level tables."""

import pandas as pd

from kzopen.compare.local import (
    elected_offices,
    local_distribution,
    local_exploratory_summary,
    local_national_correlations,
    score_changes,
)
from kzopen.core.io import read_results, write_csv
from kzopen.pipeline.adapter import run


def main(sm):
    indices = pd.read_parquet(sm.input.indices)
    membership = pd.read_parquet(sm.input.membership)
    local = [(c["source"], c["indicator"]) for c in sm.params.local_family]
    national = [(c["source"], c["indicator"]) for c in sm.params.national_family]
    national += [tuple(m.split("/")) for m in sm.params.national_measures]
    study = [sm.params.primary["group_a"], sm.params.primary["group_b"]]
    sources = sorted({s for s, _ in local})
    write_csv(score_changes(indices, sources, sm.params.first_year), sm.output.changes)
    cats = pd.read_parquet(sm.input.categories)
    write_csv(elected_offices(cats, membership, sm.params.figure_groups), sm.output.elected)
    corr = local_national_correlations(indices, membership, local, national, study)
    write_csv(corr, sm.output.correlations)
    dist = local_distribution(indices, membership, local, sm.params.figure_groups)
    write_csv(dist, sm.output.distribution)
    comparisons = read_results(sm.input.comparisons)
    write_csv(local_exploratory_summary(comparisons, sm.params.alpha), sm.output.exploratory)


run(snakemake, main)
