"""What a manuscript template sees: values, tables, provenance, metadata, edition."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any


@dataclass
class Context:
    """What the template can see: values, their tables, the provenance list, the manifest."""

    values: dict[str, Any]
    sources: dict[str, str]
    tables: dict[str, list[dict[str, Any]]]
    provenance: list[dict[str, Any]] = field(default_factory=list)
    software: dict[str, str] = field(default_factory=dict)
    metadata: dict[str, Any] | None = None  # article/metadata.yaml, validated
    fig_prefix: str = "../../"  # from build/article/ back to the repository root
    where: dict[str, dict[str, Any]] = field(default_factory=dict)  # provenance per value
    producers: dict[str, dict[str, Any]] = field(default_factory=dict)  # rule per file
    # "print" (Word, PDF: no rule names, scripts or paths) or "html" (with provenance links)
    edition: str = "print"

    @classmethod
    def load(cls, values_json: str | Path, **kw: Any) -> Context:
        doc = json.loads(Path(values_json).read_text(encoding="utf-8"))
        return cls(
            values=doc["values"],
            sources=doc["sources"],
            tables=doc["tables"],
            where=doc.get("provenance", {}),
            producers=doc.get("producers", {}),
            **kw,
        )
