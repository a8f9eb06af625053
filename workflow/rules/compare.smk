# Compare: CIS vs Europe (and the other configured pairs) on every index, Kazakhstan's
# position, trends, and a plain-words summary; see docs/compare.md.


rule compare_source:
    input:
        indices=rules.combine_indices.output.indices,
        membership=rules.group_membership.output.membership,
        code=script_code("compare_source.py"),
    output:
        table="results/compare/{source}.csv",
    log:
        "logs/compare_source/{source}.log",
    wildcard_constraints:
        source="|".join(INDEX_SOURCES),
    conda:
        CONDA_ENV
    resources:
        mem_mb=1500,
        runtime=10,
    params:
        indicators=config["compare"]["indicators"],
        years=config["compare"]["years"],
        first_year=config["compare"]["first_year"],
        pairs=config["compare"]["pairs"],
        primary=config["compare"]["primary"],
        confirmatory=config["compare"]["confirmatory"],
        confirmatory_local=config["compare"]["confirmatory_local"],
        n_permutations=config["compare"]["n_permutations"],
        n_bootstrap=config["compare"]["n_bootstrap"],
        bootstrap_method=config["compare"]["bootstrap_method"],
        confidence=config["compare"]["confidence"],
        alpha=config["compare"]["alpha"],
        min_group_n=config["compare"]["min_group_n"],
        exact_max_partitions=config["compare"]["exact_max_partitions"],
        confirmatory_n_bootstrap=config["compare"]["confirmatory_n_bootstrap"],
        definitions=config["groups"]["definitions"],
        seed=config["random_seed"],
    script:
        "../scripts/compare_source.py"


rule compare_merge:
    input:
        tables=expand(rules.compare_source.output.table, source=compare_sources()),
        indices=rules.combine_indices.output.indices,
        code=script_code("compare_merge.py"),
    output:
        table=report(
            "results/group_comparisons.csv",
            caption="../report/group_comparisons.rst",
            category="CIS vs Europe",
            subcategory="Results tables",
        ),
    log:
        "logs/compare_merge.log",
    conda:
        CONDA_ENV
    params:
        primary=config["compare"]["primary"],
        confirmatory=config["compare"]["confirmatory"],
        confirmatory_local=config["compare"]["confirmatory_local"],
        adjust_p=config["compare"]["adjust_p"],
        alpha=config["compare"]["alpha"],
        definitions=config["groups"]["definitions"],
    script:
        "../scripts/compare_merge.py"


rule compare_robustness:
    input:
        comparisons=rules.compare_merge.output.table,
        code=script_code("compare_robustness.py"),
    output:
        table=report(
            "results/compare_robustness.csv",
            caption="../report/compare_robustness.rst",
            category="CIS vs Europe",
            subcategory="Results tables",
        ),
    log:
        "logs/compare_robustness.log",
    conda:
        CONDA_ENV
    resources:
        mem_mb=500,
    params:
        alpha=config["compare"]["alpha"],
    script:
        "../scripts/compare_robustness.py"


rule compare_family:
    input:
        comparisons=rules.compare_merge.output.table,
        indices=rules.combine_indices.output.indices,
        code=script_code("compare_family.py"),
    output:
        correlations=report(
            "results/confirmatory_correlations.csv",
            caption="../report/confirmatory_correlations.rst",
            category="CIS vs Europe",
            subcategory="Results tables",
        ),
        common_set=report(
            "results/confirmatory_common_set.csv",
            caption="../report/confirmatory_common_set.rst",
            category="CIS vs Europe",
            subcategory="Results tables",
        ),
    log:
        "logs/compare_family.log",
    conda:
        CONDA_ENV
    params:
        n_permutations=config["compare"]["n_permutations"],
        n_bootstrap=config["compare"]["n_bootstrap"],
        bootstrap_method=config["compare"]["bootstrap_method"],
        confidence=config["compare"]["confidence"],
        alpha=config["compare"]["alpha"],
        min_group_n=config["compare"]["min_group_n"],
        exact_max_partitions=config["compare"]["exact_max_partitions"],
        seed=config["random_seed"],
    script:
        "../scripts/compare_family.py"


rule interval_coverage:
    input:
        comparisons=rules.compare_merge.output.table,
        code=script_code("compare_interval_coverage.py"),
    output:
        table=report(
            "results/interval_coverage.csv",
            caption="../report/interval_coverage.rst",
            category="CIS vs Europe",
            subcategory="Results tables",
        ),
    log:
        "logs/interval_coverage.log",
    conda:
        CONDA_ENV
    params:
        n_permutations=config["compare"]["n_permutations"],
        n_bootstrap=config["compare"]["n_bootstrap"],
        bootstrap_method=config["compare"]["bootstrap_method"],
        confidence=config["compare"]["confidence"],
        alpha=config["compare"]["alpha"],
        min_group_n=config["compare"]["min_group_n"],
        coverage=config["compare"]["coverage"],
        seed=config["random_seed"],
    script:
        "../scripts/compare_interval_coverage.py"


