"""Layout: one rule file per topic, and every script named after the rule file that runs it
(`<topic>_….py`), so that `ls workflow/scripts` groups by rule file (docs/DEVELOPING.md)."""

from __future__ import annotations

import re
from collections import defaultdict

from support import REPO

RULES = REPO / "workflow" / "rules"
_SCRIPT = re.compile(r"""["']\.\./scripts/([\w-]+\.py)["']""")
_INCLUDE = re.compile(r"""^include:\s*["']workflow/rules/(\w+\.smk)["']""", re.MULTILINE)


def scripts_by_rule_file() -> dict[str, set[str]]:
    used: dict[str, set[str]] = defaultdict(set)
    for path in sorted(RULES.glob("*.smk")):
        used[path.stem] |= set(_SCRIPT.findall(path.read_text(encoding="utf-8")))
    return used


def test_every_script_carries_its_rule_files_topic():
    wrong = {
        script: topic
        for topic, scripts in scripts_by_rule_file().items()
        for script in scripts
        if not script.startswith(f"{topic}_")
    }
    assert wrong == {}


def test_every_script_is_run_by_exactly_one_rule_file():
    owners: dict[str, list[str]] = defaultdict(list)
    for topic, scripts in scripts_by_rule_file().items():
        for script in scripts:
            owners[script].append(topic)
    on_disk = {p.name for p in (REPO / "workflow" / "scripts").glob("*.py")}
    assert set(owners) == on_disk
    assert {s: t for s, t in owners.items() if len(t) != 1} == {}


def test_the_snakefile_includes_each_rule_file_once_in_pipeline_order():
    included = _INCLUDE.findall((REPO / "Snakefile").read_text(encoding="utf-8"))
    assert sorted(included) == sorted(p.name for p in RULES.glob("*.smk"))
    assert len(included) == len(set(included))
    order = ["common", "ingest", "groups", "compare", "local", "portal", "claims", "article"]
    assert [i.removesuffix(".smk") for i in included if i.removesuffix(".smk") in order] == order
    assert "figures.smk" not in included  # figures live with their topic


def test_generated_manuscript_is_outside_the_source_folder():
    article_smk = (RULES / "article.smk").read_text(encoding="utf-8")
    assert 'ARTICLE_BUILD = "build/article"' in article_smk
    ignored = (REPO / ".gitignore").read_text(encoding="utf-8").splitlines()
    assert "/build/" in ignored


def test_diff_finds_the_manuscript_of_older_versions(tmp_path):
    """A base built from a version before the move has article/build/; the diff reads it."""
    from kzopen.diff.model import article_dir

    assert article_dir(tmp_path) == tmp_path / "build/article"  # neither: the current place
    (tmp_path / "article/build").mkdir(parents=True)
    assert article_dir(tmp_path) == tmp_path / "article/build"
    (tmp_path / "build/article").mkdir(parents=True)
    assert article_dir(tmp_path) == tmp_path / "build/article"
