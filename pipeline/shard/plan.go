package shard

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strconv"

	"surveymine/pipeline/corpus"
)

// LogicalShards is the fixed number of logical shards a job's units are
// hashed into, whatever the number of workers. Workers beyond it would get
// no work, so a plan has at most LogicalShards workers.
const LogicalShards = 64

// PlanFile is the name of the plan in its directory.
const PlanFile = "plan.json"

// Plan is a shard job: what every worker checks before it starts and what
// merge checks every partial against.
type Plan struct {
	Format        int     `json:"format"`         // plan format version (1)
	ToolVersion   string  `json:"tool_version"`   // surveymine version that wrote the plan
	Workdir       string  `json:"workdir"`        // absolute directory relative config paths are relative to
	Shards        int     `json:"shards"`         // N: the number of workers (shard indexes 0..N-1)
	LogicalShards int     `json:"logical_shards"` // L: LogicalShards
	Config        string  `json:"config"`         // merged config as YAML, as `run --print-config` prints it
	ConfigSHA256  string  `json:"config_sha256"`  // sha256 of Config
	Inputs        []Input `json:"inputs"`         // every input file, in config order (directories expanded, sorted)
}

// Input is one input file of a plan.
type Input struct {
	Path   string `json:"path"` // as the config names it (files in a directory: joined to it)
	Bytes  int64  `json:"bytes"`
	SHA256 string `json:"sha256"`
}

// Error is a problem with a plan, a partial or the inputs a plan names:
// File is the file at fault.
type Error struct {
	File string
	Msg  string
}

func (e *Error) Error() string { return e.File + ": " + e.Msg }

// NewPlan describes a job of n workers over the input paths (files or
// directories, as the config names them) with the config given as YAML.
// It hashes every input file; a missing input is an error.
func NewPlan(configYAML []byte, inputs []string, n int, workdir, toolVersion string) (*Plan, error) {
	if n < 1 || n > LogicalShards {
		return nil, fmt.Errorf("shard count must be between 1 and %d, got %d", LogicalShards, n)
	}
	p := &Plan{Format: 1, ToolVersion: toolVersion, Workdir: workdir, Shards: n, LogicalShards: LogicalShards,
		Config: string(configYAML), ConfigSHA256: sum(configYAML)}
	for _, in := range inputs {
		files, err := expand(in)
		if err != nil {
			return nil, err
		}
		for _, f := range files {
			size, h, err := hashFile(f)
			if err != nil {
				return nil, err
			}
			p.Inputs = append(p.Inputs, Input{Path: f, Bytes: size, SHA256: h})
		}
	}
	return p, nil
}

// expand lists path, or the regular files under it when it is a
// directory, sorted.
func expand(path string) ([]string, error) {
	st, err := os.Stat(path)
	if err != nil {
		return nil, fmt.Errorf("input %s: %w", path, err)
	}
	if !st.IsDir() {
		return []string{path}, nil
	}
	var files []string
	err = filepath.WalkDir(path, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.Type().IsRegular() {
			files = append(files, p)
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("input %s: %w", path, err)
	}
	sort.Strings(files)
	return files, nil
}

func hashFile(path string) (int64, string, error) {
	f, err := os.Open(path)
	if err != nil {
		return 0, "", fmt.Errorf("input %s: %w", path, err)
	}
	defer f.Close()
	h := sha256.New()
	n, err := io.Copy(h, f)
	if err != nil {
		return 0, "", fmt.Errorf("input %s: %w", path, err)
	}
	return n, hex.EncodeToString(h.Sum(nil)), nil
}

func sum(b []byte) string {
	h := sha256.Sum256(b)
	return hex.EncodeToString(h[:])
}

// Write writes the plan as dir/plan.json (temp file + rename) and returns
// its path.
func (p *Plan) Write(dir string) (string, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return "", err
	}
	b, err := json.MarshalIndent(p, "", "  ")
	if err != nil {
		return "", err
	}
	path := filepath.Join(dir, PlanFile)
	return path, writeAtomic(path, append(b, '\n'))
}

// Loaded is a plan read back, with the sha256 of its file (which every
// partial records) and its directory (where partials go).
type Loaded struct {
	*Plan
	Path   string
	Dir    string
	SHA256 string
}

