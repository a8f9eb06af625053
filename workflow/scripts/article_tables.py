"""Snakemake adapter: every table (data or results) -> CSV, Markdown, LaTeX (booktabs), HTML."""

from kzopen.article.specs import spec_for
from kzopen.article.values import read_table
from kzopen.core.tables import write_table
from kzopen.pipeline.adapter import run


def main(sm):
    for name in sm.params.names:
        paths = {ext: sm.output[f"{name}_{ext}"] for ext in sm.params.formats}
        write_table(read_table(sm.input[name]), spec_for(name), paths)


run(snakemake, main)
