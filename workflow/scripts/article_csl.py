"""Snakemake adapter: the citation style chosen in article/metadata.yaml -> its CSL file."""

from pathlib import Path

from kzopen.article.bibliography import citation_style
from kzopen.article.metadata import load_metadata
from kzopen.core.io import write_text
from kzopen.pipeline.adapter import run


def main(sm):
    meta = load_metadata(sm.input.metadata, sm.input.metadata_schema)
    styles = {"numbered": sm.input.numbered, "author-date": sm.input.author_date}
    chosen = citation_style(meta, styles, str(sm.input.metadata))
    write_text(Path(chosen).read_text(encoding="utf-8"), sm.output.csl)
    print(f"citation style {meta.get('citation_style', 'numbered')}: {chosen}")


run(snakemake, main)
