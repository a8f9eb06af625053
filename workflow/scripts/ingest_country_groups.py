"""Snakemake adapter: country groupings CSV -> validated Parquet table."""

from kzopen.adapter import run
from kzopen.ingest.country_groups import read_country_groups
from kzopen.io import write_parquet


def main(sm):
    write_parquet(read_country_groups(sm.input.raw), sm.output.table)


run(snakemake, main)
