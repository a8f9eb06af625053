"""The local level: families of their own, score changes, elected offices, correlations
(SYNTHETIC tables)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from test_compare import CFG, DEFS, FAST, _membership

from kzopen.compare.local import (
    elected_offices,
    local_distribution,
    local_national_correlations,
    score_changes,
)
from kzopen.compare.tasks import (
    Primary,
    build_tasks,
    confirmatory_keys,
    family_labels,
    finalize,
    run_comparisons,
)
from kzopen.compare.trends import trends, trends_by_level
from kzopen.ingest.common import INDEX_COLUMNS

VALS = {"AAA": 10, "BBB": 12, "CCC": 14, "DDD": 30, "EEE": 34, "FFF": 38, "KAZ": 20}


def _indices(years=(2021, 2022, 2023)):
    """SYNTHETIC: a national source and a local one (named like V-Dem's indicator)."""
    rows = []
    for year in years:
        for iso, v in VALS.items():
            rows.append((iso, iso, year, "src", "ind", "L", float(v + year - 2021), 1.0, 0, 100))
            loc = v / 40 + (0.1 if iso == "KAZ" and year == 2023 else 0)
            rows.append((iso, iso, year, "vdem", "loc", "Local", loc, np.nan, 0, 1))
            rows.append((iso, iso, year, "vdem", "other", "Other", loc * 2, np.nan, 0, 1))
    return pd.DataFrame(rows, columns=INDEX_COLUMNS)


def _membership3():
    m = _membership()
    extra = m[m.year == 2022].assign(year=2021)
    return pd.concat([extra, m], ignore_index=True)


LOCAL_CFG = {
    **CFG,
    "confirmatory_local": [{"source": "vdem", "indicator": "loc", "why": "test"}],
    "first_year": {"vdem": 2022},
}


def test_family_labels_keep_the_levels_apart():
    conf, local = [("src", "ind", 2023, "a", "b")], [("vdem", "loc", 2023, "a", "b")]
    keys = [*conf, *local, ("src", "ind", 2022, "a", "b"), ("vdem", "other", 2023, "a", "b")]
    assert family_labels(keys, conf, local) == [
        "confirmatory",
        "confirmatory_local",
        "exploratory",
        "exploratory_local",
    ]


def test_local_family_adjusted_within_itself_and_national_families_unchanged():
    indices, mem = _indices(), _membership3()
    prim = Primary("src", "ind", 2023, "ga", "gb")
    conf = confirmatory_keys(indices, LOCAL_CFG, DEFS)
    local = confirmatory_keys(indices, LOCAL_CFG, DEFS, "confirmatory_local")
    assert local == [("vdem", "loc", 2023, "ga", "gb")]
    tasks = build_tasks(indices, LOCAL_CFG, DEFS)
    # the local source is compared from its first configured year only
    assert sorted(set(tasks.loc[tasks.source == "vdem", "year"])) == [2022, 2023]
    assert sorted(set(tasks.loc[tasks.source == "src", "year"])) == [2021, 2022, 2023]
    comp = run_comparisons(indices, mem, tasks, random_seed=1, settings=FAST)
    out = finalize([comp], prim, "perm_p", conf, confirmatory_local=local)
    fam = out.set_index(["source", "indicator", "year"])["family"]
    assert fam[("vdem", "loc", 2023)] == "confirmatory_local"
    assert fam[("vdem", "other", 2023)] == "exploratory_local"
    row = out[out.family == "confirmatory_local"].iloc[0]
    # a family of one: Holm leaves its p as it is
    assert row["p_holm"] == row["perm_p"]
    assert "local confirmatory family of 1" in row["p_adjusted_from"]
    # the national rows are adjusted exactly as without the local source
    national = indices[indices.source == "src"]
    tasks_n = build_tasks(national, CFG, DEFS)
    comp_n = run_comparisons(national, mem, tasks_n, random_seed=1, settings=FAST)
    out_n = finalize([comp_n], prim, "perm_p", conf)
    both = out[out.source == "src"].reset_index(drop=True)
    pd.testing.assert_series_equal(both["p_bh"], out_n["p_bh"])
    pd.testing.assert_series_equal(both["p_holm"], out_n["p_holm"])


def test_local_trends_are_their_own_holm_family_and_start_at_independence():
    indices, mem = _indices(years=range(1988, 1996)), _membership3()
    mem = pd.concat([mem.assign(year=y) for y in range(1988, 1996)]).drop_duplicates()
    both = trends_by_level(indices, mem, ["ga"], local_sources=["vdem"], first_year=1991)
    assert (both["first_year"] == 1991).all()
    alone = trends(indices[(indices.source == "src") & (indices.year >= 1991)], mem, ["ga"])
    nat = both[both.source == "src"].reset_index(drop=True)
    pd.testing.assert_frame_equal(nat, alone)


def test_score_changes_lists_only_years_that_changed():
    ind = _indices()
    out = score_changes(ind, ["vdem"], first_year=2022)
    kz = out[out.indicator == "loc"]
    assert kz[["year", "previous_year"]].values.tolist() == [[2023, 2022]]
    assert kz["change"].item() == pytest.approx(0.1)
    assert kz["value_before"].item() == pytest.approx(0.5)
    assert score_changes(ind, ["vdem"], first_year=2024).empty


def test_elected_offices_counts_categories_without_kazakhstan():
    cats = pd.DataFrame(
        {
            "iso3": ["AAA", "BBB", "CCC", "KAZ", "DDD"],
            "country": list("abcde"),
            "year": 2023,
            "indicator": "v2ellocelc",
            "indicator_label": "Local government elected",
            "code": [2, 2, 5, 2, 5],
            "category": ["assembly", "assembly", "both", "assembly", "both"],
        }
    )
    mem = _membership()
    mem = pd.concat([mem, pd.DataFrame({"group": ["ga"], "year": [2023], "iso3": ["KAZ"]})])
    out = elected_offices(cats, mem, ["ga", "gb"])
    ga = out[out.group == "ga"].set_index("code")
    assert ga.loc[2, "n_countries"] == 2 and ga.loc[5, "n_countries"] == 1
    assert ga.loc[2, "share"] == pytest.approx(2 / 3) and (ga["n_group"] == 3).all()
    assert (out["kazakhstan_code"] == 2).all()
    assert out[out.group == "gb"].set_index("code").loc[5, "n_countries"] == 1


def test_correlations_and_distribution():
    ind, mem = _indices(), _membership()
    ind.loc[(ind.iso3 == "KAZ") & (ind.year == 2023) & (ind.source == "src"), "value"] = 50.0
    out = local_national_correlations(ind, mem, [("vdem", "loc")], [("src", "ind")], ["ga", "gb"])
    assert set(out["scope"]) == {"all countries", "study groups"}
    allc = out[out.scope == "all countries"].iloc[0]
    assert allc["n"] == 7 and allc["spearman_rho"] == pytest.approx(1 - 6 * 12 / (7 * 48))
    assert out.loc[out.scope == "study groups", "n"].item() == 6
    dist = local_distribution(ind, mem, [("vdem", "loc")], ["ga", "gb"])
    assert dist.groupby("group").size().to_dict() == {"ga": 3, "gb": 3, "kazakhstan": 1}
    assert dist.loc[dist.group == "kazakhstan", "value"].item() == pytest.approx(0.6)
