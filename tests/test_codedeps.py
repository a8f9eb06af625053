"""Rules rerun when the package code their scripts import changes: the `code` input of every
rule is derived from its script's imports (kzopen.codedeps), checked here on a synthetic package
and on the workflow itself."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from conftest import REPO

from kzopen.codedeps import SHARED_INFRASTRUCTURE, called_functions, script_code


def _write(root: Path, files: dict[str, str]) -> None:
    for rel, text in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    """A SYNTHETIC package: a -> b (absolute), b -> c (relative), d only from a notebook."""
    _write(
        tmp_path,
        {
            "src/kzopen/__init__.py": "",
            "src/kzopen/errors.py": "class InputError(Exception): ...\n",
            "src/kzopen/pkg/__init__.py": "",
            "src/kzopen/pkg/a.py": "from kzopen.pkg.b import helper\n\ndef run():\n    return helper()\n",
            "src/kzopen/pkg/b.py": "from .c import VALUE\n\ndef helper():\n    return VALUE\n",
            "src/kzopen/pkg/c.py": "VALUE = 1\n",
            "src/kzopen/pkg/d.py": "def shown():\n    return 2\n",
            "src/kzopen/unused.py": "X = 0\n",
            "workflow/scripts/job.py": (
                "from kzopen.errors import InputError\nfrom kzopen.pkg.a import run\n\nrun()\n"
            ),
        },
    )
    nb = {
        "cells": [
            {
                "cell_type": "code",
                "source": ["%matplotlib inline\n", "from kzopen.pkg.d import shown\n"],
            }
        ]
    }
    _write(tmp_path, {"notebooks/n.ipynb": json.dumps(nb)})
    return tmp_path


def test_script_code_follows_imports_transitively(tree: Path):
    assert script_code(tree, "workflow/scripts/job.py") == [
        "src/kzopen/pkg/a.py",
        "src/kzopen/pkg/b.py",
        "src/kzopen/pkg/c.py",
    ]


def test_script_code_reads_notebooks_and_skips_infrastructure(tree: Path):
    found = script_code(tree, "workflow/scripts/job.py", "notebooks/n.ipynb")
    assert "src/kzopen/pkg/d.py" in found
    assert not any(f"src/kzopen/{m}.py" in found for m in SHARED_INFRASTRUCTURE)
    assert "src/kzopen/unused.py" not in found


def test_called_functions_in_call_order(tree: Path):
    assert called_functions(tree, "workflow/scripts/job.py") == ["kzopen.pkg.a.run"]


def _rule_blocks() -> dict[str, str]:
    text = "\n".join(p.read_text() for p in sorted((REPO / "workflow/rules").glob("*.smk")))
    parts = re.split(r"^rule (\w+):\n", text, flags=re.M)
    return dict(zip(parts[1::2], parts[2::2], strict=True))


def test_every_scripted_rule_declares_the_code_of_its_own_script():
    blocks = _rule_blocks()
    scripted = 0
    for name, block in blocks.items():
        script = re.search(r'script:\n\s+"\.\./scripts/(\w+\.py)"', block)
        if not script:
            continue
        scripted += 1
        code = re.search(r'code=(?:lambda wc: )?script_code\(\s*"(\w+\.py)"', block)
        assert code, f"rule {name}: no code=script_code(...) input"
        assert code.group(1) == script.group(1), f"rule {name}: code of another script"
    assert scripted > 30


def test_every_script_imports_some_package_code():
    """A script that imports nothing from the package would be logic outside it."""
    for script in sorted((REPO / "workflow/scripts").glob("*.py")):
        rel = script.relative_to(REPO)
        assert script_code(REPO, rel), f"{rel} calls no kzopen module"
