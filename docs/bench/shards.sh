#!/usr/bin/env bash
# shards.sh — a single `surveymine run` against plan + shard×N + merge on
# the same generated 问卷星 export, on this machine, one after the other;
# checks that the tables are byte-identical and prints a summary table.
# See docs/BENCHMARKS.md ("Shard and merge") and docs/scale-out.md.
#
# Usage (from anywhere in the checkout):
#
#   docs/bench/shards.sh [ROWS ...]        # default: 100000
#
# Environment:
#   WORK     work directory (default /tmp/surveymine-shards); inputs, outputs,
#            /usr/bin/time logs and summary.md land here
#   SEED     seed of the generated file (default 1)
#   NS       worker counts to try (default "1 2")
#   FORMATS  output formats (default arrow,parquet,csv)
#   PAR      workers run at once (default: all N); PAR=1 runs them one after
#            the other, so that peak memory stays that of one process (each
#            worker reads the whole input)
#
# The job is docs/bench/bench.yaml (codebook on, k = 9). The N workers run
# at once (xargs -P N) on this machine's cores, so with N ≥ cores this
# measures the overhead of sharding, not the speed-up of N machines.
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO=$(cd "$HERE/../.." && pwd)
WORK=${WORK:-/tmp/surveymine-shards}
SEED=${SEED:-1}
NS=${NS:-"1 2"}
PAR=${PAR:-}
FORMATS=${FORMATS:-arrow,parquet,csv}
SIZES=("$@")
[ ${#SIZES[@]} -gt 0 ] || SIZES=(100000)

mkdir -p "$WORK"
SM="$WORK/surveymine"
(cd "$REPO" && go build -o "$SM" ./cmd/surveymine)
cd "$WORK"

summary="$WORK/summary.md"
: >"$summary"
row() { printf '%s\n' "$*" | tee -a "$summary"; }

# field FILE LABEL: value of a /usr/bin/time -v line.
field() { grep -F "$2" "$1" | head -1 | sed 's/.*: //'; }
wall() { field "$1" "Elapsed (wall clock)" | awk -F: '{ if (NF == 3) print $1*3600 + $2*60 + $3; else print $1*60 + $2 }'; }
cpu() { awk '/User time|System time/ {s += $NF} END {print s}' "$1"; }
rss() { echo $(($(field "$1" "Maximum resident") / 1024)); }
timed() { # timed LOG CMD...: run CMD under /usr/bin/time -v, stderr to LOG.err
	local log=$1
	shift
	/usr/bin/time -v -o "$log.time" "$@" 2>"$log.err"
}
seconds() { date +%s.%N; }

row "| rows | job | wall s | CPU s (user+sys) | peak RSS MiB (largest process) | tables identical to run |"
row "|---|---|---|---|---|---|"
for n in "${SIZES[@]}"; do
	csv="$WORK/s$n.csv"
	[ -s "$csv" ] || "$SM" sample --rows "$n" --seed "$SEED" --out "$csv"
	cfg="$WORK/bench-$n.yaml"
	sed "s#@INPUT@#$csv#; s#@REPO@#$REPO#" "$HERE/bench.yaml" >"$cfg"
	run="$WORK/run-$n"
	timed "$WORK/run-$n" "$SM" run --config "$cfg" --set "output.dir=$run" --set "output.formats=$FORMATS"
	row "| $n | run | $(wall "$WORK/run-$n.time") | $(cpu "$WORK/run-$n.time") | $(rss "$WORK/run-$n.time") | — |"
	for k in $NS; do
		dir="$WORK/shards-$n-$k"
		out="$WORK/merged-$n-$k"
		rm -rf "$dir" "$out"
		log="$WORK/n$n-k$k"
		t0=$(seconds)
		timed "$log-plan" "$SM" plan -q --config "$cfg" --set "output.dir=$out" --set "output.formats=$FORMATS" --shards "$k" --dir "$dir"
		t1=$(seconds)
		seq 0 $((k - 1)) | xargs -P "${PAR:-$k}" -I{} /usr/bin/time -v -o "$log-shard-{}.time" "$SM" shard -q --plan "$dir/plan.json" --index {}
		t2=$(seconds)
		timed "$log-merge" "$SM" merge --plan "$dir/plan.json"
		t3=$(seconds)
		same=yes
		for f in "$run"/*; do
			b=$(basename "$f")
			case $b in manifest.json | config.yaml) continue ;; esac
			cmp -s "$f" "$out/$b" || { same="NO ($b)"; break; }
		done
		shard_cpu=0 shard_rss=0
		for i in $(seq 0 $((k - 1))); do
			shard_cpu=$(echo "$shard_cpu + $(cpu "$log-shard-$i.time")" | bc)
			r=$(rss "$log-shard-$i.time")
			[ "$r" -gt "$shard_rss" ] && shard_rss=$r
		done
		total_cpu=$(echo "$(cpu "$log-plan.time") + $shard_cpu + $(cpu "$log-merge.time")" | bc)
		stages=$(grep -o '^[a-z]*: done in [0-9.]* s' "$log-merge.err" | sed 's/: done in /=/; s/ s$//' | paste -sd' ' || true)
		row "| $n | plan | $(printf %.2f "$(echo "$t1 - $t0" | bc)") | $(cpu "$log-plan.time") | $(rss "$log-plan.time") | |"
		row "| $n | shard ×$k (${PAR:-$k} at once) | $(printf %.2f "$(echo "$t2 - $t1" | bc)") | $shard_cpu | $shard_rss | |"
		row "| $n | merge ($stages) | $(wall "$log-merge.time") | $(cpu "$log-merge.time") | $(rss "$log-merge.time") | |"
		row "| $n | **plan + shard ×$k + merge** | **$(printf %.2f "$(echo "$t3 - $t0" | bc)")** | $total_cpu | | $same |"
	done
done
