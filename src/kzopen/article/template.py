"""What the manuscript template can call: value lookups, number placeholders and blocks.

One :class:`TemplateFunctions` per rendering: :meth:`~TemplateFunctions.globals` gives the
Jinja2 globals. Number placeholders (``num``, ``p_rel``...) print one named value through the
:class:`~kzopen.core.fmt.Formatter`; blocks print generated Markdown (a table, a fragment,
the front matter). With a ``record`` list every placeholder prints a numbered token instead and
its text goes to the list (the locating pass of :mod:`kzopen.article.placeholders`).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any

import pandas as pd
from babel import Locale

from kzopen.article.metadata import authors_block, back_matter, front_matter
from kzopen.core.errors import InputError
from kzopen.core.fmt import Formatter
from kzopen.core.labels import COLUMNS, label
from kzopen.core.tables import format_cells, to_markdown

if TYPE_CHECKING:
    from kzopen.article.context import Context

# Languages of the front matter and the Babel locale that formats their numbers.
LOCALES = {"en": "en_GB", "ru": "ru_RU", "kk": "kk_KZ"}
TOKEN_OPEN, TOKEN_CLOSE = "\ue002", "\ue003"


# Upper bounds of the relative rank q = (rank - 1) / (n - 1) and the words for them (place()).
PLACES = (
    (0.2, "near the top"),
    (0.45 - 1e-9, "above the middle"),
    (0.55, "in the middle"),
    (0.8 - 1e-9, "below the middle"),
    (1.0, "near the bottom"),
)


# A repository path or checksum quoted in a register cell ("project copy data/raw/... (sha256
# ...)"), which the print editions leave out; the HTML edition keeps it.
_REPO_PATH = re.compile(r",?\s*project copy \S+(?:\s*\(sha256 [^)]*\))?|\s*\(sha256 [^)]*\)")


def without_paths(text: str) -> str:
    """``text`` without repository paths and checksums (print editions)."""
    return _REPO_PATH.sub("", text)


class TemplateFunctions:
    """The lookups, placeholders and blocks of one rendering of one template."""

    def __init__(self, ctx: Context, fmt: Formatter, template_name: str) -> None:
        self.ctx, self.fmt, self.template = ctx, fmt, template_name

    # -- lookups -----------------------------------------------------------------------------
    def value(self, name: str) -> Any:
        if name not in self.ctx.values:
            raise InputError(self.template, f"placeholder refers to unknown value {name!r}")
        return self.ctx.values[name]

    def has(self, name: str) -> bool:
        return name in self.ctx.values or name in self.ctx.tables

    def rows(self, table: str, **where: Any) -> list[dict[str, Any]]:
        if table not in self.ctx.tables:
            raise InputError(self.template, f"placeholder refers to unknown table {table!r}")
        return [r for r in self.ctx.tables[table] if all(r.get(k) == w for k, w in where.items())]

    def row(self, table: str, **where: Any) -> dict[str, Any]:
        found = self.rows(table, **where)
        if len(found) != 1:
            raise InputError(
                self.template,
                f"table {table!r} has {len(found)} rows where {where}",
                expected="exactly one",
            )
        return found[0]

    def by_decision(self, table: str) -> dict[str, str]:
        """The indicators of a confirmatory table by Holm's decision and the sign of the
        difference (``lower``, ``higher``, ``same``), each as running text ("" when none)."""
        parts: dict[str, list[str]] = {"lower": [], "higher": [], "same": []}
        for r in self.rows(table):
            side = "lower" if r["diff"] < 0 else "higher"
            parts[side if r["holm_reject"] is True else "same"].append(r["indicator_name"])
        counts = {f"n_{k}": len(v) for k, v in parts.items()}
        names = {k: self.fmt.mark(self.fmt.series(v)) if v else "" for k, v in parts.items()}
        return {**names, **counts}

    def sign(self, name: str, positive: str, negative: str, zero: str) -> str:
        """The word for the sign of value ``name`` ("rose", "fell", "did not change")."""
        x = self.value(name)
        return positive if x > 0 else negative if x < 0 else zero

    def decided(self, name: str, yes: str, no: str) -> str:
        """The words for a decision value ``name`` (a Holm rejection): ``yes`` if it is True."""
        return yes if self.value(name) is True else no

    def place(self, rank: str, n: str) -> str:
        """Where rank value ``rank`` of ``n`` stands in words, by its position
        q = (rank - 1) / (n - 1): near the top (q <= 0.2), above the middle, in the middle
        (0.45 <= q <= 0.55), below the middle, near the bottom (q >= 0.8)."""
        r, k = self.value(rank), self.value(n)
        q = (r - 1) / (k - 1) if k > 1 else 0.5
        for bound, words in PLACES:
            if q <= bound:
                return words
        return PLACES[-1][1]

    def plural(self, n: int, lang: str, **forms: str) -> str:
        """The form of a word for count ``n`` in ``lang`` by the CLDR plural rules (Babel):
        ``forms`` are keyed by category (one, few, many, other); ``other`` is the default."""
        category = Locale.parse(LOCALES[lang]).plural_form(n)
        return forms.get(category, forms["other"])

    def item(self, item_id: str) -> dict[str, Any]:
        for it in self.ctx.provenance:
            if it["id"] == item_id:
                return it
        raise InputError(self.template, f"unknown figure or table id {item_id!r}")

    # -- placeholders that print one named value ---------------------------------------------
    def shown(self) -> dict[str, Callable[..., str]]:
        fmt, value = self.fmt, self.value
        return {
            "num_in": lambda name, lang, d=0: fmt.num_locale(value(name), LOCALES[lang], d),
            "pct_in": lambda name, lang, d=1: fmt.num_locale(value(name), LOCALES[lang], d, True),
            "num": lambda name, d=None: fmt.num(value(name), d),
            # the size of a signed value, for text that says the direction in words
            "mag": lambda name, d=None: fmt.num(abs(value(name)), d),
            "mag_in": lambda name, lang, d=0: fmt.num_locale(abs(value(name)), LOCALES[lang], d),
            "int": lambda name: fmt.int(value(name)),
            "pct": lambda name, d=1: fmt.pct(value(name), d),
            "share": lambda name, d=1: fmt.share(value(name), d),
            "p": lambda name: fmt.p(value(name)),
            "p_rel": lambda name: fmt.p(value(name), relation=True),
            "text": lambda name: fmt.mark(value(name)),
        }

    # -- placeholders that print a generated block -------------------------------------------
    def blocks(self) -> dict[str, Callable[..., str]]:
        return {
            "front_matter": lambda: front_matter(self._metadata(), self.fmt.mark),
            "back_matter": lambda: back_matter(self._metadata(), self.fmt.mark),
            "authors_in": lambda lang: authors_block(self._metadata(), self.fmt.mark, lang),
            "table": self.table,
            "data_availability": self.data_availability,
            "software_table": self.software_table,
            "fragment": self.fragment,
            "repository": self.repository,
        }

    def repository(self, key: str) -> str:
        """The archive's URL or DOI from the metadata (a marked placeholder until filled)."""
        from kzopen.article.metadata import _show

        value = str(self._metadata().get("repository", {}).get(key, f"TO FILL: {key}"))
        return _show(value, self.fmt.mark)

    def table(self, name: str, columns: Mapping[str, str] | None = None, **where: Any) -> str:
        df = pd.DataFrame(self.rows(name, **where))
        if df.empty:
            return self.fmt.mark("(no rows)") + "\n"
        if columns:
            df = df[list(columns)]
        for col, kind in COLUMNS.items():
            if col in df.columns:
                df[col] = [label(kind, c) for c in df[col]]
        if not self.html and "claim_id" in df.columns:  # print: the register's numbers
            df["claim_id"] = [self.claim_number(c) for c in df["claim_id"]]
        if not self.html:  # print: no repository paths or checksums quoted from the register
            for col in df.columns:
                if df[col].dtype == object:
                    df[col] = [without_paths(c) if isinstance(c, str) else c for c in df[col]]
        cells = format_cells(df, self.fmt)
        return to_markdown(cells, list(columns.values()) if columns else list(df.columns))

    def data_availability(self) -> str:
        """Raw data files with checksums (HTML edition); in print one row per source with its
        publisher, address and licence note."""
        if not self.html:
            df = data_sources(pd.DataFrame(self.ctx.tables["manifest"]))
            return to_markdown(format_cells(df, self.fmt), ["Data", "Address", "Licence"])
        cols = {"path": "File", "publisher": "Publisher", "license": "Licence", "sha256": "SHA-256"}
        df = pd.DataFrame(self.ctx.tables["manifest"])[list(cols)]
        df["sha256"] = df["sha256"].str.slice(0, 16) + "…"
        cells = format_cells(df, self.fmt)
        cells["path"] = [f"`{c}`" for c in cells["path"]]
        return to_markdown(cells, list(cols.values()))

    def software_table(self) -> str:
        df = pd.DataFrame(sorted(self.ctx.software.items()), columns=["software", "version"])
        return to_markdown(format_cells(df, self.fmt), ["Software", "Version"])

    def fragment(
        self, name: str, drop_title: bool = True, until: str | None = None, level: int = 2
    ) -> str:
        """A Markdown fragment written by a pipeline rule (``fragment.<name>``), included as
        filled content: every line is marked, so its numbers count as pipeline output. The
        fragment's own first heading is dropped when the section has one, and its sub-headings
        are moved to ``level``; ``until`` cuts it at the first line starting with that text."""
        lines = str(self.value(f"fragment.{name}")).splitlines()
        if until is not None:
            cut = [i for i, ln in enumerate(lines) if ln.startswith(until)]
            lines = lines[: cut[0]] if cut else lines
        if drop_title and lines and lines[0].startswith("#"):
            shift = level - (len(lines[0]) - len(lines[0].lstrip("#")) + 1)
            lines = [
                ("#" * max(1, len(ln) - len(ln.lstrip("#")) + shift)) + ln.lstrip("#")
                if re.match(r"#{1,6} ", ln)
                else ln
                for ln in lines[1:]
            ]
        return "\n".join(self.fmt.mark(ln) if ln.strip() else ln for ln in lines).strip("\n") + "\n"

    def _metadata(self) -> dict[str, Any]:
        if self.ctx.metadata is None:
            raise InputError(self.template, "front or back matter asked for, but no metadata given")
        return self.ctx.metadata

    # -- links to where things are made ------------------------------------------------------
    def _made_by(self, it: Mapping[str, Any], what: str) -> str:
        m, prefix = self.fmt.mark, self.ctx.fig_prefix
        return (
            f"*{what}* [`{m(it['rule'])}`](#prov-{it['id']}), *script* "
            f"[`{m(it['script'])}`]({m(prefix + it['script'])})."
        )

    def figure(self, item_id: str, caption: str) -> str:
        """A figure; its caption is also its alt text. The rule and script that made it are
        named in the HTML edition only, never in the Word or PDF manuscript."""
        it = self.item(item_id)
        path = self.fmt.mark(self.ctx.fig_prefix + it["display"])
        made = f" {self._made_by(it, 'Made by rule')}" if self.html else ""
        alt = re.sub(r"[*_`\[\]]", "", caption).replace('"', "'")
        return f'![{caption}{made}]({path}){{#fig-{item_id} fig-alt="{alt}"}}\n'

    def table_source(self, item_id: str) -> str:
        """The rule that made a table (HTML edition only)."""
        return self._made_by(self.item(item_id), "Table made by rule") if self.html else ""

    @property
    def html(self) -> bool:
        return self.ctx.edition == "html"

    def provenance_list(self) -> str:
        m, lines = self.fmt.mark, []
        for it in self.ctx.provenance:
            ins = "; ".join(f"`{m(p)}`" for p in it["inputs"]) or "none"
            outs = "; ".join(f"`{m(p)}`" for p in it["outputs"])
            lines.append(
                f"[**{m(it['label'])}**]{{#prov-{it['id']}}} {it['title']}  \n"
                f"Rule `{m(it['rule'])}`, script `{m(it['script'])}`.  \n"
                f"Inputs: {ins}.  \nOutputs: {outs}.\n"
            )
        return "\n".join(lines)

    def claim_number(self, claim_id: str) -> str:
        """The claim's number in the register (C1, C2, ... in the order of the claims audit);
        the id itself for an id the register does not hold."""
        ids = [r.get("claim_id") for r in self.ctx.tables.get("claims_audit", [])]
        return f"C{ids.index(claim_id) + 1}" if claim_id in ids else claim_id

    def claim(self, claim_id: str) -> str:
        """A claim id linked to its entry on the reproducibility page (build/article/); in the
        printed edition the claim's number in the register (claim C12), no code identifier."""
        m = self.fmt.mark
        if not self.html:
            number = self.claim_number(claim_id)
            return f"claim {m(number)}" if number != claim_id else "the claim"
        return f"[`{m(claim_id)}`]({m('reproducibility.html#' + claim_id)})"

    # -- the Jinja2 globals ------------------------------------------------------------------
    def globals(self, record: list[dict[str, Any]] | None = None) -> dict[str, Any]:
        shown, blocks = self.shown(), self.blocks()
        if record is not None:  # locating pass (kzopen.article.placeholders)
            shown = {k: recorded(k, f, record, "value") for k, f in shown.items()}
            blocks = {k: recorded(k, f, record, "block") for k, f in blocks.items()}
        lookups = {
            n: getattr(self, n)
            for n in (
                "value",
                "has",
                "rows",
                "row",
                "by_decision",
                "sign",
                "decided",
                "plural",
                "place",
                "item",
                "figure",
                "table_source",
                "provenance_list",
                "claim",
            )
        }
        extra = {
            "edition": self.ctx.edition,
            "front_order": self.front_order,
            "label": lambda kind, name: self.fmt.mark(label(kind, self.value(name))),
        }
        return {**lookups, **shown, **blocks, **extra, "mark": self.fmt.mark, "fmt": self.fmt}

    def front_order(self) -> list[str]:
        """Order of the language blocks (article/metadata.yaml ``front_matter_order``)."""
        meta = self.ctx.metadata or {}
        return list(meta.get("front_matter_order", ["en", "kk", "ru"]))


def recorded(call: str, func: Callable[..., str], record: list[dict[str, Any]], kind: str):
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


def data_sources(manifest: pd.DataFrame) -> pd.DataFrame:
    """One row per source of the manifest, in its order: the source's name, the first web
    address given for it, and its licences (each once; a row saying "as above" adds none)."""
    rows = []
    for code, part in manifest.groupby("source", sort=False):
        urls = [u for cell in part["url"] for u in re.findall(r"https?://[^\s;,)]+", str(cell))]
        terms = [t for t in dict.fromkeys(part["license"]) if t != "as above"]
        rows.append(
            {
                "name": label("source", code),
                "url": urls[0] if urls else "",
                "license": "; ".join(terms),
            }
        )
    return pd.DataFrame(rows, columns=["name", "url", "license"])
