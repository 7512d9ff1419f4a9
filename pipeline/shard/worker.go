package shard

import (
	"bufio"
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"path/filepath"

	"surveymine/analysis/codebook"
	"surveymine/analysis/segment"
	"surveymine/internal/progress"
	"surveymine/pipeline"
	"surveymine/pipeline/corpus"
)

// Manifest describes one worker's partial; it is written last, so a
// partial without a manifest (or with another's) is incomplete.
type Manifest struct {
	PlanSHA256    string `json:"plan_sha256"`    // sha256 of the plan file the worker ran
	Index         int    `json:"index"`          // worker index I
	Shards        int    `json:"shards"`         // N of the plan
	LogicalShards []int  `json:"logical_shards"` // I, I+N, … (< LogicalShards)
	Respondents   int    `json:"respondents"`    // respondents in those logical shards
	Units         int    `json:"units"`          // text units in those logical shards
	DistinctTexts int    `json:"distinct_texts"` // distinct texts segmented (and coded)
	Partial       string `json:"partial"`        // partial file name, in the plan's directory
	PartialBytes  int64  `json:"partial_bytes"`
	PartialSHA256 string `json:"partial_sha256"`
	ToolVersion   string `json:"tool_version"`
}

// datasetSource is a worker's partial as encode reads it: the distinct
// texts of the worker's units, in order of first occurrence, with the
// segment and code stages' results.
type datasetSource struct{ d *pipeline.Dataset }

func (s datasetSource) Len() int { return len(s.d.Texts.First) }

func (s datasetSource) Text(k int) string { return s.d.Corpus.Units.Text(s.d.Texts.First[k]) }

func (s datasetSource) Tokens(k int, dst []segment.Token) []segment.Token {
	return s.d.Tokens(s.d.Texts.First[k], dst)
}

func (s datasetSource) Hits(k int) (unit, sentence []codebook.Hit) {
	if s.d.Coding == nil {
		return nil, nil
	}
	u := s.d.Texts.First[k]
	return s.d.Coding.Hits[u], s.d.Coding.SentenceHits[u]
}

// ManifestName and PartialName are the files of worker i in the plan's
// directory.
func ManifestName(i int) string { return fmt.Sprintf("shard-%04d.json", i) }

// PartialName is the partial file of worker i.
func PartialName(i int) string { return fmt.Sprintf("shard-%04d.partial", i) }

// WorkerOptions are the inputs of Work besides the plan.
type WorkerOptions struct {
	Index       int              // worker index, 0..Shards-1
	Stages      []pipeline.Stage // pipeline.Build of the plan's config; ingest, segment and code are used
	Progress    progress.Reporter
	ToolVersion string
}

// Work runs worker opt.Index of the plan: it ingests the inputs, keeps the
// units of its logical shards, segments and codes their distinct texts
// with the pipeline's own stages and writes its partial and manifest to
// the plan's directory, each by temp file and rename (a rerun replaces
// both). The caller checks the inputs first (Plan.CheckInputs).
func Work(ctx context.Context, lp *Loaded, opt WorkerOptions) (*Manifest, error) {
	m, h0, src, err := work(ctx, lp, opt)
	if err != nil {
		return nil, err
	}
	h := sha256.New()
	err = writeAtomicFunc(filepath.Join(lp.Dir, m.Partial), func(w io.Writer) error {
		cw := &countWriter{w: io.MultiWriter(w, h)}
		bw := bufio.NewWriterSize(cw, 1<<20)
		if err := encode(bw, h0, src); err != nil {
			return err
		}
		if err := bw.Flush(); err != nil {
			return err
		}
		m.PartialBytes = cw.n
		return ctx.Err()
	})
	if err != nil {
		return nil, fmt.Errorf("write partial: %w", err)
	}
	m.PartialSHA256 = hex.EncodeToString(h.Sum(nil))
	b, err := json.MarshalIndent(m, "", "  ")
	if err != nil {
		return nil, err
	}
	if err := writeAtomic(filepath.Join(lp.Dir, ManifestName(opt.Index)), append(b, '\n')); err != nil {
		return nil, fmt.Errorf("write manifest: %w", err)
	}
	return m, nil
}

// Part is one worker's output held in memory instead of the plan's
// directory: what an engine that moves data between its workers itself
// (Apache Beam, in the nested beam module) passes from worker to merge.
type Part struct {
	Index    int    // worker index I
	Manifest []byte // shard-IIII.json, as Work writes it
	Partial  []byte // shard-IIII.partial, as Work writes it
}