rule bootstrap_mc_error:
    input:
        comparisons=rules.compare_merge.output.table,
        indices=rules.combine_indices.output.indices,
        code=script_code("compare_bootstrap_mc_error.py"),
    output:
        table=report(
            "results/bootstrap_mc_error.csv",
            caption="../report/bootstrap_mc_error.rst",
            category="CIS vs Europe",
            subcategory="Results tables",
        ),
    log:
        "logs/bootstrap_mc_error.log",
    conda:
        CONDA_ENV
    params:
        n_bootstrap=config["compare"]["confirmatory_n_bootstrap"],
        bootstrap_method=config["compare"]["bootstrap_method"],
        confidence=config["compare"]["confidence"],
        n_repeats=config["compare"]["bootstrap_mc_repeats"],
        seed=config["random_seed"],
    script:
        "../scripts/compare_bootstrap_mc_error.py"


rule primary_sensitivity:
    input:
        indices=rules.combine_indices.output.indices,
        membership=rules.group_membership.output.membership,
        code=script_code("compare_primary_sensitivity.py"),
    output:
        table=report(
            "results/primary_sensitivity.csv",
            caption="../report/primary_sensitivity.rst",
            category="CIS vs Europe",
            subcategory="Results tables",
        ),
    log:
        "logs/primary_sensitivity.log",
    conda:
        CONDA_ENV
    params:
        primary=config["compare"]["primary"],
        primary_sensitivity=config["compare"]["primary_sensitivity"],
        confirmatory_n_bootstrap=config["compare"]["confirmatory_n_bootstrap"],
        n_permutations=config["compare"]["n_permutations"],
        n_bootstrap=config["compare"]["n_bootstrap"],
        bootstrap_method=config["compare"]["bootstrap_method"],
        confidence=config["compare"]["confidence"],
        alpha=config["compare"]["alpha"],
        min_group_n=config["compare"]["min_group_n"],
        definitions=config["groups"]["definitions"],
        seed=config["random_seed"],
    script:
        "../scripts/compare_primary_sensitivity.py"


rule kazakhstan_position:
    input:
        indices=rules.combine_indices.output.indices,
        membership=rules.group_membership.output.membership,
        code=script_code("compare_kazakhstan_position.py"),
    output:
        table=report(
            "results/kazakhstan_position.csv",
            caption="../report/kazakhstan_position.rst",
            category="CIS vs Europe",
            subcategory="Results tables",
        ),
    log:
        "logs/kazakhstan_position.log",
    conda:
        CONDA_ENV
    params:
        groups=config["compare"]["position_groups"],
        n_monte_carlo=config["compare"]["n_monte_carlo"],
        confidence=config["compare"]["confidence"],
        definitions=config["groups"]["definitions"],
        seed=config["random_seed"],
    script:
        "../scripts/compare_kazakhstan_position.py"


rule trends:
    input:
        indices=rules.combine_indices.output.indices,
        membership=rules.group_membership.output.membership,
        code=script_code("compare_trends.py"),
    output:
        trends=report(
            "results/trends.csv",
            caption="../report/trends.rst",
            category="CIS vs Europe",
            subcategory="Results tables",
        ),
        trajectories=report(
            "results/group_trajectories.csv",
            caption="../report/group_trajectories.rst",
            category="CIS vs Europe",
            subcategory="Results tables",
        ),
        profile=report(
            "results/openness_profile.csv",
            caption="../report/openness_profile.rst",
            category="CIS vs Europe",
            subcategory="Results tables",
        ),
    log:
        "logs/trends.log",
    conda:
        CONDA_ENV
    resources:
        runtime=10,
    params:
        trend_groups=config["compare"]["trend_groups"],
        figure_groups=config["compare"]["figure_groups"],
        confirmatory_local=config["compare"]["confirmatory_local"],
        trend_first_year=config["compare"]["trend_first_year"],
        series_breaks=config["compare"]["series_breaks"],
        min_group_n=config["compare"]["min_group_n"],
        primary=config["compare"]["primary"],
        trend_min_years=config["compare"]["trend_min_years"],
        hac_maxlags=config["compare"]["hac_maxlags"],
        hac_min_years=config["compare"]["hac_min_years"],
        confidence=config["compare"]["confidence"],
        radar_indicators=config["compare"]["radar_indicators"],
        definitions=config["groups"]["definitions"],
    script:
        "../scripts/compare_trends.py"


rule reported_group_means:
    input:
        reported=raw("article/reported_group_means.csv"),
        claims=raw("article/claims.csv"),
        code=script_code("compare_reported_group_means.py"),
    output:
        table=report(
            "results/reported_group_means.csv",
            caption="../report/reported_group_means.rst",
            category="CIS vs Europe",
            subcategory="Results tables",
        ),
    log:
        "logs/reported_group_means.log",
    conda:
        CONDA_ENV
    resources:
        mem_mb=300,
    params:
        definitions=config["groups"]["definitions"],
    script:
        "../scripts/compare_reported_group_means.py"


