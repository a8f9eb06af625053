"""Shared fixtures: the repository root, scratch copies of it, and one real build per session."""

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

REPO = Path(__file__).resolve().parent.parent
VENV_BIN = Path(sys.executable).parent
SNAKEMAKE = str(VENV_BIN / "snakemake")

# Never copied into a scratch repository: environments, caches and build outputs.
_IGNORE = shutil.ignore_patterns(
    ".git",
    ".venv",
    ".tools",
    ".snakemake",
    "__pycache__",
    ".pytest_cache",
    ".ruff_cache",
    ".hypothesis",
    "logs",
    "build",
    "runs",
    ".cache",
)
_OUTPUT_DIRS = ("results", "figures", "data/processed")
# Generated benchmark inputs (large, written while benchmarks run): never part of a build.
_IGNORE_PATHS = {REPO / "benchmarks" / "data"}


def _ignore(folder: str, names: list[str]) -> set[str]:
    skip = set(_IGNORE(folder, names))
    return skip | {n for n in names if Path(folder) / n in _IGNORE_PATHS}


# Every Snakemake run of the suite (directly, through make or through kzopen.diff) uses the test
# profile, whose only setting is `--configfile .test/config.yaml`: the test configuration merged
# over config/config.yaml (fewer comparison years). This keeps `make test` within the CI budget
# on 2 cores (README, "Testing"); the full default build is `make` and `make bench`.
TEST_PROFILE = REPO / ".test" / "profile"


def copy_repo(dest: Path) -> Path:
    """Copy the repository's sources and raw data (no outputs) to ``dest``."""
    shutil.copytree(REPO, dest, ignore=_ignore, symlinks=True)
    for d in _OUTPUT_DIRS:
        out = dest / d
        if out.exists():
            for child in out.iterdir():
                if child.name != ".gitkeep":
                    shutil.rmtree(child) if child.is_dir() else child.unlink()
    return dest


def build_env() -> dict[str, str]:
    env = dict(os.environ)
    env.setdefault("SOURCE_DATE_EPOCH", "1704067200")
    env["PYTHONHASHSEED"] = "0"
    env["SNAKEMAKE_PROFILE"] = str(TEST_PROFILE)  # --configfile .test/config.yaml (see above)
    env["PATH"] = f"{VENV_BIN}{os.pathsep}{env.get('PATH', '')}"
    return env


def run_snakemake(
    workdir: Path, *args: str, timeout: int = 900, cores: str = "2"
) -> subprocess.CompletedProcess:
    """Run Snakemake in ``workdir``; stdout and stderr are captured together in ``.stdout``."""
    _refuse_in_fast_run("Snakemake run")
    return subprocess.run(
        [SNAKEMAKE, "--cores", cores, *args],
        cwd=workdir,
        env=build_env(),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        timeout=timeout,
    )


def lock_manifest(workdir: Path) -> None:
    """Re-lock raw checksums in a scratch copy (what `make data-lock` does)."""
    subprocess.run(
        [sys.executable, "-m", "kzopen.pipeline.manifest", "lock", "data/raw/manifest.csv"],
        cwd=workdir,
        check=True,
        capture_output=True,
        env=build_env(),
    )


def copy_build(src: Path, dest: Path) -> Path:
    """A copy of a built checkout with its outputs and Snakemake's records, so that a test
    that changes an input rebuilds only what the change touches."""
    skip = shutil.ignore_patterns("locks", "incomplete", "__pycache__", ".cache", ".git")
    shutil.copytree(src, dest, symlinks=True, ignore=skip)
    return dest


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
    _refuse_in_fast_run("the session build")
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


# --------------------------------------------------------------------------- markers
# `make test-fast` runs the tests that need neither a build nor Snakemake (FAST below). The
# markers that keep the others out are applied here, from the fixtures a test requests, so they
# cannot drift: `build` for every reader of the session builds (BUILD_FIXTURES, directly or
# through another fixture); `e2e` (scratch builds) and `workflow` (Snakemake runs that build
# nothing: lint, the DAG) are set by hand where the test calls Snakemake itself, and
# `make test-fast` makes every Snakemake entry point of this file fail (FAST_ENV), so a test
# left unmarked fails there instead of building. tests/test_markers.py checks both.
BUILD_FIXTURES = frozenset({"built_repo", "second_build"})
SNAKEMAKE_FIXTURES = frozenset({"workflow_code"})  # fixtures that run Snakemake (no build)
FAST = "not e2e and not build and not workflow"
FAST_ENV = "KZOPEN_TEST_FAST"


def _refuse_in_fast_run(what: str) -> None:
    if os.environ.get(FAST_ENV):
        pytest.fail(f"{what} in `make test-fast`: mark the test e2e, build or workflow")


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

PROBE = (
    "import socket, sys\n"
    "s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)\n"
    "try:\n"
    "    s.connect(('1.1.1.1', 53))\n"
    "except OSError as exc:\n"
    "    pass\n"
    "else:\n"
    "    print('ONLINE: a route to 1.1.1.1 exists'); sys.exit(1)\n"
    "try:\n"
    "    lo = socket.socket(); lo.bind(('127.0.0.1', 0)); lo.listen()\n"
    "    socket.create_connection(lo.getsockname(), timeout=2)\n"
    "except OSError as exc:\n"
    "    print('offline, loopback included:', exc); sys.exit(0)\n"
    "print('LOOPBACK UP: a TCP connection to 127.0.0.1 succeeded'); sys.exit(1)\n"
)

# Fallback when `unshare -n` is unavailable: refuse every IP connection and lookup, loopback
# included, in every Python process of the build (Snakemake and its job scripts); only
# Unix-domain sockets (a path, not a host) still work.
_SITECUSTOMIZE = """
import socket
def _refuse(addr):
    host = addr[0] if isinstance(addr, tuple) else addr
    if isinstance(host, bytes):
        host = host.decode()
    if isinstance(host, str) and host and not host.startswith("/"):
        raise OSError(101, "Network is unreachable (blocked by the offline test)")
_connect = socket.socket.connect
def connect(self, addr):
    _refuse(addr)
    return _connect(self, addr)
socket.socket.connect = connect
_connect_ex = socket.socket.connect_ex
def connect_ex(self, addr):
    _refuse(addr)
    return _connect_ex(self, addr)
socket.socket.connect_ex = connect_ex
_gai = socket.getaddrinfo
def getaddrinfo(host, *a, **k):
    _refuse((host,))
    return _gai(host, *a, **k)
socket.getaddrinfo = getaddrinfo
"""


def offline_prefix(tmp: Path, env: dict[str, str]) -> tuple[list[str], str]:
    """Command prefix (and its name) that runs a command with networking unavailable."""
    unshare = shutil.which("unshare")
    if unshare:
        probe = subprocess.run([unshare, "-n", "true"], capture_output=True)
        if probe.returncode == 0:
            # a new network namespace whose only interface, loopback, is down: no TCP at all
            # (notebook kernels talk over Unix-domain sockets, kzopen.article.notebooks)
            return [unshare, "-n"], "unshare -n"
    site = tmp / "offline_site"
    site.mkdir(exist_ok=True)
    (site / "sitecustomize.py").write_text(_SITECUSTOMIZE, encoding="utf-8")
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(site), env.get("PYTHONPATH", "")]))
    return [], "sitecustomize socket block"


@pytest.fixture(scope="session")
def second_build(built_repo: Path, tmp_path_factory: pytest.TempPathFactory) -> dict:
    """A second clean build, offline, elsewhere and later than `built_repo` (see above)."""
    _refuse_in_fast_run("the second build")
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
