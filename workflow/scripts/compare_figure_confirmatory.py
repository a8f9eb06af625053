"""Snakemake adapter: the comparison table -> the confirmatory effects figure (plotting only)."""

from kzopen.compare.plots import confirmatory_effects
from kzopen.core.figures import save_figure, use_style
from kzopen.core.io import read_results
from kzopen.core.labels import SOURCES
from kzopen.pipeline.adapter import run


def main(sm):
    use_style()
    comparisons = read_results(sm.input.comparisons)
    save_figure(confirmatory_effects(comparisons, SOURCES), sm.output.png, sm.output.svg)


run(snakemake, main)
