package main

import (
	"bufio"
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"surveymine/pipeline/shard"
)

// shardConfig is the bundled sample job: a survey with ids, reports with
// articles, a codebook, every output format.
const shardConfig = "../../configs/default.yaml"

// mustCLI runs a command line in-process and fails the test unless it
// exits 0.
func mustCLI(t *testing.T, args ...string) {
	t.Helper()
	if code, _, stderr := runCLI(t, args...); code != 0 {
		t.Fatalf("surveymine %s: exit %d:\n%s", strings.Join(args, " "), code, stderr)
	}
}

// runOnce runs the sample job as one process, once per test binary.
var runOnceDir string

func singleRun(t *testing.T) string {
	t.Helper()
	if runOnceDir == "" {
		dir, err := os.MkdirTemp("", "surveymine-shard-run-")
		if err != nil {
			t.Fatal(err)
		}
		jobDirs["shard single run"] = dir
		runOnceDir = filepath.Join(dir, "out")
		mustCLI(t, "run", "-q", "--config", shardConfig, "--out", runOnceDir)
	}
	return runOnceDir
}

// sameTables fails unless dirs a and b hold the same files with the same
// bytes, except manifest.json (timings) and config.yaml (names the output
// directory).
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
			t.Errorf("%s differs between run and plan+shard+merge", n)
		}
	}
}

// planJob writes a plan of n workers for the sample job into a new
// directory and returns the plan's path.
func planJob(t *testing.T, n int, extra ...string) string {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "shards")
	mustCLI(t, append([]string{"plan", "-q", "--config", shardConfig, "--shards", strconv.Itoa(n), "--dir", dir}, extra...)...)
	return filepath.Join(dir, "plan.json")
}

// TestShardMergeSameAsRun: run vs plan + N workers + merge, for N = 1, 3
// and 7, compares every output file byte for byte. N = 3 goes through the
// local driver script with separate worker processes (part-of-speech ids,
// for one, are interned per process); N = 1 and 7 run in-process.
func TestShardMergeSameAsRun(t *testing.T) {
	want := singleRun(t)
	for _, n := range []int{1, 7} {
		t.Run("in-process/"+strconv.Itoa(n), func(t *testing.T) {
			plan := planJob(t, n)
			// Workers in reverse order: the order they finish in is free.
			for i := n - 1; i >= 0; i-- {
				mustCLI(t, "shard", "-q", "--plan", plan, "--index", strconv.Itoa(i))
			}
			out := filepath.Join(t.TempDir(), "merged")
			mustCLI(t, "merge", "-q", "--plan", plan, "--out", out)
			sameTables(t, want, out)
		})
	}
	t.Run("driver/3", func(t *testing.T) {
		bin := binary(t)
		dir := filepath.Join(t.TempDir(), "shards")
		out := filepath.Join(t.TempDir(), "merged")
		cmd := exec.Command("sh", "../../scripts/shards-local.sh", "3", shardConfig, dir, "--out", out)
		cmd.Env = append(os.Environ(), "SURVEYMINE="+bin)
		if b, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("shards-local.sh: %v\n%s", err, b)
		}
		sameTables(t, want, out)
	})
}

