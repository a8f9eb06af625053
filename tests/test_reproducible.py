"""Bit-for-bit reproducibility: two clean builds, two folders, two times -> the same bytes.

The first build is the session's `built_repo`; the second (`second_build`, see conftest.py)
runs later, in a folder at another depth, in another time zone and locale, with another
Python hash seed and with networking unavailable. Every file under the output folders is
compared by sha256; the test lists each file that differs, is missing or is extra. The lists
of files are walked, never hard-coded, so new outputs are covered as they appear.

A file that cannot be made byte-identical is listed in NORMALISED with the reason and a
normaliser; the comparison then uses the normalised content. The only such file is the
Snakemake report (`make report`), which Snakemake stamps with the day, the time of the report
and each job's start time, end time and runtime; everything else in it must be identical.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from collections.abc import Callable
from pathlib import Path

import pytest

pytestmark = [pytest.mark.e2e, pytest.mark.xdist_group("build")]

OUTPUT_DIRS = ("results", "figures", "data/processed", "build/article")

REPORT = "build/article/report.html"
_DATETIME = rb"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?"
_CTIME = rb"(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun) (?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) [ \d]\d \d\d:\d\d:\d\d \d{4} [A-Za-z+\-0-9]+"


def normalise_report(data: bytes) -> bytes:
    """Blank the times Snakemake writes into its report (and nothing else)."""
    data = re.sub(_DATETIME, b"<datetime>", data)
    data = re.sub(_CTIME, b"<report time>", data)
    data = re.sub(rb'(\\?"runtime\\?":\s*)[0-9.eE+-]+', rb"\1<runtime>", data)
    # the report's front page carries the day it was made (date.today())
    for day in {dt.date.today(), dt.date.today() - dt.timedelta(days=1)}:
        data = data.replace(day.isoformat().encode(), b"<report day>")
    return data


# glob (relative to the repository) -> (why it cannot be identical, normaliser). Add an entry
# only with a reason a reviewer would accept.
NORMALISED: dict[str, tuple[str, Callable[[bytes], bytes]]] = {
    REPORT: (
        "Snakemake writes the report date, the time of reporting and every job's start, end "
        "and runtime into the report; these cannot be fixed from outside Snakemake",
        normalise_report,
    ),
}


def output_files(root: Path) -> dict[str, Path]:
    files = {}
    for d in OUTPUT_DIRS:
        base = root / d
        if base.exists():
            for p in sorted(base.rglob("*")):
                if p.is_file() and p.name != ".gitkeep":
                    files[p.relative_to(root).as_posix()] = p
    return files


def digest(rel: str, path: Path) -> str:
    data = path.read_bytes()
    for pattern, (_why, normalise) in NORMALISED.items():
        if Path(rel).match(pattern):
            data = normalise(data)
    return hashlib.sha256(data).hexdigest()


def compare_trees(a: Path, b: Path) -> list[str]:
    """Human-readable list of differences between the outputs of two builds (empty if none)."""
    fa, fb = output_files(a), output_files(b)
    problems = [f"only in first build: {r}" for r in sorted(set(fa) - set(fb))]
    problems += [f"only in second build: {r}" for r in sorted(set(fb) - set(fa))]
    for rel in sorted(set(fa) & set(fb)):
        if fa[rel].read_bytes() != fb[rel].read_bytes() and digest(rel, fa[rel]) != digest(
            rel, fb[rel]
        ):
            problems.append(f"differs: {rel}")
    return problems


def test_second_build_succeeded(second_build: dict):
    res = second_build["result"]
    assert res.returncode == 0, f"second build failed:\n{res.stdout[-6000:]}"


@pytest.fixture(scope="module")
def reports(built_repo: Path, second_build: dict) -> list:
    """The Snakemake report of each build (`make report`), made after both builds."""
    from support import run_snakemake

    return [run_snakemake(w, "--report", REPORT) for w in (built_repo, second_build["work"])]


def test_two_clean_builds_are_byte_identical(built_repo: Path, second_build: dict, reports: list):
    assert second_build["result"].returncode == 0, second_build["result"].stdout[-6000:]
    for res in reports:
        assert res.returncode == 0, f"report failed:\n{res.stdout[-3000:]}"
    assert (built_repo / REPORT).exists()
    files = output_files(built_repo)
    assert len(files) >= 10, f"too few outputs to compare: {sorted(files)}"
    problems = compare_trees(built_repo, second_build["work"])
    assert not problems, "outputs differ between two clean builds:\n" + "\n".join(problems)


def test_outputs_hold_no_absolute_paths_or_build_times(built_repo: Path, second_build: dict):
    """No output names the folder it was built in, the user's home or the build machine."""
    needles = {str(built_repo), str(second_build["work"]), str(Path.home()), "/tmp/pytest-of-"}
    hits = []
    for rel, path in output_files(built_repo).items():
        data = path.read_bytes()
        hits += [f"{rel}: contains {n!r}" for n in sorted(needles) if n.encode() in data]
    assert not hits, "\n".join(hits)


def test_normalised_files_say_why():
    for pattern, (why, normalise) in NORMALISED.items():
        assert len(why) > 20 and callable(normalise), pattern


def test_compare_trees_detects_a_difference(tmp_path: Path):
    """The comparison itself can fail: a changed, a missing and an extra file are reported."""
    a, b = tmp_path / "a", tmp_path / "b"
    for root in (a, b):
        (root / "results").mkdir(parents=True)
        (root / "results/same.csv").write_text("x\n1\n")
    (a / "results/changed.csv").write_text("x\n1\n")
    (b / "results/changed.csv").write_text("x\n2\n")
    (a / "results/only_a.csv").write_text("")
    (b / "figures").mkdir()
    (b / "figures/only_b.svg").write_text("<svg/>")
    problems = compare_trees(a, b)
    assert problems == [
        "only in first build: results/only_a.csv",
        "only in second build: figures/only_b.svg",
        "differs: results/changed.csv",
    ]
    assert not re.search("same", "\n".join(problems))
