"""Generated corruptions at scale: every reader of raw data, and the config check, either reads
a mutated copy of its real file correctly or stops with the clear-error contract.

The harness and its oracle are in ``benchmarks/fuzzing.py`` (shared with
``benchmarks/fuzz.py``, the 1,000-case run of ``make fuzz``). Here a few hundred cases run in-process through the
Snakemake adapter (deterministic: hypothesis derandomised, no example database); `make
test-fast` runs 150 cases, `make test` 400.
"""

from __future__ import annotations

import os
import sys
from dataclasses import replace
from pathlib import Path

import pandas as pd
import pytest
from support import REPO

sys.path.insert(0, str(REPO / "benchmarks"))  # the harness lives with the benchmarks
from fuzzing import (  # noqa: E402
    ANY,
    CASES_IN_MAKE_TEST,
    CASES_IN_TEST_FAST,
    ERROR,
    SAME,
    TARGETS,
    Base,
    Mutation,
    make_base,
    make_bases,
    run_case,
    run_fuzz,
    tally,
)

from kzopen.core.errors import InputError


@pytest.fixture(scope="module")
def bases(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Base]:
    return make_bases(tmp_path_factory.mktemp("fuzz"))


def test_generated_corruptions_read_correctly_or_stop_clearly(bases, tmp_path: Path):
    n_cases = CASES_IN_TEST_FAST if os.environ.get("KZOPEN_TEST_FAST") else CASES_IN_MAKE_TEST
    results = run_fuzz(bases, tmp_path, n_cases)
    counts = tally(results)
    bad = [r for r in results if r.outcome in ("traceback", "wrong")]
    report = "\n".join(
        f"{r.outcome}: {r.target} {r.label} (expected {r.expect}): {r.detail}" for r in bad[:10]
    )
    assert not bad, f"{counts}\n{report}"
    assert counts["cases"] >= n_cases * 0.9
    # the cases reach every reader and both outcomes
    assert {r.target for r in results} == {t.name for t in TARGETS}
    assert counts["clear_error"] > 0 and counts["correct_read"] > 0


def test_every_base_file_is_real_data_read_cleanly(bases):
    for name, base in bases.items():
        assert base.expected is not None, name
        if isinstance(base.expected, pd.DataFrame):
            assert len(base.expected) > 0, name


# ------------------------------------------------------------------ the oracle itself can fail


def _with_reader(base: Base, read) -> Base:
    return replace(base, target=replace(base.target, read=read))


def test_oracle_flags_a_traceback(bases, tmp_path: Path):
    def crashes(path):
        raise KeyError("a bug")

    base = _with_reader(bases["wgi"], crashes)
    res = run_case(base, Mutation("unchanged", base.data, SAME), tmp_path)
    assert res.outcome == "traceback" and "KeyError" in res.detail


def test_oracle_flags_a_silent_read_of_a_harmful_change(bases, tmp_path: Path):
    base = bases["wgi"]
    res = run_case(base, Mutation("pretend harmful", base.data, ERROR), tmp_path)
    assert res.outcome == "wrong"


def test_oracle_flags_a_harmless_change_that_alters_the_data(bases, tmp_path: Path):
    base = bases["wgi"]
    halved = _with_reader(base, lambda p: base.target.read(p).iloc[::2])
    res = run_case(halved, Mutation("unchanged", base.data, SAME), tmp_path)
    assert res.outcome == "wrong" and "altered" in res.detail


def test_oracle_flags_an_unclear_message_and_a_half_written_output(bases, tmp_path: Path):
    base = bases["wgi"]

    def vague(path):
        raise InputError("somewhere else", "something is off")

    res = run_case(_with_reader(base, vague), Mutation("x", base.data, ANY), tmp_path)
    assert res.outcome == "wrong" and "unclear" in res.detail

    def writes_then_fails(path):
        (tmp_path / "out").mkdir(exist_ok=True)
        (tmp_path / "out" / "wgi.parquet").write_text("half")
        raise InputError(path, "late failure", row=2)

    res = run_case(_with_reader(base, writes_then_fails), Mutation("x", base.data, ANY), tmp_path)
    assert res.outcome == "wrong" and "output written" in res.detail


def test_oracle_flags_an_invented_country(bases, tmp_path: Path):
    base = bases["wgi"]

    def invents(path):
        df = base.target.read(path)
        return df.assign(iso3=df["iso3"].where(df.index > 0, "QQQ"))

    res = run_case(_with_reader(base, invents), Mutation("x", base.data, ANY), tmp_path)
    assert res.outcome == "wrong" and "QQQ" in res.detail


def test_base_files_keep_the_real_header(tmp_path: Path):
    """A base is the real file cut short, not a synthetic stand-in."""
    base = make_base(next(t for t in TARGETS if t.name == "population"), tmp_path)
    real = (Path(__file__).parent.parent / base.target.raw).read_bytes()
    assert real.startswith(base.data.split(b"\n", 1)[0])
