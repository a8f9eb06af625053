"""Portal analysis: known answers (GRIM, chi-square, Wilson, GLM), form equivalence, bad input.

Fixtures under tests/fixtures/portal_synthetic_* are SYNTHETIC (see PORTAL_SYNTHETIC.md).
"""

from __future__ import annotations

import math
import sys
from decimal import ROUND_HALF_EVEN, ROUND_HALF_UP, Decimal
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from support import REPO, portal_settings

from kzopen.core.errors import InputError
from kzopen.ingest.kz_population import read_kz_population
from kzopen.portal.analysis import analyse
from kzopen.portal.conditional import POWER_TARGET, conditional_chi2, homogeneity_power
from kzopen.portal.counts import glm_units, homogeneity, pairwise, wilson
from kzopen.portal.grim import grim_common_n, grim_feasible, grim_k
from kzopen.portal.survey import (
    Outcome,
    aggregate_respondents,
    counts_from_respondents,
    empty_counts,
    read_counts,
    read_reported,
    read_units,
)

FIX = REPO / "tests" / "fixtures"
UNITS = REPO / "data/raw/portal/units.csv"
REPORTED = REPO / "data/raw/article/portal_reported.csv"
POP = REPO / "data/raw/indices/kz_bns_regions/population_avg_by_region_total_2009_2025.csv"
OUTCOMES = [
    Outcome("ministry_satisfied", "ministry", ("satisfied",)),
    Outcome("region_dissatisfied", "region", ("dissatisfied",)),
]
SETTINGS = portal_settings(seed=20240101, sensitivity_points=31, monte_carlo_resamples=999)


@pytest.fixture(scope="module")
def units() -> pd.DataFrame:
    return read_units(UNITS)


@pytest.fixture(scope="module")
def reported(units) -> pd.DataFrame:
    return read_reported(REPORTED, units)


@pytest.fixture(scope="module")
def population() -> pd.DataFrame:
    return read_kz_population(POP)


def _write(tmp_path: Path, name: str, text: str) -> Path:
    p = tmp_path / name
    p.write_text(text, encoding="utf-8")
    return p


# --------------------------------------------------------------------------- GRIM


def test_grim_known_answers():
    assert grim_feasible("49.3", 1, 200)[0] == (67, 33)
    assert grim_feasible("28.8", 1, 200)[0] == (52, 15)
    assert grim_feasible("25.0", 1, 10)[0] == (4, 1)
    assert grim_k("49.3", 1, 66) is None
    assert grim_k("49.3", 1, 68) is None
    assert grim_k("100", 0, 1) == 1 and grim_k("0.0", 1, 7) == 0


@pytest.mark.parametrize(
    ("rounding", "mode"), [("half_up", ROUND_HALF_UP), ("half_even", ROUND_HALF_EVEN)]
)
def test_grim_matches_decimal_rounding(rounding, mode):
    """Brute force with Decimal arithmetic: every k/n printed at 1 dp, n <= 80."""
    for dec in (0, 1):
        q = Decimal(1).scaleb(-dec)
        printed: dict[str, set[int]] = {}
        for n in range(1, 81):
            for k in range(n + 1):
                v = (Decimal(100 * k) / Decimal(n)).quantize(q, rounding=mode)
                printed.setdefault(str(v), set()).add(n)
        for text in ("12.5", "37.5", "49.3", "28.8", "62.5", "0.5", "54", "23", "50", "13"):
            if (dec == 0) != ("." not in text):
                continue
            expected = sorted(printed.get(text, set()))
            got = [n for n, _ in grim_feasible(text, dec, 80, rounding)]
            assert got == expected, (text, rounding)


def test_grim_tie_rounding_differs():
    # 1/8 = 12.5 %: at 0 dp half-up prints 13, half-even prints 12
    assert grim_k("13", 0, 8, "half_up") == 1
    assert grim_k("13", 0, 8, "half_even") is None
    assert grim_k("12", 0, 8, "half_even") == 1


