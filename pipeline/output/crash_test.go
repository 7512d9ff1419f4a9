package output

import (
	"bufio"
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

// TestRecoverLeftovers builds, by hand, each state a run killed during
// the write stage can leave, and checks that the next Begin repairs it:
// the previous output (or, once swapped in, the new one) is the target,
// and nothing else is left beside it once the new Dir is done.
func TestRecoverLeftovers(t *testing.T) {
	cases := []struct {
		name        string
		setup       func(t *testing.T, parent string) // builds the state; target is parent/out
		wantTarget  string                            // content of out/f.csv after Begin
		wantNotices int
	}{
		{"staging dir of a run killed while writing", func(t *testing.T, p string) {
			writeFileT(t, filepath.Join(p, "out", "f.csv"), "previous")
			writeFileT(t, filepath.Join(p, ".out.surveymine-tmp-123", "f.csv"), "half")
		}, "previous", 1},
		{"killed between moving the previous output aside and the new one in", func(t *testing.T, p string) {
			writeFileT(t, filepath.Join(p, ".out.surveymine-old-abc", "f.csv"), "previous")
			writeFileT(t, filepath.Join(p, ".out.surveymine-tmp-123", "f.csv"), "new")
		}, "previous", 2},
		{"killed after moving the new output in", func(t *testing.T, p string) {
			writeFileT(t, filepath.Join(p, "out", "f.csv"), "new")
			writeFileT(t, filepath.Join(p, ".out.surveymine-old-abc", "f.csv"), "previous")
		}, "new", 1},
		{"killed while removing the swapped-out previous output", func(t *testing.T, p string) {
			writeFileT(t, filepath.Join(p, "out", "f.csv"), "new")
			writeFileT(t, filepath.Join(p, ".out.surveymine-tmp-123", "sub", "g.csv"), "previous")
		}, "new", 1},
		{"stale lock file only", func(t *testing.T, p string) {
			writeFileT(t, filepath.Join(p, "out", "f.csv"), "previous")
			writeFileT(t, filepath.Join(p, ".out.surveymine-lock"), "")
		}, "previous", 0},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			parent := t.TempDir()
			tc.setup(t, parent)
			// Leftovers of another output directory in the same parent
			// belong to it and must not be touched.
			writeFileT(t, filepath.Join(parent, ".out2.surveymine-tmp-9", "x.csv"), "other")
			target := filepath.Join(parent, "out")
			d, err := Begin(target, true)
			if err != nil {
				t.Fatalf("Begin = %v", err)
			}
			if got := readFileT(t, filepath.Join(target, "f.csv")); got != tc.wantTarget {
				t.Errorf("after Begin out/f.csv = %q, want %q", got, tc.wantTarget)
			}
			if got := d.Notices(); len(got) != tc.wantNotices {
				t.Errorf("Notices() = %q, want %d notices", got, tc.wantNotices)
			}
			d.Abort()
			if got, want := strings.Join(listDir(t, parent), ","), ".out2.surveymine-tmp-9,out"; got != want {
				t.Errorf("parent holds %s, want %s", got, want)
			}
		})
	}
}

// TestDirBusy: a second Begin on the same target while the first Dir is
// open fails with ErrOutputBusy and leaves the first one working.
func TestDirBusy(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("no flock")
	}
	parent := t.TempDir()
	target := filepath.Join(parent, "out")
	d, err := Begin(target, false)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := Begin(target, false); !errors.Is(err, ErrOutputBusy) {
		t.Fatalf("second Begin = %v, want ErrOutputBusy", err)
	}
	if _, err := os.Stat(d.Path()); err != nil {
		t.Fatalf("second Begin removed the first one's staging directory: %v", err)
	}
	writeFileT(t, filepath.Join(d.Path(), "f.csv"), "new")
	if err := d.Commit(); err != nil {
		t.Fatal(err)
	}
	d2, err := Begin(target, true)
	if err != nil {
		t.Fatalf("Begin after Commit = %v", err)
	}
	d2.Abort()
}

// TestCommitFallback swaps without renameat2, as on file systems or
// systems that lack it.
func TestCommitFallback(t *testing.T) {
	defer func(e func(a, b string) error) { exchange = e }(exchange)
	exchange = func(a, b string) error { return errors.New("no swap") }
	parent := t.TempDir()
	target := filepath.Join(parent, "out")
	writeFileT(t, filepath.Join(target, "old.csv"), "old")
	d, err := Begin(target, true)
	if err != nil {
		t.Fatal(err)
	}
	writeFileT(t, filepath.Join(d.Path(), "new.csv"), "new")
	if err := d.Commit(); err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(listDir(t, target), ","); got != "new.csv" {
		t.Errorf("target holds %s, want new.csv", got)
	}
	if got := strings.Join(listDir(t, parent), ","); got != "out" {
		t.Errorf("parent holds %s, want out", got)
	}
}

// crashFiles is the number of files each generation of the crash helper
// writes; a consistent output directory holds all of them, from one
// generation.
const crashFiles = 20

