package sample

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"testing"
)

// update rewrites the bundled sample files instead of comparing them:
//
//	go test ./internal/sample -run TestBundledSurvey -update
var update = flag.Bool("update", false, "rewrite ../../testdata/survey_wjx.csv from the generator")

// bundled is the recipe of testdata/survey_wjx.csv at the repository root.
var bundled = struct {
	path string
	opt  Options
}{filepath.Join("..", "..", "testdata", "survey_wjx.csv"), Options{Rows: 600, Seed: 20261127}}

func TestBundledSurvey(t *testing.T) {
	got := generate(t, bundled.opt)
	if *update {
		if err := os.WriteFile(bundled.path, got, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(bundled.path)
	if err != nil {
		t.Fatalf("read bundled survey: %v (run with -update to create it)", err)
	}
	if !bytes.Equal(got, want) {
		i := 0
		for i < min(len(got), len(want)) && got[i] == want[i] {
			i++
		}
		t.Fatalf("%s differs from Write(%+v) at byte %d (%d vs %d bytes); run go test ./internal/sample -run TestBundledSurvey -update and review git diff",
			bundled.path, bundled.opt, i, len(want), len(got))
	}
}
