"""Number formatting for the article: every rule (decimals, separators, p-values) lives here.

A :class:`Formatter` turns values from ``results/article_values.json`` into text. In *check*
mode it wraps each piece of text it produces in two private-use characters (``MARK_OPEN`` …
``MARK_CLOSE``); :func:`orphan_numbers` then removes the marked spans and reports every digit
left over that no allow-list pattern explains. The check is therefore exact: a number typed
into the template by hand is caught even if it equals a computed value.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from babel.lists import format_list
from babel.numbers import format_decimal

from kzopen.core.precision import DECIMALS, P_DECIMALS, P_FLOOR

MARK_OPEN = "\ue000"
MARK_CLOSE = "\ue001"
_MARKED = re.compile(f"{MARK_OPEN}[^{MARK_OPEN}{MARK_CLOSE}]*{MARK_CLOSE}")
_NUMBER = re.compile(r"\d+(?:[.,]\d+)*")

# Text that may contain digits although no placeholder produced it. Each entry is a regex
# matched against the text around a number; see docs/article.md ("The orphan-number check").
DEFAULT_ALLOW = (
    r"\b(?:19|20)\d\d\b",  # calendar years, citations "(Heald, 2006)"
    r"\b(?:Table|Figure|Section|Appendix)\s+\d+\b",  # cross-references
    r"^\s*\d+\.\s",  # ordered-list item numbers at the start of a line
    r"^#{1,6}\s+\d+(?:\.\d+)*\s",  # numbered headings
)

# Thin space groups thousands in running text (SI / Chicago style); never a comma, which
# would be read as a decimal mark by part of the readership.
THOUSANDS = ","  # the journal prints English numbers as "25,000"
MINUS = "\u2212"


@dataclass
class Formatter:
    """Formats numbers for the manuscript. ``check=True`` marks every output for the check."""

    check: bool = False
    decimals: int = DECIMALS
    p_decimals: int = P_DECIMALS
    p_floor: float = P_FLOOR
    missing: str = "n/a"

    # -- marking ----------------------------------------------------------------------------
    def mark(self, text: Any) -> str:
        """Return ``text`` as produced by the pipeline (marked in check mode)."""
        s = str(text)
        return f"{MARK_OPEN}{s}{MARK_CLOSE}" if self.check else s

    # -- numbers ----------------------------------------------------------------------------
    @staticmethod
    def _is_missing(x: Any) -> bool:
        return x is None or (isinstance(x, float) and math.isnan(x))

    def _plain(self, x: float, decimals: int) -> str:
        s = f"{abs(x):,.{decimals}f}".replace(",", THOUSANDS)
        # Group only with five or more integer digits (1234 stays, 12 345 is grouped).
        intpart = s.split(".")[0]
        if len(intpart.replace(THOUSANDS, "")) <= 4:
            s = s.replace(THOUSANDS, "")
        negative = x < 0 and float(s.replace(THOUSANDS, "")) != 0
        return (MINUS if negative else "") + s

    def num(self, x: Any, decimals: int | None = None) -> str:
        """A real number with a fixed number of decimals (default ``self.decimals``)."""
        if self._is_missing(x):
            return self.mark(self.missing)
        return self.mark(self._plain(float(x), self.decimals if decimals is None else decimals))

    def int(self, x: Any) -> str:
        """A count or rank: no decimals; raises if the value is not integral."""
        if self._is_missing(x):
            return self.mark(self.missing)
        xf = float(x)
        if xf != round(xf):
            raise ValueError(f"{x!r} is not an integer")
        return self.mark(self._plain(xf, 0))

    def pct(self, x: Any, decimals: int = 1) -> str:
        """A percentage already on the 0-100 scale, with a percent sign."""
        if self._is_missing(x):
            return self.mark(self.missing)
        return self.mark(f"{self._plain(float(x), decimals)}\u00a0%")

    def share(self, x: Any, decimals: int = 1) -> str:
        """A proportion on the 0-1 scale shown as a percentage."""
        return self.pct(None if self._is_missing(x) else float(x) * 100, decimals)

    def p(self, x: Any, relation: bool = False) -> str:
        """A p-value, APA style: three decimals, no leading zero, ``< .001`` below the floor.

        With ``relation=True`` the text includes its relation sign (``= .012`` or ``< .001``),
        for use after an italic *p* in running text.
        """
        if self._is_missing(x):
            return self.mark(self.missing)
        if relation:
            plain = Formatter(
                decimals=self.decimals, p_decimals=self.p_decimals, p_floor=self.p_floor
            ).p(x)
            return self.mark(plain if plain.startswith("<") else f"=\u00a0{plain}")
        x = float(x)
        if not 0 <= x <= 1:
            raise ValueError(f"p-value {x!r} outside [0, 1]")
        if x < self.p_floor:
            floor = f"{self.p_floor:.{self.p_decimals}f}".lstrip("0")
            return self.mark(f"<\u00a0{floor}")
        return self.mark(f"{x:.{self.p_decimals}f}".lstrip("0") or "0")

    def sig(self, x: Any, digits: int = 3) -> str:
        """A number to ``digits`` significant figures (``%g``: no trailing zeros; scientific
        notation for very small or large values), for notes and evidence texts."""
        if self._is_missing(x):
            return self.mark(self.missing)
        text = f"{float(x):.{digits}g}"
        return self.mark(MINUS + text[1:] if text.startswith("-") else text)

    def series(self, items: Iterable[Any], locale: str = "en_GB") -> str:
        """``items`` as a list in running text ("a, b and c"), by Babel's list patterns."""
        return format_list([str(x) for x in items], locale=locale)

    def num_locale(self, x: Any, locale: str, decimals: int = 0, percent: bool = False) -> str:
        """A number in a language's own convention (Babel/CLDR: decimal comma and non-breaking
        space grouping in ru_RU and kk_KZ); ``percent`` adds a non-breaking space and %."""
        if self._is_missing(x):
            return self.mark(self.missing)
        pattern = "#,##0" + ("." + "0" * decimals if decimals > 0 else "")
        text = format_decimal(float(x), format=pattern, locale=locale, decimal_quantization=True)
        return self.mark(text + ("\u00a0%" if percent else ""))

    def auto(self, x: Any, column: str = "") -> str:
        """Format a table cell from its column name; the single rule used by every table."""
        if isinstance(x, bool):
            return self.mark("yes" if x else "no")
        if self._is_missing(x):
            return self.mark(self.missing)
        if isinstance(x, str):
            return self.mark(x)
        col = column.lower()
        if re.search(r"(^|_)(p|q)(_value|value|_adj|_holm|_bh|_perm)?($|_)", col):
            return self.p(x)
        if re.search(
            r"(^|_)(n|count|rank|rank_ci_low|rank_ci_high|year|first_year|last_year|n_[a-z_]+)$",
            col,
        ) or col in {
            "row",
            "n",
        }:
            if float(x) == round(float(x)):
                return self.int(x)
        if re.search(r"(pct|percent)", col):
            return self.pct(x)
        if isinstance(x, int):
            return self.int(x)
        return self.num(x)


