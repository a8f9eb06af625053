"""Where each value is printed: the placeholder record of the manuscript.

The manuscript template is rendered once more with every placeholder replaced by a numbered
token (:func:`kzopen.article.render.render_markdown` with a ``record`` list). Reading the
tokens back off the rendered Markdown gives, for every printed value, the text as printed,
the section it is printed in (with the HTML anchor of that section) and the words around
it. The Markdown with each token replaced by the value's name (``{{name}}``) is the article's
*wording* alone: it changes when the template's text changes, never when a value does.

``build/article/article_placeholders.json`` is what ``python -m kzopen.diff`` compares
between two versions of the article (docs/changes.md).
"""

from __future__ import annotations

import dataclasses
import json
import re
import unicodedata
import urllib.parse
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from kzopen.article.context import Context
from kzopen.article.render import render_markdown
from kzopen.article.template import TOKEN_CLOSE, TOKEN_OPEN
from kzopen.article.trail import computed_by
from kzopen.core.io import write_text

_TOKEN = re.compile(f"{TOKEN_OPEN}(\\d+){TOKEN_CLOSE}")
_HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*(\{[^}]*\})?\s*$")
_FIGURE = re.compile(r"!\[.*?\]\(([^)\s]+\.png)\)\{#([\w-]+)")  # ![caption](file){#fig-id}
_CONTEXT = 70  # characters of text kept on each side of a printed value


def pandoc_identifier(text: str) -> str:
    """The identifier pandoc gives a heading without an explicit one (``auto_identifiers``)."""
    text = re.sub(r"[*_`]|\[|\]\([^)]*\)|\]", "", text)
    text = unicodedata.normalize("NFC", text).lower()
    text = "".join(c for c in text if c.isalnum() or c in "_-. \n")
    text = re.sub(r"\s+", "-", text.strip())
    text = re.sub(r"^[^a-z]+", "", text)
    return text or "section"


def _heading(line: str, texts: list[str], seen: dict[str, int]) -> tuple[int, str, str] | None:
    m = _HEADING.match(line)
    if not m:
        return None
    title = _TOKEN.sub(lambda t: texts[int(t.group(1))], m.group(2))
    explicit = re.search(r"#([\w:.-]+)", m.group(3) or "")
    anchor = explicit.group(1) if explicit else pandoc_identifier(title)
    if not explicit:  # pandoc numbers repeated identifiers: x, x-1, x-2
        n = seen.get(anchor, 0)
        seen[anchor] = n + 1
        anchor = anchor if n == 0 else f"{anchor}-{n}"
    return len(m.group(1)), title.replace("*", ""), anchor


def _plain(text: str) -> str:
    """Markdown markup removed from a context snippet."""
    text = re.sub(r"\{#[^}]*\}|[*`]|\]\([^)]*\)|\[", "", text)
    return re.sub(r"\s+", " ", text)


def _context(par: str, pos: int, end: int, texts: list[str]) -> tuple[str, str]:
    def fill(s: str) -> str:
        return _plain(_TOKEN.sub(lambda t: texts[int(t.group(1))], s))

    before, after = fill(par[:pos]), fill(par[end:])
    if len(before) > _CONTEXT:
        before = "…" + before[-_CONTEXT:].split(" ", 1)[-1]
    if len(after) > _CONTEXT:
        after = after[:_CONTEXT].rsplit(" ", 1)[0] + "…"
    return before.lstrip(), after.rstrip()


def walk(markdown: str, texts: list[str]) -> Iterator[tuple[str, str, str]]:
    """Paragraphs of ``markdown`` with the section path above each (``Results › Trends``) and
    the anchor of the nearest heading; ``texts`` fill tokens in headings."""
    path: list[str] = []
    anchor, fenced, seen = "", False, {}
    for par in re.split(r"\n\s*\n", markdown):
        for line in par.splitlines():
            fenced = fenced != line.lstrip().startswith("```")
            head = None if fenced else _heading(line, texts, seen)
            if head:
                level, title, anchor = head
                path = [*path[: level - 1], title][:2]
        yield par, " › ".join(path), anchor


