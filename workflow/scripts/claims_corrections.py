"""Snakemake adapter: claims audit -> corrections to the printed article."""

from kzopen.claims.corrections import build_corrections
from kzopen.core.io import read_results, write_csv
from kzopen.pipeline.adapter import run


def main(sm):
    audit = read_results(sm.input.audit, text=True)
    write_csv(build_corrections(audit, sm.input.audit), sm.output.corrections)


run(snakemake, main)
