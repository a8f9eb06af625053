"""Benchmark job (a): set-up, `git clone` + `make env`, as committed and with bytecode
compiled at install time.
"""

from __future__ import annotations

import subprocess
from pathlib import Path
from typing import Any

from harness import COMMIT, REPO, Series, clean_env, has_bytecode, log, rule_times, snakemake, timed

ENV_VARIANTS = {
    # `make env` exactly as committed.
    "make-env": [],
    # With installed modules compiled to bytecode at set-up, whatever the Makefile says.
    "make-env-bytecode": ["UV_COMPILE_BYTECODE=1"],
    # Without: every process compiles what it imports (and, with PYTHONDONTWRITEBYTECODE set,
    # never caches it).
    "make-env-no-bytecode": ["UV_COMPILE_BYTECODE=0"],
}


VARIANT_LABEL = {
    "make-env": "as committed",
    "make-env-bytecode": "bytecode",
    "make-env-no-bytecode": "no bytecode",
}


def env_run(tmp: Path, variant: str, res: dict[str, Any], cores: int) -> Path:
    """One run of (a) `git clone` + `make env` (uv cache warm) and (b) a cold build with that
    new environment, appended to ``res``. Returns the clone (built, with its environment)."""
    i = len(res.setdefault("build", Series())["wall"])
    res.setdefault("clone", Series())
    res.setdefault("env", Series())
    d = tmp / f"{variant}-{i}"
    env = clean_env({})
    res["clone"].add(timed(["git", "clone", "-q", str(REPO), str(d)], tmp, env))
    subprocess.run(["git", "checkout", "-q", COMMIT[0]], cwd=d, check=True)  # the benchmarked one
    res["env"].add(timed(["make", "env", *ENV_VARIANTS[variant]], d, env))
    build = res["build"].add(snakemake(d / ".venv", d, cores=cores))
    if i == 0:
        res["rules"] = rule_times(d)
        res["bytecode"] = has_bytecode(d / ".venv")
    log(
        f"{variant} run {i + 1}: clone {res['clone']['wall'][-1]:.1f} s, make env "
        f"{res['env']['wall'][-1]:.1f} s, cold build {build.wall:.1f} s "
        f"(cpu {build.cpu:.1f} s, load {build.load:.2f})"
    )
    return d
