"""Snakemake adapter: one index source's raw file(s) -> tidy Parquet table."""

from kzopen.core.io import write_parquet
from kzopen.ingest.sources import read_source
from kzopen.pipeline.adapter import run


def main(sm):
    table = read_source(sm.wildcards.source, sm.input.raw, dict(sm.params.column_map))
    write_parquet(table, sm.output.table)


run(snakemake, main)
