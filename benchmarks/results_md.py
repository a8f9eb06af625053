"""benchmarks/RESULTS.md is shared by the benchmark scripts: each owns one marked block."""

from __future__ import annotations

from pathlib import Path

RESULTS_MD = Path(__file__).resolve().parent / "RESULTS.md"


def write_block(block: str, start: str, end: str, *, first: bool = False) -> None:
    """Replace the block from ``start`` to ``end`` (``block`` includes both markers) and keep
    everything else; a new block goes after the title (``first``) or at the end."""
    old = RESULTS_MD.read_text(encoding="utf-8") if RESULTS_MD.exists() else "# Benchmarks\n"
    if start in old and end in old:
        head, rest = old.split(start, 1)
        new = head + block + rest.split(end, 1)[1]
    elif first:
        lines = old.rstrip("\n").split("\n")
        if lines and lines[0].startswith("# "):  # after the title
            new = "\n".join([lines[0], "", block, *lines[1:]]) + "\n"
        else:
            new = "# Benchmarks\n\n" + block + "\n\n" + old
    else:
        new = old.rstrip("\n") + "\n\n" + block + "\n"
    RESULTS_MD.write_text(new.rstrip("\n") + "\n", encoding="utf-8")
