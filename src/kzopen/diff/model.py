"""One change between two versions of the article, and one version as the comparison reads it."""

from __future__ import annotations

import json
import math
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from kzopen.core.errors import InputError

# Kinds of change, most important first: the order of the page and of results/changes.csv.
KINDS = {
    "verdict": "Claim verdicts",
    "value": "Printed values",
    "value_added": "Values that appeared",
    "value_removed": "Values that disappeared",
    "wording": "Wording of the text",
    "value_same_text": "Values changed below their printed precision, or not printed",
    "table_cell": "Table cells",
    "table_row": "Table rows and columns",
    "figure": "Figures",
    "config": "Configuration",
    "raw_file": "Raw data files",
    "source_file": "Code and templates",
}
# Kinds that are causes (inputs of the build), not effects (what the article shows).
CAUSES = ("config", "raw_file", "source_file")

VALUES_JSON = "results/article_values.json"
# The generated manuscript's folder: build/article/; versions before it moved out of the source
# folder wrote it to article/build/ (article_dir finds either, for a base built from those).
ARTICLE_DIRS = ("build/article", "article/build")
PLACEHOLDERS_JSON = f"{ARTICLE_DIRS[0]}/article_placeholders.json"


def article_dir(root: Path) -> Path:
    """The generated manuscript's folder of the checkout at ``root`` (the current location
    unless only the one of older versions exists)."""
    for rel in ARTICLE_DIRS:
        if (root / rel).is_dir():
            return root / rel
    return root / ARTICLE_DIRS[0]


@dataclass(frozen=True)
class Change:
    """One row of results/changes.csv. ``old``/``new`` at full precision (empty when absent),
    ``old_text``/``new_text`` as printed in the article, ``delta`` = new - old for numbers,
    ``anchor`` a link target relative to build/article/ (``article.html#sec-results``)."""

    kind: str
    section: str
    name: str
    old: str
    new: str
    old_text: str = ""
    new_text: str = ""
    delta: str = ""
    anchor: str = ""
    detail: str = ""

    def row(self) -> dict[str, str]:
        return asdict(self)


COLUMNS = list(Change.__dataclass_fields__)


def as_text(v: Any) -> str:
    """A value at full precision as text: strings as they are, numbers by their shortest repr."""
    if v is None:
        return ""
    if isinstance(v, str):
        return v
    return json.dumps(v, ensure_ascii=False, sort_keys=True)


def delta(old: Any, new: Any) -> str:
    """``new - old`` at full precision when both are numbers (not booleans), else ''."""
    nums = [isinstance(x, int | float) and not isinstance(x, bool) for x in (old, new)]
    if not all(nums) or any(isinstance(x, float) and math.isnan(x) for x in (old, new)):
        return ""
    d = new - old
    return repr(float(d)) if isinstance(d, float) else str(d)


def number(s: str) -> float | None:
    try:
        x = float(s)
    except ValueError:
        return None
    return None if math.isnan(x) else x


def text_delta(old: str, new: str) -> str:
    """``delta`` for two cells read as text (CSV): numeric when both parse as numbers."""
    a, b = number(old), number(new)
    if a is None or b is None:
        return ""
    if all(s.lstrip("-").isdigit() for s in (old, new)):
        return str(int(new) - int(old))
    return repr(b - a)


@dataclass
class Version:
    """What the comparison reads of one version: a built checkout, or a values file alone."""

    label: str
    values: dict[str, Any]
    tables: dict[str, list[dict[str, Any]]]
    root: Path | None = None  # the checkout; None for a bare values file
    placeholders: list[dict[str, Any]] | None = None
    wording: str | None = None
    notes: list[str] = field(default_factory=list)

    @classmethod
    def load(cls, path: str | Path, label: str) -> Version:
        path = Path(path)
        root = path if path.is_dir() else None
        values_file = path / VALUES_JSON if root else path
        if not values_file.is_file():
            raise InputError(
                path,
                f"has no {VALUES_JSON}" if root else "not found",
                expected="a built checkout (run `make`) or an article_values.json file",
            )
        doc = _read_json(values_file, ["values", "tables"])
        v = cls(label=label, values=doc["values"], tables=doc["tables"], root=root)
        ledger = article_dir(root) / "article_placeholders.json" if root else None
        if ledger is not None and ledger.is_file():
            led = _read_json(ledger, ["placeholders", "wording"])
            v.placeholders, v.wording = led["placeholders"], led["wording"]
        elif root is not None:
            v.notes.append(
                f"{label} has no {PLACEHOLDERS_JSON} (it predates the placeholder record): its "
                "printed text is the current formatting of its values, and its wording is not "
                "compared"
            )
        return v


def _read_json(path: Path, keys: list[str]) -> dict[str, Any]:
    try:
        doc = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise InputError(path, f"cannot be read as JSON: {exc}") from None
    missing = [k for k in keys if not isinstance(doc, dict) or k not in doc]
    if missing:
        raise InputError(path, f"missing key(s) {missing}", expected=f"an object with {keys}")
    return doc
