"""Code quality gates: ruff, snakefmt and Snakemake's own linter report nothing."""

from __future__ import annotations

import subprocess

from conftest import REPO, SNAKEMAKE, VENV_BIN, build_env


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


def test_snakemake_lint():
    res = _run(SNAKEMAKE, "--lint", "--directory", str(REPO))
    assert res.returncode == 0 and "Lints for" not in res.stdout, res.stdout[-4000:]
