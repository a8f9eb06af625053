"""Snakemake adapter: claims audit -> Markdown fragment and standalone reproducibility page."""

from kzopen.claims.page import render_html, render_markdown
from kzopen.core.io import read_results, write_text
from kzopen.pipeline.adapter import run


def main(sm):
    audit = read_results(sm.input.audit, text=True)
    summary = read_results(sm.input.summary)
    md = render_markdown(audit, summary, sm.params.heading_level, registry=sm.params.registry)
    write_text(md, sm.output.md)
    made = {"file": str(sm.input.audit), **sm.params.producers[str(sm.input.audit)]}
    write_text(render_html(audit, summary, sm.params.title, made), sm.output.html)


run(snakemake, main)