final_outputs += [
    rules.compare_merge.output.table,
    rules.compare_robustness.output.table,
    rules.primary_sensitivity.output.table,
    rules.kazakhstan_position.output.table,
    rules.trends.output.trends,
    rules.trends.output.trajectories,
    rules.trends.output.profile,
    rules.reported_group_means.output.table,
]


# The table Figure 1's replacement draws (a join of finished tables, done here, not in plotting).
rule compare_figure_data:
    input:
        comparisons=rules.compare_merge.output.table,
        position=rules.kazakhstan_position.output.table,
        trajectories=rules.trends.output.trajectories,
        indices=rules.combine_indices.output.indices,
        membership=rules.group_membership.output.membership,
        code=script_code("compare_figure_data.py"),
    output:
        table="results/compare_primary_distribution.csv",
    log:
        "logs/compare_figure_data.log",
    conda:
        CONDA_ENV
    params:
        primary=config["compare"]["primary"],
        figure_groups=config["compare"]["figure_groups"],
    script:
        "../scripts/compare_figure_data.py"


# Figures: one rule and one script per figure; each reads finished tables (written by the
# rules above) and only draws, so editing one plot reruns one figure. Figure 1 replacement,
# forest plot, confirmatory effects, trajectories, radar.


rule compare_figure_distribution:
    input:
        table=rules.compare_figure_data.output.table,
        reported=rules.reported_group_means.output.table,
        code=script_code("compare_figure_distribution.py"),
    output:
        png=report(
            "figures/compare_group_distribution.png",
            caption="../report/compare_group_distribution.rst",
            category="CIS vs Europe",
            subcategory="Figures",
        ),
        svg="figures/compare_group_distribution.svg",
    log:
        "logs/compare_figure_distribution.log",
    conda:
        CONDA_ENV
    params:
        primary=config["compare"]["primary"],
        figure_groups=config["compare"]["figure_groups"],
        labels=GROUP_LABELS,
    script:
        "../scripts/compare_figure_distribution.py"


rule compare_figure_forest:
    input:
        comparisons=rules.compare_merge.output.table,
        code=script_code("compare_figure_forest.py"),
    output:
        png=report(
            "figures/compare_forest.png",
            caption="../report/compare_forest.rst",
            category="CIS vs Europe",
            subcategory="Figures",
        ),
        svg="figures/compare_forest.svg",
    log:
        "logs/compare_figure_forest.log",
    conda:
        CONDA_ENV
    params:
        pairs=config["compare"]["pairs"],
        alpha=config["compare"]["alpha"],
        labels=GROUP_LABELS,
    script:
        "../scripts/compare_figure_forest.py"


# The main result: the confirmatory family's effects with their intervals, one panel.
rule compare_figure_confirmatory:
    input:
        comparisons=rules.compare_merge.output.table,
        code=script_code("compare_figure_confirmatory.py"),
    output:
        png="figures/compare_confirmatory.png",
        svg="figures/compare_confirmatory.svg",
    log:
        "logs/compare_figure_confirmatory.log",
    conda:
        CONDA_ENV
    script:
        "../scripts/compare_figure_confirmatory.py"


rule compare_figure_trajectories:
    input:
        trajectories=rules.trends.output.trajectories,
        catalogue=rules.combine_indices.output.catalogue,
        code=script_code("compare_figure_trajectories.py"),
    output:
        png=report(
            "figures/compare_trajectories.png",
            caption="../report/compare_trajectories.rst",
            category="CIS vs Europe",
            subcategory="Figures",
        ),
        svg="figures/compare_trajectories.svg",
    log:
        "logs/compare_figure_trajectories.log",
    conda:
        CONDA_ENV
    params:
        trajectory_indicators=config["compare"]["trajectory_indicators"],
        trend_groups=config["compare"]["trend_groups"],
        labels=GROUP_LABELS,
        series_breaks=config["compare"]["series_breaks"],
    script:
        "../scripts/compare_figure_trajectories.py"


rule compare_figure_radar:
    input:
        profile=rules.trends.output.profile,
        code=script_code("compare_figure_radar.py"),
    output:
        png=report(
            "figures/compare_openness_radar.png",
            caption="../report/compare_openness_radar.rst",
            category="CIS vs Europe",
            subcategory="Figures",
        ),
        svg="figures/compare_openness_radar.svg",
    log:
        "logs/compare_figure_radar.log",
    conda:
        CONDA_ENV
    params:
        labels=GROUP_LABELS,
    script:
        "../scripts/compare_figure_radar.py"


final_outputs += [
    *rules.compare_figure_distribution.output,
    *rules.compare_figure_forest.output,
    *rules.compare_figure_trajectories.output,
    *rules.compare_figure_radar.output,
]
