package main

import (
	"archive/tar"
	"archive/zip"
	"bytes"
	"compress/gzip"
	"io"
	"os"
	"path/filepath"
	"testing"
	"time"
)

// stage writes the files of a small release folder with the given
// modification time, creating them in the given order.
func stage(t *testing.T, mtime time.Time, order []string) string {
	t.Helper()
	dir := t.TempDir()
	files := map[string]string{"surveymine": "binary", "README.md": "# readme\n", "example/surveymine.yaml": "seed: 1\n"}
	for _, name := range order {
		p := filepath.Join(dir, filepath.FromSlash(name))
		os.MkdirAll(filepath.Dir(p), 0o755)
		if err := os.WriteFile(p, []byte(files[name]), 0o600); err != nil {
			t.Fatal(err)
		}
		os.Chtimes(p, mtime, mtime)
	}
	return dir
}

// TestReproducible builds each archive kind from two stagings that differ
// in file times, permissions and creation order: the bytes must be equal,
// the entries sorted, dated at -mtime, and only the executable 0755.
func TestReproducible(t *testing.T) {
	epoch := time.Unix(1764547200, 0).UTC()
	a := stage(t, time.Now(), []string{"surveymine", "README.md", "example/surveymine.yaml"})
	b := stage(t, time.Unix(1, 0), []string{"example/surveymine.yaml", "README.md", "surveymine"})
	execs := map[string]bool{"top/surveymine": true}
	wantNames := []string{"top/README.md", "top/example/surveymine.yaml", "top/surveymine"}
	for _, ext := range []string{".zip", ".tar.gz"} {
		out := t.TempDir()
		pa, pb := filepath.Join(out, "a"+ext), filepath.Join(out, "b"+ext)
		if err := write(pa, "top", a, epoch, execs); err != nil {
			t.Fatal(err)
		}
		if err := write(pb, "top", b, epoch, execs); err != nil {
			t.Fatal(err)
		}
		da, _ := os.ReadFile(pa)
		db, _ := os.ReadFile(pb)
		if !bytes.Equal(da, db) {
			t.Errorf("%s: two stagings of the same files give different archives", ext)
		}
		type ent struct {
			name  string
			mode  os.FileMode
			mtime time.Time
		}
		var got []ent
		if ext == ".zip" {
			zr, err := zip.NewReader(bytes.NewReader(da), int64(len(da)))
			if err != nil {
				t.Fatal(err)
			}
			for _, f := range zr.File {
				got = append(got, ent{f.Name, f.Mode().Perm(), f.Modified.UTC()})
			}
		} else {
			gz, err := gzip.NewReader(bytes.NewReader(da))
			if err != nil {
				t.Fatal(err)
			}
			tr := tar.NewReader(gz)
			for {
				h, err := tr.Next()
				if err == io.EOF {
					break
				}
				if err != nil {
					t.Fatal(err)
				}
				got = append(got, ent{h.Name, os.FileMode(h.Mode).Perm(), h.ModTime.UTC()})
			}
		}
		if len(got) != len(wantNames) {
			t.Fatalf("%s: %d entries, want %d", ext, len(got), len(wantNames))
		}
		for i, e := range got {
			mode := os.FileMode(0o644)
			if execs[e.name] {
				mode = 0o755
			}
			if e.name != wantNames[i] || e.mode != mode || !e.mtime.Equal(epoch) {
				t.Errorf("%s entry %d = %s %v %v, want %s %v %v", ext, i, e.name, e.mode, e.mtime, wantNames[i], mode, epoch)
			}
		}
	}
	if err := write(filepath.Join(t.TempDir(), "x.zip"), "top", a, epoch, map[string]bool{"top/nope": true}); err == nil {
		t.Error("-exec naming no entry: no error")
	}
}
