"""The three environment descriptions agree: pyproject.toml, uv.lock, environment.yml, pip lock."""

from __future__ import annotations

import re

from support import REPO

from kzopen.pipeline.envfiles import direct_dependencies, locked_versions, render_environment


def test_environment_yml_matches_lock():
    want = render_environment(REPO / "pyproject.toml", REPO / "uv.lock")
    have = (REPO / "environment.yml").read_text(encoding="utf-8")
    assert have == want, "environment.yml is out of step with uv.lock: run `make requirements`"


def test_pip_lock_pins_every_runtime_dependency_at_the_locked_version():
    text = (REPO / "requirements.lock.txt").read_text(encoding="utf-8")
    pins = {
        re.sub(r"[-_.]+", "-", m.group(1)).lower(): m.group(2)
        for m in re.finditer(r"^([A-Za-z0-9_.\-]+)==([^\s;\\]+)", text, re.M)
    }
    locked = locked_versions(REPO / "uv.lock")
    for dep in direct_dependencies(REPO / "pyproject.toml"):
        assert pins.get(dep) == locked[dep], (
            f"{dep}: requirements.lock.txt {pins.get(dep)} != uv.lock"
        )
    assert "--hash=sha256:" in text
