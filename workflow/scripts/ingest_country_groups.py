"""Snakemake adapter: country groupings CSV -> validated Parquet table."""

from kzopen.core.io import write_parquet
from kzopen.ingest.country_groups import read_country_groups
from kzopen.pipeline.adapter import run


def main(sm):
    write_parquet(read_country_groups(sm.input.raw), sm.output.table)


run(snakemake, main)
