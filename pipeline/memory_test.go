package pipeline

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"surveymine/analysis/segment"
	"surveymine/pipeline/ingest"
)

func TestParseSize(t *testing.T) {
	for _, c := range []struct {
		in   string
		want int64
	}{
		{"2000000000", 2_000_000_000},
		{"512MiB", 512 << 20},
		{"1GiB", 1 << 30},
		{" 1.5g ", 3 << 29},
		{"800MB", 800_000_000},
		{"2gb", 2_000_000_000},
		{"64k", 64 << 10},
		{"1TiB", 1 << 40},
	} {
		got, err := ParseSize(c.in)
		if err != nil || got != c.want {
			t.Errorf("ParseSize(%q) = %d, %v; want %d", c.in, got, err, c.want)
		}
	}
	for _, in := range []string{"", "GiB", "lots", "1.2.3G", "5 parsecs", "0", "-1G", "1e30"} {
		if got, err := ParseSize(in); err == nil {
			t.Errorf("ParseSize(%q) = %d, want an error", in, got)
		}
	}
}

func TestValidateMemory(t *testing.T) {
	for _, c := range []struct {
		in string
		ok bool
	}{{"", true}, {"1GiB", true}, {"128MiB", true}, {"100MiB", false}, {"much", false}} {
		cfg := &Config{Memory: c.in}
		if err := cfg.validateMemory(); (err == nil) != c.ok {
			t.Errorf("validateMemory(%q) = %v, want ok=%v", c.in, err, c.ok)
		}
	}
}

func TestClauseCacheSize(t *testing.T) {
	// 0 = no budget: the segmenter's default; a large budget never grows
	// the cache past it; 128 MiB gives 128 MiB / 50 / 320 bytes.
	for _, c := range []struct {
		budget int64
		want   int
	}{{0, 0}, {64 << 30, segment.DefaultCacheSize}, {128 << 20, 8388}} {
		if got := clauseCacheSize(c.budget); got != c.want {
			t.Errorf("clauseCacheSize(%d) = %d, want %d", c.budget, got, c.want)
		}
	}
}

func TestCheckBudget(t *testing.T) {
	// A sparse 100 MB file: its size is what the check reads.
	path := filepath.Join(t.TempDir(), "big.csv")
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := f.Truncate(100_000_000); err != nil {
		t.Fatal(err)
	}
	f.Close()
	cfg := &Config{File: "job.yaml", Inputs: ingest.Config{Surveys: []ingest.SurveyInput{{Path: path}}}}
	err = checkBudget(cfg, 100<<20)
	var ce *ConfigError
	if !errors.As(err, &ce) || ce.Key != "memory" {
		t.Fatalf("checkBudget(100 MB input, 100 MiB) = %v, want a ConfigError on memory", err)
	}
	// 100 MB × 1.2 = 120 MB = 114.4 MiB.
	for _, s := range []string{"95.4 MiB", "114.4 MiB", "100.0 MiB", "1.2×", "--memory"} {
		if !strings.Contains(err.Error(), s) {
			t.Errorf("error %q does not mention %q", err, s)
		}
	}
	if err := checkBudget(cfg, 1<<30); err != nil {
		t.Errorf("checkBudget(100 MB input, 1 GiB) = %v, want nil", err)
	}
	if err := checkBudget(cfg, 0); err != nil {
		t.Errorf("checkBudget(no budget) = %v, want nil", err)
	}
}
