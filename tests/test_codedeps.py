"""Rules rerun when the package code their scripts import changes: every rule's `code` input is
derived from its script's imports (kzopen.pipeline.codedeps). Checked on a SYNTHETIC package tree, then
on the workflow itself: each scripted job's `code` input is what codedeps derives, and every
kzopen module its script actually loads (imported for real, not parsed) is among its inputs.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from support import REPO, build_env, copy_repo

from kzopen.pipeline.codedeps import (
    SHARED_INFRASTRUCTURE,
    called_functions,
    imported_names,
    kzopen_sources,
    notebook_code,
    script_code,
)

INFRASTRUCTURE = {f"src/kzopen/{m.replace('.', '/')}.py" for m in SHARED_INFRASTRUCTURE}

# A SYNTHETIC package: the script imports `a` (absolute); `a` imports `b` inside a function;
# `b` imports `c` relatively; `sub/deep` imports `c` two levels up; `pkg/__init__` imports `e`,
# so importing anything from `pkg` loads `e`; `unused` and `notebook_only` are not imported by
# the script. Third-party imports are ignored.
TREE = {
    "src/kzopen/__init__.py": "",
    "src/kzopen/core/errors.py": "class InputError(Exception): ...\n",
    "src/kzopen/core/io.py": "import os\n",
    "src/kzopen/pkg/__init__.py": "from kzopen.pkg import e\n",
    "src/kzopen/pkg/a.py": "import json\n\n\ndef run():\n    from kzopen.pkg.b import helper\n\n"
    "    return helper()\n",
    "src/kzopen/pkg/b.py": "from .c import VALUE\nfrom .sub import deep\n\n\ndef helper():\n"
    "    return VALUE + deep.X\n",
    "src/kzopen/pkg/c.py": "VALUE = 1\n",
    "src/kzopen/pkg/e.py": "E = 0\n",
    "src/kzopen/pkg/sub/__init__.py": "",
    "src/kzopen/pkg/sub/deep.py": "from ..c import VALUE as X\n",
    "src/kzopen/notebook_only.py": "def shown():\n    return 2\n",
    "src/kzopen/unused.py": "X = 0\n",
    "workflow/scripts/job.py": "import pandas\n\nfrom kzopen.core.errors import InputError\n"
    "from kzopen.core.io import os\nfrom kzopen.pkg.a import run\n\nrun()\n",
}
FROM_SCRIPT = [
    "src/kzopen/pkg/a.py",
    "src/kzopen/pkg/b.py",
    "src/kzopen/pkg/c.py",
    "src/kzopen/pkg/e.py",
    "src/kzopen/pkg/sub/deep.py",
]
NOTEBOOK = {
    "cells": [
        {"cell_type": "markdown", "source": ["from kzopen import unused  # prose, not code\n"]},
        {"cell_type": "code", "source": ["%matplotlib inline\n", "!ls\n", "import kzopen\n"]},
        {"cell_type": "code", "source": ["from kzopen.notebook_only import shown\n"]},
    ]
}


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    for rel, text in TREE.items():
        path = tmp_path / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    (tmp_path / "notebooks").mkdir()
    (tmp_path / "notebooks/n.ipynb").write_text(json.dumps(NOTEBOOK), encoding="utf-8")
    return tmp_path


def test_imports_resolved_relative_to_their_package():
    code = "from .c import V\nfrom .. import top\nfrom . import sibling\nimport x.y\n"
    assert imported_names(code, "kzopen.pkg") == {
        "kzopen.pkg.c",
        "kzopen.pkg.c.V",
        "kzopen",
        "kzopen.top",
        "kzopen.pkg",
        "kzopen.pkg.sibling",
        "x.y",
    }


def test_script_code_follows_imports_transitively(tree: Path):
    """Absolute, relative (one and two levels), function-level and package-__init__ imports."""
    assert script_code(tree, "workflow/scripts/job.py") == FROM_SCRIPT


def test_script_code_leaves_out_infrastructure_and_package_inits(tree: Path):
    everything = kzopen_sources(tree, (tree / "workflow/scripts/job.py").read_text())
    assert {
        "src/kzopen/core/errors.py",
        "src/kzopen/core/io.py",
        "src/kzopen/pkg/__init__.py",
    } <= everything
    assert set(FROM_SCRIPT) < everything
    found = script_code(tree, "workflow/scripts/job.py")
    assert not INFRASTRUCTURE & set(found)
    assert not [f for f in found if f.endswith("__init__.py")]


def test_script_code_reads_the_code_cells_of_notebooks(tree: Path):
    assert "%matplotlib" not in notebook_code(tree / "notebooks/n.ipynb")
    assert script_code(tree, "notebooks/n.ipynb") == ["src/kzopen/notebook_only.py"]
    both = script_code(tree, "workflow/scripts/job.py", "notebooks/n.ipynb")
    assert both == sorted([*FROM_SCRIPT, "src/kzopen/notebook_only.py"])
    assert "src/kzopen/unused.py" not in both  # named only in a markdown cell


def test_called_functions_in_call_order(tree: Path):
    """The package functions a script calls (what the provenance of its outputs names)."""
    script = tree / "workflow/scripts/two.py"
    script.write_text(
        "from kzopen.core.errors import InputError\nfrom kzopen.pkg.a import run\n"
        "from kzopen.pkg.c import VALUE\nfrom kzopen.notebook_only import shown as s\n\n"
        "s(run(), InputError)\nrun()\n",
        encoding="utf-8",
    )
    assert called_functions(tree, "workflow/scripts/job.py") == ["kzopen.pkg.a.run"]
    assert called_functions(tree, script) == ["kzopen.notebook_only.shown", "kzopen.pkg.a.run"]


def test_an_edit_that_adds_an_import_adds_the_module(tree: Path):
    before = script_code(tree, "workflow/scripts/job.py")
    c = tree / "src/kzopen/pkg/c.py"
    c.write_text("from kzopen.unused import X\nVALUE = X\n", encoding="utf-8")
    assert script_code(tree, "workflow/scripts/job.py") == sorted([*before, "src/kzopen/unused.py"])


def test_the_parse_cache_is_keyed_by_content(tree: Path, monkeypatch):
    """The imports kept between runs (use_cache) are found again by a later process, and an edit
    that keeps the file's size and modification time still changes the result: the key is the
    content, not the file's stamp."""
    import os

    from kzopen.pipeline import codedeps

    monkeypatch.setattr(codedeps, "_CACHE", {})
    monkeypatch.setattr(codedeps, "_CACHE_STATE", {"file": None, "dirty": False})
    cache = tree / ".snakemake/codedeps.json"
    c = tree / "src/kzopen/pkg/c.py"
    old, new = "VALUE = 1  # a comment of len\n", "from kzopen.unused import X as VALUE\n"
    old = old.replace("len", "len" + "." * (len(new) - len(old)))
    assert len(old) == len(new)
    c.write_text(old, encoding="utf-8")
    codedeps.use_cache(cache)
    before = script_code(tree, "workflow/scripts/job.py")
    saved = json.loads(cache.read_text(encoding="utf-8"))
    assert saved["version"] == codedeps.CACHE_VERSION
    entries = saved["entries"]
    assert len(entries) >= len(FROM_SCRIPT) and all(isinstance(v, list) for v in entries.values())

    stat = c.stat()
    c.write_text(new, encoding="utf-8")  # same size, and the old modification time
    assert c.stat().st_size == stat.st_size
    os.utime(c, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    monkeypatch.setattr(codedeps, "_CACHE", {})  # a new process: only the file's cache
    codedeps.use_cache(cache)
    assert script_code(tree, "workflow/scripts/job.py") == sorted([*before, "src/kzopen/unused.py"])
    cache.write_text("not json", encoding="utf-8")  # a broken cache only costs time
    monkeypatch.setattr(codedeps, "_CACHE", {})
    codedeps.use_cache(cache)
    assert script_code(tree, "workflow/scripts/job.py") == sorted([*before, "src/kzopen/unused.py"])


def test_cached_script_results_follow_an_edit_that_keeps_size_and_time(tree: Path, monkeypatch):
    """A script's own imports and its called functions are kept by content too: an edit that
    keeps the file's size and modification time, in the same process, changes both results."""
    import os

    from kzopen.pipeline import codedeps

    monkeypatch.setattr(codedeps, "_CACHE", {})
    monkeypatch.setattr(codedeps, "_CACHE_STATE", {"file": None, "dirty": False})
    script = tree / "workflow/scripts/size.py"
    old = "from kzopen.pkg.a import run\n\nrun()\n"
    new = "from kzopen.unused import X\n\nX()   \n"
    assert len(old) == len(new)
    script.write_text(old, encoding="utf-8")
    assert called_functions(tree, script) == ["kzopen.pkg.a.run"]
    assert "src/kzopen/unused.py" not in script_code(tree, script)
    stat = script.stat()
    script.write_text(new, encoding="utf-8")
    os.utime(script, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    assert called_functions(tree, script) == ["kzopen.unused.X"]
    assert script_code(tree, script) == ["src/kzopen/unused.py"]


def test_a_cache_of_another_version_is_not_used(tree: Path, monkeypatch):
    """Cached results depend on this module's code too (what it leaves out, how it parses): a
    cache file written by another version of it is ignored, and the kept call order survives a
    reload."""
    from kzopen.pipeline import codedeps

    monkeypatch.setattr(codedeps, "_CACHE", {})
    monkeypatch.setattr(codedeps, "_CACHE_STATE", {"file": None, "dirty": False})
    cache = tree / ".snakemake/codedeps.json"
    script = tree / "workflow/scripts/two_calls.py"
    script.write_text(
        "from kzopen.pkg.c import VALUE\nfrom kzopen.pkg.a import run\n\nrun()\nVALUE()\n",
        encoding="utf-8",
    )
    codedeps.use_cache(cache)
    assert called_functions(tree, script) == ["kzopen.pkg.a.run", "kzopen.pkg.c.VALUE"]
    doc = json.loads(cache.read_text(encoding="utf-8"))
    (key,) = [k for k in doc["entries"] if k.startswith("calls|")]
    monkeypatch.setattr(codedeps, "_CACHE", {})  # a new process reads the file
    codedeps.use_cache(cache)
    assert codedeps._CACHE[key] == ["kzopen.pkg.a.run", "kzopen.pkg.c.VALUE"]

    doc["entries"][key] = ["kzopen.stale.result"]  # what an older version might have kept
    cache.write_text(json.dumps({**doc, "version": "another"}), encoding="utf-8")
    monkeypatch.setattr(codedeps, "_CACHE", {})
    codedeps.use_cache(cache)
    assert key not in codedeps._CACHE
    assert called_functions(tree, script) == ["kzopen.pkg.a.run", "kzopen.pkg.c.VALUE"]
    cache.write_text(json.dumps({**doc, "version": codedeps.CACHE_VERSION}), encoding="utf-8")
    monkeypatch.setattr(codedeps, "_CACHE", {})
    codedeps.use_cache(cache)
    assert called_functions(tree, script) == ["kzopen.stale.result"]  # the same version: used


# --------------------------------------------------------------------------- the workflow

# In a fresh interpreter: the workflow's jobs from Snakemake's DAG (benchmarks/compute_floor.py,
# which the benchmarks use for the same plan), with each job's `code` input; then, per script,
# the kzopen modules that importing the script's own kzopen imports loads, found in sys.modules
# (a real import, independent of the parsing in kzopen.pipeline.codedeps).
_PLAN_AND_IMPORT = r"""
import importlib, json, sys
from pathlib import Path
sys.path.insert(0, sys.argv[2])
import compute_floor
from kzopen.pipeline.codedeps import imported_names, notebook_code

root = Path(sys.argv[1])
jobs = []
for job in compute_floor.plan(root):
    if job.kind == "shell":
        continue
    jobs.append({"rule": job.rule, "kind": job.kind, "path": job.path, "inputs": job.inputs,
                 "code": list(job.snakemake.input.get("code", [])),
                 "outputs": [str(o) for o in job.snakemake.output]})

def loaded(text):
    for name in [m for m in sys.modules if m.split(".")[0] == "kzopen"]:
        del sys.modules[name]
    for name in sorted(n for n in imported_names(text) if n.split(".")[0] == "kzopen"):
        try:
            importlib.import_module(name)
        except ModuleNotFoundError:
            pass  # `from kzopen.m import f`: f is a function, not a module
    return sorted(Path(m.__file__).resolve().relative_to(root).as_posix()
                  for n, m in list(sys.modules.items())
                  if n.split(".")[0] == "kzopen" and getattr(m, "__file__", None))

files = {j["path"] for j in jobs} | {f for j in jobs for f in j["inputs"] if f.endswith(".ipynb")}
texts = {f: notebook_code(root / f) if f.endswith(".ipynb") else (root / f).read_text()
         for f in sorted(files)}
print(json.dumps({"jobs": jobs, "loaded": {f: loaded(t) for f, t in texts.items()}}))
"""


@pytest.fixture(scope="module")
def workflow_code(tmp_path_factory: pytest.TempPathFactory) -> dict:
    """The planned jobs and the modules their scripts load, in a scratch copy whose package
    is imported from the copy itself (so its files are the ones the rules list)."""
    work = copy_repo(tmp_path_factory.mktemp("codedeps") / "repo")
    env = build_env()
    env["PYTHONPATH"] = str(work / "src")
    res = subprocess.run(
        [sys.executable, "-c", _PLAN_AND_IMPORT, str(work), str(REPO / "benchmarks")],
        cwd=work, env=env, capture_output=True, text=True, timeout=600,
    )  # fmt: skip
    assert res.returncode == 0, res.stderr[-4000:]
    return {"root": work, **json.loads(res.stdout.splitlines()[-1])}


def _sources(job: dict) -> list[str]:
    return [job["path"], *(f for f in job["inputs"] if f.endswith(".ipynb"))]


def test_every_scripted_job_declares_the_code_codedeps_derives(workflow_code: dict):
    jobs = workflow_code["jobs"]
    assert len({j["rule"] for j in jobs}) > 30
    assert {j["kind"] for j in jobs} >= {"script"}
    wrong = {}
    for job in jobs:
        derived = script_code(workflow_code["root"], *_sources(job))
        if job["code"] != derived:
            wrong[job["rule"]] = {"declared": job["code"], "derived": derived}
    assert not wrong, json.dumps(wrong, indent=1)


def test_every_module_a_script_loads_is_an_input_of_its_rule(workflow_code: dict):
    """An edit to any kzopen module a job's script loads reruns that job (shared
    infrastructure and package __init__ files aside, see kzopen.pipeline.codedeps)."""
    loaded = workflow_code["loaded"]
    missing = {}
    for job in workflow_code["jobs"]:
        uses = set().union(*(loaded[f] for f in _sources(job)))
        needed = {f for f in uses - INFRASTRUCTURE if not f.endswith("__init__.py")}
        assert needed, f"{job['path']} loads no kzopen module (logic outside the package?)"
        if needed - set(job["inputs"]):
            missing[job["rule"]] = sorted(needed - set(job["inputs"]))
    assert not missing, json.dumps(missing, indent=1)


# The claims ledger's evidence sentences print their numbers by the article's rules, so that
# the ledger and the article agree: claims_reference and claims_audit write that text beside
# their verdicts, and claims_page renders the ledger page (results/claims_audit.md).
_LEDGER_TEXT = {"claims_reference", "claims_audit", "claims_page"}


def test_an_edit_to_how_numbers_print_reruns_only_rendering_rules(workflow_code: dict):
    """core/fmt.py (how a p-value or a number prints) is a code input of rules that write the
    manuscript, its tables and figures (build/, figures/) and the ledger's text only: no
    analysis rule depends on it (the printed precision they need is core/precision.py)."""
    uses = {
        j["rule"]: j["outputs"]
        for j in workflow_code["jobs"]
        if "src/kzopen/core/fmt.py" in j["code"]
    }
    analysis = sorted(
        rule
        for rule, outputs in uses.items()
        if rule not in _LEDGER_TEXT
        and not all(o.startswith(("build/", "figures/")) for o in outputs)
        and not rule.startswith(("article_", "supplement_"))
    )
    assert analysis == []
    assert {"article_markdown", "article_tables"} <= set(uses)  # the check sees the renderers
    precision = {
        j["rule"] for j in workflow_code["jobs"] if "src/kzopen/core/precision.py" in j["code"]
    }
    assert "bootstrap_mc_error" in precision and "bootstrap_mc_error" not in uses
