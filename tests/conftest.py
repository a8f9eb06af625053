"""Shared fixtures and hooks: scratch copies of the repository and one real build per session.
Helpers the tests import live in support.py."""

from __future__ import annotations

import fcntl
import json
import os
import shutil
import subprocess
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from support import (
    BUILD_FIXTURES,
    PROBE,
    RELEASE_KAZ_SCORE,
    SNAKEMAKE,
    SNAKEMAKE_FIXTURES,
    build_env,
    copy_build,
    copy_repo,
    edit_cpi_in_place,
    offline_prefix,
    refuse_in_fast_run,
    run_snakemake,
    synthetic_cpi_release,
)


@contextmanager
def _locked(path: Path) -> Iterator[None]:
    with open(path, "w") as fh:
        fcntl.flock(fh, fcntl.LOCK_EX)
        yield


def once_per_run(
    factory: pytest.TempPathFactory, name: str, make: Callable[[Path], dict]
) -> tuple[Path, dict]:
    """``make(folder)`` once per test run, even with several pytest-xdist workers (each has
    its own session): the first worker to ask runs it, under a file lock, in a folder all
    workers share; the others wait and read its JSON result. Builds are the expensive part
    of the suite, so no worker repeats one another has made."""
    shared = factory.getbasetemp()
    if os.environ.get("PYTEST_XDIST_WORKER"):
        shared = shared.parent  # the run's folder, parent of every worker's own
    folder, done = shared / name, shared / f"{name}.json"
    with _locked(shared / f"{name}.lock"):
        if not done.exists():
            shutil.rmtree(folder, ignore_errors=True)  # a worker that died while making it
            folder.mkdir()
            done.write_text(json.dumps(make(folder)), encoding="utf-8")
    return folder, json.loads(done.read_text(encoding="utf-8"))


def _full_build(folder: Path) -> dict:
    refuse_in_fast_run("the session build")
    res = run_snakemake(copy_repo(folder / "repo"), timeout=1800)
    return {"returncode": res.returncode, "stdout": res.stdout[-6000:]}


@pytest.fixture(scope="session")
def built_repo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One full clean build of a scratch copy, shared by the end-to-end tests of every worker.
    Tests read it; a test that changes something works on a copy (`copy_build`)."""
    folder, res = once_per_run(tmp_path_factory, "built", _full_build)
    if res["returncode"] != 0:
        pytest.fail(f"full build failed:\n{res['stdout']}")
    return folder / "repo"


def _cpi_release(built_repo: Path, folder: Path) -> dict:
    refuse_in_fast_run("the CPI release build")
    work = copy_build(built_repo, folder / "repo")
    # first an edit of the vendored workbook in place: what would Snakemake rerun?
    edit_cpi_in_place(work, RELEASE_KAZ_SCORE)
    planned = run_snakemake(work, "--dry-run")
    release = synthetic_cpi_release(work)
    first = run_snakemake(work)  # the renamed ISO3 column: the build must stop and say so
    cfg = work / "config/config.yaml"
    text = cfg.read_text(encoding="utf-8")
    cfg.write_text(text.replace("  column_map: {}", '  column_map: {ti_cpi: {"ISO-3 code": ISO3}}'))
    rebuilt = run_snakemake(work)
    return {
        "release": release,
        "in_place": {"returncode": planned.returncode, "stdout": planned.stdout},
        "first": {"returncode": first.returncode, "stdout": first.stdout},
        "rebuilt": {"returncode": rebuilt.returncode, "stdout": rebuilt.stdout[-6000:]},
    }


@pytest.fixture(scope="session")
def cpi_release_build(built_repo: Path, tmp_path_factory: pytest.TempPathFactory) -> dict:
    """A copy of the session build after a (synthetic) new CPI release. First Kazakhstan's
    score is edited in the vendored workbook in place and a dry run records what Snakemake
    would rerun; then the release replaces the workbook, as published, whose renamed ISO3
    column stops the build, and with the column mapped in the config it is rebuilt. Made once per run (``once_per_run``) for the two tests that read it: the changed
    value reaches every output (tests/test_article_e2e.py) and ``make diff`` lists exactly what
    depends on it (tests/test_diff.py). Tests read it and change nothing in it but the diff's
    own outputs. Returns the folder (``work``), the release's path and both builds' results."""
    folder, res = once_per_run(
        tmp_path_factory, "cpi_release", lambda f: _cpi_release(built_repo, f)
    )
    return {**res, "work": folder / "repo"}


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Markers from fixtures (see above), then the run order (stable within each part): the
    tests pinned to one worker (`xdist_group`, the session build and the tests that compare
    whole builds) first, so that the build starts at once; then the tests that need no build,
    which keep the other worker busy meanwhile; the other readers of the session build last."""
    for item in items:
        names = set(getattr(item, "fixturenames", ()))
        if names & BUILD_FIXTURES and not item.get_closest_marker("build"):
            item.add_marker(pytest.mark.build)
        if names & SNAKEMAKE_FIXTURES and not item.get_closest_marker("workflow"):
            item.add_marker(pytest.mark.workflow)

    def part(item: pytest.Item) -> int:
        if item.get_closest_marker("xdist_group"):
            return 0
        return 2 if item.get_closest_marker("build") else 1

    items.sort(key=part)


@pytest.fixture
def repo_copy(tmp_path: Path) -> Path:
    """A fresh scratch copy of the repository for a test that changes inputs."""
    return copy_repo(tmp_path / "repo")


# --------------------------------------------------------------------------- trust: second build
# A second clean build for the reproducibility and offline tests (tests/test_reproducible.py,
# tests/test_offline.py): another folder at another depth, started after `built_repo` has
# finished, in another time zone and locale, with another hash seed, and with networking
# unavailable. Outputs must be byte-identical to `built_repo`'s.


@pytest.fixture(scope="session")
def second_build(built_repo: Path, tmp_path_factory: pytest.TempPathFactory) -> dict:
    """A second clean build, offline, elsewhere and later than `built_repo` (see above)."""
    refuse_in_fast_run("the second build")
    tmp = tmp_path_factory.mktemp("second")
    work = copy_repo(tmp / "another" / "checkout" / "of-the-repository")
    env = build_env()
    env.update(TZ="Pacific/Kiritimati", LC_ALL="C.UTF-8", LANG="C.UTF-8", PYTHONHASHSEED="4242")
    prefix, how = offline_prefix(tmp, env)
    probe = subprocess.run(
        [*prefix, sys.executable, "-c", PROBE], env=env, capture_output=True, text=True
    )
    res = subprocess.run(
        [*prefix, SNAKEMAKE, "--cores", "2"],
        cwd=work,
        env=env,
        text=True,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        timeout=1800,
    )
    return {"work": work, "result": res, "how": how, "probe": probe}
