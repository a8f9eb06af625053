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
