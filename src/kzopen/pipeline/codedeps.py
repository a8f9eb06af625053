"""Which package source files a workflow script (or notebook) imports.

Snakemake's code trigger sees only the script file. A rule lists the kzopen modules its script
imports, directly or through other kzopen modules, as inputs, so that an edit to, say, a
plotting function reruns exactly the rules that use it. Deriving the list from the imports (not
writing it by hand) keeps it from going stale when code moves.
"""

from __future__ import annotations

import ast
import functools
import hashlib
import json
import os
from pathlib import Path
from typing import Any

# Infrastructure every job imports (error reporting, atomic writes): an edit to it does not
# rerun the whole pipeline; its behaviour is covered by the test suite instead.
SHARED_INFRASTRUCTURE = ("__init__", "pipeline.adapter", "core.errors", "core.io")


def notebook_code(path: str | Path) -> str:
    """The code cells of a Jupyter notebook as one Python text (magics and ! lines dropped)."""
    nb = json.loads(Path(path).read_text(encoding="utf-8"))
    cells = []
    for cell in nb.get("cells", []):
        if cell.get("cell_type") != "code":
            continue
        src = "".join(cell.get("source", []))
        lines = [ln for ln in src.splitlines() if not ln.lstrip().startswith(("%", "!"))]
        cells.append("\n".join(lines))
    return "\n\n".join(cells)


def _module_file(src: Path, name: str) -> Path | None:
    base = src / Path(*name.split("."))
    for cand in (base.with_suffix(".py"), base / "__init__.py"):
        if cand.is_file():
            return cand
    return None


def imported_names(code: str, package: str | None = None) -> set[str]:
    """Module names ``code`` imports (absolute; relative ones resolved in ``package``); for
    ``from m import x`` both ``m`` and ``m.x`` (x may be a submodule)."""
    names: set[str] = set()
    for node in ast.walk(ast.parse(code)):
        if isinstance(node, ast.Import):
            names |= {a.name for a in node.names}
        elif isinstance(node, ast.ImportFrom):
            mod = node.module or ""
            if node.level and package:
                parts = package.split(".")[: len(package.split(".")) - node.level + 1]
                mod = ".".join([*parts, mod] if mod else parts)
            names.add(mod)
            names |= {f"{mod}.{a.name}" for a in node.names}
    return names


def _kzopen_imports(code: bytes, package: str | None) -> frozenset[str]:
    """The kzopen modules a source text (a module, a script or a notebook's code) imports.
    Parsed once per content: the result is kept by the SHA-1 of the bytes in memory and, after
    :func:`use_cache`, in a JSON file, so a workflow parse (which asks for the same modules once
    per rule, in every Snakemake run) parses only what changed. The key is the content, never
    the file's stamp, and the file is versioned (:data:`CACHE_VERSION`), so neither an edit nor
    a change of this module leaves a stale result."""
    key = f"{hashlib.sha1(code).hexdigest()}|{package or ''}"
    hit = _CACHE.get(key)
    if hit is None:
        names = imported_names(code.decode("utf-8"), package)
        hit = _CACHE[key] = sorted(n for n in names if n.split(".")[0] == "kzopen")
        _CACHE_STATE["dirty"] = True
    return frozenset(hit)


def _file_imports(path: Path, package: str | None) -> frozenset[str]:
    """The kzopen modules one source file imports (:func:`_kzopen_imports`)."""
    return _kzopen_imports(path.read_bytes(), package)


_CACHE: dict[str, list[str]] = {}
_CACHE_STATE: dict[str, Any] = {"file": None, "dirty": False}
# What the cached results depend on besides the content they are keyed by: this module's own
# code (how it parses, what it leaves out). A cache file written by another version is ignored.
CACHE_VERSION = hashlib.sha1(Path(__file__).read_bytes()).hexdigest()


