"""Snakemake adapter: group trajectories -> the trajectories figure (plotting only)."""

from kzopen.compare.plots import trajectories
from kzopen.core.figures import save_figure, scale_label, use_style
from kzopen.core.io import read_results
from kzopen.core.labels import SHORT_SOURCES
from kzopen.pipeline.adapter import run


def main(sm):
    use_style()
    catalogue = read_results(sm.input.catalogue)
    titles = {
        f"{r.source}/{r.indicator}": f"{r.indicator_label} ({SHORT_SOURCES.get(r.source, r.source)})"
        for r in catalogue.itertuples(index=False)
    }
    ylabels = {
        f"{r.source}/{r.indicator}": scale_label(r.scale_min, r.scale_max)
        for r in catalogue.itertuples(index=False)
    }
    fig = trajectories(
        read_results(sm.input.trajectories),
        sm.params.trajectory_indicators,
        sm.params.trend_groups,
        sm.params.labels,
        titles,
        ylabels,
        series_breaks=sm.params.series_breaks,
    )
    save_figure(fig, sm.output.png, sm.output.svg)


run(snakemake, main)