// TestShardBadPartials: merge refuses a missing, duplicated, stale,
// foreign or corrupt partial with exit code 4 and a message naming it,
// and a changed input with the same code.
func TestShardBadPartials(t *testing.T) {
	plan := planJob(t, 3)
	for i := 0; i < 3; i++ {
		mustCLI(t, "shard", "-q", "--plan", plan, "--index", strconv.Itoa(i))
	}
	dir := filepath.Dir(plan)
	// Every case works on a copy of the good directory.
	cases := []struct {
		name  string
		spoil func(t *testing.T, dir string)
		want  []string
	}{
		{"missing manifest", func(t *testing.T, dir string) {
			os.Remove(filepath.Join(dir, "shard-0001.json"))
		}, []string{"shard-0001.json", "missing", "--index 1"}},
		{"missing partial", func(t *testing.T, dir string) {
			os.Remove(filepath.Join(dir, "shard-0002.partial"))
		}, []string{"shard-0002.partial", "missing"}},
		{"duplicated", func(t *testing.T, dir string) {
			copyFile(t, filepath.Join(dir, "shard-0000.json"), filepath.Join(dir, "shard-0002.json"))
		}, []string{"shard-0002.json", "duplicate", "worker 0"}},
		{"corrupt", func(t *testing.T, dir string) {
			p := filepath.Join(dir, "shard-0001.partial")
			b, _ := os.ReadFile(p)
			b[len(b)/2] ^= 0x55
			os.WriteFile(p, b, 0o644)
		}, []string{"shard-0001.partial", "corrupt"}},
		{"truncated", func(t *testing.T, dir string) {
			p := filepath.Join(dir, "shard-0000.partial")
			b, _ := os.ReadFile(p)
			os.WriteFile(p, b[:len(b)/3], 0o644)
		}, []string{"shard-0000.partial", "corrupt or incomplete"}},
		{"from another plan", func(t *testing.T, dir string) {
			// A plan of other settings in the same directory: the
			// partials are now stale.
			mustCLI(t, "plan", "-q", "--config", shardConfig, "--shards", "3", "--dir", dir, "--set", "cluster.k=5")
		}, []string{"shard-0000.json", "shard-0001.json", "shard-0002.json", "stale"}},
		{"left from a bigger plan", func(t *testing.T, dir string) {
			copyFile(t, filepath.Join(dir, "shard-0000.json"), filepath.Join(dir, "shard-0005.json"))
		}, []string{"shard-0005.json", "not a file of this plan's 3 workers"}},
		{"partial of another worker", func(t *testing.T, dir string) {
			// Swapped partials with their manifests' hashes fixed up: the
			// partial's own header still says whose it is.
			a, b := filepath.Join(dir, "shard-0000.partial"), filepath.Join(dir, "shard-0001.partial")
			da, _ := os.ReadFile(a)
			db, _ := os.ReadFile(b)
			os.WriteFile(a, db, 0o644)
			os.WriteFile(b, da, 0o644)
			m0, m1 := filepath.Join(dir, shard.ManifestName(0)), filepath.Join(dir, shard.ManifestName(1))
			b0, _ := os.ReadFile(m0)
			b1, _ := os.ReadFile(m1)
			os.WriteFile(m0, []byte(swapPartialFields(string(b0), string(b1))), 0o644)
			os.WriteFile(m1, []byte(swapPartialFields(string(b1), string(b0))), 0o644)
		}, []string{"shard-0000.partial", "belongs to worker 1"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			bad := filepath.Join(t.TempDir(), "shards")
			copyDir(t, dir, bad)
			tc.spoil(t, bad)
			code, _, stderr := runCLI(t, "merge", "-q", "--plan", filepath.Join(bad, "plan.json"), "--out", filepath.Join(t.TempDir(), "out"))
			if code != exitPartials {
				t.Errorf("merge: exit %d, want %d:\n%s", code, exitPartials, stderr)
			}
			for _, w := range tc.want {
				if !strings.Contains(stderr, w) {
					t.Errorf("merge: stderr lacks %q:\n%s", w, stderr)
				}
			}
		})
	}

	t.Run("input changed", func(t *testing.T) {
		work := t.TempDir()
		copyFile(t, "testdata/small/survey.csv", filepath.Join(work, "survey.csv"))
		cfg := writeFile(t, work, "config.yaml", "inputs:\n  surveys:\n    - path: survey.csv\n      id_column: 序号\n      text_columns: [\"6\"]\n      attribute_columns: [\"1\"]\n")
		dir := filepath.Join(work, "shards")
		mustCLI(t, "plan", "-q", "--config", cfg, "--shards", "2", "--dir", dir)
		f, err := os.OpenFile(filepath.Join(work, "survey.csv"), os.O_APPEND|os.O_WRONLY, 0)
		if err != nil {
			t.Fatal(err)
		}
		f.WriteString("\n")
		f.Close()
		for _, args := range [][]string{
			{"shard", "-q", "--plan", filepath.Join(dir, "plan.json"), "--index", "0"},
			{"merge", "-q", "--plan", filepath.Join(dir, "plan.json")},
		} {
			code, _, stderr := runCLI(t, args...)
			if code != exitPartials || !strings.Contains(stderr, "survey.csv") || !strings.Contains(stderr, "changed since the plan") {
				t.Errorf("%s: exit %d, want %d naming survey.csv:\n%s", args[0], code, exitPartials, stderr)
			}
		}
	})
}

// swapPartialFields returns manifest m with the partial_bytes and
// partial_sha256 lines of other.
func swapPartialFields(m, other string) string {
	field := func(s, key string) string {
		for _, line := range strings.Split(s, "\n") {
			if strings.Contains(line, `"`+key+`"`) {
				return line
			}
		}
		return ""
	}
	for _, k := range []string{"partial_bytes", "partial_sha256"} {
		m = strings.Replace(m, field(m, k), field(other, k), 1)
	}
	return m
}

func copyFile(t *testing.T, from, to string) {
	t.Helper()
	b, err := os.ReadFile(from)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(to, b, 0o644); err != nil {
		t.Fatal(err)
	}
}

func copyDir(t *testing.T, from, to string) {
	t.Helper()
	if err := os.MkdirAll(to, 0o755); err != nil {
		t.Fatal(err)
	}
	es, err := os.ReadDir(from)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range es {
		if e.Type().IsRegular() {
			copyFile(t, filepath.Join(from, e.Name()), filepath.Join(to, e.Name()))
		}
	}
}

