# Shared set-up: raw-data verification (the first step of every build) and the list of
# deliverables that the default target requests. Each topic file appends to `final_outputs`.
import sys
from pathlib import Path

from snakemake.exceptions import WorkflowError

from kzopen.pipeline import codedeps
from kzopen.pipeline.config import check_config_paths
from kzopen.core.errors import InputError, ResourceError
from kzopen.groups import group_labels
from kzopen.pipeline.manifest import verify_raw_files
from kzopen.pipeline.preflight import check_build_folders

# Checked at parse time so that no job, not even a dry run, sees an unverified raw file
# or reads a file outside the repository through a config path.
# A user error, not a bug: print the message alone (no traceback) and stop.
try:
    check_config_paths(config, workflow.basedir, CONFIG_FILES)
    RAW_FILES = verify_raw_files(config["manifest"], workflow.basedir)
    if not workflow.dryrun:  # a read-only, foreign or full output folder: say so first
        check_build_folders(workflow.basedir)
except InputError as exc:
    what = "build folder" if isinstance(exc, ResourceError) else "input"
    print(f"Error: {what} check failed: {exc}", file=sys.stderr)
    sys.exit(1)

final_outputs = []

# Parsed imports of the package's modules, kept by content between runs (script_code below).
codedeps.use_cache(Path(workflow.basedir) / ".snakemake" / "kzopen_codedeps.json")

# Display names of the country groups (config groups.definitions.<id>.label), for figures.
GROUP_LABELS = group_labels(config["groups"]["definitions"])

# Software of every job, for its conda directive: the pinned packages of uv.lock, for --use-conda users.
# A symlink to environment.yml, which is generated from uv.lock by `make requirements`.
CONDA_ENV = "../envs/kzopen.yaml"


def raw(path):
    """A raw input, relative to data/raw; it must be listed in the manifest."""
    full = f"data/raw/{path}"
    if full not in RAW_FILES:
        raise WorkflowError(f"{full} is not listed in {config['manifest']}")
    return full


def script_code(script, *notebooks):
    """The kzopen source files a rule's script (and notebooks) import: the rule's `code` input.

    Derived from the imports (kzopen.pipeline.codedeps), so an edit to a module reruns exactly the
    rules whose scripts use it, and the list cannot go stale when code moves.
    """
    return codedeps.script_code(
        workflow.basedir, f"workflow/scripts/{script}", *notebooks
    )


def producers(paths):
    """For each file the article cites: the rule that writes it and the package functions its
    script calls (kzopen.pipeline.codedeps); raw inputs are written by no rule."""
    written_by = {
        str(out): r for r in workflow.rules if r.is_script for out in r.output
    }
    found = {}
    for path in map(str, paths):
        writer = written_by.get(path)
        script = f"workflow/scripts/{Path(writer.script).name}" if writer else None
        found[path] = {
            "rule": writer.name if writer else None,
            "script": script,
            "functions": (
                codedeps.called_functions(workflow.basedir, script) if writer else []
            ),
        }
    return found


# --- helpers of the topic files (Snakemake's linter wants functions out of rule files)


# compare.smk
def compare_sources():
    """Sources named (directly or through source/indicator) in config compare.indicators."""
    wanted = config["compare"]["indicators"]
    if wanted == "all":
        return sorted(INDEX_SOURCES)
    # The primary comparison and the confirmatory family are always computed.
    always = (
        [config["compare"]["primary"]]
        + config["compare"]["confirmatory"]
        + config["compare"]["confirmatory_local"]
    )
    named = {item.split("/")[0] for item in wanted}
    sources = sorted(named.union(c["source"] for c in always))
    unknown = [s for s in sources if s not in INDEX_SOURCES]
    if unknown:
        raise WorkflowError(
            f"config compare.indicators names unknown source(s) {unknown}; "
            f"available: {sorted(INDEX_SOURCES)}"
        )
    return sources


# portal.smk
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


# article.smk: provenance of tables and figures
def _script_path(rule_proxy):
    r = rule_proxy.rule
    script = r.script or r.notebook
    return (
        os.path.normpath(os.path.join("workflow/rules", script))
        if script
        else "(shell)"
    )


def _files(named):
    out = []
    for f in named:
        out.append(str(f) if not callable(f) else "(depends on wildcards)")
    return out


def provenance_item(
    item_id, label, title, rule_proxy, display=None, inputs=None, outputs=None
):
    """One row of the generated 'Tables and figures' list: rule, script, inputs, outputs."""
    outs = outputs if outputs is not None else _files(rule_proxy.output)
    return {
        "id": item_id,
        "label": label,
        "title": title,
        "rule": rule_proxy.rule.name,
        "script": _script_path(rule_proxy),
        "inputs": inputs if inputs is not None else _files(rule_proxy.input),
        "outputs": outs,
        "display": display or outs[0],
    }


def _table_item(name, title):
    outs = [
        f"{ARTICLE_BUILD}/tables/{name}.{ext}" for ext in ("csv", "md", "tex", "html")
    ]
    src = ARTICLE_TABLE_SOURCES[name]
    return provenance_item(
        name, "Table", title, rules.article_tables, inputs=[str(src)], outputs=outs
    )


def figure_files(items):
    """The figure files (PNG and SVG) of the listed tables and figures."""
    return [
        f for it in items if it["display"].startswith("figures/") for f in it["outputs"]
    ]


def _figure_item(item_id, rule_proxy, title):
    """A figure made by a figure rule."""
    return provenance_item(item_id, "Figure", title, rule_proxy)
