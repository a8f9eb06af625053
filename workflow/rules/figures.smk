# figures rules: see README.md, "Layout".


# --- compare (docs/compare.md): Figure 1 replacement, forest plot, trajectories, radar
COMPARE_LABELS = {
    g: d.get("label", g) for g, d in config["groups"]["definitions"].items()
}


rule compare_figure_distribution:
    input:
        comparisons=rules.compare_merge.output.table,
        position=rules.kazakhstan_position.output.table,
        trajectories=rules.trends.output.trajectories,
        reported=rules.reported_group_means.output.table,
        indices=rules.combine_indices.output.indices,
        membership=rules.group_membership.output.membership,
        code=script_code("compare_figures.py"),
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
    resources:
        mem_mb=1000,
        runtime=5,
    params:
        compare=config["compare"],
        labels=COMPARE_LABELS,
        kind="distribution",
    script:
        "../scripts/compare_figures.py"


rule compare_figure_forest:
    input:
        comparisons=rules.compare_merge.output.table,
        code=script_code("compare_figures.py"),
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
    resources:
        mem_mb=1000,
        runtime=5,
    params:
        compare=config["compare"],
        labels=COMPARE_LABELS,
        kind="forest",
    script:
        "../scripts/compare_figures.py"


rule compare_figure_trajectories:
    input:
        trajectories=rules.trends.output.trajectories,
        indices=rules.combine_indices.output.indices,
        code=script_code("compare_figures.py"),
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
    resources:
        mem_mb=1000,
        runtime=5,
    params:
        compare=config["compare"],
        labels=COMPARE_LABELS,
        kind="trajectories",
    script:
        "../scripts/compare_figures.py"


rule compare_figure_radar:
    input:
        profile=rules.trends.output.profile,
        code=script_code("compare_figures.py"),
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
    resources:
        mem_mb=1000,
        runtime=5,
    params:
        compare=config["compare"],
        labels=COMPARE_LABELS,
        kind="radar",
    script:
        "../scripts/compare_figures.py"


final_outputs += [
    *rules.compare_figure_distribution.output,
    *rules.compare_figure_forest.output,
    *rules.compare_figure_trajectories.output,
    *rules.compare_figure_radar.output,
]


# --- portal (docs/portal.md): reported values with GRIM minimum n / observed CIs; sensitivity
rule portal_units_figure:
    input:
        units=rules.portal_analysis.output.units,
        code=script_code("portal_figures.py"),
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
    resources:
        mem_mb=1000,
        runtime=5,
    params:
        portal=config["portal"],
        kind="units",
    script:
        "../scripts/portal_figures.py"


rule portal_sensitivity_figure:
    input:
        sensitivity=rules.portal_analysis.output.sensitivity,
        pairs=rules.portal_analysis.output.sensitivity_pairs,
        tests=rules.portal_analysis.output.tests,
        code=script_code("portal_figures.py"),
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
    resources:
        mem_mb=1000,
        runtime=5,
    params:
        portal=config["portal"],
        kind="sensitivity",
    script:
        "../scripts/portal_figures.py"


final_outputs += [
    *rules.portal_units_figure.output,
    *rules.portal_sensitivity_figure.output,
]
