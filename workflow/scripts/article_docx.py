"""Snakemake adapter: manuscript Markdown -> Word (.docx), anonymised for `<name>.anon.docx`."""

from kzopen.article.docx import render_docx
from kzopen.article.render import References
from kzopen.pipeline.adapter import run


def main(sm):
    filters = list(sm.input.filters)
    if sm.wildcards.anon:
        filters.append(sm.input.anonymise)
    refs = References(sm.input.bib, sm.input.csl)
    render_docx(
        sm.input.md,
        sm.output.docx,
        sm.input.reference,
        sm.params.title,
        refs,
        filters,
        figure_prefix=sm.params.figure_prefix,
    )


run(snakemake, main)
