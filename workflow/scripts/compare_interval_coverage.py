"""Snakemake adapter: comparisons -> coverage of the effect-size intervals (simulation)."""

from kzopen.compare.coverage import interval_coverage
from kzopen.compare.tasks import settings_from_config
from kzopen.core.io import read_results, write_csv
from kzopen.pipeline.adapter import params, run


def main(sm):
    comp = read_results(sm.input.comparisons)
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
