"""results/summary.md: the comparison results in plain words, every number read from the tables.

Nothing here computes a statistic: it selects rows of ``group_comparisons.csv``,
``kazakhstan_position.csv`` and ``trends.csv``, counts them, and formats numbers (rounding
happens only here, where they are rendered).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd

from kzopen.compare.robustness import SHOWN_COLUMNS
from kzopen.compare.stats import primary_row
from kzopen.core.fmt import Formatter
from kzopen.core.tables import to_markdown
from kzopen.groups import group_labels

FMT = Formatter(missing="n/a")  # the article's number rules (kzopen.core.fmt)


def _table(df: pd.DataFrame) -> str:
    return to_markdown(df.astype(str), list(df.columns)).rstrip("\n")


def _confirmatory_lines(
    comp: pd.DataFrame, alpha: float, fixed: Mapping[str, str] | None = None
) -> list[str]:
    conf = comp[comp["family"] == "confirmatory"].sort_values(["source", "indicator"])
    t = pd.DataFrame(
        {
            "indicator": conf["source"] + "/" + conf["indicator"],
            "year": conf["year"].astype(int),
            "n A": conf["n_a"].astype(int),
            "n B": conf["n_b"].astype(int),
            "A minus B": conf["diff"].map(lambda x: FMT.num(x, 1)),
            "Hedges' g": conf["hedges_g"].map(lambda x: FMT.num(x, 2)),
            "Cliff's delta": conf["cliffs_delta"].map(lambda x: FMT.num(x, 2)),
            "studentized permutation p": conf["perm_p_t"].map(FMT.p),
            "raw-difference permutation p": conf["perm_p"].map(FMT.p),
            "Holm p": conf["p_holm"].map(FMT.p),
        }
    )
    n_sig = int((conf["p_holm"] < alpha).sum())
    return [
        "## Confirmatory family",
        "",
        f"`compare.confirmatory`: the primary pair of groups, seven headline indicators from six "
        f"sources, each in its latest year, {len(conf)} comparisons. Not fixed before the "
        f"results: the comparisons and a first results section existed from "
        f"{(fixed or {}).get('results_first_date', '?')} (commit "
        f"{(fixed or {}).get('results_first_commit', '?')}); the family was added on "
        f"{(fixed or {}).get('date', '?')} (commit {(fixed or {}).get('commit', '?')}), in the "
        f"commit that switched the adjusted p from Welch's test to the permutation test; the test "
        f"of record is now the studentized permutation test (Welch's t as the statistic), the "
        f"family unchanged. Holm's adjustment of the studentized permutation p-values within "
        f"this family: {n_sig} of {len(conf)} have a Holm-adjusted p below {alpha}.",
        "",
        _table(t),
        "",
    ]


def _robustness_lines(rob: pd.DataFrame, word: str) -> list[str]:
    a = rob[rob["scope"] == "all"].iloc[0]
    shown = SHOWN_COLUMNS
    pairs = rob[rob["scope"] == "pair"][["group_a", "group_b", *shown]].copy()
    srcs = rob[rob["scope"] == "source"][["source", *shown]].copy()
    for t in (pairs, srcs):
        t["median_g"] = t["median_g"].map(lambda x: FMT.num(x, 2))
    return [
        "## How consistent is the direction? (exploratory)",
        "",
        f"Descriptive counts over the {int(a['comparisons'])} exploratory comparisons (every other "
        f"index, indicator, year and group pair): group A scores {word} than group B in "
        f"{int(a['same_direction'])} ({FMT.share(a['same_direction'] / a['comparisons'], 0)}); in that "
        f"direction with a Benjamini-Hochberg-adjusted p below {a['alpha']} in "
        f"{int(a['same_direction_bh'])}; the bootstrap interval of Hedges' g excludes zero on that "
        f"side in {int(a['g_ci_excludes_0'])}. The comparisons reuse the same countries across "
        "years and group definitions, so they are strongly dependent: these counts describe "
        "consistency and are not independent evidence. "
        f"{int(a['not_counted'])} further comparisons are not counted (too few countries, or a "
        "group below `compare.min_group_n`; each has a `reason`). Computed in "
        "`results/compare_robustness.csv`.",
        "",
        "By group pair:",
        "",
        _table(pairs),
        "",
        "By source:",
        "",
        _table(srcs),
        "",
    ]


def render_summary(
    comp: pd.DataFrame,
    robustness: pd.DataFrame,
    position: pd.DataFrame,
    trends: pd.DataFrame,
    reported: pd.DataFrame,
    compare_cfg: Mapping[str, Any],
    groups_cfg: Mapping[str, Any],
    comparisons_file: str = "the comparisons table",
) -> str:
    labels = group_labels(groups_cfg["definitions"])
    r = primary_row(comp, comparisons_file)
    sign = float(np.sign(r["diff"]))
    alpha = compare_cfg["alpha"]
    word = "lower" if sign < 0 else "higher"
    lines = _primary_lines(r, labels, word, alpha)
    lines += _reported_lines(reported, r, labels, sign)
    lines += _confirmatory_lines(comp, alpha, compare_cfg.get("confirmatory_fixed_in"))
    lines += _robustness_lines(robustness, word)
    lines += _reversal_lines(comp, r, sign)
    lines += _position_lines(position, r, labels)
    lines += _trend_lines(trends, r, labels, compare_cfg, alpha)
    return "\n".join(lines + CAVEATS)


def _primary_lines(r: pd.Series, labels: Mapping[str, str], word: str, alpha: float) -> list[str]:
    """The primary comparison: descriptives, effect size, tests, measurement-error check."""
    ga, gb = r["group_a"], r["group_b"]
    lines = [
        "# CIS versus Europe on real transparency indices: summary",
        "",
        "Generated by the pipeline from `results/group_comparisons.csv`, "
        "`results/kazakhstan_position.csv` and `results/trends.csv`; methods in `docs/compare.md`. "
        "Directional statistics are group A minus group B.",
        "",
        "## Primary comparison",
        "",
        f"On the {r['indicator_label']} ({r['source']}, {int(r['year'])}), the {int(r['n_a'])} "
        f"countries of *{labels.get(ga, ga)}* with data average {FMT.num(r['mean_a'], 1)} "
        f"(median {FMT.num(r['median_a'], 1)}, SD {FMT.num(r['sd_a'], 1)}) and the {int(r['n_b'])} countries of "
        f"*{labels.get(gb, gb)}* average {FMT.num(r['mean_b'], 1)} (median {FMT.num(r['median_b'], 1)}, "
        f"SD {FMT.num(r['sd_b'], 1)}). The first group scores {word} by {FMT.num(abs(r['diff']), 1)} points; "
        f"Hedges' g = {FMT.num(r['hedges_g'], 2)} (95 % bootstrap CI {FMT.num(r['g_ci_low'], 2)} to "
        f"{FMT.num(r['g_ci_high'], 2)}; Hedges-Olkin {FMT.num(r['g_ci_low_ho'], 2)} to "
        f"{FMT.num(r['g_ci_high_ho'], 2)}).",
        "",
        f"Welch's t = {FMT.num(r['welch_t'], 2)} (df {FMT.num(r['welch_df'], 1)}, p {FMT.p(r['welch_p'], relation=True)}); "
        f"Mann-Whitney U = {FMT.num(r['mwu_u'], 1)} (p {FMT.p(r['mwu_p'], relation=True)}); permutation test of the mean "
        f"difference p {FMT.p(r['perm_p'], relation=True)} ({r['perm_method']}, {int(r['perm_n_resamples'])} "
        f"permutations); studentized permutation test (the test of record) p "
        f"{FMT.p(r['perm_p_t'], relation=True)} ({r['perm_t_method']}, "
        f"{int(r['perm_t_n_resamples'])} permutations). Adjusted within the confirmatory family ({r['p_adjusted_from']}): "
        f"Holm p {FMT.p(r['p_holm'], relation=True)}.",
        "",
    ]
    if pd.notna(r["se_propagated"]):
        lines += [
            f"Measurement error: the published standard errors, propagated into the difference of "
            f"group means with the countries held fixed, give it a standard error of "
            f"{FMT.num(r['se_propagated'], 2)} points, against {FMT.num(r['se_sampling'], 2)} from "
            f"the spread of the countries; the published error variance is "
            f"{FMT.share(r['me_var_share'], 1)} of the within-group variance.",
            "",
        ]
    return lines


def _reported_lines(
    reported: pd.DataFrame, r: pd.Series, labels: Mapping[str, str], sign: float
) -> list[str]:
    """The article's reported averages, beside the result and never mixed in."""
    ga, gb = r["group_a"], r["group_b"]
    lines: list[str] = []
    # reported values, beside and never mixed in
    rep = reported.set_index("group")
    if ga in rep.index and gb in rep.index:
        rsign = np.sign(float(rep.loc[ga, "reported_value"]) - float(rep.loc[gb, "reported_value"]))
        agree = "the same direction as" if rsign == sign else "the opposite direction to"
        lines += [
            f"This is {agree} the article's reported averages ({labels.get(ga, ga)}: "
            f"{rep.loc[ga, 'reported_value']}, {labels.get(gb, gb)}: {rep.loc[gb, 'reported_value']}; "
            f'*{rep.loc[ga, "label"]}*). Those figures come from a "Municipal Transparency Index" '
            "that could not be found; they are not on the same scale or index and are not used in "
            "any statistic here.",
            "",
        ]
    return lines


