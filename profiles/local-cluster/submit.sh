#!/usr/bin/env bash
# Local stand-in for a batch scheduler's submit command (e.g. `sbatch --parsable`), used by
# snakemake-executor-plugin-cluster-generic. Called as `submit.sh JOBSCRIPT`; starts the job
# script as a detached background process in its own session and prints a job id on stdout.
# Job state lives in .snakemake/local-cluster/<id>.{pid,out,exit} below the working directory,
# the "shared filesystem" that the status and cancel scripts read.
set -euo pipefail
jobscript="$1"
spool="$PWD/.snakemake/local-cluster"
mkdir -p "$spool"
id="job-$(date +%s%N)-$$"
# The job writes its exit status atomically (tmp + mv) once the job script has finished.
setsid nohup bash -c '"$1" >"$2.out" 2>&1; echo $? >"$2.exit.tmp"; mv "$2.exit.tmp" "$2.exit"' \
    local-cluster-job "$jobscript" "$spool/$id" </dev/null >/dev/null 2>&1 &
echo $! >"$spool/$id.pid"
echo "$id"
