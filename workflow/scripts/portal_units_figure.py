"""Snakemake adapter: the portal units table -> reported values with GRIM minimum n (plotting)."""

import pandas as pd

from kzopen.core.figures import save_figure, use_style
from kzopen.pipeline.adapter import run
from kzopen.portal.plots import plot_units


def main(sm):
    use_style()
    save_figure(
        plot_units(pd.read_csv(sm.input.units), sm.params.labels), sm.output.png, sm.output.svg
    )


run(snakemake, main)
