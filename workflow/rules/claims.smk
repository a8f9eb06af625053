# Claims ledger: every checkable statement of the article, with the value reported in the
# article, the value this pipeline reproduces (or an outside source gives) and a status.
# Real-data inputs: the OBS round (indices), Kazakhstan's position in its groups and the group
# comparisons (compare.smk) and the portal units with GRIM bounds (portal.smk).


rule claims_reference:
    input:
        indices=rules.combine_indices.output.indices,
        position=rules.kazakhstan_position.output.table,
        comparisons=rules.compare_merge.output.table,
        membership=rules.group_membership.output.membership,
        code=script_code("claims_reference.py"),
    output:
        reference=report(
            "results/claims_reference.csv",
            caption="../report/claims_reference.rst",
            category="Claims audit",
            subcategory="Results tables",
        ),
        direction=report(
            "results/claims_direction_checks.csv",
            caption="../report/claims_direction_checks.rst",
            category="Claims audit",
            subcategory="Results tables",
        ),
    log:
        "logs/claims_reference.log",
    conda:
        CONDA_ENV
    params:
        obs=config["claims"]["obs"],
        electability=config["claims"]["electability"],
        direction=config["claims"]["direction"],
    script:
        "../scripts/claims_reference.py"


rule claims_audit:
    input:
        claims=raw("article/claims.csv"),
        facts=raw("article/outside_facts_2026-12-02.csv"),
        text=raw("article/article_text.txt"),
        reference=rules.claims_reference.output.reference,
        portal=rules.portal_analysis.output.units,
        code=script_code("claims_audit.py"),
    output:
        audit=report(
            "results/claims_audit.csv",
            caption="../report/claims_audit.rst",
            category="Claims audit",
            subcategory="Results tables",
        ),
        summary=report(
            "results/claims_summary.csv",
            caption="../report/claims_summary.rst",
            category="Claims audit",
            subcategory="Results tables",
        ),
    log:
        "logs/claims_audit.log",
    conda:
        CONDA_ENV
    resources:
        mem_mb=500,
    params:
        grim_max_n=config["claims"]["grim_max_n"],
    script:
        "../scripts/claims_audit.py"


rule claims_page:
    input:
        audit=rules.claims_audit.output.audit,
        summary=rules.claims_audit.output.summary,
        code=script_code("claims_page.py"),
    output:
        md=report(
            "results/claims_audit.md",
            caption="../report/claims_audit_md.rst",
            category="Claims audit",
            subcategory="Results tables",
        ),
        html=report(
            "build/article/reproducibility.html",
            caption="../report/reproducibility_page.rst",
            category="Claims audit",
            subcategory="Reproducibility page",
        ),
    log:
        "logs/claims_page.log",
    conda:
        CONDA_ENV
    resources:
        mem_mb=500,
    params:
        heading_level=config["claims"]["heading_level"],
        title=config["claims"]["page_title"],
        # named in the page's text
        registry=raw("article/claims.csv"),
        # the rule and package functions behind the audit table (traced on the page)
        producers=lambda wildcards, input: producers([input.audit]),
    script:
        "../scripts/claims_page.py"


rule claims_corrections:
    input:
        audit=rules.claims_audit.output.audit,
        code=script_code("claims_corrections.py"),
    output:
        corrections=report(
            "results/corrections.csv",
            caption="../report/corrections.rst",
            category="Claims audit",
            subcategory="Results tables",
        ),
    log:
        "logs/claims_corrections.log",
    conda:
        CONDA_ENV
    resources:
        mem_mb=500,
    script:
        "../scripts/claims_corrections.py"


final_outputs += [
    rules.claims_audit.output.audit,
    rules.claims_audit.output.summary,
    rules.claims_page.output.md,
    rules.claims_page.output.html,
    rules.claims_corrections.output.corrections,
]
