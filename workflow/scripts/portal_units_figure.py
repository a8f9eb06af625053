"""Snakemake adapter: the portal units table -> reported values with GRIM minimum n (plotting)."""

from kzopen.core.figures import save_figure, use_style
from kzopen.core.io import read_results
from kzopen.pipeline.adapter import run
from kzopen.portal.plots import plot_units


def main(sm):
    use_style()
    save_figure(
        plot_units(read_results(sm.input.units), sm.params.labels), sm.output.png, sm.output.svg
    )


run(snakemake, main)
