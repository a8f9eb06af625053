"""Snakemake adapter: the authors' BibTeX -> the bibliography pandoc and Typst read."""

from kzopen.adapter import run
from kzopen.article.bibliography import build_references


def main(sm):
    n = build_references(sm.input.bib, sm.output.bib)
    print(f"{n} references written to {sm.output.bib}")


run(snakemake, main)