def test_grim_common_n_of_the_articles_groups(reported):
    """Smallest common n: 400 (ministries) and 337 (regions), as in the verification notes."""
    out = {}
    for outcome, g in reported.groupby("outcome"):
        sets = [
            [n for n, _ in grim_feasible(t, d, 2000)]
            for t, d in zip(g.reported_text, g.decimals, strict=True)
        ]
        out[outcome] = grim_common_n(sets)
    assert out["ministry_satisfied"] == 400
    assert out["region_dissatisfied"] == 337
    assert grim_common_n([[3, 5], [4, 6]]) is None


# --------------------------------------------------------------------------- counts statistics


def test_chi_square_hand_computed_4x2():
    # p = .2 .4 .6 .8 of 50 each; pooled .5, expected 25 per cell:
    # X2 = 2 * (15^2 + 5^2 + 5^2 + 15^2) / 25 = 40, df 3
    rows = homogeneity([10, 20, 30, 40], [50, 50, 50, 50], SETTINGS, integer=True)
    assert len(rows) == 1
    assert rows[0]["statistic"] == pytest.approx(40.0)
    assert rows[0]["df"] == 3
    # chi-square(3) survival: 2 Q(sqrt x) + sqrt(2x / pi) exp(-x / 2), x = 40
    x = 40.0
    sf3 = math.erfc(math.sqrt(x / 2)) + math.sqrt(2 * x / math.pi) * math.exp(-x / 2)
    assert rows[0]["p"] == pytest.approx(sf3, rel=1e-9)


def test_small_expected_counts_add_monte_carlo():
    rows = homogeneity([1, 4, 0], [5, 6, 4], SETTINGS, integer=True)
    assert [r["test"] for r in rows] == ["homogeneity_chi2", "homogeneity_chi2_monte_carlo"]
    again = homogeneity([1, 4, 0], [5, 6, 4], SETTINGS, integer=True)
    assert rows[1]["p"] == again[1]["p"]  # seeded
    assert 0 < rows[1]["p"] <= 1


def test_wilson_matches_newcombe_1998():
    """Newcombe (1998), Stat Med 17:857, Table I, method 3 (Wilson score, no correction)."""
    lo, hi = wilson(np.array([81, 15, 0, 1]), np.array([263, 148, 20, 29]))
    np.testing.assert_allclose(lo, [0.2553, 0.0624, 0.0, 0.0061], atol=5e-5)
    np.testing.assert_allclose(hi, [0.3662, 0.1605, 0.1611, 0.1718], atol=5e-5)


def test_glm_unit_coefficients_are_observed_log_odds():
    s, n = np.array([12.0, 33.0, 5.0, 11.0]), np.array([23.0, 67.0, 17.0, 39.0])
    test, coefs = glm_units(["a", "b", "c", "d"], s, n)
    np.testing.assert_allclose(coefs["estimate"], np.log(s / (n - s)), rtol=1e-8)
    assert test["df"] == 3
    chi = homogeneity(s, n, SETTINGS, integer=True)[0]["statistic"]
    assert test["statistic"] == pytest.approx(chi, rel=0.1)  # LR and Pearson close


def test_pairwise_holm():
    pw = pairwise(["a", "b", "c"], [10, 20, 30], [50, 50, 50])
    assert list(pw["comparison"]) == ["a vs b", "a vs c", "b vs c"]
    order = np.argsort(pw["p"].to_numpy())
    assert pw["p_holm"].iat[order[0]] == pytest.approx(3 * pw["p"].iat[order[0]])
    assert (pw["p_holm"] >= pw["p"]).all()


# --------------------------------------------------------------------------- the article's case


def test_article_form_c_makes_no_significance_claim(reported, units, population):
    res = analyse(reported, empty_counts(), units, population, SETTINGS)
    tests = res["tests"]
    with_p = tests[tests["p"].notna()]
    assert with_p["assumed_n"].notna().all(), "a p-value without an assumed n"
    assert with_p["note"].str.contains("CONDITIONAL").all()
    # never a test across outcomes: every row names exactly one outcome
    assert tests["outcome"].notna().all()
    assert not tests["test"].str.contains("ministry_satisfied|region_dissatisfied").any()
    u = res["units"].set_index("unit")
    assert u.loc["Almaty city", "grim_min_n"] == 67
    assert u.loc["Ministry of Internal Affairs", "grim_min_n"] == 52
    assert u["n"].isna().all() and u["ci95_low"].isna().all()
    assert res["models"].empty


