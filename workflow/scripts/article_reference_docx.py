"""Snakemake adapter: the Word reference document (page, fonts, styles) for pandoc."""

from kzopen.article.docx import write_reference_docx
from kzopen.pipeline.adapter import run


def main(sm):
    write_reference_docx(sm.output.docx)


run(snakemake, main)
