package main

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"surveymine/analysis/codebook"
	"surveymine/pipeline"
)

const codebookFile = "../../configs/codebook/liangzhangpi.yaml"

func TestCodebookListExport(t *testing.T) {
	data, err := os.ReadFile(codebookFile)
	if err != nil {
		t.Fatal(err)
	}
	cb, err := codebook.Parse(data, codebookFile)
	if err != nil {
		t.Fatal(err)
	}
	code, out, stderr := runCLI(t, "codebook", "list")
	if code != 0 {
		t.Fatalf("codebook list: exit %d: %s", code, stderr)
	}
	want := []string{"builtin:liangzhangpi\t" + cb.Name + "\tversion " + cb.Version}
	for _, c := range cb.Categories {
		want = append(want, "  "+strconv.Itoa(c.ID)+"\t"+c.Name+"\n")
	}
	for _, w := range want {
		if !strings.Contains(out, w) {
			t.Errorf("codebook list output lacks %q:\n%s", w, out)
		}
	}

	code, out, stderr = runCLI(t, "codebook", "export", "liangzhangpi")
	if code != 0 || out != string(data) {
		t.Errorf("codebook export liangzhangpi: exit %d, %d bytes; want the %d bytes of %s (%s)", code, len(out), len(data), codebookFile, stderr)
	}
	dst := filepath.Join(t.TempDir(), "my.yaml")
	if code, _, stderr := runCLI(t, "codebook", "export", "builtin:liangzhangpi", "--out", dst); code != 0 {
		t.Fatalf("codebook export --out: exit %d: %s", code, stderr)
	}
	if got, _ := os.ReadFile(dst); !bytes.Equal(got, data) {
		t.Errorf("codebook export --out wrote %d bytes, want %d", len(got), len(data))
	}
	code, _, stderr = runCLI(t, "codebook", "export", "liangzhangpii")
	if code != exitUsage || !strings.Contains(stderr, "liangzhangpii") || !strings.Contains(stderr, "liangzhangpi)") {
		t.Errorf("export of an unknown name: exit %d, stderr %q; want %d naming it and the built-in ones", code, stderr, exitUsage)
	}
}

// TestBuiltinCodebookRun runs the small job with the built-in codebook: the
// tables must be those of the run with the codebook file, and the manifest
// names the codebook with the sha256 of the file.
func TestBuiltinCodebookRun(t *testing.T) {
	viaFile := runJob(t)
	viaBuiltin := runJob(t, "--set", "codebook.path=builtin:liangzhangpi")
	for _, f := range tableFiles(t, viaFile, ".csv") {
		a, _ := os.ReadFile(f)
		b, err := os.ReadFile(filepath.Join(viaBuiltin, filepath.Base(f)))
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(a, b) {
			t.Errorf("%s differs between codebook file and builtin:liangzhangpi", filepath.Base(f))
		}
	}
	for _, name := range []string{"codes.csv", "respondent_codes.csv"} {
		if st, err := os.Stat(filepath.Join(viaBuiltin, name)); err != nil || st.Size() < 100 {
			t.Errorf("%s missing or empty with the built-in codebook: %v", name, err)
		}
	}
	data, err := os.ReadFile(codebookFile)
	if err != nil {
		t.Fatal(err)
	}
	sum := sha256.Sum256(data)
	for _, tc := range []struct{ dir, path string }{{viaBuiltin, "builtin:liangzhangpi"}, {viaFile, "liangzhangpi.yaml"}} {
		raw, err := os.ReadFile(filepath.Join(tc.dir, "manifest.json"))
		if err != nil {
			t.Fatal(err)
		}
		var m struct{ Codebook *pipeline.CodebookSource }
		if err := json.Unmarshal(raw, &m); err != nil {
			t.Fatal(err)
		}
		if m.Codebook == nil {
			t.Fatalf("manifest of %s has no codebook", tc.path)
		}
		got := *m.Codebook
		if got.Name != "两张皮成因" || got.Version == "" || got.SHA256 != hex.EncodeToString(sum[:]) || !strings.HasSuffix(got.Path, tc.path) {
			t.Errorf("manifest codebook = %+v, want name 两张皮成因, a version, sha256 %x and a path ending in %s", got, sum, tc.path)
		}
	}
}

func TestBuiltinCodebookErrors(t *testing.T) {
	code, _, stderr := runCLI(t, "validate", "--config", smallConfig, "--set", "codebook.path=builtin:nope")
	if code != exitUsage {
		t.Errorf("unknown built-in: exit %d, want %d (%s)", code, exitUsage, stderr)
	}
	for _, w := range []string{"codebook.path", `"nope"`, "builtin:liangzhangpi"} {
		if !strings.Contains(stderr, w) {
			t.Errorf("unknown built-in: stderr %q does not mention %q", stderr, w)
		}
	}
	code, out, stderr := runCLI(t, "codebook", "lint", "--no-corpus", "--config", smallConfig, "--set", "codebook.path=builtin:liangzhangpi")
	if code != 0 || !strings.Contains(stderr, "builtin:liangzhangpi:") {
		t.Errorf("codebook lint on the built-in: exit %d, stderr %q, stdout %q", code, stderr, out)
	}
}

// TestNoConfig runs commands in a folder without a config: a short
// message naming init and --config, exit 2; a surveymine.yaml there is
// found without --config.
func TestNoConfig(t *testing.T) {
	dir := t.TempDir()
	t.Chdir(dir)
	for _, cmd := range []string{"run", "validate"} {
		code, _, stderr := runCLI(t, cmd)
		if code != exitUsage {
			t.Errorf("%s without a config: exit %d, want %d", cmd, code, exitUsage)
		}
		for _, w := range []string{"surveymine init", "--config", "surveymine.yaml"} {
			if !strings.Contains(stderr, w) {
				t.Errorf("%s without a config: stderr %q does not mention %q", cmd, stderr, w)
			}
		}
		if n := strings.Count(stderr, "\n"); n > 5 {
			t.Errorf("%s without a config: %d lines of advice, want a short message:\n%s", cmd, n, stderr)
		}
	}
	writeFile(t, dir, "surveymine.yaml", "cluster:\n  k: 1\n")
	code, _, stderr := runCLI(t, "validate")
	if code != exitUsage || !strings.Contains(stderr, "surveymine.yaml: ") || !strings.Contains(stderr, "cluster.k") {
		t.Errorf("validate beside a surveymine.yaml with k: 1: exit %d, stderr %q; want it read and rejected", code, stderr)
	}
}