def test_sensitivity_min_n_is_the_crossing(reported, units, population):
    res = analyse(reported, empty_counts(), units, population, SETTINGS)
    t = res["tests"]
    for outcome in ("ministry_satisfied", "region_dissatisfied"):
        row = t[(t.outcome == outcome) & (t.test == "homogeneity_chi2_min_n")].iloc[0]
        n = int(row["assumed_n"])
        pcts = reported[reported.outcome == outcome].reported_pct.to_numpy(float)
        assert conditional_chi2(pcts, n)[2] < 0.05 <= conditional_chi2(pcts, n - 1)[2]
    # the Nur-Sultan vs Almaty pair needs far more ratings than the homogeneity test
    pair = t[t.test == "pairwise_z_min_n: Almaty city vs Nur-Sultan city"].iloc[0]
    homog = t[(t.outcome == "region_dissatisfied") & (t.test == "homogeneity_chi2_min_n")]
    assert int(pair["assumed_n"]) > 10 * int(homog["assumed_n"].iat[0])
    s = res["sensitivity"]
    assert list(s.columns)[:4] == ["outcome", "assumed_n", "statistic", "p"]
    assert (s.groupby("outcome")["p"].apply(lambda p: p.is_monotonic_decreasing)).all()
    assert (s.groupby("outcome")["power"].apply(lambda p: p.is_monotonic_increasing)).all()


def test_n_for_80_and_no_power_at_break_even_n(reported, units, population):
    """Power at the break-even n is not reported (Hoenig & Heisey 2001: a fixed function of
    alpha and df); n_for_power_80 reaches POWER_TARGET and one rating fewer does not, at the
    level in power_alpha (Bonferroni alpha / pairs for the *_holm_* rows)."""
    res = analyse(reported, empty_counts(), units, population, SETTINGS)
    t = res["tests"]
    assert "power_at_min_n" not in t.columns
    assert "power_at_min_n" not in res["sensitivity"].columns
    holm = t[t.test.str.startswith("pairwise_z_holm_min_n: ")]
    assert holm["power_alpha"].to_numpy() == pytest.approx(0.05 / 6)
    assert "Bonferroni" in holm["note"].iat[0]
    assert (t.loc[t.test.str.startswith("pairwise_z_min_n: "), "power_alpha"] == 0.05).all()
    for outcome in ("ministry_satisfied", "region_dissatisfied"):
        row = t[(t.outcome == outcome) & (t.test == "homogeneity_chi2_min_n")].iloc[0]
        pcts = reported[reported.outcome == outcome].reported_pct.to_numpy(float)
        n80 = int(row["n_for_power_80"])
        assert homogeneity_power(pcts, n80, 0.05) >= POWER_TARGET
        assert homogeneity_power(pcts, n80 - 1, 0.05) < POWER_TARGET
    mins = t[t.test.str.contains("_min_n:")]
    assert mins["n_for_power_80"].notna().all() and mins["power_alpha"].notna().all()
    assert (mins["n_for_power_80"] > mins["assumed_n"]).all()
    # the coarser contrast (cities vs oblasts, city flag from the BNS table) needs far fewer
    city = t[t.test.str.startswith("city_vs_oblast_z_min_n")].iloc[0]
    assert "Almaty city + Nur-Sultan city vs Karaganda region" in city["test"]
    pair = t[t.test == "pairwise_z_min_n: Almaty city vs Nur-Sultan city"].iloc[0]
    assert city["n_for_power_80"] * 10 < pair["n_for_power_80"]


