"""Snakemake adapter: values + metadata + Jinja2 template -> checked Markdown manuscript."""

from pathlib import Path

from kzopen.adapter import run
from kzopen.article.metadata import load_metadata
from kzopen.article.placeholders import build_placeholders, write_placeholders
from kzopen.article.render import Context, build_markdown
from kzopen.article.software import software_versions


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
    # where each value is printed, for `make diff` (docs/changes.md)
    write_placeholders(
        build_placeholders(template.parent, template.name, ctx), sm.output.placeholders
    )


run(snakemake, main)
