"""What the tests share besides fixtures: the repository root, the Snakemake entry points of
the suite (every one refuses to run in `make test-fast`), scratch copies (through
kzopen.pipeline.scratch, which the benchmarks and kzopen.diff use too), the markers that keep
builds out of the fast run, and the offline harness of the second build. Fixtures and hooks
stay in conftest.py; tests import from here, never from conftest."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from kzopen.compare.stats import Settings
from kzopen.pipeline import scratch
from kzopen.portal.settings import PortalSettings

REPO = Path(__file__).resolve().parent.parent
VENV_BIN = Path(sys.executable).parent
SNAKEMAKE = str(VENV_BIN / "snakemake")

# Generated benchmark inputs (large, written while benchmarks run): never part of a build.
_SKIP = (REPO / "benchmarks" / "data",)

# Every Snakemake run of the suite (directly, through make or through kzopen.diff) uses the test
# profile, whose only setting is `--configfile .test/config.yaml`: the test configuration merged
# over config/config.yaml (fewer comparison years, smaller Monte-Carlo sizes). This keeps
# `make test` within the CI budget on 2 cores (README, "Testing"); the full default build is
# `make` and `make bench`.
TEST_PROFILE = REPO / ".test" / "profile"


def copy_repo(dest: Path) -> Path:
    """Copy the repository's sources and raw data (no outputs) to ``dest``."""
    return scratch.copy_sources(REPO, dest, skip=_SKIP)


def build_env() -> dict[str, str]:
    """The environment of the suite's builds: this virtual environment, the test profile."""
    return scratch.build_env(VENV_BIN, profile=TEST_PROFILE)


def run_snakemake(
    workdir: Path, *args: str, timeout: int = 900, cores: str = "2"
) -> subprocess.CompletedProcess:
    """Run Snakemake in ``workdir``; stdout and stderr are captured together in ``.stdout``."""
    refuse_in_fast_run("Snakemake run")
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


copy_build = scratch.copy_build

SCHEMA = REPO / "workflow" / "schemas" / "config.schema.yaml"


def schema_defaults(section: str) -> dict:
    """The schema's defaults of one config section (the only place defaults are written)."""
    import yaml

    props = yaml.safe_load(SCHEMA.read_text(encoding="utf-8"))["properties"][section]["properties"]
    return {k: v["default"] for k, v in props.items() if "default" in v}


def _from_schema(cls, section: str, **overrides):
    defaults = schema_defaults(section)
    fields = [f for f in cls.__dataclass_fields__ if f not in overrides]
    kw = {f: defaults[f] for f in fields if f in defaults}
    kw = {k: tuple(v) if isinstance(v, list) else v for k, v in kw.items()}
    return cls(**kw, **overrides)


def compare_settings(**overrides) -> Settings:
    """Settings of the comparisons at the schema's defaults, with ``overrides``."""
    return _from_schema(Settings, "compare", **overrides)


def portal_settings(**overrides) -> PortalSettings:
    """Settings of the portal analysis at the schema's defaults, with ``overrides``."""
    return _from_schema(PortalSettings, "portal", **{"seed": 0, **overrides})


# --------------------------------------------------------------------------- markers
# `make test-fast` runs the tests that need neither a build nor Snakemake (FAST below). The
# markers that keep the others out are applied here, from the fixtures a test requests, so they
# cannot drift: `build` for every reader of the session builds (BUILD_FIXTURES, directly or
# through another fixture); `e2e` (scratch builds) and `workflow` (Snakemake runs that build
# nothing: lint, the DAG) are set by hand where the test calls Snakemake itself, and
# `make test-fast` makes every Snakemake entry point of the suite fail (FAST_ENV), so a test
# left unmarked fails there instead of building. tests/test_markers.py checks both.
BUILD_FIXTURES = frozenset({"built_repo", "second_build", "cpi_release_build"})
SNAKEMAKE_FIXTURES = frozenset({"workflow_code"})  # fixtures that run Snakemake (no build)
FAST = "not e2e and not build and not workflow"
FAST_ENV = "KZOPEN_TEST_FAST"


def refuse_in_fast_run(what: str) -> None:
    if os.environ.get(FAST_ENV):
        pytest.fail(f"{what} in `make test-fast`: mark the test e2e, build or workflow")


