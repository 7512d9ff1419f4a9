package output

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"
)

// ErrOutputExists is returned (wrapped) by Begin and Commit when the target
// directory exists and is not empty and force is off. The CLI maps it to a
// usage error telling the user to pass --force or pick another directory.
var ErrOutputExists = errors.New("output directory exists and is not empty")

// ErrOutputBusy is returned (wrapped) by Begin when another process is
// writing the same output directory.
var ErrOutputBusy = errors.New("another surveymine run is writing this output directory")

// Tags of the hidden entries Dir creates beside a target "out":
//
//	.out.surveymine-lock      held (flock) from Begin to Commit or Abort
//	.out.surveymine-tmp-XXXX  staging directory; after a swap, the previous output being removed
//	.out.surveymine-old-XXXX  previous output moved aside, where renames cannot swap atomically
//
// A process killed at any moment (SIGKILL) leaves at most these behind, and
// the next Begin for the same target repairs them; see recoverLeftovers.
// Files are synced as they are written and the parent directory after the
// swap, so a power cut should leave the old or the new output too (as far
// as the file system honours fsync; this is not tested).
const (
	tmpTag  = ".surveymine-tmp-"
	oldTag  = ".surveymine-old-"
	lockTag = ".surveymine-lock"
)

// exchange swaps two directory entries atomically or fails; a variable so
// that tests can take the fallback path where the system has the swap.
var exchange = exchangeOS

// Dir stages an output directory: files are written under Path, a hidden
// temporary directory beside the target, and Commit swaps it into place.
// A Dir is not safe for concurrent use.
type Dir struct {
	target  string
	tmp     string
	force   bool
	done    bool // committed or aborted
	lock    *os.File
	lockAt  string
	notices []string
}

// Begin prepares to write the directory target. It creates target's parent
// if missing, takes a lock beside target (ErrOutputBusy if another run holds
// it), repairs what an earlier run killed mid-way left behind (Notices says
// what it did), refuses early (ErrOutputExists) if target is a non-empty
// directory and force is false, refuses if target exists and is not a
// directory, and creates the staging directory ".<target>.surveymine-tmp-XXXX"
// in the same parent, so that Commit is a rename within one file system.
//
// The caller must call Abort (typically deferred) or Commit.
func Begin(target string, force bool) (_ *Dir, err error) {
	if target == "" {
		return nil, errors.New("output directory not set")
	}
	target = filepath.Clean(target)
	parent := filepath.Dir(target)
	if err := os.MkdirAll(parent, 0o755); err != nil {
		return nil, fmt.Errorf("create parent of output directory: %w", err)
	}
	prefix := hiddenPrefix(target)
	d := &Dir{target: target, force: force, lockAt: filepath.Join(parent, prefix+lockTag)}
	if d.lock, err = lockFile(d.lockAt); err != nil {
		if errors.Is(err, errLocked) {
			return nil, fmt.Errorf("%s: %w", target, ErrOutputBusy)
		}
		return nil, fmt.Errorf("lock output directory: %w", err)
	}
	defer func() {
		if err != nil {
			d.unlock()
		}
	}()
	if d.notices, err = recoverLeftovers(parent, target, prefix); err != nil {
		return nil, err
	}
	if _, err := checkTarget(target, force); err != nil {
		return nil, err
	}
	tmp, err := os.MkdirTemp(parent, prefix+tmpTag)
	if err != nil {
		return nil, fmt.Errorf("create staging directory: %w", err)
	}
	// MkdirTemp uses 0700; outputs are ordinary shared results.
	if err := os.Chmod(tmp, 0o755); err != nil {
		os.Remove(tmp)
		return nil, fmt.Errorf("create staging directory: %w", err)
	}
	d.tmp = tmp
	return d, nil
}

// hiddenPrefix is "." followed by target's base name, or by a hash of it
// when the name is long, so that hidden names stay within name limits.
func hiddenPrefix(target string) string {
	base := filepath.Base(target)
	if len(base) > 64 {
		sum := sha256.Sum256([]byte(base))
		base = hex.EncodeToString(sum[:8])
	}
	return "." + base
}