def use_cache(file: str | Path) -> None:
    """Keep parsed results in ``file`` (JSON) between processes; unreadable caches and caches
    written by another version of this module are ignored."""
    _CACHE_STATE["file"] = Path(file)
    try:
        loaded = json.loads(Path(file).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return
    if not isinstance(loaded, dict) or loaded.get("version") != CACHE_VERSION:
        return
    entries = loaded.get("entries")
    if isinstance(entries, dict):
        _CACHE.update({k: v for k, v in entries.items() if isinstance(v, list)})


def _save_cache() -> None:
    file = _CACHE_STATE["file"]
    if file is None or not _CACHE_STATE["dirty"]:
        return
    try:
        file.parent.mkdir(parents=True, exist_ok=True)
        tmp = file.with_name(f".{file.name}.{os.getpid()}.tmp")
        doc = {"version": CACHE_VERSION, "entries": _CACHE}
        tmp.write_text(json.dumps(doc, sort_keys=True), encoding="utf-8")
        os.replace(tmp, file)
        _CACHE_STATE["dirty"] = False
    except OSError:  # a cache that cannot be written only costs time
        pass


@functools.cache
def _module_file_cached(src: Path, name: str) -> Path | None:
    return _module_file(src, name)


def kzopen_sources(root: str | Path, code: str) -> set[str]:
    """Files (relative to ``root``, POSIX) of the kzopen modules ``code`` imports, directly or
    through other kzopen modules, parent packages' ``__init__`` included."""
    root, src = Path(root).resolve(), Path(root).resolve() / "src"
    seen: set[Path] = set()
    todo = sorted(_kzopen_imports(code.encode("utf-8"), None))
    while todo:
        parts = todo.pop().split(".")
        for i in range(1, len(parts) + 1):
            f = _module_file_cached(src, ".".join(parts[:i]))
            if f is None or f in seen:
                continue
            seen.add(f)
            own = ".".join(parts[:i]) if f.name == "__init__.py" else ".".join(parts[: i - 1])
            todo.extend(_file_imports(f, own))
    return {f.relative_to(root).as_posix() for f in seen}


def script_code(root: str | Path, *scripts: str | Path) -> list[str]:
    """Sorted kzopen source files the given scripts or notebooks import (shared infrastructure
    and package ``__init__`` files left out): the ``code`` input of the rule that runs them."""
    skip = {f"src/kzopen/{m.replace('.', '/')}.py" for m in SHARED_INFRASTRUCTURE}
    found: set[str] = set()
    for script in scripts:
        p = Path(root) / script
        text = notebook_code(p) if p.suffix == ".ipynb" else p.read_text(encoding="utf-8")
        found |= kzopen_sources(root, text)
    _save_cache()
    return sorted(f for f in found - skip if not f.endswith("/__init__.py"))


def called_functions(root: str | Path, script: str | Path) -> list[str]:
    """``module.function`` of every kzopen function the script calls, in order of first call
    (shared infrastructure left out): the package functions that compute what the rule writes.
    Kept by the SHA-1 of the script's bytes, as :func:`_kzopen_imports` keeps imports."""
    data = (Path(root) / script).read_bytes()
    key = f"calls|{hashlib.sha1(data).hexdigest()}"
    hit = _CACHE.get(key)
    if hit is None:
        hit = _CACHE[key] = _called_functions(data.decode("utf-8"))
        _CACHE_STATE["dirty"] = True
        _save_cache()
    return list(hit)


def _called_functions(code: str) -> list[str]:
    tree = ast.parse(code)
    imported: dict[str, str] = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("kzopen."):
            if node.module.removeprefix("kzopen.") in SHARED_INFRASTRUCTURE:
                continue
            imported.update({a.asname or a.name: f"{node.module}.{a.name}" for a in node.names})
    calls = [n for n in ast.walk(tree) if isinstance(n, ast.Call) and isinstance(n.func, ast.Name)]
    found: list[str] = []
    for call in sorted(calls, key=lambda n: (n.lineno, n.col_offset)):
        target = imported.get(call.func.id)
        if target and target not in found:
            found.append(target)
    return found
