#!/usr/bin/env bash
# Local stand-in for a scheduler's cancel command (e.g. `scancel`), used by
# snakemake-executor-plugin-cluster-generic on Ctrl-C. Called as `cancel.sh JOBID...`; each job
# runs in its own session (setsid), so its whole process group is terminated.
set -uo pipefail
spool="$PWD/.snakemake/local-cluster"
for id in "$@"; do
    pid="$(cat "$spool/$id.pid" 2>/dev/null)" || continue
    kill -TERM -- "-$pid" 2>/dev/null || true
done
