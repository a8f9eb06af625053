"""Safe by construction: data is never executed, YAML is loaded safely, paths stay inside.

* A static scan of src/ and workflow/ (Python, Snakefile, rule files): no eval/exec/compile,
  no pickle/marshal/shelve/dill/joblib, no unsafe YAML loader, no os.system or shell=True.
  The scan is checked against a synthetic offender so that it can fail.
* Config and manifest paths are confined to the repository (unit tests of kzopen.pipeline.paths and
  kzopen.pipeline.config; the end-to-end cases are in the bad-input matrix).
* Unknown config keys and wrong types are errors with a clear message (kzopen.pipeline.config; the
  `snakemake -n` runs on modified configs are the config-* cases of tests/test_bad_input.py).
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest
from support import REPO

from kzopen.core.errors import InputError
from kzopen.pipeline.config import check_config_paths, load_config, validate_config
from kzopen.pipeline.paths import confined

SCANNED = ["src", "workflow", "Snakefile"]
BANNED_CALLS = {"eval", "exec", "compile", "__import__"}
BANNED_MODULES = {"pickle", "cPickle", "marshal", "shelve", "dill", "cloudpickle", "joblib"}
BANNED_ATTRS = {
    ("yaml", "load"),
    ("yaml", "unsafe_load"),
    ("yaml", "full_load"),
    ("yaml", "load_all"),
    ("yaml", "unsafe_load_all"),
    ("yaml", "full_load_all"),
    ("yaml", "UnsafeLoader"),
    ("yaml", "FullLoader"),
    ("yaml", "Loader"),
    ("os", "system"),
    ("os", "popen"),
    ("pd", "read_pickle"),
    ("pandas", "read_pickle"),
}
# Rule files are not plain Python: scan them with patterns.
SMK_PATTERNS = [
    r"(?<![\w.])(eval|exec|compile|__import__)\s*\(",
    r"\bimport\s+(pickle|marshal|shelve|dill|cloudpickle|joblib)\b",
    r"\bfrom\s+(pickle|marshal|shelve|dill|cloudpickle|joblib)\b",
    r"\byaml\.(load|unsafe_load|full_load|load_all)\s*\(",
    r"\bos\.(system|popen)\s*\(",
    r"\bread_pickle\s*\(",
    r"allow_pickle\s*=\s*True",
    r"shell\s*=\s*True",
]


SAFE_LOADERS = {"SafeLoader", "CSafeLoader", "SAFE_LOADER"}


def _is_safe_yaml_load(node: ast.AST) -> bool:
    """``yaml.load(stream, Loader=<a safe loader>)``: the safe loader, named explicitly."""
    if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)):
        return False
    f = node.func
    if not (isinstance(f.value, ast.Name) and (f.value.id, f.attr) == ("yaml", "load")):
        return False
    loader = next((kw.value for kw in node.keywords if kw.arg == "Loader"), None)
    name = getattr(loader, "id", None) or getattr(loader, "attr", None)
    return name in SAFE_LOADERS


def scan_python(source: str, name: str) -> list[str]:
    """Unsafe constructs in one Python source (``name:line: what``)."""
    problems = []
    tree = ast.parse(source, filename=name)
    safe = {id(n.func) for n in ast.walk(tree) if _is_safe_yaml_load(n)}
    for node in ast.walk(tree):
        if id(node) in safe:
            continue
        where = f"{name}:{getattr(node, 'lineno', 0)}"
        if isinstance(node, ast.Call):
            f = node.func
            if isinstance(f, ast.Name) and f.id in BANNED_CALLS:
                problems.append(f"{where}: call to {f.id}()")
            for kw in node.keywords:
                if kw.arg in ("shell", "allow_pickle") and not (
                    isinstance(kw.value, ast.Constant) and kw.value.value is False
                ):
                    problems.append(f"{where}: {kw.arg}=...")
        if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name):
            if (node.value.id, node.attr) in BANNED_ATTRS:
                problems.append(f"{where}: {node.value.id}.{node.attr}")
        if isinstance(node, ast.Import | ast.ImportFrom):
            mods = [a.name for a in node.names] if isinstance(node, ast.Import) else [node.module]
            for m in mods:
                if m and m.split(".")[0] in BANNED_MODULES:
                    problems.append(f"{where}: import {m}")
    return problems


def scan_rules(source: str, name: str) -> list[str]:
    problems = []
    for i, line in enumerate(source.splitlines(), start=1):
        code = line.split("#", 1)[0]
        for pat in SMK_PATTERNS:
            if re.search(pat, code):
                problems.append(f"{name}:{i}: {pat}")
    return problems


def scanned_files() -> list[Path]:
    files = []
    for entry in SCANNED:
        p = REPO / entry
        files += [p] if p.is_file() else sorted(p.rglob("*"))
    return [
        f for f in files if f.is_file() and (f.suffix in (".py", ".smk") or f.name == "Snakefile")
    ]


def test_no_eval_exec_pickle_or_unsafe_yaml_in_code():
    files = scanned_files()
    assert any(f.suffix == ".smk" for f in files) and any(f.suffix == ".py" for f in files)
    problems = []
    for f in files:
        rel = f.relative_to(REPO).as_posix()
        text = f.read_text(encoding="utf-8")
        problems += scan_python(text, rel) if f.suffix == ".py" else scan_rules(text, rel)
    assert not problems, "unsafe constructs:\n" + "\n".join(problems)


@pytest.mark.parametrize(
    "snippet",
    [
        "x = eval(text)",
        "exec(code)",
        "import pickle",
        "from joblib import load",
        "import yaml\nyaml.load(fh, Loader=yaml.Loader)",
        "import yaml\nyaml.full_load(fh)",
        "import os\nos.system(cmd)",
        "import subprocess\nsubprocess.run(cmd, shell=True)",
        "import numpy as np\nnp.load(f, allow_pickle=True)",
        "import pandas as pd\npd.read_pickle(f)",
    ],
)
def test_scan_catches_synthetic_offender(snippet: str):
    assert scan_python(snippet, "synthetic.py"), snippet
    assert scan_rules(snippet, "synthetic.smk"), snippet


def test_scan_allows_safe_code():
    ok = "import re, yaml\nre.compile('x')\nyaml.safe_load(fh)\nsubprocess.run(['a'], shell=False)"
    assert scan_python(ok, "ok.py") == []
    assert scan_rules(ok, "ok.smk") == []


def test_scan_allows_yaml_load_only_with_a_safe_loader():
    assert scan_python("yaml.load(fh, Loader=yaml.CSafeLoader)", "ok.py") == []
    assert scan_python("yaml.load(fh, Loader=SAFE_LOADER)", "ok.py") == []
    assert scan_python("yaml.load(fh, Loader=yaml.FullLoader)", "bad.py")
    assert scan_python("yaml.load(fh)", "bad.py")


# --------------------------------------------------------------------------- paths


@pytest.mark.parametrize(
    "path", ["../outside.csv", "data/raw/../../x.csv", "/etc/passwd", "", "data/raw/a/../../../b"]
)
def test_confined_rejects_paths_leaving_the_repository(path: str, tmp_path: Path):
    with pytest.raises(InputError, match="leaves") as exc:
        confined(path, tmp_path, file="config/config.yaml", column="manifest")
    assert "config/config.yaml" in str(exc.value) and "'manifest'" in str(exc.value)


def test_confined_rejects_symlink_escape_and_wrong_folder(tmp_path: Path):
    (tmp_path / "data/raw").mkdir(parents=True)
    (tmp_path / "data/raw/link").symlink_to("/etc")
    with pytest.raises(InputError, match="resolves outside"):
        confined("data/raw/link/hostname", tmp_path, "data/raw", file="m.csv", row=3)
    with pytest.raises(InputError, match="not below"):
        confined("results/x.csv", tmp_path, "data/raw", file="m.csv", row=3)
    assert (
        confined("data/raw/x.csv", tmp_path, "data/raw", file="m.csv")
        == tmp_path / "data/raw/x.csv"
    )


def test_repository_config_paths_are_confined():
    config = load_config(REPO / "config/config.yaml")
    check_config_paths(config, REPO, "config/config.yaml")
    with pytest.raises(InputError, match="'article.template'|'x.template'"):
        check_config_paths({"x": {"template": "../../secret.j2"}}, REPO, "config/config.yaml")


# --------------------------------------------------------------------------- config


def test_config_loader_refuses_python_tags_and_templating(tmp_path: Path):
    bad = tmp_path / "c.yaml"
    bad.write_text("random_seed: !!python/object/apply:os.getpid []\n", encoding="utf-8")
    with pytest.raises(InputError, match="not plain YAML") as exc:
        load_config(bad)
    assert exc.value.row == 1
    bad.write_text("__use_yte__: true\nrandom_seed: ?1+1\n", encoding="utf-8")
    with pytest.raises(InputError, match="templating"):
        load_config(bad)


def test_validate_config_names_unknown_key_and_wrong_type():
    schema = REPO / "workflow/schemas/config.schema.yaml"
    config = load_config(REPO / "config/config.yaml")
    validate_config(config, schema, "config/config.yaml")
    with pytest.raises(InputError, match="unknown key") as exc:
        validate_config({**config, "random_sed": 1}, schema, "config/config.yaml")
    assert exc.value.column == "random_sed" and exc.value.file == "config/config.yaml"
    with pytest.raises(InputError, match="wrong type") as exc:
        validate_config({**config, "random_seed": "2024"}, schema, "config/config.yaml")
    assert exc.value.column == "random_seed"


def test_schema_forbids_unknown_keys_everywhere():
    """`additionalProperties: false` on every object of the config schema."""
    import yaml

    schema = yaml.safe_load((REPO / "workflow/schemas/config.schema.yaml").read_text())
    missing = []

    def walk(node, where):
        if isinstance(node, dict):
            if node.get("type") == "object" and "properties" in node:
                if node.get("additionalProperties") is not False:
                    missing.append(where or "(top level)")
            for k, v in node.items():
                walk(v, f"{where}.{k}" if where else k)
        elif isinstance(node, list):
            for i, v in enumerate(node):
                walk(v, f"{where}[{i}]")

    walk(schema, "")
    assert not missing, f"objects that accept unknown keys: {missing}"


# The end-to-end config cases (unknown key, nested unknown key, wrong type, Python tag, paths
# leaving the repository, run through `snakemake -n` in a scratch copy) are in the bad-input
# matrix, tests/test_bad_input.py, ids config-*.
