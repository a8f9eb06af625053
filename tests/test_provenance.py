"""Every number in article.html leads to its source: a file, a row and column in it, the rule
that wrote the file and the package function that rule calls; and each value key has one home
in src/ (its spec, spelled out literally once)."""

from __future__ import annotations

import html.parser
import importlib
import inspect
import json
import math
import random
import re
import urllib.parse
from pathlib import Path

import pandas as pd
import pytest
import yaml

REPO = Path(__file__).resolve().parents[1]
N_TRAILS = 40  # numbers followed per run, drawn with a fixed seed


class _Spans(html.parser.HTMLParser):
    """Attributes of every <span class="value"> of a page, and its text (``_text``)."""

    def __init__(self) -> None:
        super().__init__()
        self.spans: list[dict[str, str]] = []
        self.depth = 0  # > 0 inside a value span (counting spans nested in it)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if self.depth:
            self.depth += tag == "span"
        elif tag == "span" and "value" in a.get("class", "").split():
            self.spans.append({**a, "_text": ""})
            self.depth = 1

    def handle_endtag(self, tag: str) -> None:
        if self.depth and tag == "span":
            self.depth -= 1

    def handle_data(self, data: str) -> None:
        if self.depth:
            self.spans[-1]["_text"] += data


_SPACES = dict.fromkeys(map(ord, "\u2009\u202f\u00a0 "), None)  # digit-group separators


def printed_matches(text: str, value: object) -> bool:
    """``text`` is ``value`` as printed: rounded to the decimals shown (a share as a percentage,
    a p-value below its floor as "< .001"), or the same words for a text value."""
    t = text.strip()
    if value is None:
        return t == "n/a"
    if isinstance(value, bool):
        return t in ("yes", "no", str(value))
    if isinstance(value, str):
        return " ".join(t.split()) == " ".join(value.split())
    s = t.translate(_SPACES).replace("\u2212", "-").rstrip("%").lstrip("=")
    if re.fullmatch(r"-?\d{1,3}(,\d{3})+(\.\d+)?", s) and "." in s or re.search(r",\d{3},", s):
        s = s.replace(",", "")  # English grouping ("25,000.5", "1,234,567")
    elif re.fullmatch(r"-?\d{2,3},\d{3}", s) and abs(float(value)) >= 10_000:
        s = s.replace(",", "")  # English grouping ("58,136")
    s = s.replace(",", ".")  # a decimal comma (Russian, Kazakh)
    if s.startswith("<"):
        return 0 <= float(value) < float(s[1:])
    if not re.fullmatch(r"-?\d*\.?\d+", s):
        return False
    decimals = len(s.split(".")[1]) if "." in s else 0
    half = 0.5 * 10.0**-decimals * (1 + 1e-9)
    return any(abs(float(s) - shown) <= half for shown in (float(value), 100 * float(value)))


@pytest.mark.parametrize(
    ("text", "value", "ok"),
    [
        ("61.4", 61.388888888888886, True),
        ("61.5", 61.388888888888886, False),
        ("\u22120.97", -0.9701833892221668, True),
        ("0.97", -0.9701833892221668, False),
        ("< .001", 5.91713378864292e-07, True),
        ("< .001", 0.002, False),
        ("= .023", 0.0231, True),
        ("5\u00a0%", 0.05, True),
        ("58\u2009136", 58136, True),
        ("58\u2009137", 58136, False),
        ("58,136", 58136, True),
        ("58,137", 58136, False),
        ("62,96", 62.96296296296296, True),
        ("n/a", None, True),
        ("0", None, False),
        ("points\nof 100", "points of 100", True),
    ],
)
def test_printed_matches(text: str, value: object, ok: bool) -> None:
    assert printed_matches(text, value) is ok


def value_spans(page: Path) -> list[dict[str, str]]:
    parser = _Spans()
    parser.feed(page.read_text(encoding="utf-8"))
    return parser.spans


def rule_names(repo: Path) -> set[str]:
    text = "\n".join(p.read_text() for p in (repo / "workflow" / "rules").glob("*.smk"))
    return set(re.findall(r"^rule (\w+):", text, flags=re.M))


def _cell(repo: Path, file: str, row: dict[str, str], column: str) -> object:
    """The one cell of ``file`` selected by ``row`` (column=value, compared as text)."""
    path = repo / file
    if path.suffix == ".yaml":  # a config setting: the column is its dotted key
        node = yaml.safe_load(path.read_text())
        for part in column.split("."):
            node = node[part]
        return node
    df = pd.read_parquet(path) if path.suffix == ".parquet" else pd.read_csv(path)
    mask = pd.Series(True, index=df.index)
    for col, want in row.items():
        assert col in df.columns, f"{file}: no column {col!r} to select the row"
        mask &= df[col].astype(str) == want
    assert mask.sum() == 1, f"{file}: {int(mask.sum())} rows match {row}"
    assert column in df.columns, f"{file}: no column {column!r}"
    return df.loc[mask, column].iloc[0]


