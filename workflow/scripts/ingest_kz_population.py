"""Snakemake adapter: BNS regional population CSV -> tidy Parquet table."""

from kzopen.core.io import write_parquet
from kzopen.ingest.kz_population import read_kz_population
from kzopen.pipeline.adapter import run


def main(sm):
    write_parquet(read_kz_population(sm.input.raw), sm.output.table)


run(snakemake, main)
