"""Snakemake adapter: every configured comparison of one source -> results/compare/{source}.csv."""

import logging

import pandas as pd

from kzopen.compare.tasks import (
    build_tasks,
    catalogue,
    confirmatory_keys,
    run_comparisons,
    settings_from_config,
)
from kzopen.core.io import write_csv
from kzopen.groups import check_definitions
from kzopen.pipeline.adapter import params, run


def main(sm):
    indices = pd.read_parquet(sm.input.indices)
    membership = pd.read_parquet(sm.input.membership)
    cfg = params(sm)  # the compare keys this rule passes
    defs = cfg["definitions"]
    check_definitions(defs)
    cat = catalogue(indices)  # once: every selection below reads it
    tasks = build_tasks(indices, cfg, defs, cat=cat)
    tasks = tasks[tasks["source"] == sm.wildcards.source]
    logging.getLogger(__name__).info("%d comparisons for %s", len(tasks), sm.wildcards.source)
    exact = set(confirmatory_keys(indices, cfg, defs, cat=cat)) | set(
        confirmatory_keys(indices, cfg, defs, "confirmatory_local", cat=cat)
    )
    out = run_comparisons(
        indices[indices["source"] == sm.wildcards.source],
        membership,
        tasks,
        random_seed=sm.params.seed,
        settings=settings_from_config(cfg),
        exact_keys=exact,
        exact_max_partitions=int(cfg["exact_max_partitions"]),
        confirmatory_n_bootstrap=int(cfg["confirmatory_n_bootstrap"]),
    )
    write_csv(out, sm.output.table)


run(snakemake, main)
