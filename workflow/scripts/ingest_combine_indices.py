"""Snakemake adapter: per-source tables -> data/processed/indices.parquet + indicator catalogue."""

import pandas as pd

from kzopen.core.io import write_csv, write_parquet
from kzopen.ingest.combine import combine_indices, write_indicator_catalogue
from kzopen.pipeline.adapter import run


def main(sm):
    groups = pd.read_parquet(sm.input.groups)
    tables = {p: pd.read_parquet(p) for p in sm.input.tables}
    indices = combine_indices(
        tables, groups["iso3"], sm.params.dropped_codes, raw_files=sm.params.raw_files
    )
    write_parquet(indices, sm.output.indices)
    write_csv(write_indicator_catalogue(indices), sm.output.catalogue)


run(snakemake, main)
