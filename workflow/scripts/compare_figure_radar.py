"""Snakemake adapter: the openness profile -> the radar figure (plotting only)."""

import pandas as pd

from kzopen.compare.plots import radar
from kzopen.core.figures import save_figure, use_style
from kzopen.pipeline.adapter import run


def main(sm):
    use_style()
    fig = radar(pd.read_csv(sm.input.profile, keep_default_na=True), sm.params.labels)
    save_figure(fig, sm.output.png, sm.output.svg)


run(snakemake, main)
