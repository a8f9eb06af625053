"""Snakemake adapter: article values + placeholder record -> the provenance page."""

import json
from pathlib import Path

from kzopen.article.provenance import provenance_table, render_provenance_page
from kzopen.core.io import write_text
from kzopen.pipeline.adapter import run


def main(sm):
    values = json.loads(Path(sm.input.values).read_text(encoding="utf-8"))
    placed = json.loads(Path(sm.input.placeholders).read_text(encoding="utf-8"))
    page = render_provenance_page(provenance_table(values, placed), sm.params.title)
    write_text(page, sm.output.html)


run(snakemake, main)
