"""Snakemake adapter: portal result tables -> the units figure or the sensitivity figure."""

import pandas as pd

from kzopen.adapter import run
from kzopen.figures import save_figure, use_style
from kzopen.portal.plots import plot_sensitivity, plot_units


def main(sm):
    use_style()
    labels = {o["name"]: o["label"] for o in sm.params.portal["outcomes"]}
    if sm.params.kind == "units":
        fig = plot_units(pd.read_csv(sm.input.units), labels)
    else:
        fig = plot_sensitivity(
            pd.read_csv(sm.input.sensitivity),
            pd.read_csv(sm.input.pairs),
            pd.read_csv(sm.input.tests),
            labels,
            sm.params.portal["alpha"],
        )
    save_figure(fig, sm.output.png, sm.output.svg)


run(snakemake, main)
