"""Config defaults live in one place, the schema: the typed settings built from a config
section (compare's Settings, PortalSettings) declare no default of their own for a config key,
and every one of their config fields has its default in the schema."""

from __future__ import annotations

import dataclasses

import pytest
from support import compare_settings, portal_settings, schema_defaults

from kzopen.compare.stats import Settings
from kzopen.portal.settings import PortalSettings

# Fields that are not config keys of the section (or are a per-row switch with another meaning)
NOT_CONFIG = {Settings: {"exact_max_partitions", "relabel_seed"}, PortalSettings: {"seed"}}


@pytest.mark.parametrize(("cls", "section"), [(Settings, "compare"), (PortalSettings, "portal")])
def test_settings_take_their_defaults_from_the_schema_only(cls, section):
    defaults = schema_defaults(section)
    for f in dataclasses.fields(cls):
        if f.name in NOT_CONFIG[cls]:
            continue
        has_default = f.default is not dataclasses.MISSING or (
            f.default_factory is not dataclasses.MISSING
        )
        assert not has_default, f"{cls.__name__}.{f.name} repeats a default of the schema"
        assert f.name in defaults, f"config key {section}.{f.name} has no default in the schema"


def test_the_test_helpers_fill_the_schema_defaults():
    d = schema_defaults("compare")
    s = compare_settings(n_bootstrap=123)
    assert s.n_bootstrap == 123 and s.n_permutations == d["n_permutations"]
    assert portal_settings().grim_max_n == schema_defaults("portal")["grim_max_n"]
    with pytest.raises(TypeError):
        Settings()  # no silent defaults


def _defaulted_paths(config: dict, schema: dict, where: tuple = ()) -> list[tuple]:
    """Paths of the optional keys of ``config`` that have a schema default (recursively)."""
    out = []
    for key, value in config.items():
        sub = schema.get("properties", {}).get(key, {})
        if "default" in sub and key not in schema.get("required", []):
            out.append((*where, key))
        elif isinstance(value, dict):
            out += _defaulted_paths(value, sub, (*where, key))
    return out


def test_the_snakefile_fills_the_same_defaults_as_snakemake_validate():
    """The Snakefile fills the schema's defaults itself (kzopen.pipeline.config.validate_config,
    fill_defaults=True) instead of calling snakemake.utils.validate: the result is the same,
    for the config with every key left out whose default can stand in for it."""
    import copy

    import yaml
    from snakemake.utils import validate
    from support import REPO

    from kzopen.core.errors import ConfigError
    from kzopen.pipeline.config import load_config, validate_config

    schema_file = REPO / "workflow/schemas/config.schema.yaml"
    schema = yaml.safe_load(schema_file.read_text(encoding="utf-8"))
    sparse = load_config(REPO / "config/config.yaml")
    dropped = 0
    for path in _defaulted_paths(sparse, schema):
        parent = sparse
        for key in path[:-1]:
            parent = parent[key]
        value = parent.pop(path[-1])
        try:
            validate_config(sparse, schema_file, "config/config.yaml")
            dropped += 1
        except ConfigError:  # a placeholder default: the key must be given
            parent[path[-1]] = value
    assert dropped >= 5
    ours, theirs = copy.deepcopy(sparse), copy.deepcopy(sparse)
    validate_config(ours, schema_file, "config/config.yaml", fill_defaults=True)
    validate(theirs, str(schema_file))
    assert ours == theirs and ours != sparse


def test_a_default_its_own_schema_rejects_is_a_config_error(tmp_path):
    """Filling in a default that leaves the config invalid (a synthetic schema, whose default is
    valid by itself) stops with a message, not a jsonschema traceback."""
    import pytest

    from kzopen.core.errors import ConfigError
    from kzopen.pipeline.config import validate_config

    schema = tmp_path / "schema.yaml"
    schema.write_text(
        "$schema: https://json-schema.org/draft/2020-12/schema\n"
        "type: object\n"
        "properties:\n  seed: {type: integer, default: 1, description: a seed}\n"
        "maxProperties: 0\n",  # valid alone, not once the default is in
        encoding="utf-8",
    )
    config: dict = {}
    validate_config(config, schema, "c.yaml")  # valid as given: no key, nothing to check
    with pytest.raises(ConfigError, match="default is not allowed") as exc:
        validate_config(config, schema, "c.yaml", fill_defaults=True)
    assert exc.value.file == "c.yaml"
