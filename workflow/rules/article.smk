# The regenerated article: tables (CSV/Markdown/LaTeX/HTML), the article's own figure, the
# values context, the checked Markdown manuscript, HTML (pandoc) and PDF (Typst), and the
# executed exploratory notebooks. See docs/article.md.
import glob
import os.path

ARTICLE_BUILD = "build/article"

# Tables rendered in every format: name -> the file holding the data.
ARTICLE_TABLES = {
    "table1_legislation": raw("article/table1_legislation.csv"),
    "table2_website_criteria": raw("article/table2_website_criteria.csv"),
    "indicator_catalogue": rules.combine_indices.output.catalogue,
}

# Results tables of the analysis rules that the manuscript reads (name -> file); each is
# also rendered as a table.
ARTICLE_RESULTS = {
    "group_comparisons": rules.compare_merge.output.table,
    "compare_robustness": rules.compare_robustness.output.table,
    "confirmatory_correlations": rules.compare_family.output.correlations,
    "confirmatory_common_set": rules.compare_family.output.common_set,
    "interval_coverage": rules.interval_coverage.output.table,
    "bootstrap_mc_error": rules.bootstrap_mc_error.output.table,
    "kazakhstan_position": rules.kazakhstan_position.output.table,
    "primary_sensitivity": rules.primary_sensitivity.output.table,
    "trends": rules.trends.output.trends,
    "local_kz_changes": rules.local_level.output.changes,
    "local_elected_offices": rules.local_level.output.elected,
    "local_correlations": rules.local_level.output.correlations,
    "local_exploratory": rules.local_level.output.exploratory,
    "reported_group_means": rules.reported_group_means.output.table,
    "portal_units": rules.portal_analysis.output.units,
    "portal_tests": rules.portal_analysis.output.tests,
    "portal_sensitivity": rules.portal_analysis.output.sensitivity,
    "claims_summary": rules.claims_audit.output.summary,
    "claims_audit": rules.claims_audit.output.audit,
    "corrections": rules.claims_corrections.output.corrections,
}

# Markdown fragments written by analysis rules, included whole (name -> file); their numbers
# are pipeline output and count as filled content in the orphan-number check.
ARTICLE_FRAGMENTS = {"claims_audit_md": rules.claims_page.output.md}
# Pages the article links to, placed in build/article/ beside it by their own rules.
ARTICLE_LINKED = [rules.claims_page.output.html]


# All tables in one job: rendering one takes a fraction of a second, starting a job for each
# took most of their build time (benchmarks/RESULTS.md, "Where the time goes").
ARTICLE_TABLE_SOURCES = {**ARTICLE_TABLES, **ARTICLE_RESULTS}
TABLE_FORMATS = ("csv", "md", "tex", "html")


rule article_tables:
    input:
        **ARTICLE_TABLE_SOURCES,
        code=script_code("article_tables.py"),
    output:
        **{
            f"{name}_{ext}": (
                report(path, caption="../report/article_table.rst", category="Tables")
                if ext == "csv"
                else path
            )
            for name in sorted(ARTICLE_TABLE_SOURCES)
            for ext in TABLE_FORMATS
            for path in [f"{ARTICLE_BUILD}/tables/{name}.{ext}"]
        },
    log:
        "logs/article_tables.log",
    conda:
        CONDA_ENV
    params:
        names=sorted(ARTICLE_TABLE_SOURCES),
        formats=TABLE_FORMATS,
    script:
        "../scripts/article_tables.py"


