package shardbeam

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/apache/beam/sdks/v2/go/pkg/beam"
	"github.com/apache/beam/sdks/v2/go/pkg/beam/testing/passert"
	"github.com/apache/beam/sdks/v2/go/pkg/beam/testing/ptest"

	"surveymine/pipeline"
	"surveymine/pipeline/shard"
)

// TestMain runs the pipelines on Prism in this process (loopback
// workers) unless --runner says otherwise.
func TestMain(m *testing.M) {
	ptest.MainWithDefault(m, "prism")
}

// root is the main module's directory: the sample job's config and inputs
// are there, and relative paths in its plan are relative to it.
func root(t *testing.T) string {
	t.Helper()
	dir, err := filepath.Abs(filepath.Join("..", ".."))
	if err != nil {
		t.Fatal(err)
	}
	return dir
}

// surveymine builds the main module's command, as its own tests do, and
// returns a function running it in the main module's directory.
func surveymine(t *testing.T) func(args ...string) {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "surveymine")
	build := exec.Command("go", "build", "-trimpath", "-o", bin, "./cmd/surveymine")
	build.Dir = root(t)
	if b, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go build ./cmd/surveymine: %v\n%s", err, b)
	}
	return func(args ...string) {
		t.Helper()
		cmd := exec.Command(bin, args...)
		cmd.Dir = root(t)
		if b, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("surveymine %s: %v\n%s", strings.Join(args, " "), err, b)
		}
	}
}

// TestSameAsRun plans the bundled sample job (configs/default.yaml: a
// survey with ids, reports with articles, a codebook, every output format)
// for 3 workers with `surveymine plan`, runs it once as one process and
// once through the Beam pipeline on Prism, and compares every output file
// byte for byte, except manifest.json (timings) and config.yaml (it names
// the output directory), as the main module's shard test does.
//
// The single run is in-process, as the main module's tests run it
// (pipeline.Execute with the config the plan holds, which is the config
// `surveymine run` loads): the report and the Parquet files name library
// versions from the binary's build information, which a test binary
// lacks, so both sides of the comparison must be test code or both
// binaries. beam/README.md shows the binaries compared as well.
func TestSameAsRun(t *testing.T) {
	t.Chdir(".") // the workers change to the plan's directory; restore ours after
	sm := surveymine(t)
	tmp := t.TempDir()
	plan := filepath.Join(tmp, "shards", shard.PlanFile)
	sm("plan", "-q", "--config", "configs/default.yaml", "--shards", "3", "--dir", filepath.Dir(plan))

	want := filepath.Join(tmp, "run")
	start := time.Now()
	runPlan(t, plan, want)
	t.Logf("single run in-process: %v", time.Since(start).Round(10*time.Millisecond))

	got := filepath.Join(tmp, "beam")
	p, s := beam.NewPipelineWithRoot()
	summary, err := Build(s, Options{Plan: plan, Out: got})
	if err != nil {
		t.Fatal(err)
	}
	passert.Count(s, summary, "merge summaries", 1)
	start = time.Now()
	if err := ptest.Run(p); err != nil {
		t.Fatalf("pipeline on %s: %v", ptest.DefaultRunner(), err)
	}
	t.Logf("beam pipeline on %s: %v", ptest.DefaultRunner(), time.Since(start).Round(10*time.Millisecond))
	sameTables(t, want, got)
	// The partials travelled through the pipeline, not the directory.
	if m, _ := filepath.Glob(filepath.Join(filepath.Dir(plan), "shard-*")); len(m) > 0 {
		t.Errorf("workers wrote %v to the plan's directory", m)
	}
}

// runPlan runs the plan's job in one process, as `surveymine run` does,
// writing to out.
func runPlan(t *testing.T, plan, out string) {
	t.Helper()
	lp, cfg, err := openPlan(plan, out, false)
	if err != nil {
		t.Fatal(err)
	}
	yml, err := savedConfig(cfg)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := pipeline.Execute(context.Background(), cfg, pipeline.Env{Version: lp.ToolVersion, ConfigYAML: yml}); err != nil {
		t.Fatalf("run %s: %v", plan, err)
	}
}

// sameTables fails unless dirs a and b hold the same files with the same
// bytes, except manifest.json and config.yaml.
func sameTables(t *testing.T, a, b string) {
	t.Helper()
	names := func(dir string) []string {
		es, err := os.ReadDir(dir)
		if err != nil {
			t.Fatal(err)
		}
		var out []string
		for _, e := range es {
			if e.Name() != "manifest.json" && e.Name() != "config.yaml" {
				out = append(out, e.Name())
			}
		}
		sort.Strings(out)
		return out
	}
	na, nb := names(a), names(b)
	if strings.Join(na, " ") != strings.Join(nb, " ") {
		t.Fatalf("files differ:\n%s: %v\n%s: %v", a, na, b, nb)
	}
	if len(na) < 40 {
		t.Fatalf("only %d files in %s", len(na), a)
	}
	for _, n := range na {
		da, err := os.ReadFile(filepath.Join(a, n))
		if err != nil {
			t.Fatal(err)
		}
		db, err := os.ReadFile(filepath.Join(b, n))
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(da, db) {
			t.Errorf("%s differs between surveymine run and the Beam pipeline", n)
		}
	}
}

// TestBuildMissingPlan: a missing plan fails when the pipeline is built, on
// the launcher, before any runner is involved.
func TestBuildMissingPlan(t *testing.T) {
	_, s := beam.NewPipelineWithRoot()
	_, err := Build(s, Options{Plan: filepath.Join(t.TempDir(), "plan.json")})
	if !os.IsNotExist(err) {
		t.Errorf("Build(missing plan) = %v, want a not-exist error", err)
	}
}
