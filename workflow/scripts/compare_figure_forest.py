"""Snakemake adapter: the comparison table -> the forest plot of Hedges' g (plotting only)."""

import pandas as pd

from kzopen.compare.plots import forest
from kzopen.core.figures import save_figure, use_style
from kzopen.pipeline.adapter import run


def main(sm):
    use_style()
    comparisons = pd.read_csv(sm.input.comparisons, keep_default_na=True)
    fig = forest(
        comparisons, sm.params.labels, [tuple(x) for x in sm.params.pairs], sm.params.alpha
    )
    save_figure(fig, sm.output.png, sm.output.svg)


run(snakemake, main)
