package output

import "golang.org/x/sys/unix"

// exchangeOS swaps the directory entries a and b atomically (renameat2 with
// RENAME_EXCHANGE, Linux 3.15+; not every file system supports it, and the
// caller falls back to two renames on any error).
func exchangeOS(a, b string) error {
	return unix.Renameat2(unix.AT_FDCWD, a, unix.AT_FDCWD, b, unix.RENAME_EXCHANGE)
}
