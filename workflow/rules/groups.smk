# Groups: country groups per year (dated CIS membership, Europe, EU27, Council of Europe,
# Central Asia) from the groups table and config `groups:`; see docs/compare.md.


rule group_membership:
    input:
        groups=rules.ingest_country_groups.output.table,
        indices=rules.combine_indices.output.indices,
        code=script_code("groups_membership.py"),
    output:
        membership="data/processed/group_membership.parquet",
    log:
        "logs/group_membership.log",
    conda:
        CONDA_ENV
    resources:
        mem_mb=500,
    params:
        definitions=config["groups"]["definitions"],
        cis_reference_day=config["groups"]["cis_reference_day"],
        include_associates=config["groups"]["include_associates"],
        include_kazakhstan=config["groups"]["include_kazakhstan"],
    script:
        "../scripts/groups_membership.py"


final_outputs += [rules.group_membership.output.membership]
