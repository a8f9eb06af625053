"""Snakemake adapter: the article's reported group averages, checked against the claims table."""

from kzopen.compare.reported import read_reported_means
from kzopen.core.io import write_csv
from kzopen.groups import check_group_ids
from kzopen.pipeline.adapter import run


def main(sm):
    rep = read_reported_means(sm.input.reported, sm.input.claims)
    check_group_ids(rep["group"], sm.params.definitions, f"group column of {sm.input.reported}")
    write_csv(rep, sm.output.table)


run(snakemake, main)
