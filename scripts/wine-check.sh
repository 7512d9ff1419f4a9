#!/usr/bin/env bash
# Runs the windows/amd64 build of surveymine under Wine on this Linux machine:
#   1. the config, path and init --from tests of cmd/surveymine compiled for Windows
#      (drive letters, backslashes, Chinese folder names, CRLF/BOM/UTF-16 configs);
#   2. the windows/amd64 binary on the bundled sample: init --from, validate, run,
#      and a comparison of its tables with the linux/amd64 binary's.
# Needs Debian's wine64, and, because Wine 8.0 lacks the ProcessPrng function Go's
# Windows runtime calls, the MinGW compiler for the stand-in DLL in scripts/wine/:
#   apt-get install --no-install-recommends wine64 gcc-mingw-w64-x86-64-win32
# Usage: scripts/wine-check.sh [windows-binary.exe]   (default: builds one)
set -euo pipefail
cd "$(dirname "$0")/.."

wine=$(command -v wine64 || command -v wine || true)
[ -z "$wine" ] && [ -x /usr/lib/wine/wine64 ] && wine=/usr/lib/wine/wine64
if [ -z "$wine" ]; then
  echo "wine-check: no wine64 (apt-get install --no-install-recommends wine64)" >&2
  exit 1
fi
work=$(mktemp -d)
wineserver=$(dirname "$(readlink -f "$wine")")/wineserver
trap '"$wineserver" -k 2>/dev/null || true; rm -rf "$work" 2>/dev/null || true' EXIT
export WINEPREFIX="$work/wineprefix" WINEDEBUG=-all
"$wine" --version >&2
"$wine" wineboot -i >/dev/null 2>&1
sys32="$WINEPREFIX/drive_c/windows/system32"
if [ ! -e "$sys32/bcryptprimitives.dll" ]; then
  if ! command -v x86_64-w64-mingw32-gcc >/dev/null; then
    echo "wine-check: this Wine lacks bcryptprimitives.dll; install gcc-mingw-w64-x86-64-win32 to build the stand-in" >&2
    exit 1
  fi
  x86_64-w64-mingw32-gcc -O2 -shared -o "$sys32/bcryptprimitives.dll" scripts/wine/bcryptprimitives.c -ladvapi32 -Wl,--kill-at
fi

exe=${1:-}
if [ -z "$exe" ]; then
  exe="$work/surveymine.exe"
  CGO_ENABLED=0 GOOS=windows GOARCH=amd64 go build -trimpath -buildvcs=false -o "$exe" ./cmd/surveymine
fi
CGO_ENABLED=0 GOOS=windows GOARCH=amd64 go test -c -buildvcs=false -o "$work/cmdtest.exe" ./cmd/surveymine
go build -trimpath -buildvcs=false -o "$work/surveymine" ./cmd/surveymine

echo "== cmd/surveymine tests in the windows build" >&2
(cd cmd/surveymine && "$wine" "$work/cmdtest.exe" -test.v -test.count=1 \
  -test.run 'TestConfigPathsResolve|TestConfigTextForms|TestConfigRelPath|TestInitFrom|TestNoConfig|TestBuiltinCodebook|TestCodebookListExport') \
  > "$work/tests.log" 2>&1 || true
# Wine 8.0 cannot delete files the way Go 1.26's os.RemoveAll does on Windows, so every
# test's TempDir cleanup fails ("unlinkat …: Invalid function"). Those lines come from
# testing.go; a failed check of ours is a line from a _test.go file.
grep -E '^(=== RUN|--- |    --- )' "$work/tests.log" | grep -v '^=== RUN' >&2
if grep -qE '_test\.go:[0-9]+:|^panic:|fatal error' "$work/tests.log" || ! grep -q -- '--- ' "$work/tests.log" \
   || grep -E '^\s+testing\.go:[0-9]+:' "$work/tests.log" | grep -qv 'TempDir RemoveAll cleanup: unlinkat .*: Invalid function'; then
  cat "$work/tests.log" >&2
  echo "wine-check: tests failed" >&2
  exit 1
fi
echo "wine-check: every check passed ($(grep -c -- '--- PASS\|--- FAIL' "$work/tests.log") tests and subtests; failures, if listed, are Wine's TempDir cleanup only)" >&2

echo "== windows binary on the sample, from a folder with a Chinese name" >&2
proj="$work/两张皮 项目"
mkdir -p "$proj"
cp testdata/survey_wjx.csv "$proj/问卷星导出.csv"
(cd "$proj" && "$wine" "$exe" init . --from 问卷星导出.csv && "$wine" "$exe" validate \
  && "$wine" "$exe" run -q --out 结果 --set output.formats=csv,xlsx,html,md) >&2
(cd "$proj" && "$work/surveymine" run -q --out linux-out --set output.formats=csv) >&2
for t in codes respondent_codes clusters crosstab_tests documents; do
  # File columns name the input as configured, the same on both systems.
  if ! cmp -s "$proj/结果/$t.csv" "$proj/linux-out/$t.csv"; then
    echo "wine-check: $t.csv differs between the windows and linux binaries" >&2
    exit 1
  fi
done
ls "$proj/结果" | tr '\n' ' ' >&2
echo >&2
echo "wine-check: ok (windows/amd64 tests pass; the sample run's tables equal the linux binary's)" >&2
