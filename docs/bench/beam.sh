#!/usr/bin/env bash
# beam.sh — `surveymine run` against plan + the Beam adapter (beam/, on Prism
# in-process) on the same job, on this machine; checks with cmp that every
# output file but manifest.json and config.yaml is byte-identical, and prints
# wall and CPU seconds. See beam/README.md and docs/BENCHMARKS.md ("Shard and
# merge").
#
# Usage (from anywhere in the checkout):
#
#   docs/bench/beam.sh             # the bundled sample, configs/default.yaml
#   docs/bench/beam.sh 100000      # a generated file of that many rows, docs/bench/bench.yaml
#
# Environment: WORK (default /tmp/surveymine-beam), N workers (default 3),
# REPS repetitions (default 3), FORMATS (generated files only; default
# arrow,parquet,csv).
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO=$(cd "$HERE/../.." && pwd)
WORK=${WORK:-/tmp/surveymine-beam}
N=${N:-3}
REPS=${REPS:-3}
FORMATS=${FORMATS:-arrow,parquet,csv}
mkdir -p "$WORK"
SM="$WORK/surveymine"
SB="$WORK/surveymine-beam"
(cd "$REPO" && go build -trimpath -ldflags='-s -w' -o "$SM" ./cmd/surveymine)
(cd "$REPO/beam" && go build -trimpath -ldflags='-s -w' -o "$SB" ./cmd/surveymine-beam)
ls -l "$SM" "$SB"

cd "$REPO"
sets=()
cfg=configs/default.yaml
if [ $# -gt 0 ]; then
	csv="$WORK/s$1.csv"
	[ -s "$csv" ] || "$SM" sample --rows "$1" --seed 1 --out "$csv"
	cfg="$WORK/bench-$1.yaml"
	sed "s#@INPUT@#$csv#; s#@REPO@#$REPO#" "$HERE/bench.yaml" >"$cfg"
	sets=(--set "output.formats=$FORMATS")
fi

cpu() { awk '/User time|System time/ {s += $NF} END {print s}' "$1"; }
wall() { grep -F "Elapsed (wall clock)" "$1" | sed 's/.*: //' | awk -F: '{ if (NF == 3) print $1*3600 + $2*60 + $3; else print $1*60 + $2 }'; }

echo "| rep | run wall s | run CPU s | plan + beam (Prism) wall s | CPU s | tables identical |"
echo "|---|---|---|---|---|---|"
for r in $(seq 1 "$REPS"); do
	rm -rf "$WORK/run" "$WORK/beam" "$WORK/shards"
	/usr/bin/time -v -o "$WORK/run.time" "$SM" run -q --config "$cfg" "${sets[@]}" --out "$WORK/run"
	/usr/bin/time -v -o "$WORK/plan.time" "$SM" plan -q --config "$cfg" "${sets[@]}" --shards "$N" --dir "$WORK/shards"
	/usr/bin/time -v -o "$WORK/beam.time" "$SB" --plan "$WORK/shards/plan.json" --out "$WORK/beam" 2>"$WORK/beam.log"
	same=yes
	for f in "$WORK"/run/*; do
		b=$(basename "$f")
		case $b in manifest.json | config.yaml) continue ;; esac
		cmp -s "$f" "$WORK/beam/$b" || { same="no ($b)"; break; }
	done
	bw=$(echo "$(wall "$WORK/plan.time") + $(wall "$WORK/beam.time")" | bc)
	bc_=$(echo "$(cpu "$WORK/plan.time") + $(cpu "$WORK/beam.time")" | bc)
	echo "| $r | $(wall "$WORK/run.time") | $(cpu "$WORK/run.time") | $bw | $bc_ | $same |"
done
