"""Which function computes a column: the check behind each table's column declaration.

A results table declares, column by column, the function that computes it (for example
``kzopen.compare.tasks.COLUMN_PRODUCERS``). :func:`writes_column` reads a function's source,
and that of the package functions it calls (``ast``; names resolved in the function's module),
and says whether any of them writes the column: the column's name as a string literal (a dict
key, a keyword or a subscript, or a member of the module-level column list it builds its
frame with, ``columns=NAME``). A declaration naming a function that cannot have produced the
column is then caught by a test.

A table whose rows are of several kinds, each written whole by one function (the portal's tests:
a chi-square row, a pairwise row...), declares :class:`RowKinds` instead: the function of each
kind, found from the row's key column. :func:`writes_value` checks that the function writes
that kind (a literal or an f-string of that shape).
"""

from __future__ import annotations

import ast
import inspect
import re
import textwrap
from collections.abc import Callable, Mapping
from dataclasses import dataclass
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


def _any_callee(
    func: Callable[..., Any], test: Callable[[Callable[..., Any], ast.AST], bool], depth: int
) -> bool:
    """True when ``test(f, tree)`` holds for ``func`` or a package function it calls, up to
    ``depth`` calls deep (``tree``: the function's parsed source)."""
    seen: set[str] = set()
    todo = [(func, 0)]
    while todo:
        f, d = todo.pop()
        if qualified_name(f) in seen:
            continue
        seen.add(qualified_name(f))
        tree = ast.parse(textwrap.dedent(inspect.getsource(f)))
        if test(f, tree):
            return True
        if d < depth:
            todo += [(g, d + 1) for g in _called(f, tree)]
    return False


def writes_column(func: Callable[..., Any], column: str, depth: int = 3) -> bool:
    """True when ``func`` or a package function it calls (up to ``depth`` calls deep) names
    ``column``: as a string literal anywhere in its body (a dict key, an assigned subscript, a
    name in a tuple it loops over), as a keyword argument (``assign(column=...)``), or as an
    entry of a module-level list it builds a frame with (``DataFrame(rows, columns=NAME)``).

    A necessary condition, not proof: a function that only reads a column of that name passes
    too. What it catches is a declaration naming a function that never mentions the column
    (``tests/test_column_producers.py`` has the cases)."""

    def test(f: Callable[..., Any], tree: ast.AST) -> bool:
        names = {
            n.value if isinstance(n, ast.Constant) else n.arg
            for n in ast.walk(tree)
            if isinstance(n, ast.keyword)
            or (isinstance(n, ast.Constant) and isinstance(n.value, str))
        }
        return column in names or column in _frame_columns(f, tree)

    return _any_callee(func, test, depth)


def _frame_columns(func: Callable[..., Any], tree: ast.AST) -> set[str]:
    """The columns of the module-level lists ``func`` builds frames with (``columns=NAME``)."""
    out: set[str] = set()
    for n in ast.walk(tree):
        if isinstance(n, ast.keyword) and n.arg == "columns" and isinstance(n.value, ast.Name):
            names = func.__globals__.get(n.value.id)
            if isinstance(names, list | tuple):
                out |= {c for c in names if isinstance(c, str)}
    return out


def _shape(node: ast.JoinedStr) -> re.Pattern[str] | None:
    """An f-string's kind as a pattern: its parts up to the first ": " (the kind of a row,
    see :class:`RowKinds`), literal parts as written and anything for each placeholder; None
    for an f-string that starts with a placeholder (it could write any kind)."""
    if not node.values or not isinstance(node.values[0], ast.Constant):
        return None
    parts: list[str] = []
    for v in node.values:
        if not isinstance(v, ast.Constant):
            parts.append(".+")
            continue
        head, sep, _ = str(v.value).partition(": ")
        parts.append(re.escape(head))
        if sep:
            break
    return re.compile("".join(parts))


def writes_value(func: Callable[..., Any], value: str, depth: int = 0) -> bool:
    """True when ``func`` itself (or a package function it calls, up to ``depth`` calls deep)
    writes the string ``value``: as a literal, or as an f-string that begins with literal text
    and whose literal parts match it."""

    def matches(n: ast.AST) -> bool:
        if isinstance(n, ast.Constant):
            return n.value == value
        shape = _shape(n) if isinstance(n, ast.JoinedStr) else None
        return shape is not None and shape.fullmatch(value) is not None

    def test(_f: Callable[..., Any], tree: ast.AST) -> bool:
        return any(matches(n) for n in ast.walk(tree))

    return _any_callee(func, test, depth)


@dataclass(frozen=True)
class RowKinds:
    """The producers of a table of several kinds of row, each kind written whole by one
    function. A row's kind is its ``key`` column up to the first ": " (``"pairwise_z_min_n:
    Almaty city vs Karaganda region"`` is of kind ``pairwise_z_min_n``)."""

    key: str
    producers: Mapping[str, Callable[..., Any]]

    def kind(self, row: Mapping[str, Any]) -> str:
        return str(row.get(self.key, "")).split(": ", 1)[0]

    def producer(self, row: Mapping[str, Any]) -> Callable[..., Any] | None:
        return self.producers.get(self.kind(row))
