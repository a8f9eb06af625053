"""Snakemake adapter: one index source's raw file(s) -> tidy Parquet table."""

from kzopen.adapter import run
from kzopen.ingest import read_source
from kzopen.io import write_parquet


def main(sm):
    write_parquet(read_source(sm.wildcards.source, sm.input.raw), sm.output.table)


run(snakemake, main)
