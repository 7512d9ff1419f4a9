package spill

import (
	"os"

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