// TestCrashHelper is the child process of TestKillDuringCommit: it writes
// generation after generation of an output directory through Dir, with
// force, until it is killed.
func TestCrashHelper(t *testing.T) {
	target := os.Getenv("SURVEYMINE_CRASH_TARGET")
	if target == "" {
		t.Skip("child process of TestKillDuringCommit")
	}
	if os.Getenv("SURVEYMINE_CRASH_FALLBACK") != "" {
		exchange = func(a, b string) error { return errors.New("no swap") }
	}
	fmt.Println("started")
	for gen := 1; ; gen++ {
		d, err := Begin(target, true)
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		for i := range crashFiles {
			// Large enough that writing takes a while, small enough for tmpfs.
			body := strings.Repeat(strconv.Itoa(gen)+"\n", 2000+i)
			if err := os.WriteFile(filepath.Join(d.Path(), fmt.Sprintf("f%02d.csv", i)), []byte(body), 0o644); err != nil {
				fmt.Fprintln(os.Stderr, err)
				os.Exit(1)
			}
		}
		if err := d.Commit(); err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
	}
}

// consistentGen returns the generation of a complete output directory, or
// an error saying how it is broken.
func consistentGen(dir string) (string, error) {
	ents, err := os.ReadDir(dir)
	if err != nil {
		return "", err
	}
	if len(ents) != crashFiles {
		return "", fmt.Errorf("%d files, want %d", len(ents), crashFiles)
	}
	gen := ""
	for i := range crashFiles {
		b, err := os.ReadFile(filepath.Join(dir, fmt.Sprintf("f%02d.csv", i)))
		if err != nil {
			return "", err
		}
		g, _, _ := strings.Cut(string(b), "\n")
		if want := strings.Repeat(g+"\n", 2000+i); string(b) != want {
			return "", fmt.Errorf("f%02d.csv is not a complete file of generation %s", i, g)
		}
		if gen != "" && g != gen {
			return "", fmt.Errorf("generations %s and %s mixed", gen, g)
		}
		gen = g
	}
	return gen, nil
}

// TestKillDuringCommit kills (SIGKILL) a process that keeps replacing an
// output directory, at random moments, many times. After each kill the
// target must be one complete generation (with renameat2 even before any
// repair), and the next Begin must leave nothing else beside it.
func TestKillDuringCommit(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("no SIGKILL on windows")
	}
	for _, fallback := range []bool{false, true} {
		t.Run(fmt.Sprintf("fallback=%v", fallback), func(t *testing.T) {
			parent := t.TempDir()
			target := filepath.Join(parent, "out")
			// Generation 0: the output before the first kill.
			for i := range crashFiles {
				writeFileT(t, filepath.Join(target, fmt.Sprintf("f%02d.csv", i)), strings.Repeat("0\n", 2000+i))
			}
			rng := rand.New(rand.NewPCG(1, 2))
			seen := map[string]bool{}
			for k := 0; k < 40; k++ {
				cmd := exec.Command(os.Args[0], "-test.run=^TestCrashHelper$")
				cmd.Env = append(os.Environ(), "SURVEYMINE_CRASH_TARGET="+target)
				if fallback {
					cmd.Env = append(cmd.Env, "SURVEYMINE_CRASH_FALLBACK=1")
				}
				var stderr strings.Builder
				cmd.Stderr = &stderr
				stdout, err := cmd.StdoutPipe()
				if err != nil {
					t.Fatal(err)
				}
				if err := cmd.Start(); err != nil {
					t.Fatal(err)
				}
				// Wait for the child to reach its loop, so that a slow start
				// on a loaded machine does not eat the random delay.
				if _, err := bufio.NewReader(stdout).ReadString('\n'); err != nil {
					cmd.Process.Kill()
					cmd.Wait()
					t.Fatalf("helper did not start: %v\n%s", err, stderr.String())
				}
				time.Sleep(time.Duration(rng.IntN(40)) * time.Millisecond)
				cmd.Process.Signal(syscall.SIGKILL)
				err = cmd.Wait()
				if ws, ok := cmd.ProcessState.Sys().(syscall.WaitStatus); !ok || !ws.Signaled() {
					t.Fatalf("helper ended before the kill: %v\n%s", err, stderr.String())
				}
				if !fallback {
					if _, err := consistentGen(target); err != nil {
						t.Fatalf("kill %d: right after the kill, %s: %v", k, target, err)
					}
				}
				d, err := Begin(target, true)
				if err != nil {
					t.Fatalf("kill %d: Begin after the kill: %v", k, err)
				}
				gen, err := consistentGen(target)
				if err != nil {
					t.Fatalf("kill %d: after repair, %s: %v (notices %q)", k, target, err, d.Notices())
				}
				seen[gen] = true
				d.Abort()
				if got := strings.Join(listDir(t, parent), ","); got != "out" {
					t.Fatalf("kill %d: parent holds %s after repair, want out", k, got)
				}
			}
			// Kills landed at different moments: some before the first
			// commit of a child, some after.
			if len(seen) < 2 {
				t.Errorf("every kill left generation %v: the kills did not land in the commits", seen)
			}
		})
	}
}
