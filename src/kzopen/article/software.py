"""Versions of the software that built the article (listed in its last section)."""

from __future__ import annotations

import platform
from importlib import metadata

from kzopen.core.pandoc import pandoc_version

PACKAGES = (
    "snakemake",
    "pandas",
    "numpy",
    "scipy",
    "statsmodels",
    "matplotlib",
    "pyarrow",
    "pandera",
    "jinja2",
    "nbclient",
    "typst",
)


def software_versions() -> dict[str, str]:
    out = {"Python": platform.python_version(), "pandoc": pandoc_version()}
    for pkg in PACKAGES:
        try:
            out[pkg] = metadata.version(pkg)
        except metadata.PackageNotFoundError:
            out[pkg] = "not installed"
    return out
