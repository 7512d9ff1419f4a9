package output

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
)

// ErrOutputExists is returned (wrapped) by Begin and Commit when the target
// directory exists and is not empty and force is off. The CLI maps it to a
// usage error telling the user to pass --force or pick another directory.
var ErrOutputExists = errors.New("output directory exists and is not empty")

// Prefixes of the hidden directories Dir creates beside the target. A run
// killed with SIGKILL can leave a tmp directory behind; it is safe to
// delete.
const (
	tmpPrefix = ".surveymine-tmp-"
	oldPrefix = ".surveymine-old-"
)

// Dir stages an output directory: files are written under Path, a hidden
// temporary directory beside the target, and Commit renames it into place.
// A Dir is not safe for concurrent use.
type Dir struct {
	target string
	tmp    string
	force  bool
	done   bool // committed or aborted
}

// Begin prepares to write the directory target. It creates target's parent
// if missing, refuses early (ErrOutputExists) if target is a non-empty
// directory and force is false, refuses if target exists and is not a
// directory, and creates the staging directory ".surveymine-tmp-XXXX" in the
// same parent, so that Commit is a rename within one file system.
//
// The caller must call Abort (typically deferred) or Commit.
func Begin(target string, force bool) (*Dir, error) {
	if target == "" {
		return nil, errors.New("output directory not set")
	}
	target = filepath.Clean(target)
	if _, err := checkTarget(target, force); err != nil {
		return nil, err
	}
	parent := filepath.Dir(target)
	if err := os.MkdirAll(parent, 0o755); err != nil {
		return nil, fmt.Errorf("create parent of output directory: %w", err)
	}
	tmp, err := os.MkdirTemp(parent, tmpPrefix)
	if err != nil {
		return nil, fmt.Errorf("create staging directory: %w", err)
	}
	// MkdirTemp uses 0700; outputs are ordinary shared results.
	if err := os.Chmod(tmp, 0o755); err != nil {
		os.Remove(tmp)
		return nil, fmt.Errorf("create staging directory: %w", err)
	}
	return &Dir{target: target, tmp: tmp, force: force}, nil
}

// checkTarget reports whether target exists, and fails with ErrOutputExists
// if it is a non-empty directory (or a symbolic link) and force is false, or
// if it exists and is not a directory.
func checkTarget(target string, force bool) (exists bool, err error) {
	fi, err := os.Lstat(target)
	if errors.Is(err, os.ErrNotExist) {
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("check output directory: %w", err)
	}
	switch {
	case fi.Mode()&os.ModeSymlink != 0:
		if !force {
			return true, fmt.Errorf("%s is a symbolic link: %w", target, ErrOutputExists)
		}
		return true, nil
	case !fi.IsDir():
		return true, fmt.Errorf("output %s exists and is not a directory", target)
	}
	empty, err := isEmptyDir(target)
	if err != nil {
		return true, fmt.Errorf("check output directory: %w", err)
	}
	if !empty && !force {
		return true, fmt.Errorf("%s: %w (use force to replace it)", target, ErrOutputExists)
	}
	return true, nil
}

func isEmptyDir(path string) (bool, error) {
	f, err := os.Open(path)
	if err != nil {
		return false, err
	}
	defer f.Close()
	_, err = f.Readdirnames(1)
	if errors.Is(err, io.EOF) {
		return true, nil
	}
	return false, err
}

// Path returns the staging directory to write files into. It is valid until
// Commit or Abort; paths recorded for a manifest should be relative to it.
func (d *Dir) Path() string { return d.tmp }

// Target returns the cleaned final directory path.
func (d *Dir) Target() string { return d.target }

// Commit moves the staged directory into place as the target.
//
// If the target does not exist or is an empty directory it is simply
// replaced. If it is non-empty, Commit fails with ErrOutputExists unless
// force was given to Begin; with force the old directory is first renamed
// into a hidden ".surveymine-old-XXXX" directory beside it, the new one is
// renamed in, and the old one is removed. If renaming the new directory in
// fails, the old one is put back. If only removing the old one fails, the
// new output is in place and the error says what is left to delete.
//
// On error the staging directory is kept; call Abort to remove it. Commit
// after Commit or Abort is an error.
func (d *Dir) Commit() error {
	if d.done {
		return errors.New("output directory already committed or aborted")
	}
	exists, err := checkTarget(d.target, d.force)
	if err != nil {
		return err
	}
	if !exists {
		if err := os.Rename(d.tmp, d.target); err != nil {
			return fmt.Errorf("commit output directory: %w", err)
		}
		d.done = true
		return nil
	}
	fi, err := os.Lstat(d.target)
	if err != nil {
		return fmt.Errorf("commit output directory: %w", err)
	}
	if fi.IsDir() {
		if empty, err := isEmptyDir(d.target); err == nil && empty {
			if err := os.Remove(d.target); err != nil {
				return fmt.Errorf("commit output directory: %w", err)
			}
			if err := os.Rename(d.tmp, d.target); err != nil {
				return fmt.Errorf("commit output directory: %w", err)
			}
			d.done = true
			return nil
		}
	}
	// Non-empty (or a symlink) and force is set: move the old one aside.
	old, err := os.MkdirTemp(filepath.Dir(d.target), oldPrefix)
	if err != nil {
		return fmt.Errorf("move previous output aside: %w", err)
	}
	aside := filepath.Join(old, filepath.Base(d.target))
	if err := os.Rename(d.target, aside); err != nil {
		os.Remove(old)
		return fmt.Errorf("move previous output aside: %w", err)
	}
	if err := os.Rename(d.tmp, d.target); err != nil {
		if rerr := os.Rename(aside, d.target); rerr != nil {
			return fmt.Errorf("commit output directory: %w; previous output left in %s: %v", err, aside, rerr)
		}
		os.Remove(old)
		return fmt.Errorf("commit output directory: %w", err)
	}
	d.done = true
	if err := os.RemoveAll(old); err != nil {
		return fmt.Errorf("output committed, but remove previous output %s: %w", old, err)
	}
	return nil
}

// Abort removes the staging directory and everything in it. It is
// idempotent and does nothing after a successful Commit, so it can always
// be deferred right after Begin. A nil *Dir is allowed.
func (d *Dir) Abort() error {
	if d == nil || d.done {
		return nil
	}
	d.done = true
	if err := os.RemoveAll(d.tmp); err != nil {
		return fmt.Errorf("remove staging directory: %w", err)
	}
	return nil
}
