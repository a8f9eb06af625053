# Compare: CIS vs Europe (and the other configured pairs) on every index, Kazakhstan's
# position, trends, and a plain-words summary; see docs/compare.md.


def compare_sources():
    """Sources named (directly or through source/indicator) in config compare.indicators."""
    wanted = config["compare"]["indicators"]
    if wanted == "all":
        return sorted(INDEX_SOURCES)
    sources = sorted({item.split("/")[0] for item in wanted})
    unknown = [s for s in sources if s not in INDEX_SOURCES]
    if unknown:
        raise WorkflowError(
            f"config compare.indicators names unknown source(s) {unknown}; "
            f"available: {sorted(INDEX_SOURCES)}"
        )
    return sources


rule compare_source:
    input:
        indices=rules.combine_indices.output.indices,
        membership=rules.group_membership.output.membership,
    output:
        table="results/compare/{source}.csv",
    log:
        "logs/compare_source/{source}.log",
    wildcard_constraints:
        source="|".join(INDEX_SOURCES),
    resources:
        mem_mb=1500,
        runtime=10,
    params:
        compare=config["compare"],
        definitions=config["groups"]["definitions"],
        seed=config["random_seed"],
    script:
        "../scripts/compare_source.py"


rule compare_merge:
    input:
        tables=expand(rules.compare_source.output.table, source=compare_sources()),
        indices=rules.combine_indices.output.indices,
    output:
        table="results/group_comparisons.csv",
    log:
        "logs/compare_merge.log",
    resources:
        mem_mb=1000,
        runtime=5,
    params:
        compare=config["compare"],
        definitions=config["groups"]["definitions"],
    script:
        "../scripts/compare_merge.py"


rule kazakhstan_position:
    input:
        indices=rules.combine_indices.output.indices,
        membership=rules.group_membership.output.membership,
    output:
        table="results/kazakhstan_position.csv",
    log:
        "logs/kazakhstan_position.log",
    resources:
        mem_mb=1000,
        runtime=5,
    params:
        groups=config["compare"]["position_groups"],
        definitions=config["groups"]["definitions"],
    script:
        "../scripts/kazakhstan_position.py"


rule trends:
    input:
        indices=rules.combine_indices.output.indices,
        membership=rules.group_membership.output.membership,
    output:
        trends="results/trends.csv",
        trajectories="results/group_trajectories.csv",
        profile="results/openness_profile.csv",
    log:
        "logs/trends.log",
    resources:
        mem_mb=1000,
        runtime=10,
    params:
        compare=config["compare"],
        definitions=config["groups"]["definitions"],
    script:
        "../scripts/trends.py"


rule reported_group_means:
    input:
        reported=raw("article/reported_group_means.csv"),
        claims=raw("article/claims.csv"),
    output:
        table="results/reported_group_means.csv",
    log:
        "logs/reported_group_means.log",
    resources:
        mem_mb=300,
        runtime=5,
    params:
        definitions=config["groups"]["definitions"],
    script:
        "../scripts/reported_group_means.py"


rule compare_summary:
    input:
        comparisons=rules.compare_merge.output.table,
        position=rules.kazakhstan_position.output.table,
        trends=rules.trends.output.trends,
        reported=rules.reported_group_means.output.table,
    output:
        summary="results/summary.md",
    log:
        "logs/compare_summary.log",
    resources:
        mem_mb=500,
        runtime=5,
    params:
        compare=config["compare"],
        groups=config["groups"],
    script:
        "../scripts/compare_summary.py"


final_outputs += [
    rules.compare_merge.output.table,
    rules.kazakhstan_position.output.table,
    rules.trends.output.trends,
    rules.trends.output.trajectories,
    rules.trends.output.profile,
    rules.reported_group_means.output.table,
    rules.compare_summary.output.summary,
]
