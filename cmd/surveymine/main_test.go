package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"sort"
	"strings"
	"syscall"
	"testing"

	"surveymine/internal/golden"
	"surveymine/pipeline/output"
)

// TestMain removes the binary that binary() built once the tests are done.
func TestMain(m *testing.M) {
	code := m.Run()
	if builtBin != "" {
		os.RemoveAll(filepath.Dir(builtBin))
	}
	for _, dir := range jobDirs {
		os.RemoveAll(dir)
	}
	os.Exit(code)
}

// runCLI runs the command line in-process and returns the exit code and
// what went to stdout and stderr.
func runCLI(t *testing.T, args ...string) (int, string, string) {
	t.Helper()
	var out, errOut bytes.Buffer
	err := run(context.Background(), args, strings.NewReader(""), &out, &errOut)
	code := report(&errOut, err)
	return code, out.String(), errOut.String()
}

// writeFile writes content to dir/name and returns the path.
func writeFile(t *testing.T, dir, name, content string) string {
	t.Helper()
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

const smallConfig = "testdata/small/config.yaml"

func TestExitCodes(t *testing.T) {
	dir := t.TempDir()
	survey, err := os.ReadFile("testdata/small/survey.csv")
	if err != nil {
		t.Fatal(err)
	}
	writeFile(t, dir, "survey.csv", string(survey))
	base := "inputs:\n  surveys:\n    - path: survey.csv\n      text_columns: [\"6\"]\n      attribute_columns: [\"1\"]\n"
	cases := []struct {
		name     string
		config   string // written to dir/config.yaml; "" = no file
		args     []string
		wantCode int
		wantMsg  []string // substrings of stderr
	}{
		{"unknown top-level key", base + "clusters:\n  k: 3\n", nil, exitUsage, []string{"config.yaml", "clusters", "unknown key", `did you mean "cluster"`}},
		{"unknown nested key", base + "cluster:\n  kk: 3\n", nil, exitUsage, []string{"config.yaml", "cluster.kk", "unknown key"}},
		{"unknown key in list item", strings.Replace(base, "text_columns", "text_colums", 1), nil, exitUsage, []string{"inputs.surveys[0].text_colums"}},
		{"missing input file", strings.Replace(base, "survey.csv", "nope.csv", 1), nil, exitUsage, []string{"nope.csv"}},
		{"missing column", strings.Replace(base, `text_columns: ["6"]`, `text_columns: ["请谈谈您的看法"]`, 1), nil, exitUsage, []string{"请谈谈您的看法"}},
		{"bad value", base + "cluster:\n  k: 1\n", nil, exitUsage, []string{"cluster.k", "got 1"}},
		{"bad weighted test", base + "crosstab:\n  weighted_test: wald\n", nil, exitUsage, []string{"crosstab.weighted_test", `"wald"`}},
		{"bad memory", base + "memory: lots\n", nil, exitUsage, []string{"config.yaml", "memory", `"lots"`}},
		{"memory below minimum", base, []string{"--set", "memory=64MiB"}, exitUsage, []string{"memory", "128MiB"}},
		{"unknown --set key", base, []string{"--set", "cluster.kay=3"}, exitUsage, []string{"cluster.kay", "unknown config key"}},
		{"missing config file", "", nil, exitUsage, []string{"config.yaml"}},
		{"unknown flag", base, []string{"--no-such-flag"}, exitUsage, []string{"unknown flag"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			cfg := filepath.Join(dir, "config.yaml")
			os.Remove(cfg)
			if tc.config != "" {
				writeFile(t, dir, "config.yaml", tc.config)
			}
			args := append([]string{"validate", "--config", cfg}, tc.args...)
			code, _, stderr := runCLI(t, args...)
			if code != tc.wantCode {
				t.Fatalf("surveymine %s: exit %d, want %d; stderr:\n%s", strings.Join(args, " "), code, tc.wantCode, stderr)
			}
			for _, m := range tc.wantMsg {
				if !strings.Contains(stderr, m) {
					t.Errorf("stderr %q does not mention %q", stderr, m)
				}
			}
		})
	}
	t.Run("unknown command", func(t *testing.T) {
		if code, _, stderr := runCLI(t, "frobnicate"); code != exitUsage {
			t.Errorf("exit %d, want %d (%s)", code, exitUsage, stderr)
		}
	})
}

func TestExitCodeMapping(t *testing.T) {
	if got := exitCode(context.Canceled); got != exitInterrupted {
		t.Errorf("exitCode(context.Canceled) = %d, want %d", got, exitInterrupted)
	}
	if got := exitCode(errors.New("disk full")); got != exitInternal {
		t.Errorf("exitCode(other) = %d, want %d", got, exitInternal)
	}
	// A run cancelled by a signal: run attaches the context's cause to the
	// stage's context.Canceled, and report maps it to 128 + the signal.
	for _, tc := range []struct {
		sig  os.Signal
		code int
		name string
	}{{os.Interrupt, exitInterrupted, "SIGINT"}, {syscall.SIGTERM, exitTerminated, "SIGTERM"}} {
		ctx, cancel := context.WithCancelCause(context.Background())
		cancel(&signalError{tc.sig})
		err := withCause(ctx, fmt.Errorf("stage 3 (code): %w", ctx.Err()))
		var b bytes.Buffer
		if got := report(&b, err); got != tc.code {
			t.Errorf("report(cancelled by %s) = %d, want %d", tc.name, got, tc.code)
		}
		if !strings.Contains(b.String(), "interrupted by "+tc.name) {
			t.Errorf("report(cancelled by %s) printed %q", tc.name, b.String())
		}
	}
	// Cancelled for another reason: no signal to name, 130.
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if got := exitCode(withCause(ctx, ctx.Err())); got != exitInterrupted {
		t.Errorf("exitCode(cancelled without a signal) = %d, want %d", got, exitInterrupted)
	}
	if got := exitCode(fmt.Errorf("write: %w", output.ErrOutputBusy)); got != exitUsage {
		t.Errorf("exitCode(ErrOutputBusy) = %d, want %d", got, exitUsage)
	}
}

func TestEnvironmentPrecedence(t *testing.T) {
	// flag > environment > file > default
	cfg := smallConfig
	opts := loadOptions{File: cfg, Environ: []string{"SURVEYMINE_CLUSTER_K=6", "SURVEYMINE_SEED=9"}}
	c, err := loadConfig(opts)
	if err != nil {
		t.Fatal(err)
	}
	if c.Cluster.K != 6 || c.Seed != 9 {
		t.Errorf("with environment: k = %d, seed = %d, want 6, 9", c.Cluster.K, c.Seed)
	}
	opts.Sets = []string{"cluster.k=5"}
	if c, err = loadConfig(opts); err != nil {
		t.Fatal(err)
	}
	if c.Cluster.K != 5 {
		t.Errorf("with --set over environment: k = %d, want 5", c.Cluster.K)
	}
	if c.Cluster.Restarts != 3 {
		t.Errorf("file value: restarts = %d, want 3", c.Cluster.Restarts)
	}
	if _, err := loadConfig(loadOptions{File: cfg, Environ: []string{"SURVEYMINE_CLUSTR_K=6"}}); err == nil || !strings.Contains(err.Error(), "SURVEYMINE_CLUSTR_K") {
		t.Errorf("unknown environment key: err = %v, want it named", err)
	}
}

func TestPrintConfig(t *testing.T) {
	code, out, stderr := runCLI(t, "run", "--config", smallConfig, "--set", "cluster.k=7", "--print-config")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	for _, want := range []string{"k: 7", "restarts: 3", "seed: 42", "testdata/small/survey.csv"} {
		if !strings.Contains(out, want) {
			t.Errorf("--print-config output lacks %q:\n%s", want, out)
		}
	}
}

func TestInitWritesValidConfig(t *testing.T) {
	dir := t.TempDir()
	if code, _, stderr := runCLI(t, "init", dir); code != 0 {
		t.Fatalf("init: exit %d: %s", code, stderr)
	}
	if code, _, _ := runCLI(t, "init", dir); code != exitUsage {
		t.Errorf("second init without --force: exit %d, want %d", code, exitUsage)
	}
	// The starter names survey.csv with columns 5, 6, 1, 2: give it one.
	survey, err := os.ReadFile("testdata/small/survey.csv")
	if err != nil {
		t.Fatal(err)
	}
	writeFile(t, dir, "survey.csv", string(survey))
	if code, _, stderr := runCLI(t, "validate", "--config", filepath.Join(dir, starterName)); code != 0 {
		t.Fatalf("validate starter config: exit %d: %s", code, stderr)
	}
}

func TestConfigsValidate(t *testing.T) {
	files, _ := filepath.Glob("../../configs/*.yaml")
	if len(files) == 0 {
		t.Fatal("no configs found")
	}
	for _, f := range files {
		t.Run(filepath.Base(f), func(t *testing.T) {
			if code, _, stderr := runCLI(t, "validate", "--config", f); code != 0 {
				t.Errorf("validate %s: exit %d: %s", f, code, stderr)
			}
		})
	}
}

// runJob runs the small golden case into a fresh directory and returns it.
func runJob(t *testing.T, extra ...string) string {
	t.Helper()
	out := filepath.Join(t.TempDir(), "out")
	args := append([]string{"run", "-q", "--config", smallConfig, "--out", out}, extra...)
	if code, _, stderr := runCLI(t, args...); code != 0 {
		t.Fatalf("surveymine %s: exit %d:\n%s", strings.Join(args, " "), code, stderr)
	}
	return out
}

// tableFiles returns the files of dir with the given extension, sorted.
func tableFiles(t *testing.T, dir, ext string) []string {
	t.Helper()
	files, err := filepath.Glob(filepath.Join(dir, "*"+ext))
	if err != nil {
		t.Fatal(err)
	}
	sort.Strings(files)
	return files
}

func TestGolden(t *testing.T) {
	t.Run("small", func(t *testing.T) { checkGolden(t, runJob(t), "small") })
	t.Run("default", func(t *testing.T) {
		// The job README's first command runs: configs/default.yaml on the
		// bundled sample survey and reports, in CSV only.
		out := filepath.Join(t.TempDir(), "out")
		args := []string{"run", "-q", "--config", "../../configs/default.yaml", "--out", out, "--set", "output.formats=csv"}
		if code, _, stderr := runCLI(t, args...); code != 0 {
			t.Fatalf("surveymine %s: exit %d:\n%s", strings.Join(args, " "), code, stderr)
		}
		checkGolden(t, out, "default")
	})
}

// checkGolden compares every CSV table in out with testdata/<name>/want.
func checkGolden(t *testing.T, out, name string) {
	t.Helper()
	csvs := tableFiles(t, out, ".csv")
	if len(csvs) < 10 {
		t.Fatalf("only %d CSV tables written", len(csvs))
	}
	for _, f := range csvs {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		golden.Check(t, filepath.Join("testdata", name, "want", filepath.Base(f)), data)
	}
	wantFiles, _ := filepath.Glob(filepath.Join("testdata", name, "want", "*.csv"))
	if !golden.Update() && len(wantFiles) != len(csvs) {
		t.Errorf("run wrote %d CSV tables, golden directory has %d", len(csvs), len(wantFiles))
	}
}

// TestDeterministic runs the job twice with the default GOMAXPROCS and once
// with GOMAXPROCS=1: every table file must be byte-identical.
func TestDeterministic(t *testing.T) {
	a := runJob(t)
	b := runJob(t)
	prev := runtime.GOMAXPROCS(1)
	c := runJob(t)
	runtime.GOMAXPROCS(prev)
	for _, ext := range []string{".csv", ".arrow", ".parquet"} {
		for _, fa := range tableFiles(t, a, ext) {
			name := filepath.Base(fa)
			da, _ := os.ReadFile(fa)
			for _, other := range []string{b, c} {
				db, err := os.ReadFile(filepath.Join(other, name))
				if err != nil {
					t.Fatal(err)
				}
				if !bytes.Equal(da, db) {
					t.Errorf("%s differs between runs (%s vs %s)", name, a, other)
				}
			}
		}
	}
}

// TestSavedConfigReruns runs the job, then reruns it from the config.yaml
// it saved, from another working directory: the tables must be the same.
func TestSavedConfigReruns(t *testing.T) {
	first := runJob(t)
	second := filepath.Join(t.TempDir(), "again")
	wd, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	if err := os.Chdir(t.TempDir()); err != nil {
		t.Fatal(err)
	}
	defer os.Chdir(wd)
	if code, _, stderr := runCLI(t, "run", "-q", "--config", filepath.Join(first, "config.yaml"), "--out", second); code != 0 {
		t.Fatalf("rerun from the saved config: exit %d: %s", code, stderr)
	}
	for _, f := range tableFiles(t, first, ".csv") {
		a, _ := os.ReadFile(f)
		b, err := os.ReadFile(filepath.Join(second, filepath.Base(f)))
		if err != nil {
			t.Fatal(err)
		}
		// File columns hold the input paths as configured: relative in the
		// first run, absolute in the rerun.
		b = bytes.ReplaceAll(b, []byte(filepath.ToSlash(filepath.Join(wd, "testdata"))+"/"), []byte("testdata/"))
		b = bytes.ReplaceAll(b, []byte(filepath.ToSlash(filepath.Join(wd, "..", "..", "testdata"))+"/"), []byte("../../testdata/"))
		if !bytes.Equal(a, b) {
			t.Errorf("%s differs when rerun from the saved config", filepath.Base(f))
		}
	}
}
