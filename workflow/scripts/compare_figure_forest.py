"""Snakemake adapter: the comparison table -> the forest plot of Hedges' g (plotting only)."""

from kzopen.compare.plots import forest
from kzopen.core.figures import save_figure, use_style
from kzopen.core.io import read_results
from kzopen.pipeline.adapter import run


def main(sm):
    use_style()
    comparisons = read_results(sm.input.comparisons)
    fig = forest(
        comparisons, sm.params.labels, [tuple(x) for x in sm.params.pairs], sm.params.alpha
    )
    save_figure(fig, sm.output.png, sm.output.svg)


run(snakemake, main)
