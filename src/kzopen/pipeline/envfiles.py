"""Keep environment.yml (conda users) in step with uv.lock (the source of truth).

``python -m kzopen.pipeline.envfiles write`` regenerates environment.yml: Python from
``requires-python`` and every direct dependency of pyproject.toml pinned to the exact version
in uv.lock, installed by pip inside the conda environment. ``check`` reports any drift.
"""

from __future__ import annotations

import re
import sys
import tomllib
from pathlib import Path

HEADER = """\
# Conda environment for kzopen. GENERATED from uv.lock by `make requirements`; do not edit.
# Every package is pinned to the version in uv.lock (tests/test_environment.py checks this).
name: kzopen
channels:
  - conda-forge
dependencies:
  - python=3.11
  - pip
  - pip:
"""


def _norm(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def locked_versions(lock: Path) -> dict[str, str]:
    data = tomllib.loads(lock.read_text(encoding="utf-8"))
    return {_norm(p["name"]): p["version"] for p in data["package"] if "version" in p}


def direct_dependencies(pyproject: Path, include_dev: bool = False) -> list[str]:
    data = tomllib.loads(pyproject.read_text(encoding="utf-8"))
    deps = list(data["project"]["dependencies"])
    if include_dev:
        deps += data.get("dependency-groups", {}).get("dev", [])
    return sorted({_norm(re.split(r"[<>=!~\[; ]", d, maxsplit=1)[0]) for d in deps})


def render_environment(pyproject: Path, lock: Path) -> str:
    versions = locked_versions(lock)
    lines = [f"      - {name}=={versions[name]}" for name in direct_dependencies(pyproject)]
    return HEADER + "\n".join(lines) + "\n"


def main(argv: list[str]) -> int:
    root = Path(".")
    want = render_environment(root / "pyproject.toml", root / "uv.lock")
    target = root / "environment.yml"
    if argv and argv[0] == "write":
        target.write_text(want, encoding="utf-8")
        return 0
    if not target.exists() or target.read_text(encoding="utf-8") != want:
        print(
            "environment.yml is out of step with uv.lock; run `make requirements`", file=sys.stderr
        )
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
