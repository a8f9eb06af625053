"""Snakemake adapter: the Word reference document (page, fonts, styles) for pandoc."""

from kzopen.adapter import run
from kzopen.article.docx import write_reference_docx


def main(sm):
    write_reference_docx(sm.output.docx)


run(snakemake, main)