def locate(marked: str, record: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Section, anchor and surrounding words of every token in ``marked``, in text order."""
    texts = [r["text"] if r["kind"] == "value" else "" for r in record]
    placed: list[dict[str, Any]] = []
    for par, section, anchor in walk(marked, texts):
        for m in _TOKEN.finditer(par):
            entry = dict(record[int(m.group(1))])
            entry.update(section=section, anchor=anchor)
            if entry["kind"] == "value":
                entry["before"], entry["after"] = _context(par, m.start(), m.end(), texts)
            else:
                entry.pop("text", None)
            placed.append(entry)
        for m in _FIGURE.finditer(par):
            file = re.sub(r"^(\.\./)+", "", m.group(1))
            placed.append(
                {
                    "kind": "figure",
                    "call": "figure",
                    "name": file,
                    "args": [],
                    "section": section,
                    "anchor": m.group(2),
                }
            )
    return placed


def skeleton(marked: str, record: list[dict[str, Any]]) -> str:
    """The manuscript's wording: every placeholder replaced by the name of what it prints."""

    def name(m: re.Match[str]) -> str:
        r = record[int(m.group(1))]
        return "{{" + (r["name"] if r["kind"] == "value" else f"{r['call']}:{r['name']}") + "}}"

    return _TOKEN.sub(name, marked)


def provenance_attributes(name: str, ctx: Context) -> dict[str, str]:
    """The trail of one printed value, as HTML data attributes (and a ``title`` tooltip): its
    key and full-precision value, the file, row and column it was read from, the rule that
    wrote that file and the package functions that rule's script calls."""
    where = ctx.where.get(name, {})
    file = where.get("file", "")
    made = ctx.producers.get(file, {})
    row = urllib.parse.urlencode(where.get("row") or {})
    attrs = {
        "data-key": name,
        "data-spec": where.get("spec", ""),
        "data-value": urllib.parse.quote(json.dumps(ctx.values.get(name), ensure_ascii=False)),
        "data-file": file,
        "data-row": row,
        "data-column": where.get("column") or "",
        "data-computed-by": computed_by(file, where.get("column"), where.get("row")),
        "data-rule": made.get("rule") or "",
        "data-functions": " ".join(made.get("functions", [])),
        "data-selected-by": where.get("selected_by", ""),
    }
    trail = [f"{name} = {ctx.values.get(name)!r}"]
    trail += [f"computed by {attrs['data-computed-by']}"] if attrs["data-computed-by"] else []
    trail += [file]
    trail += [f"row {row.replace('&', ', ')}"] if row else []
    trail += [f"column {attrs['data-column']}"] if attrs["data-column"] else []
    trail += [f"rule {attrs['data-rule']}"] if attrs["data-rule"] else ["raw input"]
    trail += ["calls " + ", ".join(made["functions"])] if made.get("functions") else []
    attrs["title"] = " | ".join(trail)
    return attrs


def _span(text: str, attrs: dict[str, str]) -> str:
    """A pandoc bracketed span; quotes and backslashes cannot occur in attribute values."""
    clean = {k: v.replace("\\", "/").replace('"', "'") for k, v in attrs.items()}
    return "[" + text + "]{.value " + " ".join(f'{k}="{v}"' for k, v in clean.items()) + "}"


def linked(marked: str, record: list[dict[str, Any]], ctx: Context) -> str:
    """The manuscript with every printed value wrapped in a span carrying its provenance
    (:func:`provenance_attributes`); blocks are filled in plainly."""

    def fill(m: re.Match[str], code: bool = False) -> str:
        r = record[int(m.group(1))]
        if r["kind"] != "value":
            return r["text"]
        text = f"`{r['text']}`" if code else r["text"]
        return _span(text, provenance_attributes(r["name"], ctx))

    out = re.sub(f"`{_TOKEN.pattern}`", lambda m: fill(m, code=True), marked)
    return _TOKEN.sub(fill, out)


def build_placeholders(template_dir: str | Path, template: str, ctx: Context) -> dict[str, Any]:
    """Where every placeholder of the manuscript prints, the wording around them, and the
    manuscript with each printed value linked to its provenance (``linked``)."""
    record: list[dict[str, Any]] = []
    ctx = dataclasses.replace(ctx, edition="html")  # the linked text is the HTML edition's
    marked = render_markdown(template_dir, template, ctx, check=False, record=record)
    return {
        "placeholders": locate(marked, record),
        "wording": skeleton(marked, record),
        "linked": linked(marked, record, ctx),
    }


def write_placeholders(doc: dict[str, Any], path: str | Path) -> None:
    """The placeholder record (without the linked manuscript, which is written apart)."""
    kept = {k: v for k, v in doc.items() if k != "linked"}
    write_text(json.dumps(kept, indent=1, ensure_ascii=False, sort_keys=True) + "\n", path)