rule article_values:
    input:
        **ARTICLE_RESULTS,
        **ARTICLE_FRAGMENTS,
        indices=rules.combine_indices.output.indices,
        catalogue=rules.combine_indices.output.catalogue,
        groups=rules.ingest_country_groups.output.table,
        claims=raw("article/claims.csv"),
        table1_legislation=ARTICLE_TABLES["table1_legislation"],
        table2_website_criteria=ARTICLE_TABLES["table2_website_criteria"],
        manifest=config["manifest"],
        evidence="article/evidence_keys.csv",
        code=script_code("article_values.py"),
    output:
        values="results/article_values.json",
    log:
        "logs/article_values.log",
    conda:
        CONDA_ENV
    params:
        # the rule and package functions behind each input (provenance of every value)
        producers=lambda wildcards, input: producers(input),
        # analysis settings the text states (named config.<key> in the values)
        settings={
            "portal.alpha": config["portal"]["alpha"],
            "compare.alpha": config["compare"]["alpha"],
            "compare.confidence": config["compare"]["confidence"],
            "compare.hac_min_years": config["compare"]["hac_min_years"],
            "compare.n_monte_carlo": config["compare"]["n_monte_carlo"],
            "compare.n_permutations": config["compare"]["n_permutations"],
            "compare.n_bootstrap": config["compare"]["n_bootstrap"],
            "compare.confirmatory_n_bootstrap": config["compare"][
                "confirmatory_n_bootstrap"
            ],
            "compare.min_group_n": config["compare"]["min_group_n"],
            "compare.trend_first_year": config["compare"]["trend_first_year"],
            "compare.series_breaks.ibp_open_budget_survey": config["compare"][
                "series_breaks"
            ].get("ibp_open_budget_survey", ""),
            "compare.confirmatory_fixed_in.commit": config["compare"][
                "confirmatory_fixed_in"
            ]["commit"],
            "compare.confirmatory_fixed_in.date": config["compare"][
                "confirmatory_fixed_in"
            ]["date"],
            "compare.confirmatory_fixed_in.results_first_date": config["compare"][
                "confirmatory_fixed_in"
            ]["results_first_date"],
            "compare.exact_max_partitions": config["compare"]["exact_max_partitions"],
            "compare.confirmatory_local_fixed_in.commit": config["compare"][
                "confirmatory_local_fixed_in"
            ]["commit"],
            "compare.confirmatory_local_fixed_in.date": config["compare"][
                "confirmatory_local_fixed_in"
            ]["date"],
            "compare.local_sources": sorted(
                {c["source"] for c in config["compare"]["confirmatory_local"]}
            ),
        },
    script:
        "../scripts/article_values.py"


rule article_figure_kz_obs:
    input:
        indices=rules.combine_indices.output.indices,
        code=script_code("article_figure_kz_obs.py"),
    output:
        png=report(
            "figures/article_kz_open_budget.png",
            caption="../report/article_kz_open_budget.rst",
            category="Article",
            subcategory="Figures",
        ),
        svg="figures/article_kz_open_budget.svg",
    log:
        "logs/article_figure_kz_obs.log",
    conda:
        CONDA_ENV
    params:
        # the survey's questionnaire revision: no line joins the rounds across it
        break_year=config["compare"]["series_breaks"].get("ibp_open_budget_survey"),
    script:
        "../scripts/article_figure_kz_obs.py"


# In order of appearance in the manuscript; labels (Table n, Figure n) are numbered from it.
ARTICLE_ITEMS = [
    _table_item("indicator_catalogue", "Indicators of the open indices."),
    _table_item(
        "confirmatory_correlations",
        "Spearman correlations among the confirmatory family's indicators.",
    ),
    _figure_item(
        "compare_confirmatory",
        rules.compare_figure_confirmatory,
        "Confirmatory comparisons: Hedges' g with its confidence interval, Holm's decision.",
    ),
    _figure_item(
        "compare_group_distribution",
        rules.compare_figure_distribution,
        "Country scores by group, Kazakhstan marked, with the article's reported averages beside.",
    ),
    _table_item(
        "kazakhstan_position",
        "Kazakhstan's rank in each comparison group, latest year of each indicator.",
    ),
    # counted so that Word's and Typst's caption numbers agree with the labels in the text
    provenance_item(
        "cmp_robust_pairs",
        "Table",
        "Direction and significance of every computed comparison, by pair of groups.",
        rules.article_values,
        inputs=[str(ARTICLE_RESULTS["compare_robustness"])],
        outputs=[str(rules.article_values.output.values)],
    ),
    _figure_item(
        "compare_trajectories",
        rules.compare_figure_trajectories,
        "Kazakhstan's trajectory against group means over time.",
    ),
    _figure_item(
        "compare_openness_radar",
        rules.compare_figure_radar,
        "Openness profile: Kazakhstan and group means on the open-government sub-indicators.",
    ),
    provenance_item(
        "kz_open_budget",
        "Figure",
        "Kazakhstan's Open Budget Survey scores by round.",
        rules.article_figure_kz_obs,
    ),
    _table_item("table1_legislation", "Legislative framework (as reported)."),
    _figure_item(
        "portal_units",
        rules.portal_units_figure,
        "Reported portal percentages with the GRIM minimum n of each.",
    ),
    _figure_item(
        "portal_sensitivity",
        rules.portal_sensitivity_figure,
        "Conditional sensitivity: p-value of the homogeneity test against an assumed n.",
    ),
    _table_item("table2_website_criteria", "Website criteria (as reported)."),
    _figure_item(
        "local_government",
        rules.local_figure,
        "V-Dem's local and regional government indices: Kazakhstan against group means since independence, and every country's latest value by group.",
    ),
    provenance_item(
        "claims_audit_summary",
        "Table",
        "Claims of the article by audit status.",
        rules.article_values,
        inputs=[str(ARTICLE_RESULTS["claims_summary"])],
        outputs=[str(rules.article_values.output.values)],
    ),
    provenance_item(
        "claims_contradicted",
        "Table",
        "Claims contradicted by a primary or quoted-primary source.",
        rules.article_values,
        inputs=[str(ARTICLE_RESULTS["claims_audit"])],
        outputs=[str(rules.article_values.output.values)],
    ),
    provenance_item(
        "data_sources",
        "Table",
        "Data sources, their publishers and licences.",
        rules.article_values,
        inputs=[str(config["manifest"])],
        outputs=[str(rules.article_values.output.values)],
    ),
]
for _kind in ("Figure", "Table"):
    for _n, _it in enumerate(
        [it for it in ARTICLE_ITEMS if it["label"] == _kind], start=1
    ):
        _it["label"] = f"{_kind} {_n}"
