"""Manuscript rendering: Jinja2 template + values -> Markdown -> HTML (pandoc) and PDF (Typst).

The template is rendered twice with the same context: once in *check* mode, where every
placeholder output is marked, to run the orphan-number check; once plainly for publication.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import jinja2
import pandas as pd

from kzopen.article.bibliography import bib_keys, check_citations
from kzopen.article.fmt import Formatter, orphan_numbers, unmark
from kzopen.article.metadata import back_matter, front_matter
from kzopen.article.tables import format_cells, to_markdown
from kzopen.errors import InputError
from kzopen.io import atomic_path, write_text

# Languages of the front matter and the Babel locale that formats their numbers.
LOCALES = {"en": "en_GB", "ru": "ru_RU", "kk": "kk_KZ"}


class OrphanNumberError(InputError):
    """The rendered manuscript contains numbers that no placeholder produced."""


@dataclass
class Context:
    """What the template can see: values, their tables, the provenance list, the manifest."""

    values: dict[str, Any]
    sources: dict[str, str]
    tables: dict[str, list[dict[str, Any]]]
    provenance: list[dict[str, Any]] = field(default_factory=list)
    software: dict[str, str] = field(default_factory=dict)
    metadata: dict[str, Any] | None = None  # article/metadata.yaml, validated
    fig_prefix: str = "../../"  # from article/build/ back to the repository root
    where: dict[str, dict[str, Any]] = field(default_factory=dict)  # provenance per value
    producers: dict[str, dict[str, Any]] = field(default_factory=dict)  # rule per file

    @classmethod
    def load(cls, values_json: str | Path, **kw: Any) -> Context:
        doc = json.loads(Path(values_json).read_text(encoding="utf-8"))
        return cls(values=doc["values"], sources=doc["sources"], tables=doc["tables"],
                   where=doc.get("provenance", {}), producers=doc.get("producers", {}),
                   **kw)  # fmt: skip


def _functions(
    ctx: Context, fmt: Formatter, template_name: str, record: list[dict[str, Any]] | None = None
) -> dict[str, Any]:
    def value(name: str) -> Any:
        if name not in ctx.values:
            raise InputError(template_name, f"placeholder refers to unknown value {name!r}")
        return ctx.values[name]

    def has(name: str) -> bool:
        return name in ctx.values or name in ctx.tables

    def rows(table: str, **where: Any) -> list[dict[str, Any]]:
        if table not in ctx.tables:
            raise InputError(template_name, f"placeholder refers to unknown table {table!r}")
        out = [r for r in ctx.tables[table] if all(r.get(k) == w for k, w in where.items())]
        return out

    def row(table: str, **where: Any) -> dict[str, Any]:
        found = rows(table, **where)
        if len(found) != 1:
            raise InputError(
                template_name,
                f"table {table!r} has {len(found)} rows where {where}",
                expected="exactly one",
            )
        return found[0]

    def table(name: str, columns: Mapping[str, str] | None = None, **where: Any) -> str:
        df = pd.DataFrame(rows(name, **where))
        if df.empty:
            return fmt.mark("(no rows)") + "\n"
        if columns:
            df = df[list(columns)]
        cells = format_cells(df, fmt)
        return to_markdown(cells, list(columns.values()) if columns else list(df.columns))

    def item(item_id: str) -> dict[str, Any]:
        for it in ctx.provenance:
            if it["id"] == item_id:
                return it
        raise InputError(template_name, f"unknown figure or table id {item_id!r}")

    def figure(item_id: str, caption: str) -> str:
        it = item(item_id)
        path = ctx.fig_prefix + it["display"]
        made = (
            f"*Made by rule* [`{fmt.mark(it['rule'])}`](#prov-{item_id}), *script* "
            f"[`{fmt.mark(it['script'])}`]({fmt.mark(ctx.fig_prefix + it['script'])})."
        )
        return f"![{caption} {made}]({fmt.mark(path)}){{#fig-{item_id}}}\n"

    def table_source(item_id: str) -> str:
        it = item(item_id)
        return (
            f"*Table made by rule* [`{fmt.mark(it['rule'])}`](#prov-{item_id}), *script* "
            f"[`{fmt.mark(it['script'])}`]({fmt.mark(ctx.fig_prefix + it['script'])})."
        )

    def provenance_list() -> str:
        lines = []
        for it in ctx.provenance:
            ins = "; ".join(f"`{fmt.mark(p)}`" for p in it["inputs"]) or "none"
            outs = "; ".join(f"`{fmt.mark(p)}`" for p in it["outputs"])
            lines.append(
                f"[**{fmt.mark(it['label'])}**]{{#prov-{it['id']}}} {it['title']}  \n"
                f"Rule `{fmt.mark(it['rule'])}`, script `{fmt.mark(it['script'])}`.  \n"
                f"Inputs: {ins}.  \nOutputs: {outs}.\n"
            )
        return "\n".join(lines)

    def data_availability() -> str:
        cols = {"path": "File", "publisher": "Publisher", "license": "Licence", "sha256": "SHA-256"}
        df = pd.DataFrame(ctx.tables["manifest"])[list(cols)]
        df["sha256"] = df["sha256"].str.slice(0, 16) + "…"
        cells = format_cells(df, fmt)
        cells["path"] = [f"`{c}`" for c in cells["path"]]
        return to_markdown(cells, list(cols.values()))

    def fragment(
        name: str, drop_title: bool = True, until: str | None = None, level: int = 2
    ) -> str:
        """A Markdown fragment written by a pipeline rule (``fragment.<name>``), included as
        filled content: every line is marked, so its numbers count as pipeline output. The
        fragment's own first heading is dropped when the section has one, and its sub-headings
        are moved to ``level``; ``until`` cuts it at the first line starting with that text."""
        lines = str(value(f"fragment.{name}")).splitlines()
        if until is not None:
            cut = [i for i, ln in enumerate(lines) if ln.startswith(until)]
            lines = lines[: cut[0]] if cut else lines
        if drop_title and lines and lines[0].startswith("#"):
            title_level = len(lines[0]) - len(lines[0].lstrip("#"))
            shift = level - (title_level + 1)
            lines = [
                ("#" * max(1, len(ln) - len(ln.lstrip("#")) + shift)) + ln.lstrip("#")
                if re.match(r"#{1,6} ", ln)
                else ln
                for ln in lines[1:]
            ]
        return "\n".join(fmt.mark(ln) if ln.strip() else ln for ln in lines).strip("\n") + "\n"

    def claim(claim_id: str) -> str:
        """A claim id linked to its entry on the reproducibility page (article/build/)."""
        return f"[`{fmt.mark(claim_id)}`]({fmt.mark('reproducibility.html#' + claim_id)})"

    def _metadata() -> dict[str, Any]:
        if ctx.metadata is None:
            raise InputError(template_name, "front or back matter asked for, but no metadata given")
        return ctx.metadata

    def software_table() -> str:
        df = pd.DataFrame(sorted(ctx.software.items()), columns=["software", "version"])
        return to_markdown(format_cells(df, fmt), ["Software", "Version"])

    shown = {  # placeholders that print one named value
        "num_in": lambda name, lang, d=0: fmt.num_locale(value(name), LOCALES[lang], d),
        "pct_in": lambda name, lang, d=1: fmt.num_locale(value(name), LOCALES[lang], d, True),
        "num": lambda name, d=None: fmt.num(value(name), d),
        "int": lambda name: fmt.int(value(name)),
        "pct": lambda name, d=1: fmt.pct(value(name), d),
        "share": lambda name, d=1: fmt.share(value(name), d),
        "p": lambda name: fmt.p(value(name)),
        "p_rel": lambda name: fmt.p(value(name), relation=True),
        "text": lambda name: fmt.mark(value(name)),
    }
    blocks = {  # placeholders that print a generated block (a table, a fragment)
        "front_matter": lambda: front_matter(_metadata(), fmt.mark),
        "back_matter": lambda: back_matter(_metadata(), fmt.mark),
        "table": table,
        "data_availability": data_availability,
        "software_table": software_table,
        "fragment": fragment,
    }
    if record is not None:  # locating pass (kzopen.article.placeholders)
        shown = {k: _recorded(k, f, record, "value") for k, f in shown.items()}
        blocks = {k: _recorded(k, f, record, "block") for k, f in blocks.items()}
    return {
        "value": value,
        "has": has,
        "rows": rows,
        "row": row,
        "figure": figure,
        "table_source": table_source,
        "item": item,
        "provenance_list": provenance_list,
        "claim": claim,
        **shown,
        **blocks,
        "mark": fmt.mark,
        "fmt": fmt,
    }


def printed_as(call: str, value: Any, *args: Any) -> str:
    """``value`` as the placeholder ``call(name, *args)`` (``num``, ``p_rel``…) prints it."""
    ctx = Context(values={"value": value}, sources={}, tables={})
    return str(_functions(ctx, Formatter(), call)[call]("value", *args))


TOKEN_OPEN, TOKEN_CLOSE = "\ue002", "\ue003"


def _recorded(call: str, func: Any, record: list[dict[str, Any]], kind: str) -> Any:
    """``func`` that appends what it printed to ``record`` and prints a numbered token instead,
    so that the caller can find where in the manuscript each placeholder landed."""

    def wrapper(*args: Any, **kwargs: Any) -> str:
        text = func(*args, **kwargs)
        name = str(args[0]) if args else call
        entry = {"kind": kind, "call": call, "name": name, "args": [*args[1:]], "text": text}
        if kwargs:
            entry["kwargs"] = kwargs
        record.append(entry)
        return f"{TOKEN_OPEN}{len(record) - 1}{TOKEN_CLOSE}"

    return wrapper


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
    env.globals.update(_functions(ctx, fmt, f"{template_dir}/{template}", record))
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
            expected="every number filled from results/article_values.json, or matched by "
            "config article.orphan_allow",
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


def pandoc_path() -> str:
    import pypandoc

    return pypandoc.get_pandoc_path()


def pandoc_version() -> str:
    out = subprocess.run([pandoc_path(), "--version"], capture_output=True, text=True, check=True)
    return out.stdout.split("\n", 1)[0].split()[-1]


@dataclass(frozen=True)
class References:
    """The rendered bibliography (article/build/references.bib) and the citation style."""

    bib: Path
    csl: Path

    def check(self, md: str | Path) -> None:
        """Stop when the manuscript cites a key the bibliography does not hold."""
        check_citations(Path(md).read_text(encoding="utf-8"), bib_keys(self.bib), str(md))

    def citeproc_args(self, cwd: str | Path) -> list[str]:
        """Paths relative to pandoc's working folder: pandoc copies them into the Word file's
        properties, where an absolute path would make rebuilds in another folder differ."""
        rel = lambda p: os.path.relpath(Path(p).resolve(), Path(cwd).resolve())  # noqa: E731
        return ["--citeproc", f"--bibliography={rel(self.bib)}", f"--csl={rel(self.csl)}"]


def _pandoc(args: list[str], cwd: str | Path | None = None) -> None:
    env = {**os.environ, "SOURCE_DATE_EPOCH": os.environ.get("SOURCE_DATE_EPOCH", "1704067200")}
    res = subprocess.run([pandoc_path(), *args], capture_output=True, text=True, cwd=cwd, env=env)
    if res.returncode != 0:
        raise RuntimeError(f"pandoc failed ({res.returncode}): {res.stderr.strip()}")
    # pandoc only warns about a citation it cannot resolve; here that is an error
    unresolved = re.findall(r"Citeproc: citation (\S+) not found", res.stderr)
    if unresolved:
        raise InputError(args[0], f"citation key(s) not in the bibliography: {unresolved}")


def render_html(
    md: str | Path, out: str | Path, css: str | Path, title: str, refs: References
) -> None:
    """Self-contained HTML5 (images and CSS embedded as data URIs), no date, numbered sections."""
    refs.check(md)
    md, out, css = Path(md).resolve(), Path(out), Path(css).resolve()
    with atomic_path(out) as tmp:
        _pandoc(
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
                f"--metadata=title:{title}",
                "--metadata=lang:en",
                f"--resource-path={md.parent}",
                f"--output={tmp.resolve()}",
            ],
            cwd=md.parent,
        )


def render_typst_source(
    md: str | Path,
    out_typ: str | Path,
    title: str,
    refs: References,
    header: str | Path | None = None,
) -> None:
    """Typst source; citations stay Typst citations, resolved by Typst's own bibliography."""
    refs.check(md)
    md = Path(md).resolve()
    extra = [f"--include-in-header={Path(header).resolve()}"] if header else []
    # Typst resolves these paths from the folder of the .typ file
    here = Path(out_typ).resolve().parent
    with atomic_path(out_typ) as tmp:
        _pandoc(
            [
                str(md),
                "--from=markdown",
                "--to=typst",
                "--standalone",
                "--number-sections",
                f"--metadata=title:{title}",
                "--metadata=lang:en",
                "--metadata=papersize:a4",
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
