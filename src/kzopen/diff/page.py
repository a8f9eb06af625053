"""The comparison as a self-contained HTML page and as ``results/changes.csv``."""

from __future__ import annotations

import difflib
import html
import os
import re
from collections import Counter
from collections.abc import Iterable
from itertools import groupby
from pathlib import Path

import pandas as pd

from kzopen.core.io import write_csv, write_text
from kzopen.core.tables import html_table
from kzopen.diff.changes import Comparison
from kzopen.diff.model import CAUSES, COLUMNS, KINDS, Change, article_dir
from kzopen.diff.values import prints

ROWS_PER_TABLE = 25  # table cells shown per table; all are in the CSV
ROWS_PER_LIST = 200  # rows of the long lists (values below printed precision)
LONG_CELL = 40  # characters: longer text cells are shown as a word-by-word difference
_ID = re.compile(r'\sid="([^"]+)"')

CSS = """
body{font:15px/1.45 system-ui,-apple-system,"Segoe UI",sans-serif;color:#1b1b1b;margin:0;
background:#fafafa}
main{max-width:1180px;margin:0 auto;padding:24px 28px 60px;background:#fff}
h1{font-size:1.6em;margin:.2em 0}h2{font-size:1.25em;margin:1.6em 0 .4em;
border-bottom:2px solid #0072b2;padding-bottom:.15em}h3{font-size:1.02em;margin:1.2em 0 .3em}
table{border-collapse:collapse;width:100%;margin:.3em 0 .8em;font-size:.92em}
th,td{border-bottom:1px solid #ddd;padding:3px 6px;text-align:left;vertical-align:top}
th{background:#f0f4f8}td.num{font-variant-numeric:tabular-nums;white-space:nowrap}
code,.mono{font-family:ui-monospace,Menlo,Consolas,monospace;font-size:.9em}
del{background:#fbe3d6;color:#8a2c00;text-decoration:line-through}
ins{background:#d9efe3;color:#00573a;text-decoration:none;font-weight:600}
.lead{font-size:1.08em;padding:.6em .8em;border-left:4px solid #0072b2;background:#eef5fb}
.summary{display:flex;gap:24px;flex-wrap:wrap}.summary>div{flex:1;min-width:300px}
.summary h2{margin-top:.8em}.note{color:#6a4a00;background:#fff6dc;padding:.4em .7em}
.ctx{color:#444}.more{color:#555;font-style:italic}
.pair{display:flex;gap:12px;flex-wrap:wrap}.pair figure{margin:0;flex:1;min-width:300px}
.pair img{max-width:100%;border:1px solid #ccc}figcaption{font-size:.85em;color:#555}
footer{margin-top:3em;color:#666;font-size:.85em}
pre{white-space:pre-wrap;font-size:.85em;line-height:1.35}
"""


def e(s: object) -> str:
    return html.escape(str(s), quote=True)


class Links:
    """Turns ``article.html#sec-x`` into a link from the page to the new article."""

    def __init__(self, cmp: Comparison, page: Path) -> None:
        root = cmp.new.root
        self.prefix = None
        self.ids: set[str] | None = None
        if root is not None:
            build = article_dir(root).resolve()
            self.prefix = Path(os.path.relpath(build, page.resolve().parent)).as_posix() + "/"
            self.prefix = "" if self.prefix == "./" else self.prefix
            article = build / "article.html"
            if article.is_file():
                self.ids = set(_ID.findall(article.read_text(encoding="utf-8")))

    def href(self, target: str) -> str | None:
        if not target or self.prefix is None:
            return None
        page, _, frag = target.partition("#")
        if page == "article.html" and self.ids is not None and frag not in self.ids:
            frag = ""
        return self.prefix + page + (f"#{frag}" if frag else "")

    def a(self, target: str, text: str) -> str:
        href = self.href(target)
        return f'<a href="{e(href)}">{text}</a>' if href else text