@pytest.mark.parametrize(
    ("df", "w", "n_table"),
    [(1, 0.1, 785), (1, 0.3, 87), (3, 0.1, 1090), (3, 0.3, 121), (3, 0.5, 44)],
)
def test_chi_square_power_cohen_1992_table_2(df, w, n_table):
    """Cohen (1992), A power primer, Psychological Bulletin 112(1), Table 2: N for power .80 at
    alpha = .05, chi-square test with u = df, for w = .10 / .30 / .50 (small / medium / large).
    GofChisquarePower (noncentral chi-square, lambda = N w^2) must give the tabled N."""
    from statsmodels.stats.power import GofChisquarePower

    n = GofChisquarePower().solve_power(w, None, 0.05, 0.80, df + 1)
    assert math.ceil(n) == pytest.approx(n_table, abs=1)


@pytest.mark.parametrize(("h", "n_table"), [(0.2, 392), (0.5, 63), (0.8, 25)])
def test_two_proportion_power_cohen_1992_table_2(h, n_table):
    """Cohen (1992) Table 2, difference between independent proportions: n per group for power
    .80 at alpha = .05 two-sided, h = .20 / .50 / .80 (NormalIndPower on Cohen's h)."""
    from statsmodels.stats.power import NormalIndPower

    assert math.ceil(NormalIndPower().solve_power(h, None, 0.05, 0.80)) == pytest.approx(
        n_table, abs=1
    )


def test_noncentral_chi_square_one_df_closed_form():
    """With df = 1 the noncentral chi-square power is exact in closed form: with lambda = N w^2,
    power = Phi(sqrt(lambda) - z) + Phi(-sqrt(lambda) - z), z = 1.959964 (alpha = .05).
    For w = .3, N = 100 (lambda = 9): Phi(1.040036) + Phi(-4.959964) = .8508."""
    from scipy import stats
    from statsmodels.stats.power import GofChisquarePower

    z = stats.norm.ppf(0.975)
    exact = stats.norm.cdf(3 - z) + stats.norm.cdf(-3 - z)
    assert GofChisquarePower().power(0.3, 100, 0.05, 2) == pytest.approx(exact, rel=1e-9)
    assert exact == pytest.approx(0.8508, abs=1e-4)


# --------------------------------------------------------------------------- forms a and b


def test_respondent_and_counts_paths_agree_exactly(units, reported, population, tmp_path):
    c_counts = read_counts(FIX / "portal_synthetic_counts.csv", units)
    c_resp = counts_from_respondents(FIX / "portal_synthetic_respondents.csv", units, OUTCOMES)
    pd.testing.assert_frame_equal(c_counts, c_resp)
    # the same through Parquet in small batches (batch boundaries inside units)
    table = pa.Table.from_pandas(pd.read_csv(FIX / "portal_synthetic_respondents.csv"))
    pq.write_table(table, tmp_path / "r.parquet")
    c_pq = counts_from_respondents(tmp_path / "r.parquet", units, OUTCOMES, batch_rows=17)
    pd.testing.assert_frame_equal(c_counts, c_pq)
    a = analyse(reported, c_counts, units, population, SETTINGS)
    b = analyse(reported, c_resp, units, population, SETTINGS)
    for key in a:
        pd.testing.assert_frame_equal(a[key], b[key])
    t = a["tests"]
    chi = t[(t.outcome == "region_dissatisfied") & (t.test == "homogeneity_chi2")]
    assert len(chi) == 1 and pd.isna(chi["assumed_n"].iat[0]) and chi["df"].iat[0] == 3
    assert "glm_binomial_log_population_lr" in set(t.test)
    u = a["units"].set_index("unit")
    assert u.loc["Almaty city", "n"] == 67 and u.loc["Almaty city", "successes"] == 33
    assert bool(u.loc["Almaty city", "grim_n_consistent"])
    lo, hi = wilson(33, 67)
    assert u.loc["Almaty city", "ci95_low"] == pytest.approx(float(lo))


def test_spss_and_stata_respondent_files(units, tmp_path):
    pyreadstat = pytest.importorskip("pyreadstat")
    df = pd.read_csv(FIX / "portal_synthetic_respondents.csv")
    expected = read_counts(FIX / "portal_synthetic_counts.csv", units)
    pyreadstat.write_sav(df, tmp_path / "r.sav")
    pyreadstat.write_dta(df, tmp_path / "r.dta")
    for f in ("r.sav", "r.dta"):
        got = counts_from_respondents(tmp_path / f, units, OUTCOMES, batch_rows=50)
        pd.testing.assert_frame_equal(expected, got)


