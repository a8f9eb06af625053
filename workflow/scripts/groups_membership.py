"""Snakemake adapter: groups table + configured definitions -> group membership per year."""

import pandas as pd

from kzopen.core.io import write_parquet
from kzopen.groups import build_membership
from kzopen.pipeline.adapter import run


def main(sm):
    countries = pd.read_parquet(sm.input.groups)
    years = pd.read_parquet(sm.input.indices, columns=["year"])["year"]
    membership = build_membership(
        countries,
        range(int(years.min()), int(years.max()) + 1),
        sm.params.definitions,
        cis_reference_day=sm.params.cis_reference_day,
        include_associates=sm.params.include_associates,
        include_kazakhstan=sm.params.include_kazakhstan,
        path=sm.input.groups,
    )
    write_parquet(membership, sm.output.membership)


run(snakemake, main)
