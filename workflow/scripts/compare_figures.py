"""Snakemake adapter: the four comparison figures (kind from params.kind)."""

import pandas as pd

from kzopen.adapter import run
from kzopen.compare import plots as plots_compare
from kzopen.figures import save_figure, use_style


def _read(path):
    return pd.read_csv(path, keep_default_na=True)


def main(sm):
    use_style()
    cfg, labels = sm.params.compare, sm.params.labels
    kind = sm.params.kind
    if kind == "distribution":
        p = cfg["primary"]
        comp = _read(sm.input.comparisons)
        prim = comp[comp["is_primary"].astype(str) == "True"].iloc[0]
        indices = pd.read_parquet(sm.input.indices)
        membership = pd.read_parquet(sm.input.membership)
        sel = indices[(indices["source"] == p["source"]) & (indices["indicator"] == p["indicator"])
                      & (indices["year"] == p["year"])]  # fmt: skip
        groups = list(dict.fromkeys([p["group_a"], p["group_b"], *cfg["figure_groups"]]))
        mem = membership[(membership["year"] == p["year"]) & membership["group"].isin(groups)]
        values = mem.merge(sel[["iso3", "value"]], on="iso3")
        traj = _read(sm.input.trajectories)
        t = traj[(traj["source"] == p["source"]) & (traj["indicator"] == p["indicator"])
                 & (traj["year"] == p["year"])].set_index("series")["mean"]  # fmt: skip
        means = {g: float(t[g]) for g in groups if g in t.index}
        means.update({prim["group_a"]: prim["mean_a"], prim["group_b"]: prim["mean_b"]})
        pos = _read(sm.input.position)
        kz = pos[(pos["source"] == p["source"]) & (pos["indicator"] == p["indicator"])
                 & (pos["year"] == p["year"])].iloc[0]  # fmt: skip
        fig = plots_compare.group_distribution(
            values, groups, labels, kz, means, _read(sm.input.reported),
            title=f"{prim['indicator_label']} {p['year']}: country scores by group",
            ylabel=f"{prim['indicator_label']} ({p['source']})",
        )  # fmt: skip
    elif kind == "forest":
        fig = plots_compare.forest(
            _read(sm.input.comparisons), labels, [tuple(x) for x in cfg["pairs"]], cfg["alpha"]
        )
    elif kind == "trajectories":
        indices = pd.read_parquet(
            sm.input.indices, columns=["source", "indicator", "indicator_label"]
        )
        titles = {f"{s}/{i}": f"{lab} ({s})" for s, i, lab in
                  indices.drop_duplicates(["source", "indicator"]).itertuples(index=False)}  # fmt: skip
        fig = plots_compare.trajectories(
            _read(sm.input.trajectories), cfg["trajectory_indicators"], cfg["trend_groups"],
            labels, titles,
        )  # fmt: skip
    else:
        fig = plots_compare.radar(_read(sm.input.profile), labels)
    save_figure(fig, sm.output.png, sm.output.svg)


run(snakemake, main)
