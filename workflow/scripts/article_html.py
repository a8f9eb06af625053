"""Snakemake adapter: Markdown manuscript -> self-contained HTML (pandoc)."""

from kzopen.article.render import References, render_html
from kzopen.pipeline.adapter import run


def main(sm):
    refs = References(sm.input.bib, sm.input.csl)
    render_html(sm.input.md, sm.output.html, sm.input.css, sm.params.title, refs)


run(snakemake, main)