# --------------------------------------------------------------------------- offline harness
# (the second build, tests/test_offline.py)

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


# --------------------------------------------------------------------------- a new CPI release
# (the one rebuild of a changed raw file that tests/test_article_e2e.py and tests/test_diff.py
# share: conftest.py, cpi_release_build)

CPI = "data/raw/indices/ti_cpi/CPI2023_Global_Results__Trends.xlsx"
CPI_SHEET = "CPI Timeseries 2012 - 2023"
# Kazakhstan's CPI 2023 score in the synthetic release (the vendored workbook has 39).
RELEASE_KAZ_SCORE = 46


def _kaz_row(ws, iso_col: int) -> int:
    rows = [r for r in range(5, ws.max_row + 1) if ws.cell(r, iso_col).value == "KAZ"]
    assert len(rows) == 1, f"{CPI}: {len(rows)} rows for KAZ, expected one"
    return rows[0]


def edit_cpi_in_place(repo: Path, score: float) -> None:
    """Kazakhstan's CPI 2023 score edited in the vendored workbook, under its own path, and the
    manifest re-locked (a scratch copy only): a content edit Snakemake must detect."""
    wb = openpyxl.load_workbook(repo / CPI)
    ws = wb[CPI_SHEET]
    header = [c.value for c in ws[4]]
    ws.cell(
        _kaz_row(ws, header.index("ISO3") + 1), header.index("CPI score 2023") + 1
    ).value = score
    wb.save(repo / CPI)
    lock_manifest(repo)


def planned_jobs(dry_run_output: str) -> dict[str, int]:
    """Rule -> number of jobs, from the "Job stats" table of a Snakemake dry run."""
    jobs: dict[str, int] = {}
    lines = dry_run_output.split("Job stats:", 1)[-1].splitlines()
    for line in lines[3:]:  # after the header: "job count", dashes
        parts = line.split()
        if len(parts) != 2 or not parts[1].isdigit() or parts[0] == "total":
            break
        jobs[parts[0]] = int(parts[1])
    return jobs


def synthetic_cpi_release(repo: Path) -> str:
    """A SYNTHETIC 'new CPI release', derived from the vendored workbook: three 2023 scores
    changed, Andorra added, the ISO3 column renamed. Replaces the vendored file the way
    docs/changes.md describes a new release (manifest row, data-lock, config)."""
    new = "data/raw/indices/ti_cpi/CPI_synthetic_release_for_tests.xlsx"
    wb = openpyxl.load_workbook(repo / CPI)
    ws = wb[CPI_SHEET]
    header = [c.value for c in ws[4]]
    col = {name: header.index(name) + 1 for name in header if name}
    rows = {ws.cell(r, col["ISO3"]).value: r for r in range(5, ws.max_row + 1)}
    rows["KAZ"] = _kaz_row(ws, col["ISO3"])
    for iso, score in {"KAZ": RELEASE_KAZ_SCORE, "DEU": 75, "UZB": 35}.items():
        ws.cell(rows[iso], col["CPI score 2023"]).value = score
    extra = ws.max_row + 1
    for name, v in {
        "Country / Territory": "Andorra (synthetic)",
        "ISO3": "AND",
        "CPI score 2023": 60,
        "Standard error 2023": 3.0,
    }.items():
        ws.cell(extra, col[name]).value = v
    ws.cell(4, col["ISO3"]).value = "ISO-3 code"
    wb.save(repo / new)
    (repo / CPI).unlink()
    manifest = pd.read_csv(repo / "data/raw/manifest.csv", dtype=str, keep_default_na=False)
    i = manifest.index[manifest["path"] == CPI][0]
    manifest.loc[i, "path"] = new
    manifest.loc[i, "description"] = "SYNTHETIC test release derived from the CPI 2023 workbook"
    manifest.to_csv(repo / "data/raw/manifest.csv", index=False, lineterminator="\n")
    lock_manifest(repo)
    cfg = repo / "config/config.yaml"
    text = cfg.read_text(encoding="utf-8")
    cfg.write_text(text.replace(CPI.removeprefix("data/raw/"), new.removeprefix("data/raw/")))
    return new
