"""One scratch-build helper (kzopen.pipeline.scratch) for the tests, the benchmarks and the
version comparison; tests import helpers from support.py, never conftest, and the benchmarks
import nothing of the test suite."""

from __future__ import annotations

import ast
from pathlib import Path

from support import REPO

from kzopen.pipeline import scratch


def _imports(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names |= {a.name.split(".")[0] for a in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            names.add(node.module.split(".")[0])
    return names


def test_tests_never_import_conftest_and_benchmarks_never_import_the_tests():
    tests = {p.name for p in (REPO / "tests").glob("*.py")}
    for path in sorted((REPO / "tests").glob("*.py")):
        assert "conftest" not in _imports(path), path.name
    for path in sorted((REPO / "benchmarks").glob("*.py")):
        assert not _imports(path) & ({Path(t).stem for t in tests} | {"tests"}), path.name


def test_the_helpers_copy_and_build_through_kzopen_pipeline_scratch():
    """The tests, the benchmarks and kzopen.diff call the shared helper; none copies a checkout
    or sets the build environment on its own."""
    users = {
        "tests/support.py": {"copy_sources", "build_env", "copy_build"},
        "benchmarks/harness.py": {"copy_sources", "clear_outputs"},
        "benchmarks/bench_diff.py": {"copy_build"},
        "src/kzopen/diff/base.py": {"build_env"},
    }
    for rel, names in users.items():
        text = (REPO / rel).read_text(encoding="utf-8")
        assert "ignore_patterns" not in text and "SOURCE_DATE_EPOCH" not in text, rel
        for name in names:
            assert f"{name}(" in text or f"scratch.{name}" in text, (rel, name)


def test_copy_sources_leaves_out_environments_and_outputs(tmp_path: Path):
    repo = tmp_path / "repo"  # SYNTHETIC checkout
    for rel in (
        "src/a.py",
        "results/x.csv",
        "results/.gitkeep",
        ".venv/bin/python",
        "figures/f.png",
        "data/raw/r.csv",
        "skip/me.txt",
        ".snakemake/log",
    ):
        (repo / rel).parent.mkdir(parents=True, exist_ok=True)
        (repo / rel).write_text("x", encoding="utf-8")
    out = scratch.copy_sources(repo, tmp_path / "copy", skip=[repo / "skip"])
    files = sorted(p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file())
    assert files == ["data/raw/r.csv", "results/.gitkeep", "src/a.py"]
    assert (out / "figures").is_dir() and (out / "data/processed").is_dir()


def test_build_env_is_fixed_and_puts_the_environment_first(tmp_path: Path):
    env = scratch.build_env(
        tmp_path / "bin",
        profile=tmp_path / "profile",
        package_src=tmp_path / "src",
        base={"PATH": "/usr/bin", "PYTHONHASHSEED": "7"},
    )
    assert env["PATH"].split(":")[0] == str(tmp_path / "bin")
    assert env["PYTHONHASHSEED"] == "0" and env["SOURCE_DATE_EPOCH"] == scratch.SOURCE_DATE_EPOCH
    assert env["SNAKEMAKE_PROFILE"] == str(tmp_path / "profile")
    assert env["PYTHONPATH"] == str(tmp_path / "src")
