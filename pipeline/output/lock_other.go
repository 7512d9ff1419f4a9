//go:build !unix

package output

import (
	"errors"
	"os"
)

var errLocked = errors.New("locked")

// lockFile creates path but locks nothing: without flock, two runs into the
// same output directory at once are not detected, and the second one's
// Begin may remove the first one's staging directory.
func lockFile(path string) (*os.File, error) {
	return os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o644)
}
