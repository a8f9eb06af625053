# Re-examination of "Transparency and openness in the activities of local self-government
# authorities in Kazakhstan" (Bulletin NAS RK, 2024). See README.md for the layout.
from snakemake.utils import min_version, validate

min_version("9.0")


configfile: "config/config.yaml"


validate(config, "workflow/schemas/config.schema.yaml")


# Pipeline order. Each file appends its deliverables to `final_outputs` (common.smk).
include: "workflow/rules/common.smk"
include: "workflow/rules/ingest.smk"
include: "workflow/rules/groups.smk"
include: "workflow/rules/compare.smk"
include: "workflow/rules/portal.smk"
include: "workflow/rules/claims.smk"
include: "workflow/rules/figures.smk"
include: "workflow/rules/article.smk"
include: "workflow/rules/report.smk"


rule all:
    default_target: True
    input:
        final_outputs,
