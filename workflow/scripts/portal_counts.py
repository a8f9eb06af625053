"""Snakemake adapter: the configured portal input (form a, b or none) -> counts Parquet."""

from kzopen.core.io import write_parquet
from kzopen.pipeline.adapter import run
from kzopen.portal.survey import Outcome, load_counts, read_units


def main(sm):
    units = read_units(sm.input.units)
    path = sm.input.data[0] if len(sm.input.data) else None
    outcomes = [Outcome.from_config(o) for o in sm.params.outcomes]
    counts = load_counts(sm.params.input_form, path, units, outcomes, sm.params.batch_rows)
    write_parquet(counts, sm.output.counts)


run(snakemake, main)
