"""Snakemake adapter: comparisons + index table -> the confirmatory family as a whole (the
correlations among its indicators, and the family on the common set of countries)."""

from dataclasses import replace

import pandas as pd

from kzopen.compare.family import common_set_sensitivity, family_correlations
from kzopen.compare.tasks import settings_from_config
from kzopen.core.io import read_results, write_csv
from kzopen.pipeline.adapter import params, run


def main(sm):
    comp = read_results(sm.input.comparisons)
    comp["countries_a"] = comp["countries_a"].fillna("")
    comp["countries_b"] = comp["countries_b"].fillna("")
    indices = pd.read_parquet(sm.input.indices)
    name = str(sm.input.comparisons)
    write_csv(family_correlations(comp, indices, "confirmatory", name), sm.output.correlations)
    cfg = params(sm)  # the compare keys this rule passes
    settings = replace(
        settings_from_config(cfg), exact_max_partitions=int(cfg["exact_max_partitions"])
    )
    common = common_set_sensitivity(comp, indices, "confirmatory", settings, sm.params.seed, name)
    write_csv(common, sm.output.common_set)


run(snakemake, main)
