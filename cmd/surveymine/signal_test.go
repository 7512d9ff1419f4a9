package main

import (
	"bufio"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"io/fs"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// stageOrder is the order in which `run` prints "<stage>: started".
var stageOrder = []string{"ingest", "segment", "code", "cluster", "crosstab", "write"}

// job describes a generated run for the signal and kill tests.
type job struct {
	name   string
	rows   int // survey respondents
	report int // paragraphs of random (so never cached) Chinese text; 0 = no report
}

var (
	// signalJob is big enough that every stage lasts a few hundred
	// milliseconds at least: the report keeps the segmenter busy, and 20
	// k-means restarts the clustering.
	signalJob = job{"signals", 12000, 2000}
	// killJob only needs a write stage of a second or so.
	killJob = job{"kill", 6000, 0}
)

var (
	jobMu   sync.Mutex
	jobDirs = map[string]string{}
)

// config writes the job's inputs and config, once per test binary run, and
// returns the config path.
func (j job) config(t *testing.T) string {
	t.Helper()
	jobMu.Lock()
	defer jobMu.Unlock()
	if dir, ok := jobDirs[j.name]; ok {
		return filepath.Join(dir, "config.yaml")
	}
	dir, err := os.MkdirTemp("", "surveymine-"+j.name+"-")
	if err != nil {
		t.Fatal(err)
	}
	jobDirs[j.name] = dir
	var stderr strings.Builder
	if err := run(t.Context(), []string{"sample", "--rows", fmt.Sprint(j.rows), "--seed", "5", "--out", filepath.Join(dir, "survey.csv")}, nil, io.Discard, &stderr); err != nil {
		t.Fatalf("sample: %v: %s", err, stderr.String())
	}
	cfg := "inputs:\n  surveys:\n    - path: survey.csv\n      id_column: 序号\n      text_columns: [\"6\"]\n      attribute_columns: [\"1\", \"2\"]\n      multi_columns: [\"5\"]\n"
	if j.report > 0 {
		rng := rand.New(rand.NewPCG(11, 12))
		var b strings.Builder
		for p := 0; p < j.report; p++ {
			for i := 0; i < 60; i++ {
				b.WriteRune(rune(0x4E00 + rng.IntN(3000)))
				if i == 29 {
					b.WriteString("，")
				}
			}
			b.WriteString("。\n\n")
		}
		writeFile(t, dir, "report.txt", b.String())
		cfg += "  reports:\n    - path: report.txt\n"
	}
	cfg += "codebook:\n  path: " + mustAbs(t, "../../configs/codebook/liangzhangpi.yaml") + "\ncluster:\n  k: 5\n  restarts: 20\n"
	return writeFile(t, dir, "config.yaml", cfg)
}

// snapshot returns every file and directory under dir with a digest of its
// contents, for checking that a directory is unchanged byte for byte.
func snapshot(t *testing.T, dir string) map[string]string {
	t.Helper()
	m := map[string]string{}
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		if d.IsDir() {
			m[rel] = "dir"
			return nil
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		sum := sha256.Sum256(b)
		m[rel] = hex.EncodeToString(sum[:])
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return m
}

func sameSnapshot(a, b map[string]string) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if b[k] != v {
			return false
		}
	}
	return true
}

// previousOutput fills dir with a stand-in for an earlier run's output.
func previousOutput(t *testing.T, dir string) map[string]string {
	t.Helper()
	if err := os.MkdirAll(filepath.Join(dir, "sub"), 0o755); err != nil {
		t.Fatal(err)
	}
	writeFile(t, dir, "previous.csv", "a,b\n1,2\n")
	writeFile(t, filepath.Join(dir, "sub"), "notes.txt", "kept\n")
	return snapshot(t, dir)
}

// child is a running `surveymine run` whose stderr lines are collected.
type child struct {
	cmd    *exec.Cmd
	mu     sync.Mutex
	stderr strings.Builder
	lines  chan string
	done   chan struct{} // closed when the process has exited
	exited time.Time
}

func startRun(t *testing.T, cfg, out string) *child {
	t.Helper()
	c := &child{lines: make(chan string, 1000), done: make(chan struct{})}
	c.cmd = exec.Command(binary(t), "run", "-v", "--config", cfg, "--out", out, "--force")
	pipe, err := c.cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := c.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() {
		sc := bufio.NewScanner(pipe)
		sc.Buffer(make([]byte, 1<<20), 1<<20)
		for sc.Scan() {
			c.mu.Lock()
			c.stderr.WriteString(sc.Text() + "\n")
			c.mu.Unlock()
			select {
			case c.lines <- sc.Text():
			default:
			}
		}
		close(c.lines)
		c.cmd.Wait()
		c.exited = time.Now()
		close(c.done)
	}()
	return c
}

