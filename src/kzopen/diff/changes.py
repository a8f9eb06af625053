"""Compare two versions of the article: every kind of change, in the order of the page."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from kzopen.diff.images import FigurePair, compare_figures
from kzopen.diff.inputs import compare_config, compare_raw_files, compare_source_files
from kzopen.diff.model import CAUSES, KINDS, Change, Version
from kzopen.diff.tables import compare_tables
from kzopen.diff.values import compare_values, compare_verdicts, compare_wording

__all__ = ["KINDS", "Change", "Comparison", "compare_builds"]


@dataclass
class Comparison:
    """Two versions and what differs between them, most important first."""

    old: Version
    new: Version
    changes: list[Change]
    figures: list[FigurePair] = field(default_factory=list)

    @property
    def effects(self) -> list[Change]:
        return [c for c in self.changes if c.kind not in CAUSES]

    @property
    def notes(self) -> list[str]:
        return [*self.old.notes, *self.new.notes]

    def count(self, kind: str) -> int:
        return sum(c.kind == kind for c in self.changes)


def _section_order(*versions: Version) -> dict[str, int]:
    order: dict[str, int] = {}
    for v in versions:
        for e in v.placeholders or []:
            order.setdefault(e["section"], len(order))
    return order


def compare_builds(old: str | Path, new: str | Path, old_label: str, new_label: str) -> Comparison:
    """Compare two built checkouts (or two article_values.json files)."""
    a, b = Version.load(old, old_label), Version.load(new, new_label)
    figures, pairs = compare_figures(a, b)
    changes = [
        *compare_verdicts(a, b),
        *compare_values(a, b),
        *compare_wording(a, b),
        *compare_tables(a, b),
        *figures,
        *compare_config(a, b),
        *compare_raw_files(a, b),
        *compare_source_files(a, b),
    ]
    order = _section_order(b, a)
    kinds = list(KINDS)
    changes.sort(
        key=lambda c: (kinds.index(c.kind), order.get(c.section, len(order)), c.section, c.name)
    )
    return Comparison(a, b, changes, pairs)
