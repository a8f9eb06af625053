# Figures: one rule and one script per figure; each reads finished tables (written by the
# analysis rules) and only draws, so editing one plot reruns one figure.


# --- compare (docs/compare.md): Figure 1 replacement, forest plot, trajectories, radar


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


# --- portal (docs/portal.md): reported values with GRIM minimum n / observed CIs; sensitivity

# Display names of the outcomes (config portal.outcomes[].label), one map for both figures.
PORTAL_OUTCOME_LABELS = {o["name"]: o["label"] for o in config["portal"]["outcomes"]}


rule portal_units_figure:
    input:
        units=rules.portal_analysis.output.units,
        code=script_code("portal_units_figure.py"),
    output:
        png=report(
            "figures/portal_units.png",
            caption="../report/portal_units_figure.rst",
            category="Portal",
            subcategory="Figures",
        ),
        svg="figures/portal_units.svg",
    log:
        "logs/portal_units_figure.log",
    conda:
        CONDA_ENV
    params:
        labels=PORTAL_OUTCOME_LABELS,
    script:
        "../scripts/portal_units_figure.py"


rule portal_sensitivity_figure:
    input:
        sensitivity=rules.portal_analysis.output.sensitivity,
        pairs=rules.portal_analysis.output.sensitivity_pairs,
        tests=rules.portal_analysis.output.tests,
        code=script_code("portal_sensitivity_figure.py"),
    output:
        png=report(
            "figures/portal_sensitivity.png",
            caption="../report/portal_sensitivity_figure.rst",
            category="Portal",
            subcategory="Figures",
        ),
        svg="figures/portal_sensitivity.svg",
    log:
        "logs/portal_sensitivity_figure.log",
    conda:
        CONDA_ENV
    params:
        labels=PORTAL_OUTCOME_LABELS,
        alpha=config["portal"]["alpha"],
    script:
        "../scripts/portal_sensitivity_figure.py"


final_outputs += [
    *rules.portal_units_figure.output,
    *rules.portal_sensitivity_figure.output,
]