// waitLine waits for the line want on stderr; false if the process ended
// (or 4 min passed) first.
func (c *child) waitLine(want string) bool {
	// Only a bound for a run that hangs: on a machine busy with other work
	// the stages before the last took 63-85 s, and 60 s failed the test.
	timeout := time.After(4 * time.Minute)
	for {
		select {
		case l, ok := <-c.lines:
			if !ok {
				return false
			}
			if l == want {
				return true
			}
		case <-timeout:
			return false
		}
	}
}

// wait waits up to limit for the process to exit; false if it did not (it
// is then killed).
func (c *child) wait(limit time.Duration) bool {
	select {
	case <-c.done:
		return true
	case <-time.After(limit):
		c.cmd.Process.Kill()
		<-c.done
		return false
	}
}

func (c *child) output() string {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.stderr.String()
}

// leftovers lists the hidden entries Dir creates beside out.
func leftovers(t *testing.T, out string) []string {
	t.Helper()
	l, err := filepath.Glob(filepath.Join(filepath.Dir(out), "."+filepath.Base(out)+".surveymine-*"))
	if err != nil {
		t.Fatal(err)
	}
	return l
}

// TestSignals sends SIGINT and SIGTERM to `surveymine run` as each stage
// starts, in a run that replaces an existing output directory: the process
// must stop in that stage within a second, exit 130 or 143, leave no
// staging directory and leave the previous output byte for byte as it was.
func TestSignals(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("no SIGTERM on windows")
	}
	cfg := signalJob.config(t)
	sigs := []struct {
		sig  syscall.Signal
		name string
		code int
	}{{syscall.SIGINT, "SIGINT", exitInterrupted}, {syscall.SIGTERM, "SIGTERM", exitTerminated}}
	// Per stage, one run per signal, both at once to halve the wall time.
	for si, stage := range stageOrder {
		t.Run(stage, func(t *testing.T) {
			var wg sync.WaitGroup
			for _, s := range sigs {
				wg.Go(func() {
					out := filepath.Join(t.TempDir(), "out")
					before := previousOutput(t, out)
					c := startRun(t, cfg, out)
					if !c.waitLine(stage + ": started") {
						c.wait(time.Minute)
						t.Errorf("%s: the run never started stage %s:\n%s", s.name, stage, c.output())
						return
					}
					sent := time.Now()
					c.cmd.Process.Signal(s.sig)
					if !c.wait(5 * time.Second) {
						t.Errorf("%s in stage %s: still running after 5 s, killed:\n%s", s.name, stage, c.output())
						return
					}
					took := c.exited.Sub(sent)
					log := c.output()
					t.Logf("%s in stage %s: exited after %v", s.name, stage, took.Round(time.Millisecond))
					if took > time.Second {
						t.Errorf("%s in stage %s: exited after %v, want within 1 s", s.name, stage, took)
					}
					if code := c.cmd.ProcessState.ExitCode(); code != s.code {
						t.Errorf("%s in stage %s: exit %d, want %d\n%s", s.name, stage, code, s.code, log)
					}
					for _, later := range stageOrder[si+1:] {
						if strings.Contains(log, "\n"+later+": started") {
							t.Errorf("%s sent as stage %s started, but stage %s started too: the stage ended before the signal was seen\n%s", s.name, stage, later, log)
						}
					}
					if !strings.Contains(log, "interrupted by "+s.name) {
						t.Errorf("stderr does not say the run was interrupted by %s:\n%s", s.name, log)
					}
					if got := snapshot(t, out); !sameSnapshot(before, got) {
						t.Errorf("%s in stage %s changed the previous output: %v, want %v", s.name, stage, got, before)
					}
					if l := leftovers(t, out); len(l) > 0 {
						t.Errorf("%s in stage %s left %v beside the output", s.name, stage, l)
					}
				})
			}
			wg.Wait()
		})
	}
}

// manifestComplete reports whether dir is a complete output: its manifest
// lists files that are all there with the recorded digests.
func manifestComplete(dir string) error {
	b, err := os.ReadFile(filepath.Join(dir, "manifest.json"))
	if err != nil {
		return err
	}
	var m struct {
		Outputs []struct {
			File   string `json:"file"`
			SHA256 string `json:"sha256"`
		} `json:"outputs"`
	}
	if err := json.Unmarshal(b, &m); err != nil {
		return err
	}
	if len(m.Outputs) < 10 {
		return fmt.Errorf("manifest lists %d outputs", len(m.Outputs))
	}
	for _, o := range m.Outputs {
		f, err := os.ReadFile(filepath.Join(dir, o.File))
		if err != nil {
			return err
		}
		if sum := sha256.Sum256(f); hex.EncodeToString(sum[:]) != o.SHA256 {
			return fmt.Errorf("%s does not match the manifest", o.File)
		}
	}
	return nil
}

