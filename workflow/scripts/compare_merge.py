"""Snakemake adapter: per-source comparisons -> results/group_comparisons.csv (families, Holm, BH)."""

import pandas as pd

from kzopen.compare.tasks import catalogue, confirmatory_keys, finalize, primary_from_config
from kzopen.core.io import read_results, write_csv
from kzopen.pipeline.adapter import params, run


def main(sm):
    indices = pd.read_parquet(sm.input.indices)
    cfg = params(sm)  # the compare keys this rule passes
    cat = catalogue(indices)
    primary = primary_from_config(indices, cfg, sm.params.definitions, cat=cat)
    parts = [read_results(p) for p in sm.input.tables]
    for p in parts:
        for c in (
            "reason",
            "me_note",
            "perm_method",
            "perm_t_method",
            "g_ci_method",
            "countries_a",
            "countries_b",
        ):
            p[c] = p[c].fillna("")
        p["family"], p["holm_reject"] = "", ""
    confirmatory = confirmatory_keys(indices, cfg, sm.params.definitions, cat=cat)
    local = confirmatory_keys(indices, cfg, sm.params.definitions, "confirmatory_local", cat=cat)
    table = finalize(
        parts,
        primary,
        sm.params.adjust_p,
        confirmatory,
        sm.params.alpha,
        indices_file=str(sm.input.indices),
        confirmatory_local=local,
    )
    write_csv(table, sm.output.table)


run(snakemake, main)