def _reversal_lines(comp: pd.DataFrame, r: pd.Series, sign: float) -> list[str]:
    """Where, for the primary pair, the direction reverses."""
    ga, gb = r["group_a"], r["group_b"]
    ok = comp[comp["reason"].fillna("") == ""]
    same_pair = ok[(ok["group_a"] == ga) & (ok["group_b"] == gb)]
    opposite = same_pair[np.sign(same_pair["diff"]) == -sign]
    if len(opposite):
        ex = opposite.groupby(["source", "indicator"])["year"].apply(
            lambda s: ", ".join(str(int(y)) for y in sorted(s))
        )
        return [
            "For the primary pair the direction reverses on: "
            + "; ".join(f"{s}/{i} ({y})" for (s, i), y in ex.items())
            + ".",
            "",
        ]
    else:
        return ["For the primary pair the direction never reverses on any index or year.", ""]


def _position_lines(position: pd.DataFrame, r: pd.Series, labels: Mapping[str, str]) -> list[str]:
    """Kazakhstan's score, rank and percentile in each group."""
    # Kazakhstan's position
    pos = position[
        (position["source"] == r["source"])
        & (position["indicator"] == r["indicator"])
        & (position["year"] == r["year"])
    ]
    lines = ["## Kazakhstan's position", ""]
    if len(pos):
        p0 = pos.iloc[0]
        lines += [
            f"Kazakhstan scores {FMT.num(p0['value'], 1)} on the {r['indicator_label']} {int(r['year'])} "
            f"(95 % interval {FMT.num(p0['ci95_low'], 1)} to {FMT.num(p0['ci95_high'], 1)} from the published "
            "standard error).",
            "",
        ]
        t = pos[
            ["group", "rank", "rank_lowest", "n", "percentile", "group_mean", "z_in_group"]
        ].copy()
        t["group"] = t["group"].map(lambda g: labels.get(g, g))
        t["rank"] = [
            f"{int(a)} of {int(n)}" + (f" (tied to {int(b)})" if b != a else "")
            for a, b, n in zip(t["rank"], t["rank_lowest"], t["n"], strict=True)
        ]
        t["percentile"] = t["percentile"].map(lambda x: FMT.num(x, 1))
        t["group_mean"] = t["group_mean"].map(lambda x: FMT.num(x, 1))
        t["z_in_group"] = t["z_in_group"].map(lambda x: FMT.num(x, 2))
        lines += [
            _table(t.drop(columns=["rank_lowest", "n"])),
            "",
            "Rank 1 is the highest score; the group excludes Kazakhstan, which is ranked "
            "among its members; percentile = share of the group's countries scoring below "
            "Kazakhstan (ties count half).",
            "",
        ]
    eu = position[(position["group"] == "europe") & (position["reason"].fillna("") == "")]
    if len(eu):
        latest = eu.sort_values("year").groupby(["source", "indicator"]).tail(1)
        lines += [
            f"On the latest year of each of {len(latest)} indicators, Kazakhstan's percentile within "
            f"{labels.get('europe', 'europe')} ranges from {FMT.num(latest['percentile'].min(), 1)} to "
            f"{FMT.num(latest['percentile'].max(), 1)} (median {FMT.num(latest['percentile'].median(), 1)}); it is "
            f"below the European mean on {int((latest['z_in_group'] < 0).sum())} of them.",
            "",
        ]
    return lines