def word_diff(old: str, new: str) -> str:
    """``old`` → ``new`` word by word, deletions in <del>, insertions in <ins>."""
    a, b = re.findall(r"\S+|\s+", old), re.findall(r"\S+|\s+", new)
    out = []
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(a=a, b=b, autojunk=False).get_opcodes():
        if tag in ("delete", "replace"):
            out.append(f"<del>{e(''.join(a[i1:i2]))}</del>")
        if tag in ("insert", "replace"):
            out.append(f"<ins>{e(''.join(b[j1:j2]))}</ins>")
        if tag == "equal":
            out.append(e("".join(a[i1:i2])))
    return "".join(out)


def _num(s: str) -> str:
    return f'<span class="mono">{e(s)}</span>' if s else ""


def _more(n: int, shown: int) -> str:
    if n <= shown:
        return ""
    return (
        f'<p class="more">… and {n - shown} more, listed in <code>results/changes.csv</code>.</p>'
    )


def _verdicts(changes: list[Change], links: Links) -> str:
    rows = [
        (
            links.a(c.anchor, f"<code>{e(c.name)}</code>"),
            e(c.section),
            f"<del>{e(c.old or '(absent)')}</del> → <ins>{e(c.new or '(absent)')}</ins>",
            f"{e(c.old_text)} → {e(c.new_text)}" if c.old_text != c.new_text else e(c.new_text),
            f'<span class="ctx">{e(c.detail)}</span>',
        )
        for c in changes
    ]
    return html_table(["Claim", "Section", "Status", "Reproduced", "Quote"], rows)


def _text_diff(cmp: Comparison, name: str) -> str:
    """A changed Markdown fragment, line by line (changed lines only)."""
    a = str(cmp.old.values.get(name, "")).splitlines()
    b = str(cmp.new.values.get(name, "")).splitlines()
    lines = [ln for ln in difflib.ndiff(a, b) if ln[:1] in "+-"]
    shown = "".join(
        f"<{'ins' if ln[0] == '+' else 'del'}>{e(ln[2:])}</{'ins' if ln[0] == '+' else 'del'}>\n"
        for ln in lines[: ROWS_PER_TABLE * 2]
    )
    more = _more(len(lines), ROWS_PER_TABLE * 2)
    return (
        f"<details><summary>{len(lines)} lines differ</summary><pre>{shown}</pre>{more}</details>"
    )


def _in_text(c: Change, where: dict[str, list[dict]]) -> str:
    old = f"<del>{e(c.old_text)}</del> " if c.old_text else ""
    new = f"<ins>{e(c.new_text)}</ins>" if c.new_text else ""
    entries = where.get(c.name) or [{}]
    before, after = entries[0].get("before", ""), entries[0].get("after", "")
    return f'<span class="ctx">{e(before)}</span>{old}{new}<span class="ctx">{e(after)}</span>'


def _values(cmp: Comparison, changes: list[Change], links: Links) -> str:
    """Changed values grouped by the section that prints them."""
    where = {**prints(cmp.old), **prints(cmp.new)}
    parts = []
    for section, group in groupby(changes, key=lambda c: (c.section, c.anchor)):
        title = e(section[0] or "Not printed in the article")
        parts.append(f"<h3>{links.a(section[1], title)}</h3>")
        rows = [
            (
                f"<code>{e(c.name)}</code>",
                _text_diff(cmp, c.name) if c.old.startswith("(text of") else _in_text(c, where),
                _num(c.old),
                _num(c.new),
                _num(c.delta),
            )
            for c in group
        ]
        parts.append(
            html_table(["Value", "In the text", "Before", "After", "Δ (full precision)"], rows)
        )
    return "".join(parts)


def _value_list(changes: list[Change], links: Links) -> str:
    rows = [
        (
            f"<code>{e(c.name)}</code>",
            links.a(c.anchor, e(c.section)) if c.section else "",
            _num(c.old),
            _num(c.new),
            _num(c.delta),
            e(c.detail),
        )
        for c in changes[:ROWS_PER_LIST]
    ]
    table = html_table(["Value", "Section", "Before", "After", "Δ", "Note"], rows)
    return table + _more(len(changes), ROWS_PER_LIST)


