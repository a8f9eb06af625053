"""The fast set (`make test-fast`, support.FAST) holds no test that needs a build or runs
Snakemake: the markers that keep such tests out are honest and cannot drift."""

from __future__ import annotations

import ast
import inspect
import os
import textwrap

import pytest
from _pytest.mark.expression import Expression
from support import BUILD_FIXTURES, FAST, REPO, SNAKEMAKE_FIXTURES

# Names through which a test function runs Snakemake itself (not through a fixture).
_RUNS_SNAKEMAKE = frozenset({"run_snakemake", "SNAKEMAKE", "compute_floor"})


def _calls_snakemake(fn: object) -> bool:
    tree = ast.parse(textwrap.dedent(inspect.getsource(fn)))  # type: ignore[arg-type]
    return any(isinstance(n, ast.Name) and n.id in _RUNS_SNAKEMAKE for n in ast.walk(tree))


def _is_fast(item: pytest.Item) -> bool:
    return Expression.compile(FAST).evaluate(lambda name, **_: bool(item.get_closest_marker(name)))


def _offenders(items: list[pytest.Item]) -> dict[str, list[str]]:
    """Fast tests that request a build or Snakemake fixture, or call Snakemake in their body."""
    found: dict[str, list[str]] = {}
    for item in items:
        if not _is_fast(item):
            continue
        why = sorted(set(getattr(item, "fixturenames", ())) & (BUILD_FIXTURES | SNAKEMAKE_FIXTURES))
        fn = getattr(item, "function", None)
        if fn is not None and _calls_snakemake(fn):
            why.append("calls Snakemake")
        if why:
            found[item.nodeid] = why
    return found


def test_no_fast_test_requests_a_build_or_runs_snakemake(request: pytest.FixtureRequest):
    """Over every test collected in this run (all of them under `make test`)."""
    items = request.session.items
    assert request.node in items
    assert _offenders(items) == {}


def test_readers_of_the_session_build_are_marked_build(request: pytest.FixtureRequest):
    readers = [i for i in request.session.items if set(i.fixturenames) & BUILD_FIXTURES]
    assert all(i.get_closest_marker("build") for i in readers)
    assert not any(_is_fast(i) for i in readers)


def test_the_check_would_fail_on_an_unmarked_build_reader(request: pytest.FixtureRequest):
    """The check above is not vacuous: a fast test that asked for `built_repo` is reported."""

    class Fake:
        nodeid = "tests/test_x.py::test_reads_the_build"
        fixturenames = ["tmp_path", "built_repo"]

        def get_closest_marker(self, name: str) -> None:
            return None

        @staticmethod
        def function() -> None:
            pass

    assert _offenders([Fake()]) == {Fake.nodeid: ["built_repo"]}  # type: ignore[list-item]
    assert _is_fast(request.node)


def test_make_test_fast_selects_the_fast_set():
    makefile = (REPO / "Makefile").read_text(encoding="utf-8")
    target = makefile.split("\ntest-fast:", 1)[1].split("\n\n", 1)[0]
    assert "support.FAST" in target or f'"{FAST}"' in target
    assert "KZOPEN_TEST_FAST=1" in target


@pytest.mark.xdist_group("build")
def test_the_build_group_shares_one_worker(request: pytest.FixtureRequest):
    """Under `make test` (-n 2 --dist loadgroup) pytest-xdist pins the `build` group to one
    worker by suffixing its node ids; pytest 9.2 silently broke that (pyproject.toml), and the
    session-build tests would then run on both workers, each building the offline copy."""
    if not os.environ.get("PYTEST_XDIST_WORKER"):  # one process: nothing to share
        pytest.skip("only on pytest-xdist's workers (make test)")
    # on a worker: the run must distribute by group (a run without it builds twice), and the
    # group must have been kept together
    assert getattr(request.config.option, "loadgroup", False), "run with --dist loadgroup"
    assert request.node.nodeid.endswith("@build")
