"""Snakemake adapter: one table (data or results) -> CSV, Markdown, LaTeX (booktabs), HTML."""

from kzopen.adapter import run
from kzopen.article.specs import spec_for
from kzopen.article.tables import write_table
from kzopen.article.values import read_table


def main(sm):
    df = read_table(sm.input.table)
    paths = {"csv": sm.output.csv, "md": sm.output.md, "tex": sm.output.tex, "html": sm.output.html}
    write_table(df, spec_for(sm.wildcards.table), paths)


run(snakemake, main)
