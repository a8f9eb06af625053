"""Rules receive the config keys they use, one by one, never a whole config section: a key's
change then reruns only the rules that pass it, and `grep KEY workflow/rules` finds them."""

from __future__ import annotations

import re

import yaml
from support import REPO

CONFIG = yaml.safe_load((REPO / "config/config.yaml").read_text(encoding="utf-8"))
SECTIONS = sorted(k for k, v in CONFIG.items() if isinstance(v, dict))
# `config["section"]` not followed by `[`, i.e. the whole section (`.get(` reads one key).
_WHOLE = re.compile(r"""config\[\s*["'](\w+)["']\s*\](?!\s*\[)(?!\.get\()""")


def whole_sections(text: str) -> list[tuple[int, str]]:
    """(line, section) of every place a rule file's text uses a whole config section."""
    found = []
    for n, line in enumerate(text.splitlines(), 1):
        code = line.split("#", 1)[0]
        found += [(n, m.group(1)) for m in _WHOLE.finditer(code) if m.group(1) in SECTIONS]
    return found


def test_no_rule_passes_a_whole_config_section():
    offenders = {
        f"{path.name}:{n}": section
        for path in sorted((REPO / "workflow/rules").glob("*.smk"))
        for n, section in whole_sections(path.read_text(encoding="utf-8"))
    }
    assert SECTIONS and "compare" in SECTIONS
    assert offenders == {}


def test_the_check_finds_a_whole_section_and_passes_single_keys():
    rule = (
        "    params:\n"
        '        compare=config["compare"],\n'
        "        portal=config['portal'] ,  # a whole section\n"
        '        alpha=config["compare"]["alpha"],\n'
        '        form=config["portal"].get("input_form"),\n'
        '        seed=config["random_seed"],\n'
        '        # compare=config["compare"] in a comment\n'
    )
    assert whole_sections(rule) == [(2, "compare"), (3, "portal")]
