"""Execute an exploratory notebook (nbclient) and export it to HTML (nbconvert)."""

from __future__ import annotations

from pathlib import Path

import nbformat
from nbclient import NotebookClient
from nbconvert import HTMLExporter

from kzopen.errors import InputError
from kzopen.io import write_text


def has_outputs(nb: nbformat.NotebookNode) -> bool:
    """True if any code cell carries outputs or an execution count (committed notebooks must not)."""
    return any(
        c.cell_type == "code" and (c.get("outputs") or c.get("execution_count") is not None)
        for c in nb.cells
    )


def execute_notebook(
    src: str | Path,
    out_ipynb: str | Path,
    out_html: str | Path,
    cwd: str | Path,
    timeout: int = 600,
) -> None:
    """Run every cell of ``src`` with the working directory ``cwd``; write .ipynb and .html."""
    src = Path(src)
    try:
        nb = nbformat.read(src, as_version=4)
    except Exception as exc:  # nbformat raises several unrelated types for a bad file
        raise InputError(src, f"not a readable notebook: {exc}") from None
    client = NotebookClient(
        nb,
        timeout=timeout,
        kernel_name="python3",
        resources={"metadata": {"path": str(Path(cwd).resolve())}},
    )
    client.execute()
    # No volatile metadata: drop execution timing so the output is stable.
    for cell in nb.cells:
        cell.get("metadata", {}).pop("execution", None)
    nb.metadata.pop("widgets", None)
    write_text(nbformat.writes(nb) + "\n", out_ipynb)
    exporter = HTMLExporter(template_name="lab")
    body, _ = exporter.from_notebook_node(nb)
    write_text(body, out_html)
