#!/bin/sh
# Local driver for a sharded job: plan, N worker processes through xargs -P,
# then merge; the same commands a Slurm array or a Kubernetes Indexed Job
# runs (see docs/scale-out.md and examples/).
#
#   scripts/shards-local.sh N CONFIG DIR [merge flags: --out OUT --force …]
#
# SURVEYMINE names the binary (default: surveymine on PATH). Workers run
# N at a time; a failed worker stops the script before merge (xargs exits
# 123), and rerunning the script replans, so rerun a single worker by hand
# (surveymine shard --plan DIR/plan.json --index I) to keep the others.
set -eu
if [ $# -lt 3 ]; then
	echo "usage: $0 N CONFIG DIR [merge flags]" >&2
	exit 2
fi
n=$1 config=$2 dir=$3
shift 3
bin=${SURVEYMINE:-surveymine}
"$bin" plan -q --config "$config" --shards "$n" --dir "$dir"
i=0
while [ "$i" -lt "$n" ]; do
	echo "$i"
	i=$((i + 1))
done | xargs -P "$n" -I{} "$bin" shard -q --plan "$dir/plan.json" --index {}
"$bin" merge -q --plan "$dir/plan.json" "$@"