def _wording(changes: list[Change], links: Links) -> str:
    parts = []
    for c in changes:
        where = links.a(c.anchor, e(c.section or "Article")) if c.anchor else e(c.section)
        parts.append(
            f"<h3>{where} <span class='more'>({e(c.name)}, {e(c.detail)})</span></h3>"
            f"<p>{word_diff(c.old, c.new)}</p>"
        )
    return "".join(parts)


def _by_row(group: list[Change]) -> list[Change]:
    """Cells of the rows with most changes first (the rows a change is about, before rows
    that moved only through, say, a multiplicity adjustment over the whole table)."""
    rows = Counter(c.name.rpartition(" · ")[0] for c in group)
    return sorted(group, key=lambda c: -rows[c.name.rpartition(" · ")[0]])


def _cells(changes: list[Change], links: Links) -> str:
    parts = []
    for label, group in groupby(changes, key=lambda c: c.section):
        group = _by_row(list(group))
        title = links.a(group[0].anchor, f"<code>{e(label)}</code>")
        parts.append(f"<h3>{title} <span class='more'>({len(group)} changed)</span></h3>")
        rows = []
        for c in group[:ROWS_PER_TABLE]:
            row, _, col = c.name.rpartition(" · ")
            before, after = _num(c.old), _num(c.new)
            if not c.delta and min(len(c.old), len(c.new)) > LONG_CELL:  # text: word by word
                before, after = e(c.old[:LONG_CELL]) + "…", word_diff(c.old, c.new)
            rows.append(
                (
                    e(row or c.name),
                    f"<code>{e(col)}</code>" if row else "",
                    before,
                    after,
                    _num(c.delta or c.detail),
                )
            )
        parts.append(html_table(["Row", "Column", "Before", "After", "Δ"], rows))
        parts.append(_more(len(group), ROWS_PER_TABLE))
    return "".join(parts)


def _rows(changes: list[Change], links: Links) -> str:
    parts = []
    for label, group in groupby(changes, key=lambda c: c.section):
        group = list(group)
        parts.append(f"<h3>{links.a(group[0].anchor, f'<code>{e(label)}</code>')}</h3>")
        rows = [(e(c.detail), e(c.name), e(c.old or c.new)) for c in group[:ROWS_PER_TABLE]]
        parts.append(html_table(["Change", "Row or column", "Content"], rows))
        parts.append(_more(len(group), ROWS_PER_TABLE))
    return "".join(parts)


def _figures(cmp: Comparison, changes: list[Change], links: Links) -> str:
    pairs = {p.path: p for p in cmp.figures}
    parts = []
    for c in changes:
        p = pairs[c.name]
        imgs = "".join(
            f'<figure><img alt="{e(c.name)}, {who}" src="{uri}"><figcaption>{who}</figcaption>'
            "</figure>"
            if uri
            else f"<figure><figcaption>{who}: absent</figcaption></figure>"
            for who, uri in ((cmp.old.label, p.old_uri), (cmp.new.label, p.new_uri))
        )
        parts.append(
            f"<h3>{links.a(c.anchor, f'<code>{e(c.name)}</code>')}</h3>"
            f"<p>{e(c.detail)}</p><div class='pair'>{imgs}</div>"
        )
    return "".join(parts)


def _causes(kind: str, changes: list[Change]) -> str:
    heads = {
        "config": ["Key", "Before", "After", "Note"],
        "raw_file": ["File", "Source", "sha256 before", "sha256 after", "Note"],
        "source_file": ["File", "Before", "After", "Note"],
    }
    rows = []
    for c in changes:
        if kind == "raw_file":
            rows.append(
                (
                    f"<code>{e(c.name)}</code>",
                    e(c.section),
                    _num(c.old[:16]),
                    _num(c.new[:16]),
                    e(c.detail),
                )
            )
        else:
            rows.append((f"<code>{e(c.name)}</code>", _num(c.old), _num(c.new), e(c.detail)))
    return html_table(heads[kind], rows)


