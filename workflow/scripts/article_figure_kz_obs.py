"""Snakemake adapter: data/processed/indices.parquet -> Kazakhstan's Open Budget Survey figure."""

import pandas as pd

from kzopen.article.plots import plot_kz_open_budget
from kzopen.core.figures import save_figure
from kzopen.pipeline.adapter import run


def main(sm):
    fig = plot_kz_open_budget(
        pd.read_parquet(sm.input.indices), sm.input.indices, sm.params.break_year
    )
    save_figure(fig, sm.output.png, sm.output.svg)


run(snakemake, main)
