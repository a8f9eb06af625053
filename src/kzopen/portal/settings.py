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
    """The ``portal:`` config section, typed."""

    grim_max_n: int = 2_000
    grim_rounding: str = "half_up"
    alpha: float = 0.05
    min_expected: float = 5.0
    monte_carlo_resamples: int = 9_999
    sensitivity_n_min: int = 10
    sensitivity_n_max: int = 100_000
    sensitivity_points: int = 121
    assumed_n_table: tuple[int, ...] = (50, 100, 200, 500, 1000)
    population_year: int = 2021
    region_covariates: tuple[str, ...] = ("log_population", "city")
    seed: int = 0

    @classmethod
    def from_config(cls, cfg: Mapping, seed: int) -> PortalSettings:
        """From the ``portal:`` keys in ``cfg`` (the rule passes each one): every field but
        ``seed`` must be there, so that a key the rule forgot is an error, not a default."""
        keys = sorted(f for f in cls.__dataclass_fields__ if f != "seed")
        kw = {k: (tuple(cfg[k]) if isinstance(cfg[k], list) else cfg[k]) for k in keys}
        return cls(**kw, seed=seed)
