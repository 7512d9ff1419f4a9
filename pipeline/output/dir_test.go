package output

import (
	"context"
	"errors"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"surveymine/pipeline/table"
)

// listDir returns the names in dir, sorted.
func listDir(t *testing.T, dir string) []string {
	t.Helper()
	es, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range es {
		names = append(names, e.Name())
	}
	sort.Strings(names)
	return names
}

func writeFileT(t *testing.T, path, content string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
}

func readFileT(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func TestDirCommit(t *testing.T) {
	cases := []struct {
		name    string
		setup   func(target string) // prepares an existing target
		force   bool
		wantErr error // from Begin
	}{
		{"new", func(string) {}, false, nil},
		{"new in missing parent", nil, false, nil},
		{"empty existing", func(p string) { os.Mkdir(p, 0o755) }, false, nil},
		{"non-empty refused", func(p string) { writeFileT(t, filepath.Join(p, "old.csv"), "old") }, false, ErrOutputExists},
		{"non-empty forced", func(p string) { writeFileT(t, filepath.Join(p, "sub", "old.csv"), "old") }, true, nil},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			parent := t.TempDir()
			target := filepath.Join(parent, "out")
			if tc.setup == nil {
				target = filepath.Join(parent, "a", "b", "out")
			} else {
				tc.setup(target)
			}
			d, err := Begin(target, tc.force)
			if tc.wantErr != nil {
				if !errors.Is(err, tc.wantErr) {
					t.Fatalf("Begin = %v, want %v", err, tc.wantErr)
				}
				if got := readFileT(t, filepath.Join(target, "old.csv")); got != "old" {
					t.Errorf("old output changed to %q", got)
				}
				if got := listDir(t, parent); len(got) != 1 {
					t.Errorf("parent holds %q, want only out", got)
				}
				return
			}
			if err != nil {
				t.Fatalf("Begin = %v", err)
			}
			defer d.Abort()
			if filepath.Dir(d.Path()) != filepath.Dir(target) || !strings.HasPrefix(filepath.Base(d.Path()), ".out.surveymine-tmp-") {
				t.Errorf("Path = %s, want .out.surveymine-tmp-* beside %s", d.Path(), target)
			}
			if _, err := os.Stat(target + "/new.csv"); err == nil {
				t.Errorf("new.csv visible before Commit")
			}
			writeFileT(t, filepath.Join(d.Path(), "new.csv"), "new")
			if err := d.Commit(); err != nil {
				t.Fatalf("Commit = %v", err)
			}
			if got := listDir(t, target); strings.Join(got, ",") != "new.csv" {
				t.Errorf("target holds %q, want [new.csv]", got)
			}
			if got := listDir(t, filepath.Dir(target)); strings.Join(got, ",") != "out" {
				t.Errorf("parent holds %q, want [out] (no temp or old dirs)", got)
			}
			if err := d.Abort(); err != nil {
				t.Errorf("Abort after Commit = %v, want nil", err)
			}
			if _, err := os.Stat(filepath.Join(target, "new.csv")); err != nil {
				t.Errorf("Abort after Commit removed output: %v", err)
			}
			if err := d.Commit(); err == nil {
				t.Errorf("second Commit = nil, want error")
			}
		})
	}
}

func TestDirAbort(t *testing.T) {
	parent := t.TempDir()
	target := filepath.Join(parent, "out")
	d, err := Begin(target, false)
	if err != nil {
		t.Fatal(err)
	}
	writeFileT(t, filepath.Join(d.Path(), "x", "half.csv"), "half")
	for i := 0; i < 2; i++ {
		if err := d.Abort(); err != nil {
			t.Fatalf("Abort #%d = %v", i+1, err)
		}
	}
	if got := listDir(t, parent); len(got) != 0 {
		t.Errorf("parent holds %q after Abort, want nothing", got)
	}
	if err := d.Commit(); err == nil {
		t.Errorf("Commit after Abort = nil, want error")
	}
	var nilDir *Dir
	if err := nilDir.Abort(); err != nil {
		t.Errorf("nil Abort = %v", err)
	}
}

// TestDirCommitRace: the target appears (non-empty) after Begin; Commit
// without force must refuse and leave it alone.
func TestDirCommitRace(t *testing.T) {
	parent := t.TempDir()
	target := filepath.Join(parent, "out")
	d, err := Begin(target, false)
	if err != nil {
		t.Fatal(err)
	}
	defer d.Abort()
	writeFileT(t, filepath.Join(d.Path(), "new.csv"), "new")
	writeFileT(t, filepath.Join(target, "other.csv"), "other")
	if err := d.Commit(); !errors.Is(err, ErrOutputExists) {
		t.Fatalf("Commit = %v, want ErrOutputExists", err)
	}
	if got := readFileT(t, filepath.Join(target, "other.csv")); got != "other" {
		t.Errorf("existing output changed to %q", got)
	}
	d.Abort()
	if got := listDir(t, parent); strings.Join(got, ",") != "out" {
		t.Errorf("parent holds %q, want [out]", got)
	}
}

