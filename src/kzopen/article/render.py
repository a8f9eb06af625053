"""Manuscript rendering: Jinja2 template + values -> Markdown -> HTML (pandoc) and PDF (Typst).

The template is rendered twice with the same context: once in *check* mode, where every
placeholder output is marked, to run the orphan-number check; once plainly for publication.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jinja2

from kzopen.article.bibliography import bib_keys, check_citations
from kzopen.article.context import Context
from kzopen.article.template import TemplateFunctions
from kzopen.core.errors import InputError
from kzopen.core.fmt import Formatter, orphan_numbers, unmark
from kzopen.core.io import atomic_path, write_text
from kzopen.core.pandoc import run_pandoc

# The PDF's page margins (A4): 21 cm less two margins of 2.5 cm is a text width of 16 cm, the
# width the figures are drawn at (kzopen.core.figures.TEXT_WIDTH_IN), so that they print at
# their drawn size. (The Word edition's 2 cm margins leave 17 cm.)
PDF_MARGIN_CM = 2.5


class OrphanNumberError(InputError):
    """The rendered manuscript contains numbers that no placeholder produced."""


def printed_as(call: str, value: Any, *args: Any) -> str:
    """``value`` as the placeholder ``call(name, *args)`` (``num``, ``p_rel``…) prints it."""
    ctx = Context(values={"value": value}, sources={}, tables={})
    return str(TemplateFunctions(ctx, Formatter(), call).shown()[call]("value", *args))


def render_markdown(
    template_dir: str | Path,
    template: str,
    ctx: Context,
    check: bool,
    record: list[dict[str, Any]] | None = None,
) -> str:
    """Render the manuscript template; ``check=True`` marks every placeholder output; with a
    ``record`` list, placeholders print numbered tokens and their text goes to the list."""
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(template_dir)),
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
        autoescape=False,
        # pandoc attributes such as {#sec-results} must not open a Jinja comment
        comment_start_string="{##",
        comment_end_string="##}",
    )
    fmt = Formatter(check=check)
    env.globals.update(TemplateFunctions(ctx, fmt, f"{template_dir}/{template}").globals(record))
    try:
        return env.get_template(template).render()
    except jinja2.TemplateError as exc:
        raise InputError(f"{template_dir}/{template}", f"template error: {exc}") from None


def check_orphans(marked: str, allow: Sequence[str], template: str) -> str:
    """Report of the orphan-number check; raises OrphanNumberError when any number is orphan."""
    orphans = orphan_numbers(marked, allow)
    if orphans:
        listing = "; ".join(
            f"line {n}: {num!r} in {_around(line, num)!r}" for n, num, line in orphans[:10]
        )
        raise OrphanNumberError(
            template,
            f"{len(orphans)} number(s) in the rendered text come from no placeholder: {listing}",
            expected="every number filled from a placeholder (the article's values), or matched "
            "by config article.orphan_allow",
        )
    n_marked = marked.count("\ue000")
    return f"orphan-number check passed: {n_marked} placeholder outputs, 0 orphan numbers\n"


def _around(line: str, num: str, width: int = 40) -> str:
    i = line.find(num)
    return line[max(0, i - width) : i + len(num) + width].strip()


def build_markdown(
    template_dir: str | Path,
    template: str,
    ctx: Context,
    allow: Sequence[str],
    out_md: str | Path,
    out_check: str | Path,
) -> None:
    marked = render_markdown(template_dir, template, ctx, check=True)
    report = check_orphans(marked, allow, f"{template_dir}/{template}")
    plain = render_markdown(template_dir, template, ctx, check=False)
    if unmark(marked) != plain:
        raise RuntimeError("check-mode and plain renderings differ beyond the markers")
    write_text(plain, out_md)
    write_text(report, out_check)


# -- pandoc and Typst -----------------------------------------------------------------------


@dataclass(frozen=True)
class References:
    """The rendered bibliography (build/article/references.bib) and the citation style."""

    bib: Path
    csl: Path

    def check(self, md: str | Path) -> None:
        """Stop when the manuscript cites a key the bibliography does not hold."""
        text = Path(md).read_text(encoding="utf-8")
        check_citations(text, bib_keys(self.bib), str(md), str(self.bib))

    def citeproc_args(self, cwd: str | Path) -> list[str]:
        """Paths relative to pandoc's working folder: pandoc copies them into the Word file's
        properties, where an absolute path would make rebuilds in another folder differ."""
        rel = lambda p: os.path.relpath(Path(p).resolve(), Path(cwd).resolve())  # noqa: E731
        return ["--citeproc", f"--bibliography={rel(self.bib)}", f"--csl={rel(self.csl)}"]


def render_html(
    md: str | Path, out: str | Path, css: str | Path, title: str, refs: References
) -> None:
    """Self-contained HTML5 (images and CSS embedded as data URIs), no date, numbered sections."""
    refs.check(md)
    md, out, css = Path(md).resolve(), Path(out), Path(css).resolve()
    with atomic_path(out) as tmp:
        run_pandoc(
            [
                str(md),
                "--from=markdown",
                "--to=html5",
                "--standalone",
                "--embed-resources",
                "--toc",
                "--number-sections",
                *refs.citeproc_args(md.parent),
                f"--css={css}",
                f"--metadata=pagetitle:{title}",
                "--metadata=lang:en",
                f"--resource-path={md.parent}",
                f"--output={tmp.resolve()}",
            ],
            cwd=md.parent,
        )


def render_gfm(md: str | Path, out: str | Path, refs: References) -> None:
    """GitHub Markdown for readers of the repository (``results/summary.md``): citations
    resolved by citeproc, the references at the end, no wrapping (stable diffs)."""
    refs.check(md)
    md = Path(md).resolve()
    text = run_pandoc(
        [
            str(md),
            "--from=markdown",
            "--to=gfm-raw_html",
            "--wrap=none",
            *refs.citeproc_args(md.parent),
        ],
        cwd=md.parent,
    )
    write_text(text, out)


def render_typst_source(
    md: str | Path,
    out_typ: str | Path,
    title: str,
    refs: References,
    header: str | Path | None = None,
    filters: Sequence[str | Path] = (),
) -> None:
    """Typst source; citations stay Typst citations, resolved by Typst's own bibliography.
    ``filters`` are pandoc Lua filters, applied in order (the build's: the one that sizes table
    columns by their content, shared with Word, and the one that gives the PDF each figure's
    SVG)."""
    refs.check(md)
    md = Path(md).resolve()
    extra = [f"--include-in-header={Path(header).resolve()}"] if header else []
    extra += [f"--lua-filter={Path(f).resolve()}" for f in filters]
    # Typst resolves these paths from the folder of the .typ file
    here = Path(out_typ).resolve().parent
    with atomic_path(out_typ) as tmp, tempfile.TemporaryDirectory() as meta_dir:
        # a map (the template's margin/pairs) can only come from a metadata file
        page = Path(meta_dir) / "page.yaml"
        page.write_text(
            f"margin:\n  x: {PDF_MARGIN_CM}cm\n  y: {PDF_MARGIN_CM}cm\n", encoding="utf-8"
        )
        run_pandoc(
            [
                str(md),
                "--from=markdown",
                "--to=typst",
                "--standalone",
                "--number-sections",
                # the title is printed in each language block, after the classification codes
                f"--metadata=pagetitle:{title}",
                "--metadata=lang:en",
                "--metadata=papersize:a4",
                f"--metadata-file={page}",
                "--metadata=fontsize:10pt",
                "--metadata=mainfont:Libertinus Serif",
                "--metadata=section-numbering:1.1",
                f"--metadata=bibliography:{os.path.relpath(Path(refs.bib).resolve(), here)}",
                f"--metadata=csl:{os.path.relpath(Path(refs.csl).resolve(), here)}",
                *extra,
                f"--output={tmp.resolve()}",
            ],
            cwd=md.parent,
        )


def render_pdf(typ: str | Path, out_pdf: str | Path, root: str | Path) -> None:
    """Compile Typst to PDF with the bundled fonts only and a fixed timestamp (byte-stable)."""
    import typst

    epoch = int(os.environ.get("SOURCE_DATE_EPOCH", "1704067200"))
    with atomic_path(out_pdf) as tmp:
        try:
            pdf = typst.compile(
                str(Path(typ).resolve()),
                root=str(Path(root).resolve()),
                ignore_system_fonts=True,
                timestamp=epoch,
            )
        except Exception as exc:  # typst raises its own error type with the diagnostics
            raise RuntimeError(f"typst failed: {exc}") from None
        tmp.write_bytes(pdf)
