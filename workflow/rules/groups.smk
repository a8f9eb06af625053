# Groups: country groups per year (dated CIS membership, Europe, EU27, Council of Europe,
# Central Asia) from the groups table and config `groups:`; see docs/compare.md.


rule group_membership:
    input:
        groups=rules.ingest_country_groups.output.table,
        indices=rules.combine_indices.output.indices,
        code=script_code("group_membership.py"),
    output:
        membership="data/processed/group_membership.parquet",
    log:
        "logs/group_membership.log",
    conda:
        CONDA_ENV
    resources:
        mem_mb=500,
    params:
        groups=config["groups"],
    script:
        "../scripts/group_membership.py"


final_outputs += [rules.group_membership.output.membership]
