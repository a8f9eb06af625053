"""Snakemake adapter: Markdown manuscript -> Typst source -> PDF."""

from kzopen.adapter import run
from kzopen.article.render import render_pdf, render_typst_source


def main(sm):
    render_typst_source(sm.input.md, sm.output.typ, sm.params.title, sm.input.header)
    render_pdf(sm.output.typ, sm.output.pdf, root=".")


run(snakemake, main)
