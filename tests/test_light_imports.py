"""Modules whose rules only read tables do not import the statistics libraries.

Every rule is its own process, so an import that a job does not need is paid again by every
job: scipy.stats alone costs about 0.65 s a process. The comparison table's readers know its
columns from :mod:`kzopen.compare.table`, which imports no scipy.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parent.parent / "src"

# module -> the heavy libraries it must not load (directly or through what it imports)
LIGHT = {
    "kzopen.compare.table": ("scipy", "statsmodels", "matplotlib"),
    "kzopen.compare.robustness": ("scipy", "statsmodels", "matplotlib"),
    "kzopen.compare.figure_data": ("scipy", "statsmodels", "matplotlib"),
    "kzopen.article.values": ("scipy", "statsmodels", "matplotlib"),
    "kzopen.core.io": ("scipy", "statsmodels", "matplotlib", "pandera"),
}


def loaded(module: str, libraries: tuple[str, ...]) -> list[str]:
    """The ``libraries`` that importing ``module`` in a fresh interpreter loads."""
    code = (
        f"import sys; sys.path.insert(0, {str(SRC)!r}); import {module}; "
        f"print(' '.join(m for m in {libraries!r} if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return out.stdout.split()


@pytest.mark.parametrize("module", sorted(LIGHT))
def test_table_readers_do_not_import_the_statistics(module):
    assert loaded(module, LIGHT[module]) == []


def test_the_check_sees_a_heavy_import():
    assert loaded("kzopen.compare.stats", ("scipy",)) == ["scipy"]
