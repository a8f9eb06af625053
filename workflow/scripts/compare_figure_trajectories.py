"""Snakemake adapter: group trajectories -> the trajectories figure (plotting only)."""

import pandas as pd

from kzopen.compare.plots import trajectories
from kzopen.core.figures import save_figure, use_style
from kzopen.pipeline.adapter import run


def main(sm):
    use_style()
    cfg = sm.params.compare
    catalogue = pd.read_csv(sm.input.catalogue)
    titles = {
        f"{r.source}/{r.indicator}": f"{r.indicator_label} ({r.source})"
        for r in catalogue.itertuples(index=False)
    }
    fig = trajectories(
        pd.read_csv(sm.input.trajectories, keep_default_na=True),
        cfg["trajectory_indicators"],
        cfg["trend_groups"],
        sm.params.labels,
        titles,
    )
    save_figure(fig, sm.output.png, sm.output.svg)


run(snakemake, main)
