"""The typed ``portal:`` config section and the labels its outputs carry."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

REPORTED = "reported in the article"
CONDITIONAL = (
    "CONDITIONAL: assumes every unit had assumed_n ratings and the reported percentage is exact; "
    "the article gives no n, so this is not evidence of a difference"
)


@dataclass(frozen=True)
class PortalSettings:
    """The ``portal:`` config section, typed. Defaults live in the config schema only, so no
    field has one; ``seed`` is the config's ``random_seed``."""

    grim_max_n: int
    grim_rounding: str
    alpha: float
    min_expected: float
    monte_carlo_resamples: int
    sensitivity_n_min: int
    sensitivity_n_max: int
    sensitivity_points: int
    assumed_n_table: tuple[int, ...]
    population_year: int
    region_covariates: tuple[str, ...]
    seed: int

    @classmethod
    def from_config(cls, cfg: Mapping, seed: int) -> PortalSettings:
        """From the ``portal:`` keys in ``cfg`` (the rule passes each one): every field but
        ``seed`` must be there, so that a key the rule forgot is an error, not a default."""
        keys = sorted(f for f in cls.__dataclass_fields__ if f != "seed")
        kw = {k: (tuple(cfg[k]) if isinstance(cfg[k], list) else cfg[k]) for k in keys}
        return cls(**kw, seed=seed)
