"""Snakemake adapter: the authors' BibTeX -> the bibliography pandoc and Typst read."""

from kzopen.article.bibliography import build_references
from kzopen.pipeline.adapter import run


def main(sm):
    n = build_references(sm.input.bib, sm.output.bib)
    print(f"{n} references written to {sm.output.bib}")


run(snakemake, main)
