#!/bin/bash
# Submit a sharded surveymine job to Slurm: plan on the login node, a job
# array of N workers, and a merge job that starts only when every worker
# succeeded (afterok). Run it from the project directory, on a file system
# the compute nodes share (the config's relative paths are relative to it).
#
#   examples/slurm/submit.sh CONFIG N [SHARED_DIR]
set -euo pipefail
if [ $# -lt 2 ]; then
	echo "usage: $0 CONFIG N [SHARED_DIR]" >&2
	exit 2
fi
config=$1 n=$2 dir=${3:-$PWD/shards}
here=$(cd "$(dirname "$0")" && pwd)
mkdir -p logs
surveymine plan --config "$config" --shards "$n" --dir "$dir"
array=$(sbatch --parsable --array=0-$((n - 1)) --export=ALL,PLAN="$dir/plan.json" "$here/shard.sbatch")
sbatch --dependency=afterok:"$array" --export=ALL,PLAN="$dir/plan.json" "$here/merge.sbatch"
