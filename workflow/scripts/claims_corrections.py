"""Snakemake adapter: claims audit -> corrections to the printed article."""

import pandas as pd

from kzopen.claims.corrections import build_corrections
from kzopen.core.io import write_csv
from kzopen.pipeline.adapter import run


def main(sm):
    audit = pd.read_csv(sm.input.audit, dtype=str, keep_default_na=False)
    write_csv(build_corrections(audit, sm.input.audit), sm.output.corrections)


run(snakemake, main)
