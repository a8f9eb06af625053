# Shared set-up: raw-data verification (the first step of every build) and the list of
# deliverables that the default target requests. Each topic file appends to `final_outputs`.
import sys

from snakemake.exceptions import WorkflowError

from kzopen.config import check_config_paths
from kzopen.errors import InputError
from kzopen.manifest import verify_raw_files

# Checked at parse time so that no job, not even a dry run, sees an unverified raw file
# or reads a file outside the repository through a config path.
# A user error, not a bug: print the message alone (no traceback) and stop.
try:
    check_config_paths(config, workflow.basedir, "config/config.yaml")
    RAW_FILES = verify_raw_files(config["manifest"], workflow.basedir)
except InputError as exc:
    print(f"Error: input check failed: {exc}", file=sys.stderr)
    sys.exit(1)

final_outputs = []

# Software of every job, for its conda directive: the pinned packages of uv.lock, for --use-conda users.
# A symlink to environment.yml, which is generated from uv.lock by `make requirements`.
CONDA_ENV = "../envs/kzopen.yaml"


def raw(path):
    """A raw input, relative to data/raw; it must be listed in the manifest."""
    full = f"data/raw/{path}"
    if full not in RAW_FILES:
        raise WorkflowError(f"{full} is not listed in {config['manifest']}")
    return full


def package_code(*modules):
    """Source files of the kzopen modules a rule's script calls into.

    Snakemake's code trigger sees only the script file; listing the modules it imports as
    inputs makes an edit to, say, a plotting function rerun exactly the rules that use it.
    """
    return [f"src/kzopen/{m.replace('.', '/')}.py" for m in modules]
