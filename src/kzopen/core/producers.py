"""Which function computes a column: the check behind each table's column declaration.

A results table declares, column by column, the function that computes it (for example
``kzopen.compare.tasks.COLUMN_PRODUCERS``). :func:`writes_column` reads a function's source,
and that of the package functions it calls (``ast``; names resolved in the function's module),
and says whether any of them writes the column: the column's name as a string literal (a dict
key, a keyword or a subscript). A declaration naming a function that cannot have produced the
column is then caught by a test.
"""

from __future__ import annotations

import ast
import inspect
import textwrap
from collections.abc import Callable
from typing import Any


def qualified_name(func: Callable[..., Any]) -> str:
    """``module.function`` of a function."""
    return f"{func.__module__}.{func.__qualname__}"


def _called(func: Callable[..., Any], tree: ast.AST) -> list[Callable[..., Any]]:
    """The package functions ``func`` calls by name (same module globals)."""
    names = {
        n.func.id
        for n in ast.walk(tree)
        if isinstance(n, ast.Call) and isinstance(n.func, ast.Name)
    }
    out = []
    for name in sorted(names):
        target = func.__globals__.get(name)
        if inspect.isfunction(target) and target.__module__.startswith("kzopen."):
            out.append(target)
    return out


def writes_column(func: Callable[..., Any], column: str, depth: int = 3) -> bool:
    """True when ``func`` or a package function it calls (up to ``depth`` calls deep) has the
    string ``column`` as a literal: a dict key, keyword argument or assigned subscript."""
    seen: set[str] = set()
    todo = [(func, 0)]
    while todo:
        f, d = todo.pop()
        if qualified_name(f) in seen:
            continue
        seen.add(qualified_name(f))
        tree = ast.parse(textwrap.dedent(inspect.getsource(f)))
        literals = {
            n.value
            for n in ast.walk(tree)
            if isinstance(n, ast.Constant) and isinstance(n.value, str)
        }
        keywords = {n.arg for n in ast.walk(tree) if isinstance(n, ast.keyword)}
        if column in literals | keywords:
            return True
        if d < depth:
            todo += [(g, d + 1) for g in _called(f, tree)]
    return False
