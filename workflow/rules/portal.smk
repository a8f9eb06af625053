# Portal satisfaction (ministries) and regional dissatisfaction: survey ingest to counts,
# then proportions, tests, models and the conditional (no-n) analyses. See docs/portal.md.
# `portal.input_form` picks the data: reported (the article, no n), counts or respondents.


rule portal_counts:
    input:
        data=portal_data,
        units=portal_path(config["portal"]["units"]),
        code=script_code("portal_counts.py"),
    output:
        counts="data/processed/portal_counts.parquet",
    log:
        "logs/portal_counts.log",
    conda:
        CONDA_ENV
    resources:
        mem_mb=3000,
        runtime=15,
    params:
        input_form=config["portal"]["input_form"],
        outcomes=config["portal"]["outcomes"],
        batch_rows=config["portal"]["batch_rows"],
    script:
        "../scripts/portal_counts.py"


rule portal_analysis:
    input:
        counts=rules.portal_counts.output.counts,
        reported=portal_path(config["portal"]["reported"]),
        units=portal_path(config["portal"]["units"]),
        population=rules.ingest_kz_population.output.table,
        code=script_code("portal_analysis.py"),
    output:
        units=report(
            "results/portal_units.csv",
            caption="../report/portal_units.rst",
            category="Portal",
            subcategory="Results tables",
        ),
        tests=report(
            "results/portal_tests.csv",
            caption="../report/portal_tests.rst",
            category="Portal",
            subcategory="Results tables",
        ),
        sensitivity=report(
            "results/portal_sensitivity.csv",
            caption="../report/portal_sensitivity.rst",
            category="Portal",
            subcategory="Results tables",
        ),
        sensitivity_pairs=report(
            "results/portal_sensitivity_pairs.csv",
            caption="../report/portal_sensitivity_pairs.rst",
            category="Portal",
            subcategory="Results tables",
        ),
        halfwidth=report(
            "results/portal_halfwidth.csv",
            caption="../report/portal_halfwidth.rst",
            category="Portal",
            subcategory="Results tables",
        ),
        grim=report(
            "results/portal_grim_feasible.csv",
            caption="../report/portal_grim_feasible.rst",
            category="Portal",
            subcategory="Results tables",
        ),
        models=report(
            "results/portal_models.csv",
            caption="../report/portal_models.rst",
            category="Portal",
            subcategory="Results tables",
        ),
    log:
        "logs/portal_analysis.log",
    conda:
        CONDA_ENV
    resources:
        runtime=10,
    params:
        outcomes=config["portal"]["outcomes"],
        grim_max_n=config["portal"]["grim_max_n"],
        grim_rounding=config["portal"]["grim_rounding"],
        alpha=config["portal"]["alpha"],
        min_expected=config["portal"]["min_expected"],
        monte_carlo_resamples=config["portal"]["monte_carlo_resamples"],
        sensitivity_n_min=config["portal"]["sensitivity_n_min"],
        sensitivity_n_max=config["portal"]["sensitivity_n_max"],
        sensitivity_points=config["portal"]["sensitivity_points"],
        assumed_n_table=config["portal"]["assumed_n_table"],
        population_year=config["portal"]["population_year"],
        region_covariates=config["portal"]["region_covariates"],
        seed=config["random_seed"],
    script:
        "../scripts/portal_analysis.py"


final_outputs += list(rules.portal_analysis.output)


# Figures (plotting only, from the tables above): reported values with GRIM minimum n /
# observed CIs; sensitivity.

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
