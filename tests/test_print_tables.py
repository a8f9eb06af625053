"""Tables in print (PDF through Typst): a row never splits across pages, a short table stays on
one page, a long one breaks between rows with its header repeated, and the paragraph that labels
a supplement table ("Table S3. ...") stays with it. Checked on where Typst puts each row: a probe
prepended to the Typst source records the page at the start and at the end of every cell."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from kzopen.core.pandoc import run_pandoc

REPO = Path(__file__).resolve().parent.parent
# the build's Lua filter that sizes table columns by content (rules article_pdf, article_docx)
TABLE_FILTER = REPO / "article" / "docx.lua"
HEADER = REPO / "article" / "typst-header.typ"

# Counts the tables and marks the page where each cell starts and ends.
PROBE = """
#let _probe = counter("kz-table-probe")
#show table: it => { _probe.step(); it }
#show table.cell: it => {
  context metadata((t: _probe.get().first(), y: it.y, page: here().page()))
  it
  context metadata((t: _probe.get().first(), y: it.y, page: here().page()))
}
"""


def table_pages(typ: Path, root: Path) -> dict[int, dict[int, set[int]]]:
    """Table number -> row -> the pages its cells touch, from Typst's own layout."""
    import typst

    probe = typ.with_name(f"_probe_{typ.name}")
    probe.write_text(PROBE + typ.read_text(encoding="utf-8"), encoding="utf-8")
    try:
        found = json.loads(typst.query(str(probe), "metadata", root=str(root)))
    finally:
        probe.unlink()
    tables: dict[int, dict[int, set[int]]] = {}
    for m in found:
        v = m["value"]
        if isinstance(v, dict) and "t" in v:
            tables.setdefault(v["t"], {}).setdefault(v["y"], set()).add(v["page"])
    return tables


def split_rows(tables: dict[int, dict[int, set[int]]]) -> list[tuple[int, int]]:
    """(table, row) of every body row printed on more than one page (row 0, the header, is
    repeated on each page of a long table by design)."""
    return [(t, y) for t, rows in tables.items() for y, p in rows.items() if y > 0 and len(p) > 1]


def _document(tmp_path: Path) -> Path:
    """Synthetic page: text that fills most of the first page, then a short table whose cells
    run to several lines, then a long one (test fixture, not data)."""
    tall = " \\ ".join(["line"] * 4)
    short = ", ".join(f"[{tall}], [x]" for _ in range(4))
    long = ", ".join(f"[{tall}], [y]" for _ in range(40))
    body = f"""
#set page(paper: "a4", margin: 2.5cm)
#lorem(520)
#figure(align(center)[#table(columns: (50%, 50%), table.header([A], [B]), table.hline(),
  {short})], caption: [short], kind: table)
#figure(align(center)[#table(columns: (50%, 50%), table.header([A], [B]), table.hline(),
  {long})], caption: [long], kind: table)
"""
    typ = tmp_path / "doc.typ"
    typ.write_text(HEADER.read_text(encoding="utf-8") + body, encoding="utf-8")
    return typ


def test_rows_never_split_and_short_tables_stay_whole(tmp_path: Path) -> None:
    tables = table_pages(_document(tmp_path), tmp_path)
    assert len(tables) == 2
    assert split_rows(tables) == []
    short, long = tables[1], tables[2]
    assert len(set().union(*short.values())) == 1  # moved whole to the next page
    long_pages = set().union(*long.values())
    assert len(long_pages) > 1 and short[0] | long_pages >= long[0]
    assert long[0] == long_pages  # the header row repeats on every page of the long table


def test_supplement_table_label_is_sticky() -> None:
    """A paragraph that labels the next table ("**Table S1.** ...") stays with it in Typst."""
    md = "Text.\n\n**Table S1.** Software.\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n**Note.** x\n"
    typ = run_pandoc(
        ["-", "--from=markdown", "--to=typst", f"--lua-filter={TABLE_FILTER}"], stdin=md
    )
    label = typ.index("Table S1.")
    assert typ.rfind("#block(sticky: true)[", 0, label) > typ.rfind("Text.", 0, label)
    assert typ.count("sticky") == 1  # not the closing note, which labels no table


@pytest.mark.parametrize("name", ["article", "supplement"])
def test_built_pdf_rows_never_split(built_repo: Path, name: str) -> None:
    build = built_repo / "build" / "article"
    tables = table_pages(build / f"{name}.typ", built_repo)
    assert tables, "no tables found in the Typst source"
    assert split_rows(tables) == []
    for rows in tables.values():  # a table continued on another page repeats its header there
        assert rows[0] == set().union(*rows.values())


def test_long_tokens_in_cells_may_break() -> None:
    """A DOI or file name in a Typst table cell may break after its / . : characters (a
    zero-width space), so that it does not run over the next column; text outside tables and
    short tokens are left alone."""
    doi = "doi:10.1080/14719037.2015.1051572"
    md = f"See {doi}.\n\n| Source | Tier |\n|---|---|\n| {doi} | primary |\n| 1.5 | a/b |\n"
    typ = run_pandoc(
        ["-", "--from=markdown", "--to=typst", f"--lua-filter={TABLE_FILTER}"], stdin=md
    )
    assert "[doi:\u200b10.\u200b1080/\u200b14719037.\u200b2015.\u200b1051572]" in typ
    assert f"See {doi}" in typ and "[1.5]" in typ and "[a/b]" in typ
