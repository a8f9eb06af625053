"""Submission metadata (article/metadata.yaml): validation, placeholders, front and back matter.

Strings starting with ``TO FILL`` are placeholders for the real authors' details. A draft
(``draft: true``) shows them, marked, under a DRAFT notice; a submission build
(``draft: false``) stops while any is left. Everything that identifies the authors is put in
``.identifying`` blocks, which the anonymised Word file drops (article/anonymise.lua).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import jsonschema
import yaml

from kzopen.core.errors import InputError

PLACEHOLDER = "TO FILL"


def placeholders(meta: Any, path: str = "") -> list[str]:
    """Paths (``authors[0].orcid``) of every value that is still a placeholder."""
    if isinstance(meta, dict):
        return [p for k, v in meta.items() for p in placeholders(v, f"{path}.{k}".lstrip("."))]
    if isinstance(meta, list):
        return [p for i, v in enumerate(meta) for p in placeholders(v, f"{path}[{i}]")]
    return [path] if isinstance(meta, str) and meta.startswith(PLACEHOLDER) else []


def load_metadata(path: str | Path, schema: str | Path) -> dict[str, Any]:
    """Read and validate the metadata against the JSON schema in file ``schema``; a submission
    build refuses placeholders."""
    try:
        meta = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise InputError(path, f"cannot read the metadata: {exc}") from None
    rules = yaml.safe_load(Path(schema).read_text(encoding="utf-8"))
    error = jsonschema.exceptions.best_match(
        jsonschema.Draft202012Validator(rules).iter_errors(meta)
    )
    if error is not None:
        where = ".".join(str(p) for p in error.absolute_path) or "(top level)"
        raise InputError(path, f"{where}: {error.message}", expected=f"as in {Path(schema).name}")
    ids = {a["id"] for a in meta["affiliations"]}
    for i, author in enumerate(meta["authors"]):
        unknown = [a for a in author["affiliations"] if a not in ids]
        if unknown:
            raise InputError(path, f"authors[{i}] refers to unknown affiliation(s) {unknown}")
    if sum(bool(a.get("corresponding")) for a in meta["authors"]) != 1:
        raise InputError(
            path,
            "authors: exactly one corresponding author is needed",
            expected="corresponding: true on one author",
        )
    left = placeholders({k: v for k, v in meta.items() if k != "languages"})
    if left and not meta["draft"]:
        raise InputError(
            path,
            f"placeholders left in a submission build: {', '.join(left)}",
            expected="every 'TO FILL' value filled in, or draft: true for a draft build",
        )
    return meta


def _show(value: str, mark: Callable[[str], str]) -> str:
    """A metadata value as Markdown: placeholders highlighted, digits counted as filled."""
    text = mark(value)
    return f"[{text}]{{.placeholder}}" if value.startswith(PLACEHOLDER) else text


LANGUAGE_NAMES = {"en": "English", "ru": "Russian", "kk": "Kazakh"}


def _review_notice(meta: dict[str, Any]) -> str:
    """Which front-matter languages still await a native speaker's review (draft notice)."""
    langs = meta.get("languages", {})
    pending = [
        LANGUAGE_NAMES[k] for k in LANGUAGE_NAMES if langs.get(k, {}).get("native_review_needed")
    ]
    if not pending:
        return ""
    return f" The {' and '.join(pending)} title, abstract and keywords await a native speaker's review."


def front_matter(meta: dict[str, Any], mark: Callable[[str], str]) -> str:
    """DRAFT notice, classification codes and the author block (Markdown)."""
    parts = []
    if meta["draft"]:
        parts.append(
            '::: {.draft-notice custom-style="Draft notice"}\n'
            "**DRAFT, not for submission.** Values marked *TO FILL* are placeholders for "
            "the authors to fill in before submission." + _review_notice(meta) + "\n:::\n"
        )
    codes = "; ".join(_show(c, mark) for c in meta["irsti"])
    parts.append(
        f'::: {{.classification custom-style="Classification"}}\n'
        f"UDC {_show(meta['udc'], mark)}  \nIRSTI {codes}\n:::\n"
    )
    return "\n".join(parts)


def authors_block(meta: dict[str, Any], mark: Callable[[str], str], lang: str = "en") -> str:
    """Names (Latin script in English, Cyrillic in Russian and Kazakh) and affiliations of one
    language block; contact details in the English block only. Identifying: dropped from the
    anonymised file."""
    order = {a["id"]: n for n, a in enumerate(meta["affiliations"], start=1)}
    name = "name_latin" if lang == "en" else "name_cyrillic"
    byline = ", ".join(
        _show(a[name], mark)
        + "^"
        + mark(",".join(str(order[i]) for i in a["affiliations"]))
        + ("\\*" if a.get("corresponding") else "")
        + "^"
        for a in meta["authors"]
    )
    affs = "  \n".join(
        f"^{mark(str(order[a['id']]))}^ "
        + ", ".join(_show(a[k], mark) for k in ("organisation", "city", "country"))
        for a in meta["affiliations"]
    )
    details = ""
    if lang == "en":
        details = "\n\n\\* Corresponding author. " + "; ".join(
            f"{_show(a['name_latin'], mark)}: ORCID {_show(a['orcid'], mark)}, "
            f"e-mail {_show(a['email'], mark)}"
            for a in meta["authors"]
        )
    return (
        f'::: {{.identifying .authors custom-style="Authors"}}\n{byline}\n\n{affs}{details}\n:::\n'
    )


def back_matter(meta: dict[str, Any], mark: Callable[[str], str]) -> str:
    """Funding and acknowledgements (identifying: dropped from the anonymised file)."""
    parts = [f"# Funding {{.unnumbered}}\n\n{_show(meta['funding'], mark)}\n"]
    if meta["acknowledgements"].strip():
        parts.append(
            f"# Acknowledgements {{.unnumbered}}\n\n{_show(meta['acknowledgements'], mark)}\n"
        )
    return "::: {.identifying}\n" + "\n".join(parts) + ":::\n"