def _same(cell: object, value: object) -> bool:
    if isinstance(value, float) or isinstance(cell, float):
        if value is None:
            return cell is None or math.isnan(float(cell))
        return math.isclose(float(cell), float(value), rel_tol=1e-12, abs_tol=1e-12)
    if isinstance(value, bool) or isinstance(cell, bool):
        return str(cell) == str(value)
    return str(cell) == str(value) or (cell is None and value == "")


def follow(repo: Path, span: dict[str, str], values: dict[str, object]) -> None:
    """One trail: the value, the file, the row and column, the rule, the functions."""
    key = span["data-key"]
    value = json.loads(urllib.parse.unquote(span["data-value"]))
    assert values[key] == value, key
    assert printed_matches(span["_text"], value), (key, span["_text"], value)
    file = span["data-file"]
    assert file and (repo / file).exists(), f"{key}: file {file!r} missing"
    if span["data-column"]:
        row = dict(urllib.parse.parse_qsl(span["data-row"]))
        assert _same(_cell(repo, file, row, span["data-column"]), value), key
    if file.startswith(("results/", "data/processed/")):
        assert span["data-rule"] in rule_names(repo), f"{key}: rule {span['data-rule']!r}"
        assert span["data-functions"], f"{key}: no package function named"
    for dotted in [*span["data-functions"].split(), span["data-selected-by"]]:
        module, _, func = dotted.rpartition(".")
        fn = getattr(importlib.import_module(module), func)
        assert callable(fn) and inspect.getmodule(fn).__name__ == module, dotted  # its home


@pytest.fixture(scope="module")
def article(built_repo: Path) -> tuple[list[dict[str, str]], dict]:
    spans = value_spans(built_repo / "build/article/article.html")
    doc = json.loads((built_repo / "results/article_values.json").read_text())
    return spans, doc


def test_every_printed_value_is_a_span_with_a_key(built_repo, article):
    spans, doc = article
    placed = json.loads((built_repo / "build/article/article_placeholders.json").read_text())
    printed = {p["name"] for p in placed["placeholders"] if p["kind"] == "value"}
    assert printed and {s["data-key"] for s in spans} == printed


def test_random_trails_lead_to_file_row_rule_and_function(built_repo, article):
    spans, doc = article
    rng = random.Random(20241)
    numeric = [s for s in spans if re.search(r"\d", s["data-value"])]
    for span in rng.sample(numeric, min(N_TRAILS, len(numeric))):
        follow(built_repo, span, doc["values"])


def test_every_printed_value_is_its_value_at_the_printed_rounding(article):
    """What the reader sees is the stored value, rounded only as far as the text shows."""
    spans, _ = article
    wrong = [
        (s["data-key"], s["_text"])
        for s in spans
        if not printed_matches(s["_text"], json.loads(urllib.parse.unquote(s["data-value"])))
    ]
    assert spans and wrong == []


def test_primary_difference_trail(built_repo, article):
    """The headline number, followed by hand: a row of group_comparisons.csv."""
    spans, doc = article
    span = next(s for s in spans if s["data-key"] == "cmp.primary.diff")
    assert span["data-file"] == "results/group_comparisons.csv"
    assert span["data-column"] == "diff" and span["data-rule"] == "compare_merge"
    assert "kzopen.compare.tasks.finalize" in span["data-functions"].split()
    follow(built_repo, span, doc["values"])


def test_each_key_spec_has_one_home_in_src(built_repo, article):
    """``grep -rn SPEC src/`` finds exactly one place for every key's spec."""
    _, doc = article
    source = "\n".join(p.read_text() for p in (REPO / "src").rglob("*.py"))
    specs = {w["spec"] for w in doc["provenance"].values()}
    assert len(specs) > 50
    # a literal string, not an f-string that uses the key
    homes = {spec: len(re.findall(f'(?<![fF])"{re.escape(spec)}"', source)) for spec in specs}
    assert {s: n for s, n in homes.items() if n != 1} == {}


def test_provenance_page_lists_every_printed_value(built_repo, article):
    """The report's provenance page holds the same trails, one row per printed value."""
    spans, _ = article
    page = (built_repo / "build/article/provenance.html").read_text(encoding="utf-8")
    for key in {s["data-key"] for s in spans}:
        assert f"<td>{key}</td>" in page, key
    repro = value_spans(built_repo / "build/article/reproducibility.html")
    assert repro and all(s["data-file"] == "results/claims_audit.csv" for s in repro)
    assert {s["data-rule"] for s in repro} == {"claims_audit"}