// recoverLeftovers repairs what a run into target that was killed left in
// parent; the caller holds the lock, so no live run owns these entries.
//
//   - target missing and an old directory present: the run died between
//     moving the previous output aside and moving the new one in, so the
//     previous output is moved back;
//   - any other old directory: the new output had been moved in, so the
//     old one is removed;
//   - staging directories are removed (unfinished output, or a previous
//     output that had already been replaced).
//
// It returns one notice per repair, for the user.
func recoverLeftovers(parent, target, prefix string) ([]string, error) {
	entries, err := os.ReadDir(parent)
	if err != nil {
		return nil, fmt.Errorf("look for leftovers of interrupted runs: %w", err)
	}
	var olds, tmps []string
	for _, e := range entries {
		switch name := e.Name(); {
		case strings.HasPrefix(name, prefix+oldTag):
			olds = append(olds, filepath.Join(parent, name))
		case strings.HasPrefix(name, prefix+tmpTag):
			tmps = append(tmps, filepath.Join(parent, name))
		}
	}
	if len(olds)+len(tmps) == 0 {
		return nil, nil
	}
	var notices []string
	if _, err := os.Lstat(target); errors.Is(err, os.ErrNotExist) && len(olds) > 0 {
		// Only one run at a time gets this far and each repairs before it
		// moves anything, so there is one old directory; should there be
		// more, the newest is the last previous output.
		sort.Slice(olds, func(i, j int) bool { return modTime(olds[i]) > modTime(olds[j]) })
		if err := os.Rename(olds[0], target); err != nil {
			return nil, fmt.Errorf("restore previous output %s from %s: %w", target, olds[0], err)
		}
		notices = append(notices, fmt.Sprintf("restored previous output %s from %s, left by a run killed while replacing it", target, filepath.Base(olds[0])))
		olds = olds[1:]
	}
	for _, p := range olds {
		if err := os.RemoveAll(p); err != nil {
			return nil, fmt.Errorf("remove %s left by an interrupted run: %w", p, err)
		}
		notices = append(notices, fmt.Sprintf("removed %s: the previous output of a run killed after replacing it", p))
	}
	for _, p := range tmps {
		if err := os.RemoveAll(p); err != nil {
			return nil, fmt.Errorf("remove staging directory %s left by an interrupted run: %w", p, err)
		}
		notices = append(notices, fmt.Sprintf("removed staging directory %s left by an interrupted run", p))
	}
	return notices, nil
}

func modTime(p string) int64 {
	fi, err := os.Lstat(p)
	if err != nil {
		return 0
	}
	return fi.ModTime().UnixNano()
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

// Notices says what Begin repaired of earlier runs that were killed (one
// sentence each), for the caller to show as warnings; nil when nothing.
func (d *Dir) Notices() []string { return d.notices }

// Commit moves the staged directory into place as the target.
//
// If the target does not exist the staging directory is renamed to it. If
// it exists (an empty directory, or with force a non-empty one or a
// symbolic link), the two are swapped: atomically where the system can
// (Linux renameat2 RENAME_EXCHANGE), else by moving the old one aside to a
// hidden ".<target>.surveymine-old-XXXX" directory and the new one in. The
// old one is then removed. If moving the new one in fails, the old one is
// put back; if only removing the old one fails, the new output is in place
// and the error says what is left to delete. A process killed at any point
// of this leaves a state the next Begin repairs.
//
// If the target is non-empty and force was not given to Begin, Commit
// fails with ErrOutputExists. On error the staging directory is kept; call
// Abort to remove it. Commit after Commit or Abort is an error.
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
		syncDir(filepath.Dir(d.target))
		d.done = true
		d.unlock()
		return nil
	}
	if exchange(d.tmp, d.target) != nil {
		// Without an atomic swap: previous output aside, new one in, and
		// the old one to the now free staging name for removal.
		old := filepath.Join(filepath.Dir(d.target), hiddenPrefix(d.target)+oldTag+rand.Text()[:10])
		if err := os.Rename(d.target, old); err != nil {
			return fmt.Errorf("move previous output aside: %w", err)
		}
		if err := os.Rename(d.tmp, d.target); err != nil {
			if rerr := os.Rename(old, d.target); rerr != nil {
				return fmt.Errorf("commit output directory: %w; previous output left in %s: %v", err, old, rerr)
			}
			return fmt.Errorf("commit output directory: %w", err)
		}
		if err := os.Rename(old, d.tmp); err != nil {
			d.tmp = old
		}
	}
	syncDir(filepath.Dir(d.target))
	d.done = true
	defer d.unlock()
	if err := os.RemoveAll(d.tmp); err != nil {
		return fmt.Errorf("output committed, but remove previous output %s: %w", d.tmp, err)
	}
	return nil
}

// syncDir asks the system to make the renames in dir durable (the files
// were synced as they were written), so that after a power cut the target
// is the old or the new output. Best effort: some systems cannot sync a
// directory, and the rename has happened either way.
func syncDir(dir string) {
	f, err := os.Open(dir)
	if err != nil {
		return
	}
	f.Sync()
	f.Close()
}

// Abort removes the staging directory and everything in it. It is
// idempotent and does nothing after a successful Commit, so it can always
// be deferred right after Begin. A nil *Dir is allowed.
func (d *Dir) Abort() error {
	if d == nil || d.done {
		return nil
	}
	d.done = true
	defer d.unlock()
	if err := os.RemoveAll(d.tmp); err != nil {
		return fmt.Errorf("remove staging directory: %w", err)
	}
	return nil
}

// unlock removes the lock file and releases the lock, in that order (see
// lockFile).
func (d *Dir) unlock() {
	if d.lock == nil {
		return
	}
	err := os.Remove(d.lockAt)
	d.lock.Close()
	if err != nil { // systems that cannot remove an open file
		os.Remove(d.lockAt)
	}
	d.lock = nil
}
