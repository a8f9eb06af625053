# Portal satisfaction (ministries) and regional dissatisfaction: survey ingest to counts,
# then proportions, tests, models and the conditional (no-n) analyses. See docs/portal.md.
# `portal.input_form` picks the data: reported (the article, no n), counts or respondents.


def portal_path(path):
    """A portal input: through the manifest when under data/raw, else as given."""
    return raw(path[len("data/raw/") :]) if path.startswith("data/raw/") else path


def portal_data(wildcards):
    form = config["portal"]["input_form"]
    if form == "reported":
        return []
    path = config["portal"].get(form)
    if not path:
        raise WorkflowError(
            f"portal.input_form is {form!r} but portal.{form} has no path"
        )
    return [portal_path(path)]


rule portal_counts:
    input:
        data=portal_data,
        units=portal_path(config["portal"]["units"]),
    output:
        counts="data/processed/portal_counts.parquet",
    log:
        "logs/portal_counts.log",
    resources:
        mem_mb=3000,
        runtime=15,
    params:
        portal=config["portal"],
    script:
        "../scripts/portal_counts.py"


rule portal_analysis:
    input:
        counts=rules.portal_counts.output.counts,
        reported=portal_path(config["portal"]["reported"]),
        units=portal_path(config["portal"]["units"]),
        population=rules.ingest_kz_population.output.table,
    output:
        units="results/portal_units.csv",
        tests="results/portal_tests.csv",
        sensitivity="results/portal_sensitivity.csv",
        sensitivity_pairs="results/portal_sensitivity_pairs.csv",
        halfwidth="results/portal_halfwidth.csv",
        grim="results/portal_grim_feasible.csv",
        models="results/portal_models.csv",
    log:
        "logs/portal_analysis.log",
    resources:
        mem_mb=1000,
        runtime=10,
    params:
        portal=config["portal"],
        seed=config["random_seed"],
    script:
        "../scripts/portal_analysis.py"


final_outputs += list(rules.portal_analysis.output)
