//go:build !linux

package output

import "errors"

// exchangeOS is not available here: the caller falls back to two renames.
func exchangeOS(a, b string) error { return errors.New("atomic exchange not supported") }
