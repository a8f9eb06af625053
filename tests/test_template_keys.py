"""Template keys are literal: `grep KEY article/` finds every use of a value. A key may be
assembled only from the fields of a table row inside a loop over that table (``r.source``);
a prefix held in a variable or a key built from another value's content is an error."""

from __future__ import annotations

import re
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
TEMPLATES = sorted((REPO / "article").glob("**/*.j2"))
# a string literal ending in "." joined to something that is not a loop row's field
ASSEMBLED = re.compile(r'"[\w.]*\."\s*~\s*+(?!r\.)')
# a variable holding a key prefix, later joined to a suffix
PREFIX_VAR = re.compile(r'\{%-?\s*set\s+(\w+)\s*=\s*"[\w.]+"\s*-?%\}')


def offences(text: str) -> list[str]:
    found = [m.group(0) for m in ASSEMBLED.finditer(text)]
    for name in PREFIX_VAR.findall(text):
        found += re.findall(rf"\b{name}\s*~\s*\"[^\"]*\"", text)
    return found


def test_no_template_assembles_a_key():
    bad = {t.relative_to(REPO).as_posix(): offences(t.read_text("utf-8")) for t in TEMPLATES}
    assert {k: v for k, v in bad.items() if v} == {}


def test_the_check_catches_both_forms():
    assert offences('{{ num("trend." ~ value("cmp.primary.group_a") ~ ".kz_slope") }}')
    assert offences('{%- set loc = "cmp.local.vdem" -%}{{ num(loc ~ ".diff") }}')
    assert not offences('{% for r in rows("t") %}{{ num("cmp.x." ~ r.source ~ ".diff") }}')
    assert not offences('{{ num("cmp.local.vdem.v2xel_locelec.diff") }}')
