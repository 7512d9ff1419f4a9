package spill

import (
	"os"
	"strconv"
	"strings"

	"golang.org/x/sys/unix"
)

var pageSize = os.Getpagesize()

// supported: files are mapped here.
const supported = true

// mapTemp creates a file of size bytes in dir, reserves its blocks (so
// that a full disk is an error here and not a SIGBUS on a later write),
// unlinks it and maps it shared, readable and writable.
func mapTemp(dir string, size int) ([]byte, error) {
	f, err := os.CreateTemp(dir, ".surveymine-spill-*")
	if err != nil {
		return nil, err
	}
	defer f.Close()
	if err := os.Remove(f.Name()); err != nil {
		return nil, err
	}
	if err := unix.Fallocate(int(f.Fd()), 0, 0, int64(size)); err != nil {
		return nil, &os.PathError{Op: "fallocate", Path: f.Name(), Err: err}
	}
	b, err := unix.Mmap(int(f.Fd()), 0, size, unix.PROT_READ|unix.PROT_WRITE, unix.MAP_SHARED)
	if err != nil {
		return nil, &os.PathError{Op: "mmap", Path: f.Name(), Err: err}
	}
	return b, nil
}

// release drops seg's pages from the resident set. The mapping is shared,
// so their contents stay in the file (the page cache) and come back on
// the next access.
func release(seg []byte) {
	_ = unix.Madvise(seg, unix.MADV_DONTNEED) // only fails for bad arguments
}

// residentMapped returns the process's resident memory backed by files
// or shared memory (the third field of /proc/self/statm, in pages), in
// bytes.
func residentMapped() (int64, bool) {
	b, err := os.ReadFile("/proc/self/statm")
	if err != nil {
		return 0, false
	}
	f := strings.Fields(string(b))
	if len(f) < 3 {
		return 0, false
	}
	n, err := strconv.ParseInt(f[2], 10, 64)
	if err != nil {
		return 0, false
	}
	return n * int64(pageSize), true
}
