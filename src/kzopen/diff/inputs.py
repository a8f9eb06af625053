"""The causes of a change: configuration keys, raw files (by manifest checksum), code and
templates that differ between two versions."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

import pandas as pd
import yaml

from kzopen.core.errors import InputError
from kzopen.core.io import read_results
from kzopen.diff.model import Change, Version

CONFIG = "config/config.yaml"
MANIFEST = "data/raw/manifest.csv"
# Files whose edits change what the build computes or prints (the config is compared by key).
SOURCES = ("Snakefile", "workflow/**/*", "src/kzopen/**/*.py", "article/**/*", "notebooks/*")
SKIP_PARTS = {"build", "__pycache__"}


def flatten(doc: Any, prefix: str = "") -> dict[str, Any]:
    """``{"compare": {"primary": {"year": 2023}}}`` -> ``{"compare.primary.year": 2023}``;
    an empty mapping has no keys (``column_map: {}`` is the same as no mapping)."""
    if isinstance(doc, dict):
        out: dict[str, Any] = {}
        for k, v in doc.items():
            out.update(flatten(v, f"{prefix}{k}."))
        return out
    return {prefix.rstrip("."): doc}


def _config(root: Path) -> dict[str, Any]:
    path = root / CONFIG
    if not path.is_file():
        return {}
    try:
        return flatten(yaml.safe_load(path.read_text(encoding="utf-8")) or {})
    except (yaml.YAMLError, UnicodeDecodeError) as exc:
        raise InputError(path, f"cannot be read as YAML: {exc}") from None


def _show(v: Any) -> str:
    return json.dumps(v, ensure_ascii=False, sort_keys=True)


def compare_config(old: Version, new: Version) -> list[Change]:
    if old.root is None or new.root is None:
        return []
    a, b = _config(old.root), _config(new.root)
    return [
        Change(
            "config",
            CONFIG,
            key,
            old=_show(a[key]) if key in a else "",
            new=_show(b[key]) if key in b else "",
            detail="added" if key not in a else "removed" if key not in b else "",
        )
        for key in sorted(set(a) | set(b))
        if key not in a or key not in b or a[key] != b[key]
    ]


def _manifest(root: Path) -> pd.DataFrame:
    path = root / MANIFEST
    if not path.is_file():
        return pd.DataFrame(columns=["path", "source", "sha256", "retrieved"]).set_index("path")
    df = read_results(path, text=True)
    return df.drop_duplicates("path").set_index("path")


def compare_raw_files(old: Version, new: Version) -> list[Change]:
    """Raw files whose manifest checksum differs, and files added to or removed from it."""
    if old.root is None or new.root is None:
        return []
    a, b = _manifest(old.root), _manifest(new.root)
    out = []
    for path in sorted(set(a.index) | set(b.index)):
        ra = a.loc[path] if path in a.index else None
        rb = b.loc[path] if path in b.index else None
        sa = "" if ra is None else ra.get("sha256", "")
        sb = "" if rb is None else rb.get("sha256", "")
        if sa == sb:
            continue
        row = rb if rb is not None else ra
        detail = "added" if ra is None else "removed" if rb is None else "content changed"
        if ra is not None and rb is not None and ra.get("retrieved") != rb.get("retrieved"):
            detail += f"; retrieved {ra.get('retrieved')} → {rb.get('retrieved')}"
        out.append(
            Change("raw_file", str(row.get("source", "")), path, old=sa, new=sb, detail=detail)
        )
    return out


def _source_files(root: Path) -> dict[str, str]:
    files = {}
    for pattern in SOURCES:
        for p in root.glob(pattern):
            rel = p.relative_to(root)
            if p.is_file() and not SKIP_PARTS & set(rel.parts) and not p.name.startswith("."):
                files[rel.as_posix()] = hashlib.sha256(p.read_bytes()).hexdigest()
    return files


def compare_source_files(old: Version, new: Version) -> list[Change]:
    """Code, rules, templates and notebooks whose content differs."""
    if old.root is None or new.root is None:
        return []
    a, b = _source_files(old.root), _source_files(new.root)
    return [
        Change(
            "source_file",
            path.split("/", 1)[0],
            path,
            old=a.get(path, "")[:12],
            new=b.get(path, "")[:12],
            detail="added" if path not in a else "removed" if path not in b else "edited",
        )
        for path in sorted(set(a) | set(b))
        if a.get(path) != b.get(path)
    ]
