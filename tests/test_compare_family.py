"""The confirmatory family as a whole (SYNTHETIC comparisons and scores)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from scipy import stats
from support import compare_settings

from kzopen.compare.family import common_set_sensitivity, family_correlations
from kzopen.core.errors import InputError

A = [f"A{i}" for i in range(6)]
B = [f"B{i}" for i in range(12)]


def _data():
    rng = np.random.default_rng(3)
    base = {c: rng.normal(0 if c.startswith("A") else 2, 1) for c in A + B}
    rows = []
    for k, ind in enumerate(("x", "y", "z")):
        for c in A + B:
            if ind == "z" and c in ("A0", "B0"):
                continue  # missing on one indicator: not in the common set
            rows.append(("s", ind, 2020, c, base[c] * (k + 1) + rng.normal(0, 0.3)))
    indices = pd.DataFrame(rows, columns=["source", "indicator", "year", "iso3", "value"])
    comp = pd.DataFrame(
        [
            {
                "family": "confirmatory",
                "source": "s",
                "indicator": ind,
                "indicator_label": ind.upper(),
                "year": 2020,
                "diff": -2.0,
                "countries_a": " ".join(c for c in A if not (ind == "z" and c == "A0")),
                "countries_b": " ".join(c for c in B if not (ind == "z" and c == "B0")),
            }
            for ind in ("x", "y", "z")
        ]
        + [{"family": "exploratory", "source": "s", "indicator": "x", "year": 2019}]
    )
    return comp, indices


def test_correlations_are_scipy_spearman_over_shared_countries():
    comp, indices = _data()
    out = family_correlations(comp, indices, "confirmatory", "f")
    assert len(out) == 3  # pairs of x, y, z
    xz = out[(out["indicator_a"] == "x") & (out["indicator_b"] == "z")].iloc[0]
    assert xz["n"] == len(A) + len(B) - 2
    x = indices[indices["indicator"] == "x"].set_index("iso3")["value"]
    z = indices[indices["indicator"] == "z"].set_index("iso3")["value"]
    both = pd.concat([x, z], axis=1, join="inner")
    assert xz["spearman_rho"] == pytest.approx(stats.spearmanr(both.iloc[:, 0], both.iloc[:, 1])[0])


def test_common_set_drops_countries_missing_anywhere_and_adjusts_by_holm():
    comp, indices = _data()
    out = common_set_sensitivity(comp, indices, "confirmatory", compare_settings(), 1, "f")
    assert (out["n_a"] == len(A) - 1).all() and (out["n_b"] == len(B) - 1).all()
    assert "A0" not in out["countries_a"].iat[0]
    assert (out["p_holm"] >= out["perm_p_t"]).all() and out["same_direction"].all()


def test_an_empty_family_is_an_input_error():
    comp, indices = _data()
    with pytest.raises(InputError):
        family_correlations(comp, indices, "confirmatory_local", "f")
