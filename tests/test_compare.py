"""Comparison statistics: known answers, symmetry, determinism, bad input.

All data here are SYNTHETIC test fixtures (small hand-made scores), not observations.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from support import compare_settings

from kzopen.compare.position import kazakhstan_position
from kzopen.compare.reported import read_reported_means
from kzopen.compare.stats import compare_two
from kzopen.compare.table import DIRECTIONAL
from kzopen.compare.tasks import Primary, build_tasks, confirmatory_keys, finalize, run_comparisons
from kzopen.core.errors import ConfigError, InputError
from kzopen.ingest.common import INDEX_COLUMNS

# min_group_n=2: the hand-computed cases below use groups of 3 and 4 countries.
FAST = compare_settings(n_permutations=20000, n_bootstrap=2000, min_group_n=2)
DEFS = {"ga": {"any_of": ["eu27"]}, "gb": {"any_of": ["coe_member"]}, "gc": {"any_of": ["eu27"]}}


def test_known_answer_small_case():
    # hand computation: means 2 and 5.5; variances 1 and 5/3
    r = compare_two([1, 2, 3], [4, 5, 6, 7], seed=1, settings=FAST)
    assert r["diff"] == pytest.approx(-3.5)
    assert r["welch_t"] == pytest.approx(-3.5 / np.sqrt(1 / 3 + (5 / 3) / 4))
    se2a, se2b = 1 / 3, (5 / 3) / 4
    df = (se2a + se2b) ** 2 / (se2a**2 / 2 + se2b**2 / 3)
    assert r["welch_df"] == pytest.approx(df)
    assert r["mwu_u"] == 0 and r["mwu_p"] == pytest.approx(2 / 35)
    # C(7,3) = 35 partitions: enumerated exactly; only the observed one is as extreme (x2 tails)
    assert r["perm_method"] == "exact" and r["perm_n_resamples"] == 35
    assert r["perm_p"] == pytest.approx(2 / 35)
    pooled = np.sqrt((2 * 1 + 3 * 5 / 3) / 5)
    assert r["hedges_g"] == pytest.approx(-3.5 / pooled * (1 - 3 / (4 * 7 - 9)))
    assert r["g_ci_low"] < r["hedges_g"] < r["g_ci_high"]
    assert (r["median_a"], r["median_b"], r["sd_a"]) == (2, 5.5, 1)
    assert r["reason"] == ""


def test_swapping_groups_flips_every_directional_statistic():
    rng = np.random.default_rng(0)
    a, b = rng.normal(40, 8, 9), rng.normal(60, 15, 30)
    ea, eb = rng.uniform(1, 3, 9), rng.uniform(1, 3, 30)
    ab = compare_two(a, b, seed=7, settings=FAST, se_a=ea, se_b=eb)
    ba = compare_two(b, a, seed=7, settings=FAST, se_a=eb, se_b=ea)
    for k in DIRECTIONAL:
        assert ba[k] == -ab[k]
    assert (ba["g_ci_low"], ba["g_ci_high"]) == (-ab["g_ci_high"], -ab["g_ci_low"])
    assert ba["mwu_u"] == 9 * 30 - ab["mwu_u"]
    for k in (
        "welch_p",
        "mwu_p",
        "perm_p",
        "welch_df",
        "se_sampling",
        "se_propagated",
        "me_var_share",
    ):
        assert ba[k] == ab[k]
    assert (ba["mean_a"], ba["mean_b"]) == (ab["mean_b"], ab["mean_a"])


def test_row_order_does_not_matter():
    rng = np.random.default_rng(3)
    a, b = rng.normal(0, 1, 8), rng.normal(1, 1, 12)
    r1 = compare_two(a, b, seed=5, settings=FAST)
    r2 = compare_two(a[::-1], rng.permutation(b), seed=5, settings=FAST)
    assert r1 == r2


@settings(max_examples=15, deadline=None)
@given(
    a=st.lists(st.integers(0, 100), min_size=2, max_size=8),
    b=st.lists(st.integers(0, 100), min_size=2, max_size=8),
    seed=st.integers(0, 2**31),
)
def test_permutation_p_in_unit_interval_and_reproducible(a, b, seed):
    s = compare_settings(n_permutations=20000, n_bootstrap=500)
    r1 = compare_two(a, b, seed=seed, settings=s)
    r2 = compare_two(a, b, seed=seed, settings=s)
    assert 0 < r1["perm_p"] <= 1
    pd.testing.assert_series_equal(pd.Series(r1), pd.Series(r2))


def test_fewer_than_two_gives_reason_not_error():
    r = compare_two([5.0], [1.0, 2.0, 3.0], seed=1, settings=FAST)
    assert "fewer than 2" in r["reason"] and "group_a" in r["reason"] and np.isnan(r["welch_p"])


def test_propagated_measurement_error_by_hand():
    """Four scores a side with published se 0.5 and 1.0 (SYNTHETIC): the difference of group
    means has measurement se sqrt(4 * 0.25 / 16 + 4 * 1 / 16) = sqrt(5/16); the sampling se
    is sqrt(var_a / 4 + var_b / 4) with var 5/3 on each side; measurement is
    (0.25 + 1) / 2 = 0.625 of an error variance per score against a pooled variance of 5/3."""
    a, b = [10.0, 11, 12, 13], [30.0, 31, 32, 33]
    r = compare_two(a, b, seed=1, settings=FAST, se_a=[0.5] * 4, se_b=[1.0] * 4)
    assert r["se_propagated"] == pytest.approx(np.sqrt(5 / 16))
    assert r["se_sampling"] == pytest.approx(np.sqrt(2 * (5 / 3) / 4))
    assert r["me_var_share"] == pytest.approx(0.625 / (5 / 3))
    assert "propagated" in r["me_note"] and "mc_draws" not in r
    bigger = compare_two(a, b, seed=1, settings=FAST, se_a=[5.0] * 4, se_b=[1.0] * 4)
    assert bigger["se_propagated"] > r["se_propagated"]  # grows with the published errors
    r = compare_two(a, b, seed=1, settings=FAST)
    assert np.isnan(r["se_propagated"]) and "no standard errors" in r["me_note"]
    r = compare_two(a, b, seed=1, settings=FAST, se_a=[0.5, np.nan, 0.5, 0.5], se_b=[1.0] * 4)
    assert np.isnan(r["se_propagated"]) and "missing" in r["me_note"]


# --------------------------------------------------------------------------- table level


def _indices():
    """SYNTHETIC long table in the indices.parquet layout."""
    rows = []
    vals = {"AAA": 10, "BBB": 12, "CCC": 14, "DDD": 30, "EEE": 34, "FFF": 38, "KAZ": 20}
    for year in (2022, 2023):
        for iso, v in vals.items():
            rows.append(
                (iso, iso, year, "src", "ind", "Label", float(v + (year - 2022)), 1.0, 0.0, 100.0)
            )
    return pd.DataFrame(rows, columns=INDEX_COLUMNS)


def _membership(a=("AAA", "BBB", "CCC"), b=("DDD", "EEE", "FFF")):
    rows = [(g, y, i) for y in (2022, 2023) for g, mem in (("ga", a), ("gb", b)) for i in mem]
    return pd.DataFrame(rows, columns=["group", "year", "iso3"])


CFG = {
    "indicators": "all",
    "years": "all",
    "pairs": [["ga", "gb"]],
    "primary": {
        "source": "src",
        "indicator": "ind",
        "year": 2023,
        "group_a": "ga",
        "group_b": "gb",
    },
    "confirmatory": [{"source": "src", "indicator": "ind", "why": "test"}],
    "confirmatory_local": [],
    "first_year": {},
}


def _run(indices, membership, cfg=CFG):
    tasks = build_tasks(indices, cfg, DEFS)
    return run_comparisons(indices, membership, tasks, random_seed=1, settings=FAST)


def test_run_comparisons_and_finalize_adjusts_within_families():
    indices = _indices()
    conf = confirmatory_keys(indices, CFG, DEFS)
    assert conf == [("src", "ind", 2023, "ga", "gb")]  # latest year, primary pair
    out = finalize(
        [_run(indices, _membership())], Primary("src", "ind", 2023, "ga", "gb"), "perm_p", conf
    )
    assert len(out) == 2 and out["is_primary"].sum() == 1
    assert out["countries_a"].iat[0] == "AAA BBB CCC"
    assert list(out["family"]) == ["exploratory", "confirmatory"]
    # Holm only within the confirmatory family, BH only within the exploratory one
    assert out["p_holm"].iat[1] == out["perm_p"].iat[1] and np.isnan(out["p_holm"].iat[0])
    assert out["p_bh"].iat[0] == out["perm_p"].iat[0] and np.isnan(out["p_bh"].iat[1])
    assert out["p_adjusted_from"].iat[1] == "perm_p (Holm, confirmatory family of 1)"
    for col in (
        "source",
        "indicator",
        "year",
        "group_a",
        "group_b",
        "n_a",
        "n_b",
        "mean_a",
        "mean_b",
        "median_a",
        "median_b",
        "sd_a",
        "sd_b",
        "diff",
        "welch_t",
        "welch_df",
        "welch_p",
        "mwu_u",
        "mwu_p",
        "perm_p",
        "hedges_g",
        "g_ci_low",
        "g_ci_high",
        "p_holm",
        "p_bh",
    ):
        assert col in out.columns


def test_changing_a_score_changes_the_result():
    base = _run(_indices(), _membership())
    ind = _indices()
    ind.loc[(ind.iso3 == "DDD") & (ind.year == 2023), "value"] = 90.0
    changed = _run(ind, _membership())
    assert changed["mean_b"].iat[1] != base["mean_b"].iat[1]
    assert changed["welch_t"].iat[1] != base["welch_t"].iat[1]
    assert changed["mean_b"].iat[0] == base["mean_b"].iat[0]  # 2022 untouched


def test_input_row_order_does_not_change_table():
    a = _run(_indices(), _membership())
    b = _run(_indices().sample(frac=1, random_state=4), _membership().iloc[::-1])
    pd.testing.assert_frame_equal(a, b)


def test_uncomputable_comparisons_are_kept_with_reason():
    out = _run(_indices(), _membership(a=("AAA",)))
    assert len(out) == 2 and out["reason"].str.contains("fewer than 2").all()
    overlap = _run(_indices(), _membership(a=("AAA", "DDD"), b=("DDD", "EEE")))
    assert overlap["reason"].str.contains("share countries: DDD").all()
    cfg = {**CFG, "years": [2021, 2023]}
    out = _run(_indices(), _membership(), cfg)
    assert out.loc[out.year == 2021, "reason"].str.contains("no data for 2021").all()


def test_primary_not_computable_stops():
    out = _run(_indices(), _membership(a=("AAA",)))
    with pytest.raises(InputError, match="primary comparison"):
        finalize([out], Primary("src", "ind", 2023, "ga", "gb"), "perm_p", [])


@pytest.mark.parametrize(
    ("change", "match"),
    [
        ({"pairs": [["ga", "zz"]]}, "unknown group 'zz'"),
        ({"indicators": ["src/nope"]}, "unknown index 'src/nope'.*src/ind"),
        ({"indicators": ["nosource"]}, "unknown index 'nosource'"),
        ({"primary": {**CFG["primary"], "year": 1999}}, r"no data for 1999.*\[2022, 2023\]"),
        ({"pairs": [["ga", "ga"]]}, "not two different groups"),
    ],
)
def test_bad_config_is_a_clear_error(change, match):
    with pytest.raises(ConfigError, match=match):
        build_tasks(_indices(), {**CFG, **change}, DEFS)


def test_kazakhstan_position_known_answer():
    ind = _indices()
    ind.loc[ind.iso3 == "KAZ", "value"] = 12.0  # ties BBB in 2022
    pos = kazakhstan_position(ind, _membership(), ["ga", "gb"])
    r = pos[(pos.year == 2022) & (pos.group == "ga")].iloc[0]
    # others 10, 12, 14: one above, one tied
    assert (r["rank"], r["rank_lowest"], r["n_tied"], r["n"]) == (2, 3, 1, 4)
    assert r["percentile"] == pytest.approx(50.0) and r["z_in_group"] == pytest.approx(0.0)
    assert r["ci95_low"] == pytest.approx(12 - 1.959963985) and r["ci90_high"] == pytest.approx(
        12 + 1.644853627
    )
    rb = pos[(pos.year == 2022) & (pos.group == "gb")].iloc[0]
    assert rb["rank"] == 4 and rb["percentile"] == 0 and rb["z_in_group"] == pytest.approx(-5.5)
    assert not pos["kazakhstan_in_group"].any()


def test_reported_means_must_match_claims(tmp_path):
    claims = tmp_path / "claims.csv"
    claims.write_text("claim_id,value\nres_mti_cis_avg,42.2\n", encoding="utf-8")
    rep = tmp_path / "rep.csv"
    rep.write_text(
        "claim_id,group,article_wording,reported_value,label\n"
        "res_mti_cis_avg,cis,x,42.3,reported in the article\n",
        encoding="utf-8",
    )
    with pytest.raises(InputError, match="differs from the claims table") as exc:
        read_reported_means(str(rep), str(claims))
    assert exc.value.row == 2 and exc.value.column == "reported_value"