def test_kish_design_effect(units, tmp_path):
    text = "respondent_id,survey,unit_type,unit,response,weight\n" + "".join(
        f"{i},S,region,Almaty city,{'dissatisfied' if i < 2 else 'neutral'},{w}\n"
        for i, w in enumerate([1, 3, 1, 3])
    )
    c = counts_from_respondents(_write(tmp_path, "w.csv", text), units, OUTCOMES)
    row = c.iloc[0]
    # n_eff = (sum w)^2 / sum w^2 = 64 / 20 = 3.2; weighted p = 4/8 = .5
    assert row["trials"] == 4 and row["successes"] == 2
    assert row["n_effective"] == pytest.approx(3.2)
    assert row["design_effect"] == pytest.approx(1.25)
    assert row["successes_effective"] == pytest.approx(1.6)
    assert bool(row["weighted"])


def test_generator_smoke(units):
    """The benchmark's SYNTHETIC generator + aggregation on 1,000 rows (not the benchmark)."""
    sys.path.insert(0, str(REPO / "benchmarks"))
    try:
        import portal_scale
    finally:
        sys.path.pop(0)
    import tempfile

    with tempfile.TemporaryDirectory() as d:
        p = portal_scale.generate(Path(d) / "s.parquet", 1000, seed=3, chunk=300)
        c = portal_scale.generate(Path(d) / "s.csv", 1000, seed=3, chunk=300)
        g1 = aggregate_respondents(p, batch_rows=128)
        g2 = aggregate_respondents(c)
        pd.testing.assert_frame_equal(g1, g2)
        assert g1["n"].sum() == 1000 and (g1["survey"] == "SYNTHETIC").all()


# --------------------------------------------------------------------------- bad input

BAD_COUNTS = [
    ("successes,trials\n1,2\n", "required column missing", None, "outcome"),
    (
        "outcome,unit_type,unit,successes,trials\nregion_dissatisfied,region,Almaty city,9,8\n",
        "greater than trials",
        2,
        "successes",
    ),
    (
        "outcome,unit_type,unit,successes,trials\nregion_dissatisfied,region,Almaty city,1,8\n"
        "region_dissatisfied,region,Karaganda region,-1,8\n",
        "out of range",
        3,
        "successes",
    ),
    (
        "outcome,unit_type,unit,successes,trials\nregion_dissatisfied,oblast,Almaty city,1,8\n",
        "unknown unit type",
        2,
        "unit_type",
    ),
    (
        "outcome,unit_type,unit,successes,trials\nregion_dissatisfied,region,Atlantis,1,8\n",
        "not in the units table",
        2,
        "unit",
    ),
    (
        "outcome,unit_type,unit,successes,trials\nregion_dissatisfied,region,Almaty city,1.5,8\n",
        "not a whole number",
        2,
        "successes",
    ),
]


@pytest.mark.parametrize(("text", "problem", "row", "column"), BAD_COUNTS)
def test_bad_counts(units, tmp_path, text, problem, row, column):
    f = _write(tmp_path, "c.csv", text)
    with pytest.raises(InputError) as ei:
        read_counts(f, units)
    e = ei.value
    assert problem in e.problem and e.row == row and e.file == str(f)
    if column:
        assert e.column == column


BAD_REPORTED = [
    (
        "ministry_satisfied,ministry,Ministry of Finance,132.0,1,x\n",
        "outside 0-100",
        "reported_pct",
    ),
    ("ministry_satisfied,ministry,Ministry of Finance,-2.0,1,x\n", "outside 0-100", "reported_pct"),
    ("ministry_satisfied,ministry,Ministry of Finance,32.0,2,x\n", "decimal", "decimals"),
    ("ministry_satisfied,agency,Ministry of Finance,32.0,1,x\n", "unknown unit type", "unit_type"),
    ("ministry_satisfied,ministry,Ministry of Magic,32.0,1,x\n", "not in the units table", "unit"),
]


