#!/bin/sh
# Clustering quality of every surveymine method against the Python peer's
# k-means, on the labelled sets in ../shared/data/eval/ and on the synthetic
# sample, scored on identical rows (docs/BENCHMARKS.md, "Clustering quality
# on labelled short texts").
#
#   docs/bench/quality.sh [WORK_DIR]        # default /tmp/surveymine-quality
#
# Environment: SHARED (default: ../shared beside the checkout), SYN_ROWS
# (synthetic sample size, default 10000), METHODS (default "auto kmeans lsa
# gsdmm"), SWEEP=0 to skip the criterion sweep, PEER=0 to skip the peer.
# Needs Debian's /usr/bin/python3 with pandas, scikit-learn, scipy and, for
# the peer, jieba (apt-get install -y python3-jieba python3-sklearn
# python3-pandas python3-scipy python3-feather-format).
set -eu
REPO=$(cd "$(dirname "$0")/../.." && pwd)
SHARED=${SHARED:-$REPO/../shared}
W=${1:-/tmp/surveymine-quality}
SYN_ROWS=${SYN_ROWS:-10000}
METHODS=${METHODS:-auto kmeans lsa gsdmm btm}
SWEEP=${SWEEP:-1}
PEER=${PEER:-1}
PY=/usr/bin/python3
mkdir -p "$W"
(cd "$REPO" && go build -o "$W/surveymine" ./cmd/surveymine)
SM="$W/surveymine"
"$SM" sample --rows "$SYN_ROWS" --seed 1 --out "$W/synthetic.csv"
SYN_TEXT='6、请结合工作实际，谈谈您认为造成“两张皮”问题的原因：'

# name|file|id column|text column (ours)|text column (peer)|label column|k|sweep k range
SETS="toutiao|$SHARED/data/eval/toutiao_titles.csv|id|title|title|label|15|8 22
tnews|$SHARED/data/eval/tnews_dev.csv|id|sentence|sentence|label|15|8 22
synthetic|$W/synthetic.csv|序号|6|$SYN_TEXT|真实原因|9|4 14"

config() { # file id text label k method out [extra yaml under cluster:]
	lsa=""
	[ "$6" = lsa ] && lsa="  lsa: 100"
	cat >"$7.yaml" <<YAML
inputs:
  surveys:
    - path: $1
      id_column: $2
      text_columns: ["$3"]
      truth_column: $4
cluster:
  k: $5
  method: $6
$lsa
${8:-}
seed: 1
output:
  dir: $7
  force: true
  formats: [csv]
YAML
}

seconds() { # manifest stage
	"$PY" -c "import json,sys; m=json.load(open(sys.argv[1])); print('%.2f' % [s['seconds'] for s in m['stages'] if s['stage']==sys.argv[2]][0])" "$1" "$2"
}

echo "set,method,n,nmi,ari,purity,cluster_s,chosen"
echo "$SETS" | while IFS='|' read -r name file idc text ptext label k range; do
	args=""
	for m in $METHODS; do
		out="$W/ours-$name-$m"
		config "$file" "$idc" "$text" "$label" "$k" "$m" "$out"
		"$SM" run -q --config "$out.yaml" >"$out.log" 2>&1 || { echo "$name,$m: surveymine failed, see $out.log" >&2; continue; }
		args="$args ours-$m=$out/documents.csv"
	done
	if [ "$PEER" = 1 ]; then
		if "$PY" "$SHARED/bench/python_pipeline.py" --input "$file" --text "$ptext" --attrs "" \
			--id-col "$idc" --label-col "$label" --k "$k" --out "$W/peer-$name" >"$W/peer-$name.log" 2>&1; then
			args="$args peer=$W/peer-$name/assignments.csv"
		else
			echo "$name: the peer failed, see $W/peer-$name.log" >&2
		fi
	fi
	# shellcheck disable=SC2086
	"$PY" "$REPO/docs/bench/score.py" "$file" "$idc" "$label" $args | tail -n +2 | while IFS=, read -r who n nmi ari pur; do
		m=${who#ours-}
		secs="" chosen=""
		if [ "$who" != peer ]; then
			secs=$(seconds "$W/ours-$name-$m/manifest.json" cluster)
			chosen=$("$PY" -c "import json,sys; print(json.load(open(sys.argv[1]))['facts'].get('cluster_method_used',''))" "$W/ours-$name-$m/manifest.json")
		fi
		echo "$name,$m,$n,$nmi,$ari,$pur,$secs,$chosen"
	done
done

[ "$SWEEP" = 1 ] || exit 0
echo
echo "# criterion sweep: every method x k on each set (auto, k = 0), Spearman rho with NMI"
sweeps=""
echo "$SETS" | while IFS='|' read -r name file idc text ptext label k range; do
	set -- $range
	out="$W/sweep-$name"
	config "$file" "$idc" "$text" "$label" 0 auto "$out" "  k_min: $1
  k_max: $2"
	"$SM" run -q --config "$out.yaml" >"$out.log" 2>&1 || echo "$name: sweep failed, see $out.log" >&2
done
"$PY" "$REPO/docs/bench/criterion.py" toutiao="$W/sweep-toutiao/k_sweep.csv" tnews="$W/sweep-tnews/k_sweep.csv" synthetic="$W/sweep-synthetic/k_sweep.csv"
