#!/usr/bin/env bash
# Builds the release archives of surveymine for every desktop:
#   windows/amd64 (.zip), darwin/arm64, darwin/amd64, linux/amd64, linux/arm64 (.tar.gz)
# and a SHA256SUMS file over them. Each archive holds one folder
# surveymine-VERSION-OS-ARCH/ with the binary (dictionaries and the built-in
# codebooks inside), README.md, SHA256SUMS of its own files, and example/ with a
# starter config (surveymine.yaml) and the synthetic 问卷星 sample it runs on.
#
# Reproducible: static (CGO_ENABLED=0), -trimpath, no VCS stamp, every entry
# sorted and dated at the commit time (SOURCE_DATE_EPOCH overrides it). The
# same commit and Go version give byte-identical archives.
#
# Usage: scripts/release.sh [OUTDIR]       (default: dist)
#   VERSION=v1.2.0 scripts/release.sh     (default: git describe --tags --always --dirty)
#   TARGETS="linux/amd64" scripts/release.sh
set -euo pipefail
cd "$(dirname "$0")/.."

out=${1:-dist}
version=${VERSION:-$(git describe --tags --always --dirty 2>/dev/null || echo dev)}
epoch=${SOURCE_DATE_EPOCH:-$(git log -1 --format=%ct 2>/dev/null || echo 0)}
targets=${TARGETS:-"windows/amd64 darwin/arm64 darwin/amd64 linux/amd64 linux/arm64"}

mkdir -p "$out"
out=$(cd "$out" && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# The archiver is built once for the host.
go build -trimpath -o "$work/archive" ./scripts/archive

archives=()
for target in $targets; do
  goos=${target%/*}
  goarch=${target#*/}
  name="surveymine-$version-$goos-$goarch"
  stage="$work/$name"
  exe=surveymine
  [ "$goos" = windows ] && exe=surveymine.exe
  mkdir -p "$stage/example"
  start=$(date +%s)
  CGO_ENABLED=0 GOOS=$goos GOARCH=$goarch GOFLAGS= \
    go build -trimpath -buildvcs=false -ldflags "-s -w -X main.version=$version" \
    -o "$stage/$exe" ./cmd/surveymine
  cp README.md "$stage/README.md"
  cp cmd/surveymine/starter.yaml "$stage/example/surveymine.yaml"
  cp testdata/survey_wjx.csv "$stage/example/survey.csv"
  (cd "$stage" && find . -type f ! -name SHA256SUMS | LC_ALL=C sort | sed 's|^\./||' | xargs sha256sum > SHA256SUMS)
  ext=tar.gz
  [ "$goos" = windows ] && ext=zip
  "$work/archive" -o "$out/$name.$ext" -dir "$name" -mtime "$epoch" -exec "$name/$exe" "$stage"
  archives+=("$name.$ext")
  size=$(stat -c %s "$stage/$exe" 2>/dev/null || stat -f %z "$stage/$exe")
  echo "$name.$ext: binary $((size / 1024 / 1024)) MB, built in $(( $(date +%s) - start ))s" >&2
done
(cd "$out" && sha256sum "${archives[@]}" > SHA256SUMS)
echo "wrote ${#archives[@]} archives and SHA256SUMS to $out" >&2
