"""Snakemake adapter: the primary-distribution table -> Figure 1's replacement (plotting only)."""

from kzopen.compare.figure_data import figure_groups
from kzopen.compare.plots import group_distribution
from kzopen.core.figures import save_figure, use_style
from kzopen.core.io import one_row, read_results
from kzopen.pipeline.adapter import run


def main(sm):
    use_style()
    p = sm.params.primary
    table = read_results(sm.input.table)
    kz = one_row(table, "role", "kazakhstan", sm.input.table, "Kazakhstan's one row")
    means = dict(table.loc[table["role"] == "group_mean", ["group", "value"]].itertuples(False))
    label = kz["indicator_label"]
    fig = group_distribution(
        table[table["role"] == "member"],
        figure_groups(p, sm.params.figure_groups),
        sm.params.labels,
        kz,
        means,
        read_results(sm.input.reported),
        title=f"{label} {p['year']}: country scores by group",
        ylabel=f"{label}, score",
    )
    save_figure(fig, sm.output.png, sm.output.svg)


run(snakemake, main)
