"""Snakemake adapter: every table (data or results) -> CSV, Markdown, LaTeX (booktabs), HTML."""

from kzopen.adapter import run
from kzopen.article.specs import spec_for
from kzopen.article.tables import write_table
from kzopen.article.values import read_table


def main(sm):
    for name in sm.params.names:
        paths = {ext: sm.output[f"{name}_{ext}"] for ext in sm.params.formats}
        write_table(read_table(sm.input[name]), spec_for(name), paths)


run(snakemake, main)
