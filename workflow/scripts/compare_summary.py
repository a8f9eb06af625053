"""Snakemake adapter: results tables -> results/summary.md in plain words."""

import pandas as pd

from kzopen.compare.summary import render_summary
from kzopen.core.io import write_text
from kzopen.pipeline.adapter import params, run


def main(sm):
    cfg = params(sm)  # the compare keys this rule passes, and the group definitions
    read = lambda p: pd.read_csv(p, keep_default_na=True)  # noqa: E731
    text = render_summary(
        read(sm.input.comparisons),
        read(sm.input.robustness),
        read(sm.input.position),
        read(sm.input.trends),
        read(sm.input.reported),
        cfg,
        {"definitions": cfg["definitions"]},
        comparisons_file=str(sm.input.comparisons),
    )
    write_text(text, sm.output.summary)


run(snakemake, main)
