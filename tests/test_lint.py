"""Code quality gates: ruff, snakefmt and Snakemake's own linter report nothing."""

from __future__ import annotations

import subprocess

import pytest
from support import REPO, SNAKEMAKE, VENV_BIN, build_env


def _run(*cmd: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        cmd, cwd=REPO, env=build_env(), stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
    )


def test_ruff_check():
    res = _run(str(VENV_BIN / "ruff"), "check", ".")
    assert res.returncode == 0, res.stdout


def test_ruff_format():
    res = _run(str(VENV_BIN / "ruff"), "format", "--check", ".")
    assert res.returncode == 0, res.stdout


def test_snakefmt():
    res = _run(str(VENV_BIN / "snakefmt"), "--check", "Snakefile", "workflow")
    assert res.returncode == 0, res.stdout


@pytest.mark.workflow
def test_snakemake_lint():
    res = _run(SNAKEMAKE, "--lint", "--directory", str(REPO))
    assert res.returncode == 0 and "Lints for" not in res.stdout, res.stdout[-4000:]


def test_no_function_longer_than_a_screen():
    """Functions of the package, the workflow scripts and the benchmarks stay under 80 lines."""
    import ast

    long = []
    for folder in ("src", "workflow/scripts", "benchmarks"):
        for path in sorted((REPO / folder).rglob("*.py")):
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                    lines = node.end_lineno - node.lineno + 1
                    if lines > 80:
                        long.append(f"{path.relative_to(REPO)}:{node.lineno} {node.name} ({lines})")
    assert long == []