@pytest.mark.parametrize(("line", "problem", "column"), BAD_REPORTED)
def test_bad_reported(units, tmp_path, line, problem, column):
    header = "outcome,unit_type,unit,reported_pct,decimals,claim_id\n"
    ok = "ministry_satisfied,ministry,Ministry of Education and Science,25.0,1,y\n"
    f = _write(tmp_path, "r.csv", header + ok + line)
    with pytest.raises(InputError) as ei:
        read_reported(f, units)
    assert problem in ei.value.problem and ei.value.row == 3 and ei.value.column == column


RESP_HEADER = "respondent_id,survey,unit_type,unit,response,weight\n"
BAD_RESPONDENTS = [
    ("1,S,region,Almaty city,neutral,1\n2,S,region,Almaty city,neutral,-0.5\n", "weight", 3),
    ("1,S,region,Almaty city,neutral,1\n2,S,region,Almaty city,neutral,\n", "weight", 3),
    ("1,S,region,Almaty city,neutral,1\n2,S,region,Atlantis,neutral,1\n", "unit", 3),
    ("1,S,region,Almaty city,neutral,1\n2,S,galaxy,Almaty city,neutral,1\n", "unit_type", 3),
    ("1,S,region,Almaty city,,1\n", "response", 2),
]


@pytest.mark.parametrize(("body", "column", "row"), BAD_RESPONDENTS)
def test_bad_respondents(units, tmp_path, body, column, row):
    f = _write(tmp_path, "r.csv", RESP_HEADER + body)
    with pytest.raises(InputError) as ei:
        counts_from_respondents(f, units, OUTCOMES)
    assert ei.value.column == column and ei.value.row == row and ei.value.file == str(f)


@pytest.mark.parametrize("name", ["empty.csv", "empty.parquet"])
def test_empty_files(units, tmp_path, name):
    f = _write(tmp_path, name, "")
    with pytest.raises(InputError, match="empty"):
        counts_from_respondents(f, units, OUTCOMES)
    g = _write(tmp_path, "header_only.csv", RESP_HEADER)
    with pytest.raises(InputError, match="no data rows"):
        counts_from_respondents(g, units, OUTCOMES)
    with pytest.raises(InputError, match="empty"):
        read_counts(_write(tmp_path, "c.csv", ""), units)


def test_tests_at_the_smallest_grim_common_n(reported, units, population):
    """Under equal n, GRIM forces n >= 400 (ministries) and >= 337 (regions) on the article's
    percentages; the conditional tests are also reported at exactly that n."""
    from kzopen.portal.conditional import conditional_chi2

    t = analyse(reported, empty_counts(), units, population, SETTINGS)["tests"]
    common = t[t.test == "grim_smallest_common_n"].set_index("outcome")["assumed_n"]
    assert common["ministry_satisfied"] == 400 and common["region_dissatisfied"] == 337
    for outcome in ("ministry_satisfied", "region_dissatisfied"):
        row = t[(t.outcome == outcome) & (t.test == "homogeneity_chi2_grim_n")].iloc[0]
        pcts = reported[reported.outcome == outcome].reported_pct.to_numpy(float)
        assert row["assumed_n"] == common[outcome]
        assert row["p"] == pytest.approx(conditional_chi2(pcts, float(common[outcome]))[2])
    pair = t[t.test == "pairwise_z_grim_n: Almaty city vs Nur-Sultan city"].iloc[0]
    holm = t[t.test == "pairwise_z_holm_grim_n: Almaty city vs Nur-Sultan city"].iloc[0]
    assert pair["assumed_n"] == 337 and pair["p"] > 0.05 and holm["p"] >= pair["p"]
    homog_min = t[(t.outcome == "ministry_satisfied") & (t.test == "homogeneity_chi2_min_n")]
    assert int(homog_min["assumed_n"].iat[0]) < common["ministry_satisfied"]  # GRIM-infeasible
