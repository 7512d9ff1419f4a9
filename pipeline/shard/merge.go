package shard

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"runtime"
	"strconv"
	"strings"

	"golang.org/x/sync/errgroup"

	"surveymine/analysis/codebook"
	"surveymine/analysis/segment"
	"surveymine/pipeline/corpus"
)

// Recording is the merged partials of every worker of a plan, ready to be
// replayed by the pipeline (it implements pipeline.Replay).
type Recording struct {
	plan      *Loaded
	manifests []*Manifest
	parts     []*reader
	index     textIndex // every text → the first worker, in index order, that has it
}

var fileRE = regexp.MustCompile(`^shard-(\d+)\.(json|partial)$`)

// Open checks that the plan's directory holds the partial and manifest of
// every worker 0..N-1 exactly once, complete (the partial's size and
// sha256 are those in its manifest) and from this plan (the plan's
// sha256), and loads them. Every problem found is reported, each as an
// *Error naming the file, joined.
func Open(lp *Loaded) (*Recording, error) {
	entries, err := os.ReadDir(lp.Dir)
	if err != nil {
		return nil, err
	}
	var errs []error
	for _, e := range entries {
		m := fileRE.FindStringSubmatch(e.Name())
		if m == nil {
			continue
		}
		if i, err := strconv.Atoi(m[1]); err != nil || i >= lp.Shards || m[0] != fmt.Sprintf("shard-%04d.%s", i, m[2]) {
			errs = append(errs, &Error{filepath.Join(lp.Dir, e.Name()), fmt.Sprintf("not a file of this plan's %d workers (left from another plan?): remove it", lp.Shards)})
		}
	}
	return collect(lp, errs, func(i int) (*Manifest, *reader, error) { return openWorker(lp, i) })
}

// collect opens worker 0..N-1 of lp with open, as many at once as there
// are cores (each hashes and checks a whole partial), and returns their
// recording, or every error of errs and of open, joined in index order.
func collect(lp *Loaded, errs []error, open func(i int) (*Manifest, *reader, error)) (*Recording, error) {
	r := &Recording{plan: lp, manifests: make([]*Manifest, lp.Shards), parts: make([]*reader, lp.Shards)}
	werrs := make([]error, lp.Shards)
	var g errgroup.Group
	g.SetLimit(runtime.GOMAXPROCS(0))
	for i := 0; i < lp.Shards; i++ {
		g.Go(func() error {
			r.manifests[i], r.parts[i], werrs[i] = open(i)
			return nil
		})
	}
	g.Wait() // the errors are in werrs
	if err := errors.Join(append(errs, werrs...)...); err != nil {
		return nil, err
	}
	r.buildIndex()
	return r, nil
}

// OpenParts is Open for partials held in memory (WorkPart's results, in
// any order): it checks that parts holds worker 0..N-1 of the plan each
// exactly once, complete and from this plan, with the checks of Open.
// Problems are *Error naming the worker's manifest or partial file as
// Work would have named it, marked "(in memory)", joined.
func OpenParts(lp *Loaded, parts []Part) (*Recording, error) {
	var errs []error
	byIndex := make([]*Part, lp.Shards)
	for k := range parts {
		pt := &parts[k]
		switch {
		case pt.Index < 0 || pt.Index >= lp.Shards:
			errs = append(errs, &Error{inMemory(lp, ManifestName(pt.Index)), fmt.Sprintf("worker %d is not one of this plan's %d workers", pt.Index, lp.Shards)})
		case byIndex[pt.Index] != nil:
			errs = append(errs, &Error{inMemory(lp, ManifestName(pt.Index)), fmt.Sprintf("duplicate: worker %d's output came twice", pt.Index)})
		default:
			byIndex[pt.Index] = pt
		}
	}
	return collect(lp, errs, func(i int) (*Manifest, *reader, error) {
		pt := byIndex[i]
		if pt == nil {
			return nil, nil, &Error{inMemory(lp, ManifestName(i)), fmt.Sprintf("missing: no output of worker %d", i)}
		}
		h := sha256.Sum256(pt.Partial)
		// A copy: the recording outlives the caller's bytes.
		return checkWorker(lp, i, inMemory(lp, ManifestName(i)), pt.Manifest, inMemory(lp, PartialName(i)), string(pt.Partial), h[:])
	})
}

func inMemory(lp *Loaded, name string) string {
	return filepath.Join(lp.Dir, name) + " (in memory)"
}

