// Package golden compares test output with files under testdata/ and
// rewrites them when the test binary runs with -update.
//
//	go test ./cmd/surveymine -run TestGolden -update
//
// then review `git diff` before committing the new files.
package golden

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite golden files")

// Update reports whether -update was given.
func Update() bool { return *update }

// Check compares got with the file at path, or writes it with -update. On
// a mismatch it reports the first differing line.
func Check(t testing.TB, path string, got []byte) {
	t.Helper()
	if *update {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("read golden file: %v (run with -update to create it)", err)
	}
	if bytes.Equal(got, want) {
		return
	}
	gl, wl := strings.Split(string(got), "\n"), strings.Split(string(want), "\n")
	for i := 0; i < max(len(gl), len(wl)); i++ {
		var g, w string
		if i < len(gl) {
			g = gl[i]
		}
		if i < len(wl) {
			w = wl[i]
		}
		if g != w {
			t.Errorf("%s: line %d differs:\n got: %.300s\nwant: %.300s\n(%d lines got, %d want; run with -update if the change is intended)", path, i+1, g, w, len(gl), len(wl))
			return
		}
	}
}