def orphan_numbers(text: str, allow: Iterable[str] = DEFAULT_ALLOW) -> list[tuple[int, str, str]]:
    """Numbers in ``text`` (rendered in check mode) that no placeholder produced.

    Returns ``(line_number, number, line)`` for each orphan; marked spans are ignored, and a
    number is excused when one of the ``allow`` regexes matches a span of its line that covers it.
    """
    patterns = [re.compile(a) for a in allow]
    orphans = []
    for lineno, line in enumerate(text.splitlines(), start=1):
        # Replace marked spans by spaces of the same length so that positions stay aligned.
        stripped = _MARKED.sub(lambda m: " " * len(m.group(0)), line)
        if MARK_OPEN in stripped or MARK_CLOSE in stripped:
            raise ValueError(f"line {lineno}: unbalanced placeholder marker")
        covered = [False] * len(stripped)
        for pat in patterns:
            for m in pat.finditer(stripped):
                for i in range(m.start(), m.end()):
                    covered[i] = True
        for m in _NUMBER.finditer(stripped):
            if not all(covered[m.start() : m.end()]):
                orphans.append(
                    (lineno, m.group(0), line.replace(MARK_OPEN, "").replace(MARK_CLOSE, ""))
                )
    return orphans


def unmark(text: str) -> str:
    """Remove check-mode markers (the check pass output is never published, but be safe)."""
    return text.replace(MARK_OPEN, "").replace(MARK_CLOSE, "")
