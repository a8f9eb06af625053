"""Snakemake adapter: Markdown manuscript -> Typst source -> PDF (Typst's own bibliography)."""

from kzopen.article.render import References, render_pdf, render_typst_source
from kzopen.pipeline.adapter import run


def main(sm):
    refs = References(sm.input.bib, sm.input.csl)
    filters = [sm.input.table_filter, sm.input.vector_filter]
    render_typst_source(sm.input.md, sm.output.typ, sm.params.title, refs, sm.input.header, filters)
    render_pdf(sm.output.typ, sm.output.pdf, root=".")


run(snakemake, main)
