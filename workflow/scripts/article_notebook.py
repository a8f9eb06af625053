"""Snakemake adapter: execute one exploratory notebook; write the executed copy and HTML."""

from kzopen.article.notebooks import execute_notebook
from kzopen.pipeline.adapter import run


def main(sm):
    execute_notebook(
        sm.input.notebook, sm.output.ipynb, sm.output.html, cwd=".", timeout=int(sm.params.timeout)
    )


run(snakemake, main)
