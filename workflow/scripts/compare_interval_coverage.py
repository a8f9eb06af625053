"""Snakemake adapter: comparisons -> coverage of the effect-size intervals (simulation)."""

import pandas as pd

from kzopen.compare.coverage import interval_coverage
from kzopen.compare.tasks import settings_from_config
from kzopen.core.io import write_csv
from kzopen.pipeline.adapter import params, run


def main(sm):
    comp = pd.read_csv(sm.input.comparisons, keep_default_na=False, na_values=[""])
    cfg = params(sm)  # the compare keys this rule passes
    table = interval_coverage(
        comp,
        "confirmatory",
        cfg["coverage"],
        settings_from_config(cfg),
        sm.params.seed,
        str(sm.input.comparisons),
    )
    write_csv(table, sm.output.table)


run(snakemake, main)