// TestKillDuringWrite kills (SIGKILL) `surveymine run --force` at several
// points of its write stage: as it starts, once the first Parquet file is
// staged, once the workbook is staged, and once the report (written after
// every table) is staged. (TestKillDuringCommit in pipeline/output kills
// many times during the swap itself.) After each kill the output directory must be
// the previous output byte for byte, or (a kill that landed after the
// swap) a complete new output; each next run must clean up what the kill
// left, say so on stderr, and the last one, left alone, must succeed.
func TestKillDuringWrite(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("no SIGKILL on windows")
	}
	cfg := killJob.config(t)
	out := filepath.Join(t.TempDir(), "out")
	before := previousOutput(t, out)
	// old holds the staging directories a killed run left, which the next
	// run removes; staged only looks in new ones.
	old := map[string]bool{}
	staged := func(name string) func() bool {
		return func() bool {
			m, _ := filepath.Glob(filepath.Join(filepath.Dir(out), "."+filepath.Base(out)+".surveymine-tmp-*", name))
			for _, f := range m {
				if !old[filepath.Dir(f)] {
					return true
				}
			}
			return false
		}
	}
	points := []struct {
		name string
		when func() bool
	}{
		{"write started", func() bool { return true }},
		{"first parquet staged", staged("*.parquet")},
		{"workbook staged", staged("tables.xlsx")},
		{"report staged", staged("report.html")},
	}
	hadLeftovers := false
	for _, p := range points {
		c := startRun(t, cfg, out)
		if !c.waitLine("write: started") {
			c.wait(time.Minute)
			t.Fatalf("the run never reached the write stage:\n%s", c.output())
		}
		for !p.when() {
			select {
			case <-c.done:
				t.Fatalf("kill at %s: the run ended before that point:\n%s", p.name, c.output())
			case <-time.After(time.Millisecond):
			}
		}
		c.cmd.Process.Signal(syscall.SIGKILL)
		c.wait(10 * time.Second)
		if ws, ok := c.cmd.ProcessState.Sys().(syscall.WaitStatus); !ok || !ws.Signaled() {
			t.Fatalf("kill at %s: the run ended on its own:\n%s", p.name, c.output())
		}
		// Its Begin (before any file was staged) cleaned up after the
		// previous kill.
		if hadLeftovers && !strings.Contains(c.output(), "left by an interrupted run") {
			t.Errorf("kill at %s: the run after a kill did not say it cleaned up:\n%s", p.name, c.output())
		}
		now := snapshot(t, out)
		switch {
		case sameSnapshot(before, now):
		case manifestComplete(out) == nil:
			t.Logf("kill at %s landed after the swap: the new output is complete", p.name)
			before = now
		default:
			t.Fatalf("kill at %s: the output directory is neither the previous one nor a complete new one: %v", p.name, now)
		}
		// The lock file alone is no leftover to repair: the kernel released
		// its flock when the process died, and the next run simply takes it.
		hadLeftovers = slices.ContainsFunc(leftovers(t, out), func(l string) bool {
			return !strings.HasSuffix(l, ".surveymine-lock")
		})
		for _, l := range leftovers(t, out) {
			old[l] = true
		}
		t.Logf("kill at %s: left %v", p.name, leftovers(t, out))
	}
	c := startRun(t, cfg, out)
	c.wait(5 * time.Minute)
	if code := c.cmd.ProcessState.ExitCode(); code != 0 {
		t.Fatalf("run after the kills: exit %d\n%s", code, c.output())
	}
	if hadLeftovers && !strings.Contains(c.output(), "left by an interrupted run") {
		t.Errorf("the last run did not say it cleaned up:\n%s", c.output())
	}
	if err := manifestComplete(out); err != nil {
		t.Errorf("output after the kills: %v", err)
	}
	if l := leftovers(t, out); len(l) > 0 {
		t.Errorf("left beside the output after a clean run: %v", l)
	}
	ents, _ := os.ReadDir(out)
	if slices.ContainsFunc(ents, func(e os.DirEntry) bool { return e.Name() == "previous.csv" }) {
		t.Errorf("the output still holds previous.csv: it was merged, not replaced")
	}
}