# The supplement's own figures, labelled "Figure S1", ...
SUPPLEMENT_ITEMS = [
    _figure_item(
        "compare_forest",
        rules.compare_figure_forest,
        "Hedges' g with its confidence interval for every index, latest year, each group pair.",
    ),
]
for _n, _it in enumerate(SUPPLEMENT_ITEMS, start=1):
    _it["label"] = f"Figure S{_n}"


ARTICLE_FIGURES = figure_files(ARTICLE_ITEMS)
SUPPLEMENT_FIGURES = figure_files(SUPPLEMENT_ITEMS)


# The authors' bibliography (BibTeX), the numbered citation style shared by pandoc (HTML,
# Word) and Typst (PDF), and the submission metadata (authors, codes; docs/article.md).
ARTICLE_BIB = "article/references.bib"
ARTICLE_METADATA = "article/metadata.yaml"


# The citation style chosen in the metadata (`citation_style`: numbered or author-date).
rule article_csl:
    input:
        metadata=ARTICLE_METADATA,
        metadata_schema="workflow/schemas/metadata.schema.yaml",
        numbered="article/numbered.csl",
        author_date="article/author-date.csl",
        code=script_code("article_csl.py"),
    output:
        csl=f"{ARTICLE_BUILD}/citation.csl",
    log:
        "logs/article_csl.log",
    conda:
        CONDA_ENV
    resources:
        mem_mb=500,
    script:
        "../scripts/article_csl.py"


ARTICLE_CSL = rules.article_csl.output.csl


rule article_references:
    input:
        bib=ARTICLE_BIB,
        code=script_code("article_references.py"),
    output:
        bib=f"{ARTICLE_BUILD}/references.bib",
    log:
        "logs/article_references.log",
    conda:
        CONDA_ENV
    resources:
        mem_mb=500,
    script:
        "../scripts/article_references.py"


rule article_reference_docx:
    input:
        code=script_code("article_reference_docx.py"),
    output:
        docx=f"{ARTICLE_BUILD}/reference.docx",
    log:
        "logs/article_reference_docx.log",
    conda:
        CONDA_ENV
    resources:
        mem_mb=500,
    script:
        "../scripts/article_reference_docx.py"


rule article_markdown:
    input:
        values=rules.article_values.output.values,
        template=config["article"]["template"],
        sections=sorted(glob.glob("article/sections/*.md.j2")),
        metadata=ARTICLE_METADATA,
        metadata_schema="workflow/schemas/metadata.schema.yaml",
        code=script_code("article_markdown.py"),
    output:
        md=f"{ARTICLE_BUILD}/article.md",
        check=f"{ARTICLE_BUILD}/orphan_number_check.txt",
        placeholders=f"{ARTICLE_BUILD}/article_placeholders.json",
        # the same text, each printed value in a span with its provenance (for the HTML)
        linked=f"{ARTICLE_BUILD}/article.linked.md",
    log:
        "logs/article_markdown.log",
    conda:
        CONDA_ENV
    params:
        provenance=ARTICLE_ITEMS + SUPPLEMENT_ITEMS,
        allow=config["article"]["orphan_allow"],
    script:
        "../scripts/article_markdown.py"