// WorkPart runs worker opt.Index of the plan like Work, but returns its
// manifest and partial instead of writing them; OpenParts merges them.
// The bytes are those Work would write.
func WorkPart(ctx context.Context, lp *Loaded, opt WorkerOptions) (Part, error) {
	m, h0, src, err := work(ctx, lp, opt)
	if err != nil {
		return Part{}, err
	}
	var buf bytes.Buffer
	bw := bufio.NewWriterSize(&buf, 1<<20)
	if err := encode(bw, h0, src); err != nil {
		return Part{}, err
	}
	if err := bw.Flush(); err != nil {
		return Part{}, err
	}
	h := sha256.Sum256(buf.Bytes())
	m.PartialBytes, m.PartialSHA256 = int64(buf.Len()), hex.EncodeToString(h[:])
	b, err := json.MarshalIndent(m, "", "  ")
	if err != nil {
		return Part{}, err
	}
	return Part{Index: opt.Index, Manifest: append(b, '\n'), Partial: buf.Bytes()}, nil
}

// work runs the pipeline stages of worker opt.Index and returns its
// manifest (without the partial's size and hash) and what its partial is
// written from.
func work(ctx context.Context, lp *Loaded, opt WorkerOptions) (*Manifest, header, source, error) {
	if opt.Index < 0 || opt.Index >= lp.Shards {
		return nil, header{}, nil, fmt.Errorf("shard index %d out of range 0..%d of plan %s", opt.Index, lp.Shards-1, lp.Path)
	}
	if opt.Progress == nil {
		opt.Progress = progress.Nop{}
	}
	byName := map[string]pipeline.Stage{}
	for _, s := range opt.Stages {
		byName[s.Name()] = s
	}
	var stages []pipeline.Stage
	for i, name := range []string{"ingest", "", "segment", "code"} {
		if i == 1 {
			stages = append(stages, &filterStage{index: opt.Index, n: lp.Shards})
			continue
		}
		s, ok := byName[name]
		if !ok {
			panic("shard: pipeline stages lack " + name) // programmer error: Build's list changed
		}
		stages = append(stages, s)
	}
	d, err := pipeline.Run(ctx, stages, nil, opt.Progress)
	if err != nil {
		return nil, header{}, nil, err
	}
	h := header{PlanSHA256: lp.SHA256, Index: opt.Index, Coded: d.Coding != nil}
	m := &Manifest{PlanSHA256: lp.SHA256, Index: opt.Index, Shards: lp.Shards, Units: d.Corpus.Units.Len(),
		DistinctTexts: len(d.Texts.First), Partial: PartialName(opt.Index), ToolVersion: opt.ToolVersion}
	for s := opt.Index; s < LogicalShards; s += lp.Shards {
		m.LogicalShards = append(m.LogicalShards, s)
	}
	for i := range d.Corpus.Respondents.Len() {
		if Owner(respondentShard(d.Corpus, i), lp.Shards) == opt.Index {
			m.Respondents++
		}
	}
	if err := ctx.Err(); err != nil {
		return nil, header{}, nil, err
	}
	return m, h, datasetSource{d}, nil
}

type countWriter struct {
	w io.Writer
	n int64
}

func (c *countWriter) Write(p []byte) (int, error) {
	n, err := c.w.Write(p)
	c.n += int64(n)
	return n, err
}

// filterStage keeps the units of one worker's logical shards. Everything
// else in the corpus (respondents, questions) stays, so unit indexes into
// it keep their meaning.
type filterStage struct{ index, n int }

func (f *filterStage) Name() string { return "select shard" }

func (f *filterStage) Run(ctx context.Context, in *pipeline.Dataset) (*pipeline.Dataset, error) {
	c := *in.Corpus
	// The worker's units share the corpus's text; only their records
	// are copied.
	c.Units = in.Corpus.Units.Select(func(i int) bool { return Owner(Logical(in.Corpus, i), f.n) == f.index })
	out := *in
	out.Corpus = &c
	out.Tables = nil // the ingest tables are written by merge
	return &out, nil
}

// ownedCounts returns per worker the respondents and units of c it owns.
func ownedCounts(c *corpus.Corpus, n int) (resp, units []int) {
	resp, units = make([]int, n), make([]int, n)
	for i := range c.Respondents.Len() {
		resp[Owner(respondentShard(c, i), n)]++
	}
	for i := range c.Units.Len() {
		units[Owner(Logical(c, i), n)]++
	}
	return resp, units
}
