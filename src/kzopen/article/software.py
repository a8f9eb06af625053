"""Versions of the software that built the article (listed in its last section)."""

from __future__ import annotations

import platform
from importlib import metadata

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
    from kzopen.article.render import pandoc_version

    out = {"Python": platform.python_version(), "pandoc": pandoc_version()}
    for pkg in PACKAGES:
        try:
            out[pkg] = metadata.version(pkg)
        except metadata.PackageNotFoundError:
            out[pkg] = "not installed"
    return out
