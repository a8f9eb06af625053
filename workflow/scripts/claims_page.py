"""Snakemake adapter: claims audit -> Markdown fragment and standalone reproducibility page."""

import pandas as pd

from kzopen.claims.page import render_html, render_markdown
from kzopen.core.io import write_text
from kzopen.pipeline.adapter import run


def main(sm):
    audit = pd.read_csv(sm.input.audit, dtype=str, keep_default_na=False)
    summary = pd.read_csv(sm.input.summary)
    write_text(render_markdown(audit, summary, sm.params.heading_level), sm.output.md)
    made = {"file": str(sm.input.audit), **sm.params.producers[str(sm.input.audit)]}
    write_text(render_html(audit, summary, sm.params.title, made), sm.output.html)


run(snakemake, main)
