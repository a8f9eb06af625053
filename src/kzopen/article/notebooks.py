"""Execute an exploratory notebook (nbclient) and export it to HTML (nbconvert).

The kernel talks to its client over Unix-domain sockets (ZeroMQ ``ipc`` transport), not TCP,
so notebooks execute on a machine or in a container whose networking is fully disabled,
loopback included.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

import nbformat
from jupyter_client.manager import KernelManager
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError
from nbconvert import HTMLExporter

from kzopen.core.errors import InputError
from kzopen.core.io import write_text


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
    _run_kernel(nb, src, cwd, timeout)
    # No volatile metadata: drop execution timing so the output is stable.
    for cell in nb.cells:
        cell.get("metadata", {}).pop("execution", None)
    nb.metadata.pop("widgets", None)
    write_text(nbformat.writes(nb) + "\n", out_ipynb)
    exporter = HTMLExporter(template_name="lab")
    body, _ = exporter.from_notebook_node(nb)
    write_text(body, out_html)


def _run_kernel(nb: nbformat.NotebookNode, src: Path, cwd: str | Path, timeout: int) -> None:
    """Execute ``nb`` in place with a python3 kernel reached over Unix-domain sockets."""
    # a short private folder: a Unix socket path must stay under ~100 characters
    sockets = tempfile.mkdtemp(prefix="kzopen-kernel-")
    transport = "tcp" if os.name == "nt" else "ipc"  # Windows has no ipc transport
    km = KernelManager(
        kernel_name="python3",
        transport=transport,
        connection_file=os.path.join(sockets, "kernel.json"),
    )
    client = NotebookClient(
        nb, km=km, timeout=timeout, resources={"metadata": {"path": str(Path(cwd).resolve())}}
    )
    try:
        client.execute()
    except CellExecutionError:
        raise  # a failing cell is a bug in the notebook or the package: keep its traceback
    except Exception as exc:
        if km.has_kernel:
            raise
        raise InputError(
            src,
            f"the Jupyter kernel 'python3' could not be started over {transport} sockets in "
            f"{sockets} ({type(exc).__name__}: {exc})",
            expected="ipykernel installed in the environment (`make env`) and a writable "
            "temporary folder (TMPDIR) for the kernel's sockets",
        ) from None
    finally:
        shutil.rmtree(sockets, ignore_errors=True)
