"""Changes in what the article says: claim verdicts, values as printed, and the wording."""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import pandas as pd

from kzopen.article.placeholders import walk
from kzopen.article.render import printed_as
from kzopen.core.errors import InputError
from kzopen.core.io import read_results
from kzopen.diff.model import Change, Version, as_text, delta

CLAIMS_AUDIT = "results/claims_audit.csv"
LONG_TEXT = 200  # characters: longer strings (Markdown fragments) are compared line by line


def prints(version: Version) -> dict[str, list[dict[str, Any]]]:
    """Value name -> where and how the article prints it (fragments count as printed)."""
    out: dict[str, list[dict[str, Any]]] = {}
    for e in version.placeholders or []:
        if e["kind"] == "value":
            out.setdefault(e["name"], []).append(e)
        elif e["call"] == "fragment":
            out.setdefault(f"fragment.{e['name']}", []).append({**e, "text": None})
    return out


def _texts(version: Version, shown: list[dict[str, Any]], other: list[dict[str, Any]], name: str):
    """Printed texts of ``name`` in ``version``; without a placeholder record, the other
    version's placeholders applied to this version's value."""
    if version.placeholders is None:
        shown = [
            {**e, "text": _reformat(e, version.values[name])}
            for e in other
            if e["text"] is not None
        ]
    return [e["text"] for e in shown]


def _reformat(entry: dict[str, Any], value: Any) -> str:
    try:
        return printed_as(entry["call"], value, *entry["args"])
    except (ValueError, TypeError):  # e.g. a count that was not yet an integer
        return as_text(value)


def _long(v: Any) -> bool:
    return isinstance(v, str) and ("\n" in v or len(v) > LONG_TEXT)


def _full(v: Any) -> str:
    return f"(text of {len(v.splitlines())} lines)" if _long(v) else as_text(v)


def _place(entries: list[dict[str, Any]]) -> dict[str, str]:
    if not entries:
        return {"section": "", "anchor": ""}
    first = entries[0]
    return {"section": first["section"], "anchor": f"article.html#{first['anchor']}"}


def _join(texts: Iterable[str | None]) -> str:
    return " · ".join(dict.fromkeys(t for t in texts if t is not None))


def value_change(name: str, old: Version, new: Version, shown: tuple[dict, dict]) -> Change:
    """One value present in both versions with different values."""
    a, b = old.values[name], new.values[name]
    was, now = shown[0].get(name, []), shown[1].get(name, [])
    old_t, new_t = _texts(old, was, now, name), _texts(new, now, was, name)
    if _long(a) or _long(b):
        diff = [
            ln for ln in difflib.ndiff(str(a).splitlines(), str(b).splitlines()) if ln[:1] in "+-"
        ]
        kind = "value" if (was or now) else "value_same_text"
        return Change(
            kind,
            **_place(now or was),
            name=name,
            old=_full(a),
            new=_full(b),
            detail=f"{len(diff)} lines differ",
        )
    if was or now:
        kind = "value" if old_t != new_t else "value_same_text"
        detail = "" if kind == "value" else f"printed as {_join(new_t)} in both"
    else:
        kind, detail = "value_same_text", "not printed in the article"
    return Change(
        kind,
        **_place(now or was),
        name=name,
        old=as_text(a),
        new=as_text(b),
        old_text=_join(old_t),
        new_text=_join(new_t),
        delta=delta(a, b),
        detail=detail,
    )


def compare_values(old: Version, new: Version) -> list[Change]:
    """Every article value whose value differs, appeared or disappeared."""
    shown = (prints(old), prints(new))
    changes = []
    for name in sorted(set(old.values) | set(new.values)):
        if name in old.values and name in new.values:
            if old.values[name] != new.values[name]:
                changes.append(value_change(name, old, new, shown))
            continue
        kind, v = ("value_added", new) if name in new.values else ("value_removed", old)
        where = shown[1 if v is new else 0].get(name, [])
        text = _join(e["text"] for e in where)
        changes.append(
            Change(
                kind,
                **_place(where),
                name=name,
                old="" if v is new else _full(v.values[name]),
                new=_full(v.values[name]) if v is new else "",
                old_text="" if v is new else text,
                new_text=text if v is new else "",
                detail="" if where else "not printed in the article",
            )
        )
    return changes


# --------------------------------------------------------------------------- claim verdicts


def read_audit(root: Path | None) -> pd.DataFrame | None:
    path = None if root is None else root / CLAIMS_AUDIT
    if path is None or not path.is_file():
        return None
    df = read_results(path, text=True)
    if not {"claim_id", "status"} <= set(df.columns):
        raise InputError(path, "missing column claim_id or status", expected="the claims ledger")
    return df.drop_duplicates("claim_id").set_index("claim_id")


def compare_verdicts(old: Version, new: Version) -> list[Change]:
    """Claims whose status (``reproduced``, ``differs``, …) changed, appeared or disappeared."""
    a, b = read_audit(old.root), read_audit(new.root)
    if a is None or b is None:
        return []
    changes = []
    for cid in sorted(set(a.index) | set(b.index)):
        ra = a.loc[cid] if cid in a.index else None
        rb = b.loc[cid] if cid in b.index else None
        sa = "" if ra is None else ra["status"]
        sb = "" if rb is None else rb["status"]
        if sa == sb:
            continue
        row = rb if rb is not None else ra
        changes.append(
            Change(
                "verdict",
                section=str(row.get("section", "")),
                name=cid,
                old=sa,
                new=sb,
                old_text="" if ra is None else str(ra.get("reproduced", "")),
                new_text="" if rb is None else str(rb.get("reproduced", "")),
                anchor=f"reproducibility.html#{cid}",
                detail=str(row.get("quote", ""))[:200],
            )
        )
    return changes


# --------------------------------------------------------------------------- wording


def _paragraphs(wording: str) -> list[tuple[str, str, str]]:
    return [(p.strip(), s, a) for p, s, a in walk(wording, []) if p.strip()]


def compare_wording(old: Version, new: Version) -> list[Change]:
    """Paragraphs whose words changed, values left out (placeholders read ``{{name}}``)."""
    if old.wording is None or new.wording is None:
        return []
    a, b = _paragraphs(old.wording), _paragraphs(new.wording)
    sm = difflib.SequenceMatcher(a=[p for p, _, _ in a], b=[p for p, _, _ in b], autojunk=False)
    changes = []
    for tag, i1, i2, j1, j2 in sm.get_opcodes():
        if tag == "equal":
            continue
        for k in range(max(i2 - i1, j2 - j1)):
            pa = a[i1 + k] if i1 + k < i2 else None
            pb = b[j1 + k] if j1 + k < j2 else None
            _, section, anchor = pb or pa
            changes.append(
                Change(
                    "wording",
                    section=section,
                    name=f"paragraph {(j1 + k if pb else i1 + k) + 1}",
                    old=pa[0] if pa else "",
                    new=pb[0] if pb else "",
                    anchor=f"article.html#{anchor}" if pb and anchor else "",
                    detail="added" if pa is None else "removed" if pb is None else "reworded",
                )
            )
    return changes
