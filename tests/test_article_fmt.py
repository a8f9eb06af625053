"""Known-answer tests of the article's number formatting and the orphan-number check."""

from __future__ import annotations

import math

import pytest

from kzopen.core.fmt import DEFAULT_ALLOW, Formatter, orphan_numbers, unmark


@pytest.fixture
def f() -> Formatter:
    return Formatter()


def test_numbers_known_answers(f: Formatter) -> None:
    assert f.num(0.4712) == "0.47"
    assert f.num(39.0, 0) == "39"
    assert f.num(-1.004) == "\u22121.00"
    assert f.num(-0.001) == "0.00"  # no negative zero
    assert f.num(12345.678, 1) == "12,345.7"  # comma thousands from five digits (journal style)
    assert f.num(1234.5, 1) == "1234.5"
    assert f.int(25000) == "25,000"
    assert f.pct(35) == "35.0\u00a0%"
    assert f.share(0.523) == "52.3\u00a0%"
    assert f.num(None) == "n/a" and f.num(math.nan) == "n/a"


def test_p_values_apa(f: Formatter) -> None:
    assert f.p(0.0499) == ".050"
    assert f.p(0.0004) == "<\u00a0.001"
    assert f.p(1.0) == "1.000"
    assert f.p(0.0123, relation=True) == "=\u00a0.012"
    assert f.p(0.00001, relation=True) == "<\u00a0.001"
    with pytest.raises(ValueError):
        f.p(1.2)


def test_int_refuses_fraction(f: Formatter) -> None:
    with pytest.raises(ValueError):
        f.int(2.5)


def test_auto_uses_column_names(f: Formatter) -> None:
    assert f.auto(0.0123, "p_value") == ".012"
    assert f.auto(0.0123, "p_holm") == ".012"
    assert f.auto(120.0, "n_countries") == "120"
    assert f.auto(2021.0, "year") == "2021"
    assert f.auto(63.333, "score") == "63.33"
    assert f.auto(True, "eu27") == "yes"
    assert f.auto("KAZ", "iso3") == "KAZ"


def test_check_mode_marks_and_unmark_restores() -> None:
    marked = Formatter(check=True).num(0.5)
    assert marked != "0.50" and unmark(marked) == "0.50"


def test_orphan_check_is_exact() -> None:
    c = Formatter(check=True)
    good = f"Kazakhstan scored {c.num(39, 0)} in 2023 (Table 1, Figure 2)."
    assert orphan_numbers(good, DEFAULT_ALLOW) == []
    # the same number typed by hand is caught even though it equals a computed value
    bad = f"Kazakhstan scored {c.num(39, 0)} of 100 in 2023."
    found = orphan_numbers(bad, DEFAULT_ALLOW)
    assert [(n, num) for n, num, _ in found] == [(1, "100")]


def test_orphan_check_allow_list() -> None:
    text = "1. first item\nSee Section 4 and (Heald, 2006); 42.2 is typed.\n## 2.1 Heading\n"
    found = orphan_numbers(text, DEFAULT_ALLOW)
    assert [(n, num) for n, num, _ in found] == [(2, "42.2")]


def test_unbalanced_marker_is_an_error() -> None:
    with pytest.raises(ValueError, match="unbalanced"):
        orphan_numbers("value \ue00012 here", DEFAULT_ALLOW)
