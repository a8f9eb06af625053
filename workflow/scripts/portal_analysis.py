"""Snakemake adapter: reported percentages + counts -> portal result tables."""

import pandas as pd

from kzopen.core.io import write_csv
from kzopen.pipeline.adapter import params, run
from kzopen.portal.analysis import PortalSettings, analyse, check_outcomes
from kzopen.portal.survey import read_reported, read_units


def main(sm):
    cfg = params(sm)  # the portal keys this rule passes
    units = read_units(sm.input.units)
    reported = read_reported(sm.input.reported, units)
    counts = pd.read_parquet(sm.input.counts)
    check_outcomes(reported, counts, [o["name"] for o in cfg["outcomes"]])
    population = pd.read_parquet(sm.input.population)
    settings = PortalSettings.from_config(cfg, seed=sm.params.seed)
    files = {"units": str(sm.input.units), "population": str(sm.input.population)}
    results = analyse(reported, counts, units, population, settings, files)
    for key, table in results.items():
        write_csv(table, sm.output[key])


run(snakemake, main)
