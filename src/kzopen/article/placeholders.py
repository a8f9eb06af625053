"""Where each value is printed: the placeholder record of the manuscript.

The manuscript template is rendered once more with every placeholder replaced by a numbered
token (:func:`kzopen.article.render.render_markdown` with a ``record`` list). Reading the
tokens back off the rendered Markdown gives, for every printed value, the text as printed,
the section it is printed in (with the HTML anchor of that section) and the words around
it. The Markdown with each token replaced by the value's name (``{{name}}``) is the article's
*wording* alone: it changes when the template's text changes, never when a value does.

``article/build/article_placeholders.json`` is what ``python -m kzopen.diff`` compares
between two versions of the article (docs/changes.md).
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from kzopen.article.render import TOKEN_CLOSE, TOKEN_OPEN, Context, render_markdown
from kzopen.io import write_text

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
            placed.append({"kind": "figure", "call": "figure", "name": file, "args": [],
                           "section": section, "anchor": m.group(2)})  # fmt: skip
    return placed


def skeleton(marked: str, record: list[dict[str, Any]]) -> str:
    """The manuscript's wording: every placeholder replaced by the name of what it prints."""

    def name(m: re.Match[str]) -> str:
        r = record[int(m.group(1))]
        return "{{" + (r["name"] if r["kind"] == "value" else f"{r['call']}:{r['name']}") + "}}"

    return _TOKEN.sub(name, marked)


def build_placeholders(template_dir: str | Path, template: str, ctx: Context) -> dict[str, Any]:
    """Where every placeholder of the manuscript prints, and the wording around them."""
    record: list[dict[str, Any]] = []
    marked = render_markdown(template_dir, template, ctx, check=False, record=record)
    return {"placeholders": locate(marked, record), "wording": skeleton(marked, record)}


def write_placeholders(doc: dict[str, Any], path: str | Path) -> None:
    write_text(json.dumps(doc, indent=1, ensure_ascii=False, sort_keys=True) + "\n", path)