# results/summary.md: the results in plain words for readers of the repository, from the same
# values, abstract and bibliography as the article.
rule article_summary:
    input:
        values=rules.article_values.output.values,
        template="article/summary.md.j2",
        sections=sorted(glob.glob("article/sections/*.md.j2")),
        bib=rules.article_references.output.bib,
        csl=ARTICLE_CSL,
        code=script_code("article_summary.py"),
    output:
        md=f"{ARTICLE_BUILD}/summary.md",
        check=f"{ARTICLE_BUILD}/summary_orphan_number_check.txt",
        summary=report(
            "results/summary.md",
            caption="../report/article_summary.rst",
            category="Article",
        ),
    log:
        "logs/article_summary.log",
    conda:
        CONDA_ENV
    params:
        allow=config["article"]["orphan_allow"],
    script:
        "../scripts/article_summary.py"


rule article_html:
    input:
        md=rules.article_markdown.output.linked,
        bib=rules.article_references.output.bib,
        csl=ARTICLE_CSL,
        css="article/style.css",
        figures=ARTICLE_FIGURES,
        linked=ARTICLE_LINKED,
        code=script_code("article_html.py"),
    output:
        html=report(
            f"{ARTICLE_BUILD}/article.html",
            caption="../report/article_html.rst",
            category="Article",
        ),
    log:
        "logs/article_html.log",
    conda:
        CONDA_ENV
    params:
        title=config["article"]["title"],
    script:
        "../scripts/article_html.py"


rule article_pdf:
    input:
        md=rules.article_markdown.output.md,
        bib=rules.article_references.output.bib,
        csl=ARTICLE_CSL,
        header="article/typst-header.typ",
        table_filter="article/docx.lua",
        vector_filter="article/vector.lua",
        figures=ARTICLE_FIGURES,
        code=script_code("article_pdf.py"),
    output:
        typ=f"{ARTICLE_BUILD}/article.typ",
        pdf=report(
            f"{ARTICLE_BUILD}/article.pdf",
            caption="../report/article_pdf.rst",
            category="Article",
        ),
    log:
        "logs/article_pdf.log",
    conda:
        CONDA_ENV
    resources:
        mem_mb=1500,
        runtime=10,
    params:
        title=config["article"]["title"],
    script:
        "../scripts/article_pdf.py"


# The supplement (claims audit, corrections, software): the manuscript's scripts with their own
# template and title; its Word file comes from the generic article_docx rule below.
rule supplement_markdown:
    input:
        values=rules.article_values.output.values,
        template=config["article"]["supplement_template"],
        sections=sorted(glob.glob("article/sections/*.md.j2")),
        metadata=ARTICLE_METADATA,
        metadata_schema="workflow/schemas/metadata.schema.yaml",
        code=script_code("article_markdown.py"),
    output:
        md=f"{ARTICLE_BUILD}/supplement.md",
        check=f"{ARTICLE_BUILD}/supplement_orphan_number_check.txt",
        placeholders=f"{ARTICLE_BUILD}/supplement_placeholders.json",
        # the same text, each printed value in a span with its provenance (for the HTML)
        linked=f"{ARTICLE_BUILD}/supplement.linked.md",
    log:
        "logs/supplement_markdown.log",
    conda:
        CONDA_ENV
    params:
        provenance=ARTICLE_ITEMS + SUPPLEMENT_ITEMS,
        allow=config["article"]["orphan_allow"],
    script:
        "../scripts/article_markdown.py"


rule supplement_html:
    input:
        md=rules.supplement_markdown.output.linked,
        bib=rules.article_references.output.bib,
        csl=ARTICLE_CSL,
        css="article/style.css",
        figures=SUPPLEMENT_FIGURES,
        linked=ARTICLE_LINKED,
        code=script_code("article_html.py"),
    output:
        html=report(
            f"{ARTICLE_BUILD}/supplement.html",
            caption="../report/supplement_html.rst",
            category="Article",
        ),
    log:
        "logs/supplement_html.log",
    conda:
        CONDA_ENV
    params:
        title=config["article"]["supplement_title"],
    script:
        "../scripts/article_html.py"


rule supplement_pdf:
    input:
        md=rules.supplement_markdown.output.md,
        bib=rules.article_references.output.bib,
        csl=ARTICLE_CSL,
        header="article/typst-header.typ",
        table_filter="article/docx.lua",
        vector_filter="article/vector.lua",
        figures=SUPPLEMENT_FIGURES,
        code=script_code("article_pdf.py"),
    output:
        typ=f"{ARTICLE_BUILD}/supplement.typ",
        pdf=report(
            f"{ARTICLE_BUILD}/supplement.pdf",
            caption="../report/supplement_pdf.rst",
            category="Article",
        ),
    log:
        "logs/supplement_pdf.log",
    conda:
        CONDA_ENV
    resources:
        mem_mb=1500,
        runtime=10,
    params:
        title=config["article"]["supplement_title"],
    script:
        "../scripts/article_pdf.py"


