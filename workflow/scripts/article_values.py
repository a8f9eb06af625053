"""Snakemake adapter: finished tables -> results/article_values.json (the manuscript context)."""

from kzopen.article.values import build_values
from kzopen.core.io import write_text
from kzopen.pipeline.adapter import CONFIG_FILE, run

BASE = (
    "indices",
    "catalogue",
    "groups",
    "claims",
    "table1_legislation",
    "table2_website_criteria",
    "manifest",
    "evidence",
)


def main(sm):
    inputs = {k: str(getattr(sm.input, k)) for k in BASE}
    # every other named input is a results table or a Markdown fragment; `code` lists the
    # package modules (a rerun trigger only)
    extra = {k: str(v) for k, v in sm.input.items() if k not in (*BASE, "code")}
    settings = dict(sm.params.settings)
    read = {*inputs.values(), *extra.values()}
    found = {path: who for path, who in sm.params.producers.items() if path in read}
    write_text(build_values(inputs, extra, settings, CONFIG_FILE).to_json(found), sm.output.values)


run(snakemake, main)
