// Command archive writes a reproducible .zip or .tar.gz of some files, for
// scripts/release.sh: entries sorted by name under one top directory, a
// fixed modification time, owner 0, mode 0755 for executables and 0644 for
// the rest, and no timestamps in the gzip header. The same inputs give the
// same bytes on every machine.
//
//	go run ./scripts/archive -o dist/x.tar.gz -dir x -mtime 1764547200 -exec x/surveymine stage/
//
// Every regular file under the staging directory becomes an entry named
// DIR/<path relative to the staging directory>.
package main

import (
	"archive/tar"
	"archive/zip"
	"compress/gzip"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"sort"
	"strings"
	"time"
)

func main() {
	out := flag.String("o", "", "archive to write: NAME.zip or NAME.tar.gz")
	dir := flag.String("dir", "", "top directory of the entries")
	mtime := flag.Int64("mtime", 0, "modification time of every entry, Unix seconds")
	exec := flag.String("exec", "", "comma-separated entry names that are executable")
	flag.Parse()
	if *out == "" || *dir == "" || flag.NArg() != 1 {
		fmt.Fprintln(os.Stderr, "usage: archive -o OUT.(zip|tar.gz) -dir TOP [-mtime SECONDS] [-exec NAME,...] STAGEDIR")
		os.Exit(2)
	}
	execs := map[string]bool{}
	for _, e := range strings.Split(*exec, ",") {
		if e != "" {
			execs[e] = true
		}
	}
	if err := write(*out, *dir, flag.Arg(0), time.Unix(*mtime, 0).UTC(), execs); err != nil {
		fmt.Fprintf(os.Stderr, "archive: %v\n", err)
		os.Exit(1)
	}
}

type entry struct {
	name, src string
	mode      int64
}

func write(out, top, stage string, mtime time.Time, execs map[string]bool) error {
	var entries []entry
	err := filepath.WalkDir(stage, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		if !d.Type().IsRegular() {
			return fmt.Errorf("%s: not a regular file", p)
		}
		rel, err := filepath.Rel(stage, p)
		if err != nil {
			return err
		}
		name := path.Join(top, filepath.ToSlash(rel))
		mode := int64(0o644)
		if execs[name] {
			mode = 0o755
		}
		entries = append(entries, entry{name: name, src: p, mode: mode})
		return nil
	})
	if err != nil {
		return err
	}
	sort.Slice(entries, func(i, j int) bool { return entries[i].name < entries[j].name })
	for n := range execs {
		if !hasEntry(entries, n) {
			return fmt.Errorf("-exec %s: no such entry", n)
		}
	}
	f, err := os.Create(out)
	if err != nil {
		return err
	}
	switch {
	case strings.HasSuffix(out, ".zip"):
		err = writeZip(f, entries, mtime)
	case strings.HasSuffix(out, ".tar.gz"):
		err = writeTarGz(f, entries, mtime)
	default:
		err = errors.New("archive name must end in .zip or .tar.gz")
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		os.Remove(out)
	}
	return err
}

func hasEntry(entries []entry, name string) bool {
	for _, e := range entries {
		if e.name == name {
			return true
		}
	}
	return false
}

func writeZip(w io.Writer, entries []entry, mtime time.Time) error {
	zw := zip.NewWriter(w)
	for _, e := range entries {
		h := &zip.FileHeader{Name: e.name, Method: zip.Deflate, Modified: mtime}
		h.SetMode(fs.FileMode(e.mode))
		dst, err := zw.CreateHeader(h)
		if err != nil {
			return err
		}
		if err := copyFile(dst, e.src); err != nil {
			return err
		}
	}
	return zw.Close()
}

func writeTarGz(w io.Writer, entries []entry, mtime time.Time) error {
	gz, err := gzip.NewWriterLevel(w, gzip.BestCompression)
	if err != nil {
		return err
	}
	// gzip.Header's zero ModTime and Name write nothing machine-dependent.
	tw := tar.NewWriter(gz)
	for _, e := range entries {
		st, err := os.Stat(e.src)
		if err != nil {
			return err
		}
		h := &tar.Header{Typeflag: tar.TypeReg, Name: e.name, Size: st.Size(), Mode: e.mode,
			ModTime: mtime, Uname: "root", Gname: "root", Format: tar.FormatUSTAR}
		if err := tw.WriteHeader(h); err != nil {
			return err
		}
		if err := copyFile(tw, e.src); err != nil {
			return err
		}
	}
	if err := tw.Close(); err != nil {
		return err
	}
	return gz.Close()
}

func copyFile(w io.Writer, src string) error {
	f, err := os.Open(src)
	if err != nil {
		return err
	}
	defer f.Close()
	_, err = io.Copy(w, f)
	return err
}