// TestShardIndexFromEnv: without --index the worker takes its index from
// SLURM_ARRAY_TASK_ID, else JOB_COMPLETION_INDEX; with neither it is a
// usage error that names both.
func TestShardIndexFromEnv(t *testing.T) {
	plan := planJob(t, 3)
	dir := filepath.Dir(plan)
	t.Setenv("SLURM_ARRAY_TASK_ID", "")
	t.Setenv("JOB_COMPLETION_INDEX", "")
	code, _, stderr := runCLI(t, "shard", "-q", "--plan", plan)
	if code != exitUsage || !strings.Contains(stderr, "SLURM_ARRAY_TASK_ID") || !strings.Contains(stderr, "JOB_COMPLETION_INDEX") {
		t.Errorf("shard without index: exit %d, want %d naming both variables:\n%s", code, exitUsage, stderr)
	}
	t.Setenv("JOB_COMPLETION_INDEX", "2")
	mustCLI(t, "shard", "-q", "--plan", plan)
	t.Setenv("SLURM_ARRAY_TASK_ID", "1") // Slurm's wins over Kubernetes'
	mustCLI(t, "shard", "-q", "--plan", plan)
	for _, i := range []int{1, 2} {
		if _, err := os.Stat(filepath.Join(dir, shard.ManifestName(i))); err != nil {
			t.Errorf("worker %d from the environment: %v", i, err)
		}
	}
	if _, err := os.Stat(filepath.Join(dir, shard.ManifestName(0))); err == nil {
		t.Error("worker 0 ran, but no variable named it")
	}
	t.Setenv("SLURM_ARRAY_TASK_ID", "3")
	if code, _, stderr := runCLI(t, "shard", "-q", "--plan", plan); code != exitUsage || !strings.Contains(stderr, "out of range") {
		t.Errorf("shard index 3 of 3: exit %d, want %d (out of range):\n%s", code, exitUsage, stderr)
	}
	t.Setenv("SLURM_ARRAY_TASK_ID", "x")
	if code, _, stderr := runCLI(t, "shard", "-q", "--plan", plan); code != exitUsage || !strings.Contains(stderr, `SLURM_ARRAY_TASK_ID="x"`) {
		t.Errorf("SLURM_ARRAY_TASK_ID=x: exit %d, want %d:\n%s", code, exitUsage, stderr)
	}
}

// TestShardKilledAndRerun kills a worker process (SIGKILL) in the middle
// of its work, checks that merge then names the missing worker, reruns the
// worker and compares the merged tables with a single run's. The workers
// run from another directory than plan did: they change to the plan's.
func TestShardKilledAndRerun(t *testing.T) {
	bin := binary(t)
	want := singleRun(t)
	plan := planJob(t, 2)
	elsewhere := t.TempDir()
	worker := func(i int) *exec.Cmd {
		cmd := exec.Command(bin, "shard", "--plan", plan, "--index", strconv.Itoa(i))
		cmd.Dir = elsewhere
		return cmd
	}
	if b, err := worker(0).CombinedOutput(); err != nil {
		t.Fatalf("worker 0: %v\n%s", err, b)
	}
	// Worker 1: killed once it reports the segment stage (progress lines
	// go to stderr when it is not a terminal).
	cmd := worker(1)
	stderr, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	sc := bufio.NewScanner(stderr)
	killed := false
	for sc.Scan() {
		if strings.HasPrefix(sc.Text(), "segment: started") {
			cmd.Process.Signal(syscall.SIGKILL)
			killed = true
			break
		}
	}
	for sc.Scan() {
	}
	err = cmd.Wait()
	if !killed || err == nil {
		t.Fatalf("worker 1 was not killed halfway (killed %v, wait %v)", killed, err)
	}
	out := filepath.Join(t.TempDir(), "merged")
	code, _, msg := runCLI(t, "merge", "-q", "--plan", plan, "--out", out)
	if code != exitPartials || !strings.Contains(msg, "shard-0001.json") {
		t.Fatalf("merge after a killed worker: exit %d, want %d naming shard-0001.json:\n%s", code, exitPartials, msg)
	}
	if _, err := os.Stat(out); err == nil {
		t.Error("merge refused but wrote the output directory")
	}
	start := time.Now()
	if b, err := worker(1).CombinedOutput(); err != nil {
		t.Fatalf("worker 1 rerun: %v\n%s", err, b)
	}
	t.Logf("worker 1 rerun: %v", time.Since(start))
	mustCLI(t, "merge", "-q", "--plan", plan, "--out", out)
	sameTables(t, want, out)
}
