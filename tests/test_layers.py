"""The package's layers point one way and its modules import no cycle.

The import graph is read from the source with :mod:`ast` (every ``import`` and ``from ...
import``, including those under ``TYPE_CHECKING`` and inside functions), so the test sees what
the code says, not what one run happened to import.
"""

from __future__ import annotations

import ast
import graphlib
import re
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parent.parent / "src"

# Lower number = lower layer. A module may import its own layer and any lower one.
# core: shared building blocks; pipeline: workflow plumbing; then the domain, in pipeline
# order; the article is a leaf of the domain, and the diff of versions sits above the article.
LAYERS = {
    "core": 0,
    "pipeline": 1,
    "groups": 1,
    "ingest": 2,
    "compare": 3,
    "portal": 3,
    "claims": 4,
    "article": 5,
    "diff": 6,
}


def _module(path: Path, src: Path) -> str:
    parts = path.relative_to(src).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def import_graph(src: Path = SRC) -> dict[str, set[str]]:
    """Each kzopen module and the kzopen modules it imports."""
    files = {_module(p, src): p for p in sorted(src.rglob("*.py"))}
    graph: dict[str, set[str]] = {}
    for mod, path in files.items():
        deps: set[str] = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                names = [f"{node.module}.{a.name}" for a in node.names]
                deps |= {n for n in names if n in files} or {node.module}
            elif isinstance(node, ast.Import):
                deps |= {a.name for a in node.names}
        graph[mod] = {d for d in deps if d.split(".")[0] == "kzopen" and d != mod}
    return graph


def layer(module: str) -> str:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else "root"


def upward_imports(graph: dict[str, set[str]]) -> list[tuple[str, str]]:
    """Every import of a higher layer (or of a layer the table does not know)."""
    bad = []
    for mod, deps in sorted(graph.items()):
        if mod == "kzopen":
            continue
        for dep in sorted(deps):
            a, b = LAYERS.get(layer(mod)), LAYERS.get(layer(dep))
            if a is None or b is None or b > a:
                bad.append((mod, dep))
    return bad


def test_every_subpackage_has_a_layer() -> None:
    subpackages = {layer(m) for m in import_graph() if m != "kzopen"}
    assert subpackages <= set(LAYERS), sorted(subpackages - set(LAYERS))


def test_no_upward_import() -> None:
    assert upward_imports(import_graph()) == []


def test_no_import_cycle() -> None:
    graphlib.TopologicalSorter(import_graph()).prepare()  # raises CycleError on a cycle


def test_the_checks_catch_an_upward_arrow_and_a_cycle(tmp_path: Path) -> None:
    pkg = tmp_path / "kzopen"
    for sub in ("core", "article"):
        (pkg / sub).mkdir(parents=True)
        (pkg / sub / "__init__.py").write_text("")
    (pkg / "__init__.py").write_text("")
    # synthetic modules (labelled): a core module that imports the article layer, and a cycle
    (pkg / "core" / "fmt.py").write_text("from kzopen.article.render import x\n")
    (pkg / "article" / "render.py").write_text("from kzopen.article import template\n")
    (pkg / "article" / "template.py").write_text(
        "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n"
        "    from kzopen.article.render import Context\n"
    )
    graph = import_graph(tmp_path)
    assert upward_imports(graph) == [("kzopen.core.fmt", "kzopen.article.render")]
    with pytest.raises(graphlib.CycleError):
        graphlib.TopologicalSorter(graph).prepare()


# The two parts of the package that work on the repository itself (the workflow plumbing, and
# the comparison of two built checkouts) know its layout; the rest is given file names.
_LAYOUT_AWARE = ("src/kzopen/pipeline/", "src/kzopen/diff/")
# a top-level folder of the workflow followed by a path, anywhere in a string (also inside a
# longer message, after ./ or ../ or a placeholder, or as the literal part of an f-string that
# ends at the slash), not inside a longer word or a URL (URLs are removed first). docs/ is not
# a workflow folder: an error message may point the reader to a page of the documentation.
WORKFLOW_FOLDERS = ("results", "data", "build", "figures", "workflow", "logs", "config")
WORKFLOW_FOLDERS += ("article", "notebooks")
WORKFLOW_PATH = re.compile(rf"(?<![\w.-])(?:{'|'.join(WORKFLOW_FOLDERS)})/(?:[\w.{{-]|$)")
URL = re.compile(r"\w+://\S+")


def _docstrings(tree: ast.AST) -> set[int]:
    kinds = (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)
    return {
        id(node.body[0].value)
        for node in ast.walk(tree)
        if isinstance(node, kinds)
        and node.body
        and isinstance(node.body[0], ast.Expr)
        and isinstance(node.body[0].value, ast.Constant)
    }


def _joined_parts(tree: ast.AST) -> set[int]:
    """Ids of the string constants that are a bare workflow folder joined into a path:
    ``x / "article" / "docx.lua"``, ``os.path.join(root, "results")``, ``p.joinpath("data")``."""
    out: set[int] = set()
    for node in ast.walk(tree):
        parts: list[ast.AST] = []
        if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Div):
            parts = [node.left, node.right]
        elif isinstance(node, ast.Call):
            name = getattr(node.func, "attr", getattr(node.func, "id", ""))
            if name in ("join", "joinpath", "Path", "PurePath"):
                parts = list(node.args)
        out |= {id(p) for p in parts if isinstance(p, ast.Constant) and p.value in WORKFLOW_FOLDERS}
    return out


def workflow_paths(source: str) -> list[tuple[int, str]]:
    """(line, text) of every string constant, docstrings aside, that names a workflow path."""
    tree = ast.parse(source)
    docs, joined = _docstrings(tree), _joined_parts(tree)
    return sorted(
        (node.lineno, node.value)
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant)
        and isinstance(node.value, str)
        and id(node) not in docs
        and (id(node) in joined or WORKFLOW_PATH.search(URL.sub("", node.value)))
    )


def test_workflow_paths_are_found_inside_messages_and_f_strings() -> None:
    source = (
        '"""Reads results/x.csv (a docstring may say so)."""\n'
        'A = "config/config.yaml"\n'
        'B = f"see {x} and results/portal_sensitivity.csv"\n'
        'C = "expected every key in article/references.bib"\n'
        'D = "a ratio 3/4, a URL https://example.org/data/x, the word metadata/keys"\n'
        'E = f"results/{name}.csv"\n'
        'F = ["./results/x", "../data/raw", "{root}/figures/y.png"]\n'
        'G = Path(__file__).parents[3] / "article" / "docx.lua"\n'
        'H = os.path.join(root, "workflow")\n'
        'I = {"data": 1, "results": rows}\n'
    )
    assert [line for line, _ in workflow_paths(source)] == [2, 3, 4, 6, 7, 7, 7, 8, 9]


def test_library_code_names_no_workflow_path() -> None:
    found = []
    for path in sorted((SRC / "kzopen").rglob("*.py")):
        rel = path.relative_to(SRC.parent).as_posix()
        if rel.startswith(_LAYOUT_AWARE):
            continue
        for line, text in workflow_paths(path.read_text(encoding="utf-8")):
            found.append(f"{rel}:{line}: {text[:60]!r}")
    assert found == []
