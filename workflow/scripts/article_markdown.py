"""Snakemake adapter: values + metadata + Jinja2 template -> checked Markdown manuscript."""

from pathlib import Path

from kzopen.article.context import Context
from kzopen.article.metadata import load_metadata
from kzopen.article.placeholders import build_placeholders, write_placeholders
from kzopen.article.render import build_markdown
from kzopen.article.software import software_versions
from kzopen.core.io import write_text
from kzopen.pipeline.adapter import run


def main(sm):
    template = Path(sm.input.template)
    ctx = Context.load(
        sm.input.values,
        provenance=list(sm.params.provenance),
        software=software_versions(),
        metadata=load_metadata(sm.input.metadata, sm.input.metadata_schema),
    )
    build_markdown(
        template.parent, template.name, ctx, list(sm.params.allow), sm.output.md, sm.output.check
    )
    # where each value is printed, for `make diff` (docs/changes.md), and the text with each
    # value linked to its provenance, for the HTML
    placed = build_placeholders(template.parent, template.name, ctx)
    write_placeholders(placed, sm.output.placeholders)
    write_text(placed["linked"], sm.output.linked)


run(snakemake, main)
