"""Snakemake adapter: BNS regional population CSV -> tidy Parquet table."""

from kzopen.adapter import run
from kzopen.ingest.kz_population import read_kz_population
from kzopen.io import write_parquet


def main(sm):
    write_parquet(read_kz_population(sm.input.raw), sm.output.table)


run(snakemake, main)
