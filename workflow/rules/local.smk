# The local level (V-Dem): Kazakhstan's score changes, which offices are elected by group, the
# local measures against the national ones, and the local-level figure; see docs/compare.md.
# The local families' comparisons themselves run with the other sources in compare.smk.


rule local_level:
    input:
        indices=rules.combine_indices.output.indices,
        membership=rules.group_membership.output.membership,
        categories=rules.ingest_vdem.output.categories,
        comparisons=rules.compare_merge.output.table,
        code=script_code("local_level.py"),
    output:
        changes=report(
            "results/local_kz_changes.csv",
            caption="../report/local_kz_changes.rst",
            category="Local self-government",
            subcategory="Results tables",
        ),
        elected=report(
            "results/local_elected_offices.csv",
            caption="../report/local_elected_offices.rst",
            category="Local self-government",
            subcategory="Results tables",
        ),
        correlations=report(
            "results/local_correlations.csv",
            caption="../report/local_correlations.rst",
            category="Local self-government",
            subcategory="Results tables",
        ),
        exploratory=report(
            "results/local_exploratory.csv",
            caption="../report/local_exploratory.rst",
            category="Local self-government",
            subcategory="Results tables",
        ),
        distribution="results/local_distribution.csv",
    log:
        "logs/local_level.log",
    conda:
        CONDA_ENV
    params:
        local_family=config["compare"]["confirmatory_local"],
        national_family=config["compare"]["confirmatory"],
        national_measures=config["local"]["national_measures"],
        primary=config["compare"]["primary"],
        figure_groups=config["compare"]["figure_groups"],
        first_year=config["compare"]["trend_first_year"],
        alpha=config["compare"]["alpha"],
    script:
        "../scripts/local_level.py"


rule local_figure:
    input:
        distribution=rules.local_level.output.distribution,
        trajectories=rules.trends.output.trajectories,
        code=script_code("local_figure.py"),
    output:
        png=report(
            "figures/local_government.png",
            caption="../report/local_figure.rst",
            category="Local self-government",
            subcategory="Figures",
        ),
        svg="figures/local_government.svg",
    log:
        "logs/local_figure.log",
    conda:
        CONDA_ENV
    params:
        local_family=config["compare"]["confirmatory_local"],
        groups=config["compare"]["figure_groups"],
        labels=GROUP_LABELS,
        first_year=config["compare"]["trend_first_year"],
    script:
        "../scripts/local_figure.py"


final_outputs += [
    rules.local_level.output.changes,
    rules.local_level.output.elected,
    rules.local_level.output.correlations,
    rules.local_level.output.exploratory,
    rules.local_figure.output.png,
]