// ReadPlan reads and checks a plan file. Problems are *Error naming it.
func ReadPlan(path string) (*Loaded, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var p Plan
	if err := json.Unmarshal(b, &p); err != nil {
		return nil, &Error{path, "not a shard plan: " + err.Error()}
	}
	switch {
	case p.Format != 1:
		return nil, &Error{path, fmt.Sprintf("plan format %d, this surveymine reads 1", p.Format)}
	case p.LogicalShards != LogicalShards:
		return nil, &Error{path, fmt.Sprintf("plan has %d logical shards, this surveymine uses %d", p.LogicalShards, LogicalShards)}
	case p.Shards < 1 || p.Shards > LogicalShards:
		return nil, &Error{path, fmt.Sprintf("shard count %d out of range 1..%d", p.Shards, LogicalShards)}
	case sum([]byte(p.Config)) != p.ConfigSHA256:
		return nil, &Error{path, "config does not match its sha256 (the plan was edited)"}
	}
	return &Loaded{Plan: &p, Path: path, Dir: filepath.Dir(path), SHA256: sum(b)}, nil
}

// CheckInputs verifies that every input file still has the size and
// sha256 the plan recorded. A changed or missing file is an *Error naming
// it: the partials would not describe it.
func (p *Plan) CheckInputs() error {
	var errs []error
	for _, in := range p.Inputs {
		size, h, err := hashFile(in.Path)
		switch {
		case err != nil:
			errs = append(errs, &Error{in.Path, "input of the plan cannot be read: " + err.Error()})
		case size != in.Bytes || h != in.SHA256:
			errs = append(errs, &Error{in.Path, fmt.Sprintf("input changed since the plan (sha256 %s, plan has %s): run plan again", short(h), short(in.SHA256))})
		}
	}
	return errors.Join(errs...)
}

func short(h string) string {
	if len(h) > 12 {
		return h[:12]
	}
	return h
}

// Owner returns the worker index (0..n-1) of logical shard s.
func Owner(s, n int) int { return s % n }

// Logical returns the logical shard of unit ui of c: survey units by their
// respondent (file and key), report units by their article (file and
// article number). It is FNV-1a 64 of that key, mod LogicalShards.
func Logical(c *corpus.Corpus, ui int) int {
	if r := c.Units.Respondent(ui); r >= 0 {
		return respondentShard(c, r)
	}
	u := c.Units.At(ui)
	return keyShard("report", u.Src.File, strconv.Itoa(u.Src.Article))
}

// respondentShard is the logical shard of respondent r of c and its units.
func respondentShard(c *corpus.Corpus, r int) int {
	return keyShard("survey", c.Respondents.Src(r).File, c.Respondents.Key(r))
}

func keyShard(kind, file, key string) int {
	// FNV-1a 64 (hash/fnv's New64a) of kind NUL file NUL key, inline: a
	// worker and the merge hash every respondent and unit, and the hash
	// object and the joined string were one allocation each.
	const offset, prime = 14695981039346656037, 1099511628211
	h := uint64(offset)
	for _, s := range [...]string{kind, "\x00", file, "\x00", key} {
		for i := 0; i < len(s); i++ {
			h ^= uint64(s[i])
			h *= prime
		}
	}
	return int(h % LogicalShards)
}

// writeAtomic writes data to path through a temp file in the same
// directory, synced, then renamed: readers see the old file or the new
// one, never a part.
func writeAtomic(path string, data []byte) error {
	return writeAtomicFunc(path, func(w io.Writer) error {
		_, err := w.Write(data)
		return err
	})
}

func writeAtomicFunc(path string, write func(io.Writer) error) error {
	f, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".tmp-*")
	if err != nil {
		return err
	}
	tmp := f.Name()
	if err := write(f); err != nil {
		f.Close()
		os.Remove(tmp)
		return err
	}
	if err := f.Sync(); err != nil {
		f.Close()
		os.Remove(tmp)
		return err
	}
	if err := f.Close(); err != nil {
		os.Remove(tmp)
		return err
	}
	if err := os.Rename(tmp, path); err != nil {
		os.Remove(tmp)
		return err
	}
	return nil
}