// buildIndex maps every text to the first partial, in worker order, that
// has it.
func (r *Recording) buildIndex() {
	n := 0
	for _, p := range r.parts {
		n += len(p.recs)
	}
	r.index.init(n)
	for pi, p := range r.parts {
		for k := range p.recs {
			r.index.add(p.text(k), ref(pi, k), r.text)
		}
	}
}

// text returns the text a reference of the index points to.
func (r *Recording) text(at textRef) string {
	pi, k := at.part()
	return r.parts[pi].text(k)
}

// openWorker checks and reads worker i's manifest and partial.
func openWorker(lp *Loaded, i int) (*Manifest, *reader, error) {
	mpath := filepath.Join(lp.Dir, ManifestName(i))
	b, err := os.ReadFile(mpath)
	if errors.Is(err, os.ErrNotExist) {
		return nil, nil, &Error{mpath, fmt.Sprintf("missing: worker %d has not finished (run surveymine shard --plan %s --index %d)", i, lp.Path, i)}
	}
	if err != nil {
		return nil, nil, err
	}
	m, err := readManifest(lp, i, mpath, b)
	if err != nil {
		return nil, nil, err
	}
	ppath := filepath.Join(lp.Dir, m.Partial)
	data, sum, err := readPartial(ppath)
	if errors.Is(err, os.ErrNotExist) {
		return nil, nil, &Error{ppath, fmt.Sprintf("missing, but its manifest %s exists: rerun worker %d", ManifestName(i), i)}
	}
	if err != nil {
		return nil, nil, err
	}
	return checkWorker(lp, i, mpath, b, ppath, data, sum)
}

// readPartial reads a partial file into a string, hashing it on the way:
// one copy of its bytes in memory (a []byte read and converted held two
// for a moment, 240 MB more at 1M rows).
func readPartial(path string) (data string, sum []byte, err error) {
	f, err := os.Open(path)
	if err != nil {
		return "", nil, err
	}
	defer f.Close()
	var b strings.Builder
	if st, err := f.Stat(); err == nil {
		b.Grow(int(st.Size()))
	}
	h := sha256.New()
	if _, err := io.Copy(io.MultiWriter(&b, h), f); err != nil {
		return "", nil, err
	}
	return b.String(), h.Sum(nil), nil
}

// readManifest decodes worker i's manifest (read from mpath) and checks
// that it belongs to this plan and worker.
func readManifest(lp *Loaded, i int, mpath string, b []byte) (*Manifest, error) {
	var m Manifest
	if err := json.Unmarshal(b, &m); err != nil {
		return nil, &Error{mpath, "not a shard manifest: " + err.Error()}
	}
	switch {
	case m.PlanSHA256 != lp.SHA256:
		return nil, &Error{mpath, fmt.Sprintf("stale: written for another plan (sha256 %s, this plan is %s): rerun worker %d", short(m.PlanSHA256), short(lp.SHA256), i)}
	case m.Index != i:
		return nil, &Error{mpath, fmt.Sprintf("duplicate: it is the manifest of worker %d, not %d (copied?): rerun worker %d", m.Index, i, i)}
	case m.Partial != PartialName(i):
		return nil, &Error{mpath, fmt.Sprintf("names partial %q, want %q", m.Partial, PartialName(i))}
	}
	return &m, nil
}

// checkWorker checks worker i's manifest b (named mpath in errors) and
// partial data (named ppath, with sha256 sum) against each other and the
// plan, and opens the partial.
func checkWorker(lp *Loaded, i int, mpath string, b []byte, ppath string, data string, sum []byte) (*Manifest, *reader, error) {
	m, err := readManifest(lp, i, mpath, b)
	if err != nil {
		return nil, nil, err
	}
	got := hex.EncodeToString(sum)
	if int64(len(data)) != m.PartialBytes || got != m.PartialSHA256 {
		return nil, nil, &Error{ppath, fmt.Sprintf("corrupt or incomplete: %d bytes with sha256 %s, its manifest says %d bytes with %s: rerun worker %d", len(data), short(got), m.PartialBytes, short(m.PartialSHA256), i)}
	}
	p, derr := openReader(data)
	switch {
	case derr != nil:
		return nil, nil, &Error{ppath, fmt.Sprintf("cannot decode: %v (written by another surveymine version?): rerun worker %d", derr, i)}
	case p.PlanSHA256 != lp.SHA256 || p.Index != i:
		return nil, nil, &Error{ppath, fmt.Sprintf("belongs to worker %d of plan %s, not worker %d of this plan: rerun worker %d", p.Index, short(p.PlanSHA256), i, i)}
	case len(p.recs) != m.DistinctTexts:
		return nil, nil, &Error{ppath, fmt.Sprintf("holds %d texts, its manifest says %d: rerun worker %d", len(p.recs), m.DistinctTexts, i)}
	}
	return m, p, nil
}

