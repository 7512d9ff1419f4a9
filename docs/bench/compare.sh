#!/usr/bin/env bash
# compare.sh — race surveymine against the Python peer pipeline on the same
# generated 问卷星 export, on the same machine, in one session, and print a
# summary table. See docs/BENCHMARKS.md ("End-to-end run vs the Python peer").
#
# Usage (from anywhere in the checkout):
#
#   docs/bench/compare.sh [ROWS ...]          # default: 100000
#
# Environment:
#   WORK      work directory (default /tmp/surveymine-bench); inputs, outputs,
#             /usr/bin/time logs, profiles and summary.md land here
#   SEED      seed of the generated file (default 1)
#   REPS      repetitions of every run (default 1); runs alternate ours/peer
#   VARIANTS  which of our runs (default "all apc apc-nocb"):
#               all        every output format (arrow parquet csv xlsx html md)
#               apc        --set output.formats=arrow,parquet,csv (the peer
#                          writes CSV + Feather V1; Debian has no pyarrow)
#               apc-nocb   apc and --set codebook.path= (no codebook coding:
#                          the peer has no deductive coding step)
#   PEER      peer script (default /work/shared/bench/python_pipeline.py)
#   PY        interpreter for the peer and quality.py (default /usr/bin/python3)
#   RSS_CAP_MB  kill a run whose process tree exceeds this RSS in MiB (default 14000),
#             so a blow-up cannot take the shared machine down; the run is
#             then reported as "killed"
#   PROFILE   if 1, our "all" run also writes cpu.prof and mem.prof
#   OURS_ENV  extra VAR=value words for our runs only, e.g. GOMEMLIMIT=9GiB
#   REV       if set (e.g. HEAD), build surveymine from `git archive REV`
#             instead of the working tree, which other people may be editing
#
# Needs: go, GNU time (/usr/bin/time), and for the peer the Debian packages
#   python3-jieba python3-sklearn python3-pandas python3-scipy
#   python3-feather-format.
#
# Peak RSS is reported twice: "maxrss" is /usr/bin/time -v's figure (largest
# single process: the peer's jieba workers are separate processes), "tree" is
# the sum of the RSS of every process in the run's session, sampled every 0.2 s.
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO=$(cd "$HERE/../.." && pwd)
WORK=${WORK:-/tmp/surveymine-bench}
SEED=${SEED:-1}
REPS=${REPS:-1}
VARIANTS=${VARIANTS:-"all apc apc-nocb"}
PEER=${PEER:-/work/shared/bench/python_pipeline.py}
PY=${PY:-/usr/bin/python3}
RSS_CAP_MB=${RSS_CAP_MB:-14000}
PROFILE=${PROFILE:-0}
SIZES=("$@")
[ ${#SIZES[@]} -gt 0 ] || SIZES=(100000)

TEXT_COL='6、请结合工作实际，谈谈您认为造成“两张皮”问题的原因：'
ATTRS='1、您所在单位的类型：,2、您的职级：'

mkdir -p "$WORK"
SM="$WORK/surveymine"
if [ -n "${REV:-}" ]; then
	src="$WORK/src"
	rm -rf "$src" && mkdir -p "$src"
	(cd "$REPO" && git archive "$REV") | tar -x -C "$src"
	(cd "$src" && go build -o "$SM" ./cmd/surveymine)
	echo "surveymine built from $(cd "$REPO" && git rev-parse --short "$REV")"
else
	(cd "$REPO" && go build -o "$SM" ./cmd/surveymine)
	echo "surveymine built from the working tree of $(cd "$REPO" && git rev-parse --short HEAD)"
fi

# tree_rss_mb SID: summed RSS (MB) of every process in session SID.
tree_rss_mb() {
	# ps exits 1 once the session is gone; with pipefail and set -e that
	# must not end the script.
	{ ps -o rss= --sid "$1" 2>/dev/null || true; } | awk '{s += $1} END {printf "%d", s / 1024}'
}

# measure NAME CMD...: runs CMD in its own session under /usr/bin/time -v,
# sampling the session's summed RSS; writes NAME.time, NAME.err, NAME.tree.
measure() {
	local name=$1
	shift
	rm -f "$name.killed"
	local t0
	t0=$(date +%s.%N)
	setsid -w /usr/bin/time -v -o "$name.time" "$@" 2>"$name.err" &
	local pid=$! peak=0 cur killed=0
	sleep 0.05
	while kill -0 "$pid" 2>/dev/null; do
		cur=$(tree_rss_mb "$pid")
		[ "${cur:-0}" -gt "$peak" ] && peak=$cur
		if [ "${cur:-0}" -gt "$RSS_CAP_MB" ]; then
			echo "compare.sh: $name exceeded RSS_CAP_MB=$RSS_CAP_MB ($cur MB), killing" >&2
			kill -KILL -- "-$pid" 2>/dev/null || true
			killed=1
		fi
		sleep 0.2
	done
	wait "$pid" 2>/dev/null || true
	echo "$peak" >"$name.tree"
	echo "$(date +%s.%N) $t0" | awk '{printf "%.2f", $1 - $2}' >"$name.wall"
	[ "$killed" = 0 ] || echo killed >"$name.killed"
}

# report_row N RUN REP LOG STAGES: one summary line; a run stopped at the RSS
# cap has no /usr/bin/time figures, so its wall time is the script's own
# clock and its RSS the sampled tree peak.
report_row() {
	local log=$4
	if [ -e "$log.killed" ]; then
		row "| $1 | $2 | $3 | >$(cat "$log.wall") (killed) | — | — | >$(cat "$log.tree") | killed at RSS_CAP_MB=$RSS_CAP_MB; $5 |"
		return
	fi
	row "| $1 | $2 | $3 | $(wall_s "$log.time") | $(awk '/User time|System time/ {s += $NF} END {print s}' "$log.time") | $(($(field "$log.time" "Maximum resident") / 1024)) | $(cat "$log.tree") | $5 |"
}

# field FILE LABEL: value of a /usr/bin/time -v line.
field() { grep -F "$2" "$1" | head -1 | sed 's/.*: //'; }

# wall_s FILE: elapsed wall time of a /usr/bin/time -v log, in seconds.
wall_s() {
	field "$1" "Elapsed (wall clock)" | awk -F: '{ if (NF == 3) print $1*3600 + $2*60 + $3; else print $1*60 + $2 }'
}

summary="$WORK/summary.md"
: >"$summary"
row() { printf '%s\n' "$*" | tee -a "$summary"; }

row "| rows | run | rep | wall s | user+sys s | maxrss MiB | tree RSS MiB | stages (s) |"
row "|---|---|---|---|---|---|---|---|"

for n in "${SIZES[@]}"; do
	csv="$WORK/s$n.csv"
	[ -s "$csv" ] || "$SM" sample --rows "$n" --seed "$SEED" --out "$csv"
	cfg="$WORK/bench-$n.yaml"
	sed "s#@INPUT@#$csv#; s#@REPO@#$REPO#" "$HERE/bench.yaml" >"$cfg"
	for rep in $(seq 1 "$REPS"); do
		for v in $VARIANTS; do
			out="$WORK/ours-$v-$n"
			args=(run --config "$cfg" --set "output.dir=$out")
			case $v in
			all) [ "$PROFILE" = 1 ] && args+=(--cpuprofile "$WORK/cpu-$n.prof" --memprofile "$WORK/mem-$n.prof") ;;
			apc) args+=(--set output.formats=arrow,parquet,csv) ;;
			apc-nocb) args+=(--set output.formats=arrow,parquet,csv --set codebook.path=) ;;
			*) echo "compare.sh: unknown variant $v" >&2; exit 2 ;;
			esac
			log="$WORK/ours-$v-$n-r$rep"
			rm -rf "$out" # a run stopped at the cap must not leave old outputs to score
			# shellcheck disable=SC2086 # OURS_ENV is a list of words
			measure "$log" env ${OURS_ENV:-} "$SM" "${args[@]}"
			stages=$(grep -o '^[a-z]*: done in [0-9.]* s' "$log.err" | sed 's/: done in /=/; s/ s$//' | paste -sd' ' || true)
			report_row "$n" "ours $v" "$rep" "$log" "$stages"
		done
		pout="$WORK/peer-$n"
		log="$WORK/peer-$n-r$rep"
		rm -rf "$pout"
		measure "$log" "$PY" "$PEER" --input "$csv" --text "$TEXT_COL" --attrs "$ATTRS" \
			--id-col 序号 --label-col 真实原因 --k 9 --out "$pout"
		stages=$(grep '^{' "$log.err" | "$PY" -c 'import json, sys; r = json.loads(sys.stdin.read()); print(" ".join(f"{k}={v}" for k, v in r["stages_s"].items()))' 2>/dev/null || echo "no JSON line")
		report_row "$n" peer "$rep" "$log" "$stages"
	done
done

echo
echo "Clustering quality (k = 9, same rows both sides; see docs/bench/quality.py):"
# Every variant clusters the same way (same seed, k and terms; the codebook
# only matters with cluster.guided), so the first variant that wrote
# documents.csv is scored.
for n in "${SIZES[@]}"; do
	for v in $VARIANTS; do
		ours="$WORK/ours-$v-$n"
		[ -s "$ours/documents.csv" ] && [ -s "$WORK/peer-$n/assignments.csv" ] || continue
		echo "$n rows, ours $v:" | tee -a "$summary"
		"$PY" "$HERE/quality.py" "$WORK/s$n.csv" "$ours" "$WORK/peer-$n" | tee -a "$summary"
		[ -s "$ours/cluster_quality.csv" ] && echo "(ours' own cluster_quality.csv: $(tr '\n' ' ' <"$ours/cluster_quality.csv"))" | tee -a "$summary"
		break
	done
done
echo "summary written to $summary"
