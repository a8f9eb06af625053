"""Snakemake adapter: the openness profile -> the radar figure (plotting only)."""

from kzopen.compare.plots import radar
from kzopen.core.figures import save_figure, use_style
from kzopen.core.io import read_results
from kzopen.pipeline.adapter import run


def main(sm):
    use_style()
    fig = radar(read_results(sm.input.profile), sm.params.labels)
    save_figure(fig, sm.output.png, sm.output.svg)


run(snakemake, main)
