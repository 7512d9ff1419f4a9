//go:build !linux

package spill

import (
	"errors"
	"os"
)

var pageSize = os.Getpagesize()

// supported: files are mapped here.
const supported = false

// mapTemp is not implemented here: the arena falls back to the Go heap.
func mapTemp(dir string, size int) ([]byte, error) {
	return nil, errors.New("not supported on this system")
}

func release(seg []byte) {}

// residentMapped is not measured here.
func residentMapped() (int64, bool) { return 0, false }