def headline(cmp: Comparison) -> str:
    """One sentence: nothing changed, only the wording changed, or what changed."""
    effects = {c.kind for c in cmp.effects}
    if not cmp.changes:
        return (
            "No changes: both versions print the same values, claim verdicts, wording, "
            "tables and figures, from the same configuration, raw data, code and templates."
        )
    if not effects:
        return (
            "No change in what the article shows (values, claim verdicts, wording, tables, "
            "figures); only inputs that do not reach it differ."
        )
    if effects == {"wording"}:
        return "Only the wording changed: no value, claim verdict, table or figure changed."
    parts = [f"{cmp.count(k)} {KINDS[k].lower()}" for k in KINDS if k in effects]
    return "Changed: " + "; ".join(parts) + "."


def _summary(cmp: Comparison) -> str:
    def items(kinds: Iterable[str]) -> str:
        li = [
            f'<li><a href="#{k}">{KINDS[k]}</a>: {cmp.count(k)}</li>' for k in kinds if cmp.count(k)
        ]
        return "<ul>" + "".join(li) + "</ul>" if li else "<p>none</p>"

    effects = [k for k in KINDS if k not in CAUSES]
    return (
        "<div class='summary'><div><h2>What the article shows</h2>"
        f"{items(effects)}</div><div><h2>Why: inputs that differ</h2>{items(CAUSES)}</div></div>"
    )


def render_page(cmp: Comparison, page: Path) -> str:
    links = Links(cmp, page)
    by_kind = {k: [c for c in cmp.changes if c.kind == k] for k in KINDS}
    body = {
        "verdict": lambda cs: _verdicts(cs, links),
        "value": lambda cs: _values(cmp, cs, links),
        "value_added": lambda cs: _value_list(cs, links),
        "value_removed": lambda cs: _value_list(cs, links),
        "wording": lambda cs: _wording(cs, links),
        "value_same_text": lambda cs: (
            "<details><summary>Show the "
            f"{len(cs)} values</summary>{_value_list(cs, links)}</details>"
        ),
        "table_cell": lambda cs: _cells(cs, links),
        "table_row": lambda cs: _rows(cs, links),
        "figure": lambda cs: _figures(cmp, cs, links),
    }
    sections = []
    for kind, changes in by_kind.items():
        if changes:
            html_ = body[kind](changes) if kind in body else _causes(kind, changes)
            sections.append(
                f"<section id='{kind}'><h2>{KINDS[kind]} ({len(changes)})</h2>{html_}</section>"
            )
    notes = "".join(f"<p class='note'>{e(n)}</p>" for n in cmp.notes)
    title = f"Changes: {cmp.old.label} → {cmp.new.label}"
    return (
        f"<!DOCTYPE html>\n<html lang='en'><head><meta charset='utf-8'><title>{e(title)}</title>"
        f"<meta name='viewport' content='width=device-width, initial-scale=1'>"
        f"<style>{CSS}</style></head><body><main>\n<h1>What changed in the article</h1>\n"
        f"<p>From <b>{e(cmp.old.label)}</b> to <b>{e(cmp.new.label)}</b>, number by number. "
        f"Links open the place in the {links.a('article.html', 'new article')}.</p>\n"
        f"<p class='lead'>{e(headline(cmp))}</p>\n{notes}{_summary(cmp)}\n"
        + "\n".join(sections)
        + "\n<footer>Made by <code>python -m kzopen.diff</code> (docs/changes.md). Every "
        "change on this page is a row of <code>results/changes.csv</code>.</footer>"
        "\n</main></body></html>\n"
    )


def write_outputs(cmp: Comparison, page: str | Path, csv: str | Path) -> None:
    """Write the page and the CSV (one row per change, in the page's order)."""
    write_csv(pd.DataFrame([c.row() for c in cmp.changes], columns=COLUMNS), csv)
    write_text(render_page(cmp, Path(page)), page)


def summary_text(cmp: Comparison) -> str:
    """What the command prints: the headline and the count of each kind of change."""
    lines = [f"changes from {cmp.old.label} to {cmp.new.label}:", f"  {headline(cmp)}"]
    lines += [f"  {KINDS[k]}: {cmp.count(k)}" for k in KINDS if cmp.count(k)]
    lines += [f"  note: {n}" for n in cmp.notes]
    return "\n".join(lines)
