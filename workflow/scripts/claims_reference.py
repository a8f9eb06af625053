"""Snakemake adapter: real-data reference values for the claims audit."""

import pandas as pd

from kzopen.claims.references import compute_references
from kzopen.core.io import read_results, write_csv
from kzopen.pipeline.adapter import params, run


def main(sm):
    indices = pd.read_parquet(sm.input.indices)
    position = read_results(sm.input.position) if sm.input.position else None
    comparisons = read_results(sm.input.comparisons) if sm.input.comparisons else None
    membership = pd.read_parquet(sm.input.membership)
    files = {
        "indices": str(sm.input.indices),
        "position": str(sm.input.position),
        "comparisons": str(sm.input.comparisons),
    }
    refs, detail = compute_references(indices, params(sm), position, comparisons, membership, files)
    write_csv(refs, sm.output.reference)
    write_csv(detail, sm.output.direction)


run(snakemake, main)
