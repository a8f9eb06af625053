# Re-examination of "Transparency and openness in the activities of local self-government
# authorities in Kazakhstan" (Bulletin NAS RK, 2024). See README.md for the layout.
import os
import sys

from snakemake.utils import min_version

from kzopen.pipeline.config import validate_config
from kzopen.core.errors import InputError

min_version("9.0")


configfile: "config/config.yaml"


# Any --configfile (the test suite's .test/config.yaml) is merged over config/config.yaml before
# the checks below, which validate the merged config; messages name every file merged.
MERGED_CONFIGS = [os.path.relpath(f) for f in workflow.overwrite_configfiles]
CONFIG_FILES = " + ".join(["config/config.yaml", *MERGED_CONFIGS])
# Validated against the JSON schema with a message that names the file and the key (a user
# error: no traceback); the schema's defaults are then filled in, as Snakemake's validate()
# would (the same jsonschema recipe, without reading the schema a second time).
try:
    validate_config(
        config, "workflow/schemas/config.schema.yaml", CONFIG_FILES, fill_defaults=True
    )
except InputError as exc:
    sys.exit(f"Error: config check failed: {exc}")


# Pipeline order. Each file appends its deliverables to `final_outputs` (common.smk).
include: "workflow/rules/common.smk"
include: "workflow/rules/ingest.smk"
include: "workflow/rules/groups.smk"
include: "workflow/rules/compare.smk"
include: "workflow/rules/local.smk"
include: "workflow/rules/portal.smk"
include: "workflow/rules/claims.smk"
include: "workflow/rules/article.smk"
include: "workflow/rules/report.smk"


rule all:
    default_target: True
    input:
        final_outputs,
