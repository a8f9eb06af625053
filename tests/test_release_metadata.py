"""LICENSE, CITATION.cff and .zenodo.json: present, consistent with pyproject.toml, valid.

cffconvert 2.0 pins jsonschema 3, which this project cannot use (it needs Draft 2020-12), so the
citation file is checked against the required keys and types of CFF 1.2.0 here."""

from __future__ import annotations

import json
import tomllib
from pathlib import Path

import jsonschema
import yaml

REPO = Path(__file__).resolve().parent.parent
PYPROJECT = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]
CFF_SCHEMA = {  # the required part of the CFF 1.2.0 schema
    "type": "object",
    "required": ["cff-version", "message", "title", "authors"],
    "properties": {
        "cff-version": {"const": "1.2.0"},
        "message": {"type": "string", "minLength": 1},
        "title": {"type": "string", "minLength": 1},
        "type": {"enum": ["software", "dataset"]},
        "version": {"type": "string"},
        "license": {"type": "string"},
        "authors": {
            "type": "array",
            "minItems": 1,
            "items": {
                "anyOf": [
                    {"type": "object", "required": ["family-names"]},
                    {"type": "object", "required": ["name"]},
                ]
            },
        },
        "keywords": {"type": "array", "items": {"type": "string"}},
    },
}


def test_licence_is_mit_as_pyproject_says() -> None:
    assert PYPROJECT["license"]["text"] == "MIT"
    assert (REPO / "LICENSE").read_text(encoding="utf-8").startswith("MIT License")


def test_citation_cff_is_valid_and_matches_the_package() -> None:
    cff = yaml.safe_load((REPO / "CITATION.cff").read_text(encoding="utf-8"))
    jsonschema.validate(cff, CFF_SCHEMA)
    assert cff["version"] == PYPROJECT["version"] and cff["license"] == "MIT"


def test_invalid_citation_cff_fails() -> None:
    import pytest

    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate({"cff-version": "1.2.0", "title": "x"}, CFF_SCHEMA)


def test_zenodo_metadata_matches() -> None:
    z = json.loads((REPO / ".zenodo.json").read_text(encoding="utf-8"))
    assert z["license"] == "MIT" and z["version"] == PYPROJECT["version"]
    assert z["upload_type"] == "software" and z["creators"]
