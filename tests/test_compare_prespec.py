"""When the national confirmatory family was fixed, as the Methods say: the config's dates and
commits are checked against the repository history (the text may not claim a
pre-specification the history does not show)."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
import yaml

REPO = Path(__file__).resolve().parent.parent
CONFIG = yaml.safe_load((REPO / "config" / "config.yaml").read_text(encoding="utf-8"))["compare"]


def _git(*args: str) -> str:
    return subprocess.run(
        ["git", *args], cwd=REPO, capture_output=True, text=True, check=True
    ).stdout


@pytest.fixture(scope="module")
def history() -> None:
    if not (REPO / ".git").exists():
        pytest.skip("not a git checkout")
    if not _git("log", "--format=%H", "-S", "confirmatory:", "--", "config/config.yaml").split():
        pytest.skip("shallow history without the commit")


def test_the_named_commit_added_the_family(history: None) -> None:
    named = CONFIG["confirmatory_fixed_in"]
    added = _git(
        "log", "--reverse", "--format=%H %cs", "-S", "  confirmatory:", "--", "config/config.yaml"
    ).split()
    assert added[0].startswith(named["commit"]) and added[1] == named["date"]


def test_results_existed_before_the_family(history: None) -> None:
    """The Methods say the family was fixed after the first comparisons: the named first
    results commit is an ancestor of the family's commit, on an earlier date."""
    named = CONFIG["confirmatory_fixed_in"]
    first = _git("rev-parse", named["results_first_commit"]).strip()
    family = _git("rev-parse", named["commit"]).strip()
    assert first in _git("rev-list", family).split() and first != family
    assert _git("show", "-s", "--format=%cs", first).strip() == named["results_first_date"]
    assert named["results_first_date"] < named["date"]
    files = _git("show", "--name-only", "--format=", first).split()
    assert any("compare" in f for f in files)  # it computed the comparisons


def test_the_text_claims_no_prespecification() -> None:
    methods = (REPO / "article" / "sections" / "03_data_methods.md.j2").read_text(encoding="utf-8")
    assert "Before the results were computed" not in methods
    assert "one headline indicator of each source" not in methods
    assert "confirmatory_fixed_in.results_first_date" in methods