func TestDirTargetIsFile(t *testing.T) {
	target := filepath.Join(t.TempDir(), "out")
	writeFileT(t, target, "x")
	for _, force := range []bool{false, true} {
		if _, err := Begin(target, force); err == nil {
			t.Errorf("Begin(file, force=%v) = nil, want error", force)
		}
	}
	if _, err := Begin("", false); err == nil {
		t.Errorf("Begin(\"\") = nil, want error")
	}
}

// failAfter creates files normally until n files exist, then returns a
// writer that fails on the first write.
func failAfter(n int) createFunc {
	var count atomic.Int64
	return func(path string) (io.WriteCloser, error) {
		c := count.Add(1)
		f, err := osCreate(path)
		if err != nil || c <= int64(n) {
			return f, err
		}
		return failingFile{f}, nil
	}
}

type failingFile struct{ io.WriteCloser }

func (failingFile) Write([]byte) (int, error) { return 0, errors.New("disk full") }

// cancelAt creates files normally and cancels ctx when creating file
// number n, as an interrupt arriving mid-run would.
func cancelAt(n int, cancel context.CancelFunc) createFunc {
	var count atomic.Int64
	return func(path string) (io.WriteCloser, error) {
		if count.Add(1) == int64(n) {
			cancel()
		}
		return osCreate(path)
	}
}

func twoTables() []*table.Table {
	a := allKinds()
	b := table.New("second", "")
	b.AddInt("n", "", []int64{1, 2, 3})
	return []*table.Table{a, b}
}

// TestInterruptedRun simulates a run that dies after writing the first
// table: the previous output must stay as it was and no temp dir remain.
func TestInterruptedRun(t *testing.T) {
	cancelled, cancel := context.WithCancel(context.Background())
	defer cancel()
	cases := []struct {
		name string
		ctx  context.Context
		fail createFunc
		want error
	}{
		{"write error", context.Background(), failAfter(3), nil},
		{"cancelled", cancelled, cancelAt(4, cancel), context.Canceled},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			parent := t.TempDir()
			target := filepath.Join(parent, "out")
			writeFileT(t, filepath.Join(target, "previous.csv"), "previous")
			err := func() error {
				d, err := Begin(target, true)
				if err != nil {
					return err
				}
				defer d.Abort()
				files, err := writeAll(tc.ctx, d.Path(), twoTables(), Options{}, tc.fail, defaultMem())
				if err != nil {
					// Files are written in parallel: at most the three
					// creates before the failing one can have completed.
					if len(files) > 3 {
						t.Errorf("writeAll reports %d files written before failing, want at most 3", len(files))
					}
					return err
				}
				return d.Commit()
			}()
			if err == nil || (tc.want != nil && !errors.Is(err, tc.want)) {
				t.Fatalf("run = %v, want error %v", err, tc.want)
			}
			if got := listDir(t, target); strings.Join(got, ",") != "previous.csv" {
				t.Errorf("target holds %q, want [previous.csv]", got)
			}
			if got := readFileT(t, filepath.Join(target, "previous.csv")); got != "previous" {
				t.Errorf("previous output changed to %q", got)
			}
			if got := listDir(t, parent); strings.Join(got, ",") != "out" {
				t.Errorf("parent holds %q, want [out]", got)
			}
		})
	}
}

// TestForceReplaceKeepsNothingOld checks that a forced commit replaces the
// whole directory rather than merging into it.
func TestForceReplaceKeepsNothingOld(t *testing.T) {
	parent := t.TempDir()
	target := filepath.Join(parent, "out")
	writeFileT(t, filepath.Join(target, "stale.parquet"), "stale")
	d, err := Begin(target, true)
	if err != nil {
		t.Fatal(err)
	}
	defer d.Abort()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	if _, err := WriteAll(ctx, d.Path(), twoTables(), Options{Formats: []string{"csv"}}); err != nil {
		t.Fatal(err)
	}
	if err := d.Commit(); err != nil {
		t.Fatal(err)
	}
	if got, want := strings.Join(listDir(t, target), ","), "all_kinds.csv,second.csv"; got != want {
		t.Errorf("target holds %s, want %s", got, want)
	}
	if got := listDir(t, parent); strings.Join(got, ",") != "out" {
		t.Errorf("parent holds %q, want [out]", got)
	}
}