// Manifests returns the workers' manifests in index order.
func (r *Recording) Manifests() []*Manifest { return r.manifests }

// Check verifies that the partials cover exactly the units of c, worker by
// worker: a partial of other inputs (or another assignment) is caught
// here even if its plan matched.
func (r *Recording) Check(c *corpus.Corpus) error {
	resp, units := ownedCounts(c, r.plan.Shards)
	var errs []error
	for i, m := range r.manifests {
		if m.Units != units[i] || m.Respondents != resp[i] {
			errs = append(errs, &Error{filepath.Join(r.plan.Dir, ManifestName(i)), fmt.Sprintf(
				"covers %d respondents and %d units, but the inputs give worker %d %d and %d: rerun worker %d",
				m.Respondents, m.Units, i, resp[i], units[i], i)})
		}
	}
	return errors.Join(errs...)
}

// Tokens appends the recorded tokens of text to dst[:0]; their strings
// share the partial's memory. Safe for concurrent use.
func (r *Recording) Tokens(text string, dst []segment.Token) ([]segment.Token, bool) {
	at, ok := r.index.get(text, r.text)
	if !ok {
		return dst[:0], false
	}
	pi, k := at.part()
	return r.parts[pi].appendTokens(k, dst), true
}

// Hits returns the recorded codebook hits of text, decoded into new
// slices whose strings share the partial's memory.
func (r *Recording) Hits(text string) (unit, sentence []codebook.Hit, ok bool) {
	at, ok := r.index.get(text, r.text)
	if !ok {
		return nil, nil, false
	}
	pi, k := at.part()
	p := r.parts[pi]
	if !p.Coded {
		return nil, nil, false
	}
	unit, sentence = p.hits(k)
	return unit, sentence, true
}

// Summary returns the totals of the manifests: respondents, units and
// distinct texts per worker summed, and the partials' bytes.
func (r *Recording) Summary() (respondents, units, texts int, bytes int64) {
	for _, m := range r.manifests {
		respondents += m.Respondents
		units += m.Units
		texts += m.DistinctTexts
		bytes += m.PartialBytes
	}
	return
}

// Opening is a Recording that Start is checking and loading in the
// background, so that the merge ingests the inputs meanwhile: the
// recording is needed from the segment stage on. It implements
// pipeline.Replay: Check waits for Start's checks and returns their error
// first; Tokens and Hits may be called only after Check returned nil.
type Opening struct {
	done chan struct{}
	rec  *Recording
	err  error
}

// Start checks the inputs against the plan (CheckInputs) and then opens
// the partials (Open) on a goroutine of its own, and returns at once.
// When either fails, it calls failed with the error (once), so that the
// caller can cancel the job instead of ingesting for nothing.
func Start(lp *Loaded, failed func(error)) *Opening {
	o := &Opening{done: make(chan struct{})}
	go func() {
		defer close(o.done)
		if o.err = lp.CheckInputs(); o.err == nil {
			o.rec, o.err = Open(lp)
		}
		if o.err != nil {
			failed(o.err)
		}
	}()
	return o
}

// Wait waits for the checks and Open to finish and returns the result.
func (o *Opening) Wait() (*Recording, error) {
	<-o.done
	return o.rec, o.err
}

// Check waits for Start's checks and returns their error, else the
// recording's Check.
func (o *Opening) Check(c *corpus.Corpus) error {
	r, err := o.Wait()
	if err != nil {
		return err
	}
	return r.Check(c)
}

// Tokens is the recording's Tokens; Check must have returned nil.
func (o *Opening) Tokens(text string, dst []segment.Token) ([]segment.Token, bool) {
	return o.rec.Tokens(text, dst)
}

// Hits is the recording's Hits; Check must have returned nil.
func (o *Opening) Hits(text string) (unit, sentence []codebook.Hit, ok bool) {
	return o.rec.Hits(text)
}
