"""Snakemake adapter: Markdown manuscript -> self-contained HTML (pandoc)."""

from kzopen.adapter import run
from kzopen.article.render import render_html


def main(sm):
    render_html(sm.input.md, sm.output.html, sm.input.css, sm.params.title)


run(snakemake, main)
