#!/usr/bin/env bash
# Local stand-in for a scheduler's status query (e.g. `sacct`), used by
# snakemake-executor-plugin-cluster-generic. Called as `status.sh JOBID`; prints exactly one of
# `running`, `success` or `failed`, as the plugin expects.
set -uo pipefail
spool="$PWD/.snakemake/local-cluster"
id="$1"
exit_status() {
    if [[ "$(cat "$spool/$id.exit")" == 0 ]]; then echo success; else echo failed; fi
}
if [[ -f "$spool/$id.exit" ]]; then
    exit_status
elif [[ -f "$spool/$id.pid" ]] && kill -0 "$(cat "$spool/$id.pid")" 2>/dev/null; then
    echo running
elif [[ -f "$spool/$id.exit" ]]; then  # finished between the two checks
    exit_status
else
    echo failed  # unknown id, or the process died without recording an exit status
fi
