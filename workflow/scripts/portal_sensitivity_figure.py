"""Snakemake adapter: the portal sensitivity tables -> the sensitivity figure (plotting only)."""

from kzopen.core.figures import save_figure, use_style
from kzopen.core.io import read_results
from kzopen.pipeline.adapter import run
from kzopen.portal.plots import plot_sensitivity


def main(sm):
    use_style()
    fig = plot_sensitivity(
        read_results(sm.input.sensitivity),
        read_results(sm.input.pairs),
        read_results(sm.input.tests),
        sm.params.labels,
        sm.params.alpha,
    )
    save_figure(fig, sm.output.png, sm.output.svg)


run(snakemake, main)
