"""Exploratory notebooks: committed without outputs; each one executes against a real build."""

from __future__ import annotations

from pathlib import Path

import nbformat
import pytest

from kzopen.article.notebooks import execute_notebook, has_outputs

REPO = Path(__file__).resolve().parent.parent
NOTEBOOKS = sorted((REPO / "notebooks").glob("*.ipynb"))


def test_there_are_notebooks() -> None:
    assert NOTEBOOKS, "notebooks/ holds no notebook"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_committed_notebook_has_no_outputs(path: Path) -> None:
    nb = nbformat.read(path, as_version=4)
    assert not has_outputs(nb), f"{path.name} carries outputs; clear them before committing"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_notebook_reads_no_raw_data(path: Path) -> None:
    src = "\n".join(c.source for c in nbformat.read(path, as_version=4).cells)
    assert "data/raw" not in src.replace("data/raw/groups/country_groups.csv`", "")


@pytest.mark.e2e
@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_notebook_executes(path: Path, built_repo: Path, tmp_path: Path) -> None:
    out_nb, out_html = tmp_path / path.name, tmp_path / f"{path.stem}.html"
    execute_notebook(built_repo / "notebooks" / path.name, out_nb, out_html, cwd=built_repo)
    nb = nbformat.read(out_nb, as_version=4)
    errors = [o for c in nb.cells for o in c.get("outputs", []) if o.output_type == "error"]
    assert not errors and has_outputs(nb)
    assert "<html" in out_html.read_text()[:2000].lower()
