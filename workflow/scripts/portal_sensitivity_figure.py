"""Snakemake adapter: the portal sensitivity tables -> the sensitivity figure (plotting only)."""

import pandas as pd

from kzopen.core.figures import save_figure, use_style
from kzopen.pipeline.adapter import run
from kzopen.portal.plots import plot_sensitivity


def main(sm):
    use_style()
    fig = plot_sensitivity(
        pd.read_csv(sm.input.sensitivity),
        pd.read_csv(sm.input.pairs),
        pd.read_csv(sm.input.tests),
        sm.params.labels,
        sm.params.alpha,
    )
    save_figure(fig, sm.output.png, sm.output.svg)


run(snakemake, main)