# Word manuscripts: any manuscript Markdown in build/article/ (article.md; a supplement's .md
# alike) becomes <name>.docx, and <name>.anon.docx for blind review (no authors,
# affiliations, ORCID, e-mail, funding or acknowledgements).
ARTICLE_DOCX = ["article", "article.anon", "supplement"]


rule article_docx:
    input:
        md=f"{ARTICLE_BUILD}/{{name}}.md",
        reference=rules.article_reference_docx.output.docx,
        bib=rules.article_references.output.bib,
        csl=ARTICLE_CSL,
        filters=["article/docx.lua"],
        anonymise="article/anonymise.lua",
        figures=ARTICLE_FIGURES + SUPPLEMENT_FIGURES,
        code=script_code("article_docx.py"),
    output:
        docx=f"{ARTICLE_BUILD}/{{name}}{{anon}}.docx",
    log:
        "logs/article_docx/{name}{anon}.log",
    wildcard_constraints:
        name="[a-z0-9_]+",
        anon="(|\\.anon)",
    conda:
        CONDA_ENV
    params:
        # the supplement carries its own title (as in its HTML and PDF)
        title=lambda wc: config["article"][
            "supplement_title" if wc.name == "supplement" else "title"
        ],
        # the supplement's figures are Figure S1, ... (the labels of SUPPLEMENT_ITEMS)
        figure_prefix=lambda wc: "S" if wc.name == "supplement" else "",
    script:
        "../scripts/article_docx.py"


# What each notebook reads (it never recomputes: data/processed and results only).
ARTICLE_NOTEBOOK_INPUTS = {
    "01_data": [
        rules.combine_indices.output.indices,
        rules.combine_indices.output.catalogue,
        rules.ingest_country_groups.output.table,
    ],
    "02_group_comparison": [
        rules.compare_merge.output.table,
        rules.kazakhstan_position.output.table,
    ],
    "03_portal": [
        rules.portal_analysis.output.units,
        rules.portal_analysis.output.tests,
        rules.portal_analysis.output.sensitivity,
        rules.portal_analysis.output.sensitivity_pairs,
    ],
}


rule article_notebook:
    input:
        notebook="notebooks/{nb}.ipynb",
        data=lambda wc: ARTICLE_NOTEBOOK_INPUTS[wc.nb],
        code=lambda wc: script_code("article_notebook.py", f"notebooks/{wc.nb}.ipynb"),
    output:
        ipynb=f"{ARTICLE_BUILD}/notebooks/{{nb}}.ipynb",
        html=report(
            f"{ARTICLE_BUILD}/notebooks/{{nb}}.html",
            caption="../report/notebook.rst",
            category="Notebooks",
        ),
    log:
        "logs/article_notebook/{nb}.log",
    wildcard_constraints:
        nb="[A-Za-z0-9_]+",
    conda:
        CONDA_ENV
    resources:
        mem_mb=2000,
        runtime=15,
    params:
        timeout=config["article"]["notebook_timeout"],
    script:
        "../scripts/article_notebook.py"


# Every printed value with its trail, as one page (for the report and for readers of the PDF).
rule article_provenance:
    input:
        values=rules.article_values.output.values,
        placeholders=rules.article_markdown.output.placeholders,
        code=script_code("article_provenance.py"),
    output:
        html=report(
            f"{ARTICLE_BUILD}/provenance.html",
            caption="../report/provenance.rst",
            category="Article",
        ),
    log:
        "logs/article_provenance.log",
    conda:
        CONDA_ENV
    params:
        title="Where each number of the article comes from",
    script:
        "../scripts/article_provenance.py"


final_outputs += [
    rules.article_summary.output.summary,
    rules.article_html.output.html,
    rules.article_provenance.output.html,
    rules.article_pdf.output.pdf,
    rules.supplement_html.output.html,
    rules.supplement_pdf.output.pdf,
    *[f"{ARTICLE_BUILD}/{doc}.docx" for doc in ARTICLE_DOCX],
    *rules.article_tables.output,
    *expand(
        rules.article_notebook.output,
        nb=[
            nb for nb in config["article"]["notebooks"] if nb in ARTICLE_NOTEBOOK_INPUTS
        ],
    ),
]