def _ar1_line(kz: pd.DataFrame, alpha: float) -> str:
    """How many series keep their Holm verdict (rise, fall, neither) under AR(1) GLS."""
    fit = kz[kz["kz_slope_p_ar1"].notna()]
    ols = np.sign(fit["kz_slope"]) * (fit["kz_slope_p_holm"] < alpha)
    ar1 = np.sign(fit["kz_slope_ar1"]) * (fit["kz_slope_p_ar1_holm"] < alpha)
    return (
        f"Refitted with AR(1) errors (feasible GLS, statsmodels GLSAR; a check of the Newey-West "
        f"errors), {int((ols == ar1).sum())} of the {len(fit)} series long enough for it keep "
        f"the same Holm verdict (rise, fall or neither)."
    )


ADJUST_NAMES = {"holm": "Holm", "benjamini-hochberg": "Benjamini-Hochberg"}


def _trend_lines(
    trends: pd.DataFrame,
    r: pd.Series,
    labels: Mapping[str, str],
    compare_cfg: Mapping[str, Any],
    alpha: float,
) -> list[str]:
    """Kazakhstan's trends: how many series rose or fell, and the primary indicator's slope."""
    # trends
    tr = trends[(trends["reason"].fillna("") == "")]
    lines = ["## Trends", ""]
    kz = tr.drop_duplicates(["source", "indicator"])
    if len(kz):
        up = kz[(kz["kz_slope"] > 0) & (kz["kz_slope_p_holm"] < alpha)]
        down = kz[(kz["kz_slope"] < 0) & (kz["kz_slope_p_holm"] < alpha)]
        lines += [
            f"Of {len(kz)} indicators with at least {compare_cfg['trend_min_years']} years of data "
            f"for Kazakhstan, its score rose significantly (OLS on year, Holm-adjusted over the "
            f"series p < {alpha}; WGI slopes are changes of relative position) on "
            f"{len(up)} ({', '.join(f'{s}/{i}' for s, i in zip(up['source'], up['indicator'], strict=True)) or 'none'}) "  # noqa: E501
            f"and fell significantly on {len(down)} "
            f"({', '.join(f'{s}/{i}' for s, i in zip(down['source'], down['indicator'], strict=True)) or 'none'}).",  # noqa: E501
            "",
        ]
    if len(kz) and "kz_slope_p_ar1_holm" in kz:
        lines += [_ar1_line(kz, alpha), ""]
    pt = tr[(tr["source"] == r["source"]) & (tr["indicator"] == r["indicator"])]
    for row in pt.itertuples(index=False):
        lines.append(
            f"- {r['indicator_label']}, {row.first_year}-{row.last_year}: Kazakhstan's slope "
            f"{FMT.num(row.kz_slope, 2)} points a year (95 % CI {FMT.num(row.kz_slope_ci_low, 2)} to "
            f"{FMT.num(row.kz_slope_ci_high, 2)}); {labels.get(row.group, row.group)} members' average "
            f"slope {FMT.num(row.group_slope, 2)}; difference {FMT.num(row.slope_diff, 2)} ("
            + (
                f"{ADJUST_NAMES.get(row.slope_diff_adjust.split(' (')[0], 'unadjusted')}-adjusted p "
                f"{FMT.p(row.slope_diff_p_adj, relation=True)}"
                if row.slope_diff_reason == "" or pd.isna(row.slope_diff_reason)
                else f"no test: {row.slope_diff_reason}"
            )
            + f"; Kazakhstan at percentile {FMT.num(row.kz_slope_percentile, 1)} "
            "of the members' own slopes)."
        )
    breaks = kz[kz["break_year"].notna()] if "break_year" in kz else kz.iloc[:0]
    if len(breaks):
        lines += [
            "",
            f"Trends of {', '.join(sorted(set(breaks['source'])))} start at the source's break "
            f"year ({', '.join(str(int(y)) for y in sorted(set(breaks['break_year'])))}; "
            "`compare.series_breaks`): earlier scores are not comparable, so no trend crosses it.",
        ]
    return lines


CAVEATS = [
    "",
    'The article expects transparency "should increase in the future". The trends above '
    "describe the past only; they are not forecasts.",
    "",
    "## Caveats",
    "",
    "- These indices measure national governance (corruption perceptions, openness, budget "
    "transparency), not municipal transparency; none is the article's \"Municipal "
    'Transparency Index".',
    "- Groups are sets of countries, not samples from a larger population; tests answer "
    "whether a difference this large would be surprising if group labels were arbitrary.",
    "- Comparisons across years and group definitions reuse the same countries and are "
    "strongly correlated; counts of significant comparisons are not independent evidence.",
    "- Groups below `compare.min_group_n` countries (Central Asia where few are scored) get "
    "descriptives, permutation and Mann-Whitney tests only, and no slope-difference test.",
    "- The Europe group includes Kosovo, which UN M49 does not list; the primary comparison "
    "without Kosovo is in `results/primary_sensitivity.csv`.",
    "",
]
