"""Snakemake adapter: values + summary template -> results/summary.md (the results in plain
words, with the article's values, abstract and bibliography)."""

from pathlib import Path

from kzopen.article.context import Context
from kzopen.article.render import References, build_markdown, render_gfm
from kzopen.pipeline.adapter import run


def main(sm):
    template = Path(sm.input.template)
    ctx = Context.load(sm.input.values, edition="html")
    build_markdown(
        template.parent, template.name, ctx, list(sm.params.allow), sm.output.md, sm.output.check
    )
    render_gfm(sm.output.md, sm.output.summary, References(sm.input.bib, sm.input.csl))


run(snakemake, main)
