"""Snakemake adapter: local-level tables -> the local self-government figure (plotting only)."""

from kzopen.compare.local_plots import local_government
from kzopen.core.figures import save_figure, use_style
from kzopen.core.io import read_results
from kzopen.pipeline.adapter import run


def main(sm):
    use_style()
    fig = local_government(
        read_results(sm.input.trajectories),
        read_results(sm.input.distribution),
        [item["indicator"] for item in sm.params.local_family],
        sm.params.groups,
        sm.params.labels,
        sm.params.first_year,
    )
    save_figure(fig, sm.output.png, sm.output.svg)


run(snakemake, main)
