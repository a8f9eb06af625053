"""References: the BibTeX file as written by the authors -> the file pandoc and Typst read.

``article/references.bib`` keeps every work as cited, Cyrillic titles in the original script.
:func:`build_references` reads it with pandoc (CSL items), transliterates the titles of
Russian and Kazakh works with iuliia (BGN/PCGN), adds the English translation from
``titleaddon`` in brackets and the language mark ("[in Russian]") and writes BibTeX again
(pandoc) for pandoc's citeproc and Typst alike. :func:`check_citations` stops a build whose
manuscript cites a key that is not in the bibliography.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import iuliia

from kzopen.core.errors import InputError
from kzopen.core.io import write_text
from kzopen.core.pandoc import run_pandoc

# Transliteration schema: BGN/PCGN (Russian). iuliia has no schema for the Kazakh-specific
# letters (ә ғ қ ң ө ұ ү һ і); a Kazakh title using them stops the build (see
# docs/article.md, "References") instead of keeping Cyrillic or guessing a romanisation.
SCHEMA = iuliia.BGN_PCGN
LANGUAGE_MARKS = {"ru": "[in Russian]", "kk": "[in Kazakh]"}
CYRILLIC = re.compile(r"[\u0400-\u04ff]")
# A citation in pandoc Markdown: [@key], [@a; @b], [see @key, p. 3] or @key in running text.
CITATION = re.compile(r"(?<![\w.@])@([A-Za-z0-9_](?:[\w:.#$%&+?<>~/-]*[A-Za-z0-9_])?)")


def read_items(bib: str | Path) -> list[dict[str, Any]]:
    """The entries of a BibTeX file as CSL items (pandoc's reader), in file order."""
    return json.loads(run_pandoc([str(bib), "--from=biblatex", "--to=csljson"], strict=True))


def bib_keys(bib: str | Path) -> list[str]:
    return [it["id"] for it in read_items(bib)]


def _language(item: dict[str, Any]) -> str | None:
    """ISO 639-1 code of the entry's language: pandoc gives ru-RU for langid {russian} but
    leaves {kazakh} as it is."""
    lang = str(item.get("language", "")).split("-")[0].lower()
    return {"russian": "ru", "kazakh": "kk"}.get(lang, lang) or None


def transliterate_item(item: dict[str, Any], source: str) -> dict[str, Any]:
    """One CSL item with a Latin-script title, its translation and language mark.

    pandoc joins ``titleaddon`` to the title as "<title>. <addon>" and keeps the title alone
    as ``title-short``; the addon is the English translation of a Cyrillic title.
    """
    out = dict(item)
    lang = _language(item)
    if not CYRILLIC.search(json.dumps(item, ensure_ascii=False)):
        return out
    if lang not in LANGUAGE_MARKS:
        raise InputError(
            source,
            f"entry {item['id']!r} has Cyrillic text but no langid",
            expected="langid = {russian} or {kazakh} on works in Russian or Kazakh",
        )
    original, title = item.get("title-short", ""), item.get("title", "")
    if not original or not title.startswith(original + ". "):
        raise InputError(
            source,
            f"entry {item['id']!r} has a Cyrillic title but no English translation",
            expected="titleaddon = {English translation of the title}",
        )
    translation = title[len(original) + 2 :]
    out["title"] = f"{SCHEMA.translate(original)} [{translation}]"
    out.pop("title-short", None)
    for field in ("container-title", "publisher", "publisher-place", "collection-title"):
        if field in out:
            out[field] = SCHEMA.translate(out[field])
    out["note"] = " ".join(filter(None, [out.get("note"), LANGUAGE_MARKS[lang]]))
    left = sorted(set(CYRILLIC.findall(json.dumps(out, ensure_ascii=False))))
    if left:
        raise InputError(
            source,
            f"entry {item['id']!r}: no transliteration for {''.join(left)}",
            expected="letters of the Russian alphabet (iuliia BGN/PCGN); cite a Russian "
            "version of a Kazakh work, see docs/article.md",
        )
    return out


def _nocase(item: dict[str, Any]) -> dict[str, Any]:
    """Keep titles as written: pandoc's BibTeX writer would title-case English titles."""
    out = dict(item)
    for field in ("title", "container-title", "collection-title"):
        if field in out:
            out[field] = f'<span class="nocase">{out[field]}</span>'
    return out


def build_references(bib: str | Path, out_bib: str | Path) -> int:
    """Write the rendered bibliography (transliterated BibTeX); returns the entry count."""
    items = [_nocase(transliterate_item(it, str(bib))) for it in read_items(bib)]
    text = run_pandoc(["--from=csljson", "--to=biblatex"], stdin=json.dumps(items), strict=True)
    write_text(text, out_bib)
    return len(items)


def cited_keys(markdown: str) -> list[str]:
    """Citation keys in a Markdown text, in order of first appearance (code spans ignored)."""
    text = re.sub(r"`[^`\n]*`", "", markdown)
    text = re.sub(r"<[^>\s]+@[^>\s]+>", "", text)  # e-mail autolinks
    return list(dict.fromkeys(CITATION.findall(text)))


def check_citations(
    markdown: str, keys: list[str], source: str, bibliography: str = "the bibliography"
) -> None:
    """Stop when the manuscript cites a key that the bibliography (file ``bibliography``)
    does not hold."""
    missing = [k for k in cited_keys(markdown) if k not in set(keys)]
    if missing:
        raise InputError(
            source,
            f"citation key(s) not in the bibliography: {', '.join(missing)}",
            expected=f"every [@key] an entry of {bibliography}",
        )


# Author–year text typed instead of a key: "(Holm 1979)", "(Mann & Whitney 1947)",
# "(Kaufmann, Kraay & Mastruzzi 2010)", "(Efron 1987; …", "Meijer et al. (2018)".
_NAME = r"[A-Z][\w'’.-]+"
TYPED_CITATION = re.compile(
    rf"[(;]\s*(?:see\s+)?{_NAME}(?:(?:,\s*|\s+&\s+|\s+and\s+){_NAME})*(?:\s+et al\.)?,?\s+"
    r"[12]\d{3}[a-z]?\s*[;),]"
    rf"|\b{_NAME}(?:\s+(?:&|and)\s+{_NAME})?(?:\s+et al\.)?\s+\([12]\d{{3}}[a-z]?\)"
)


def typed_citations(text: str) -> list[str]:
    """Author–year citations typed as text (each should be a ``[@key]``)."""
    return [m.group(0).strip("(;, ") for m in TYPED_CITATION.finditer(text)]


# Citation styles (the article metadata's ``citation_style``) and their CSL files.
CITATION_STYLES = {"numbered": "numbered.csl", "author-date": "author-date.csl"}


def citation_style(
    meta: dict[str, Any], styles: dict[str, str | Path], metadata_file: str = "the article metadata"
) -> Path:
    """The CSL file of the style the metadata (file ``metadata_file``) chooses (numbered unless
    said otherwise)."""
    name = meta.get("citation_style", "numbered")
    if name not in styles:
        raise InputError(
            metadata_file,
            f"unknown citation_style {name!r}",
            expected=" or ".join(sorted(styles)),
        )
    return Path(styles[name])
