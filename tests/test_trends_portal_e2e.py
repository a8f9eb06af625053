"""End-to-end checks of the corrected trends, portal figures, counts and claims checks (issue 19,
part B) on the session build. Each check is a function of the repository folder, so it can be
run on any finished build."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pandas as pd
import pytest


def _values(repo: Path) -> dict:
    return json.loads((repo / "results" / "article_values.json").read_text())["values"]


def check_trends(repo: Path) -> None:
    """No trend crosses the Open Budget Survey's break; no slope-difference p where
    Kazakhstan's series is constant or the group is below the small-group rule; Holm over
    exactly the reported rows (the primary indicator against the two primary groups)."""
    tr = pd.read_csv(repo / "results" / "trends.csv", keep_default_na=True)
    v = _values(repo)
    obs = tr[(tr["source"] == "ibp_open_budget_survey") & tr["kz_slope"].notna()]
    assert len(obs) and (obs["first_year"] >= obs["break_year"]).all()
    assert (obs["break_year"] == v["config.compare.series_breaks.ibp_open_budget_survey"]).all()
    const = tr[(tr["kz_slope_se"] == 0)]
    assert len(const) and const["slope_diff_p"].isna().all()
    assert const["slope_diff_reason"].str.contains("constant").all()
    small = tr[tr["n_members"] < v["config.compare.min_group_n"]]
    assert len(small) and small["slope_diff_p"].isna().all()
    holm = tr[tr["slope_diff_adjust"].fillna("").str.startswith("holm")]
    prim = (v["cmp.primary.source"], v["cmp.primary.indicator"])
    assert set(zip(holm["source"], holm["indicator"], strict=True)) == {prim}
    assert set(holm["group"]) == {v["cmp.primary.group_a"], v["cmp.primary.group_b"]}
    tested = tr["slope_diff_p"].notna()
    assert (tr.loc[tested, "slope_diff_p_adj"] >= tr.loc[tested, "slope_diff_p"] - 1e-12).all()
    wgi = tr[(tr["source"] == "wb_wgi") & tr["kz_slope_p_ar1"].notna()]
    assert len(wgi) and wgi["kz_resid_acf1"].notna().all()


def check_portal(repo: Path) -> None:
    """GRIM's smallest common n (400 ministries, 337 regions) carries the conditional tests; no
    power at the break-even n anywhere; the text names the Bonferroni level, not Holm's."""
    t = pd.read_csv(repo / "results" / "portal_tests.csv")
    common = t[t["test"] == "grim_smallest_common_n"].set_index("outcome")["assumed_n"]
    assert common["ministry_satisfied"] == 400 and common["region_dissatisfied"] == 337
    at = t[t["test"] == "homogeneity_chi2_grim_n"].set_index("outcome")["assumed_n"]
    assert at["ministry_satisfied"] == 400 and at["region_dissatisfied"] == 337
    assert "power_at_min_n" not in t.columns
    text = (repo / "build" / "article" / "article.md").read_text()
    portal = text[text.index("## Satisfaction on the Open Government portal") :]
    portal = portal[: portal.index("\n## ", 10)]
    assert "Bonferroni level" in portal and "with Holm's correction over all pairs" not in portal
    assert not re.search(r"power 0\.\d+\)", portal)  # no "(power 0.50)" at a break-even n
    assert "implausible" in portal


def check_counts_and_claims(repo: Path) -> None:
    """Europe's comparison group of 40 (not the 44 with the CIS states) in the Methods, the rank
    worded as Kazakhstan placed among the others, Central Asia never a counted pair, and the
    claims' CIS-vs-Europe check on the confirmatory family's years and Holm p."""
    v = _values(repo)
    text = (repo / "build" / "article" / "article.md").read_text()
    assert f"({v['groups.europe_m49_non_cis.n']} countries in the comparison group" in text
    n, others = v["pos.europe.ti_cpi.cpi_score.n"], v["pos.europe.ti_cpi.cpi_score.n_others"]
    assert others == n - 1 and f"the {others} European countries scored" in " ".join(text.split())
    consistency = text[text.index("**How consistent the direction is") :][:1500]
    listed = consistency[: consistency.index("). In")]
    assert "Central" not in listed
    rob = pd.read_csv(repo / "results" / "compare_robustness.csv")
    ca = rob[(rob["scope"] == "pair") & (rob["group_a"] == "central_asia")]
    assert len(ca) == 1 and ca["comparisons"].iat[0] == 0
    comp = pd.read_csv(repo / "results" / "group_comparisons.csv")
    conf = comp[comp["family"] == "confirmatory"].set_index(["source", "indicator"])
    checks = pd.read_csv(repo / "results" / "claims_direction_checks.csv")
    cis = checks[checks["check"] == "cis_vs_europe"]
    assert len(cis) == len(conf) and cis["p_bh"].isna().all()
    for r in cis.itertuples(index=False):
        assert r.year == conf.loc[(r.source, r.indicator), "year"]
        assert r.p_holm == pytest.approx(conf.loc[(r.source, r.indicator), "p_holm"])
    me = conf[conf["se_propagated"].notna()]
    assert len(me) and (me["se_propagated"] < me["se_sampling"]).all()


@pytest.mark.e2e
def test_trends_after_the_break_and_with_their_test_rules(built_repo: Path) -> None:
    check_trends(built_repo)


@pytest.mark.e2e
def test_portal_tests_at_the_grim_common_n(built_repo: Path) -> None:
    check_portal(built_repo)


@pytest.mark.e2e
def test_counts_labels_and_claims_checks(built_repo: Path) -> None:
    check_counts_and_claims(built_repo)
