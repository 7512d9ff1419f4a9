package pipeline

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"surveymine/analysis/codebook"
	"surveymine/analysis/segment"
	"surveymine/internal/progress"
	"surveymine/internal/spill"
	"surveymine/pipeline/corpus"
	"surveymine/pipeline/table"
)

// Dataset is what flows between stages. Each stage returns a shallow copy
// with its own fields filled in; it never mutates the Dataset it was given.
type Dataset struct {
	Corpus *corpus.Corpus   // from ingest
	Cuts   *segment.Packed  // from segment: the tokens of each distinct text, packed (read with Tokens)
	Texts  *TextIndex       // from segment: the distinct texts of Corpus.Units
	Coding *Coding          // from code; nil without a codebook
	Groups *Clustering      // from cluster
	Tests  *CrosstabResults // from crosstab
	Tables []*table.Table   // output tables, in the order they are written
	Facts  map[string]any   // deterministic figures for the manifest (chosen k, vocabulary …)
	Perf   map[string]any   // run-dependent figures for the manifest (clause cache hits …)
	Timing []StageTiming    // filled by Run
}

// TextIndex groups the corpus units by text: survey answers repeat, and
// every per-text result (tokens, codebook hits) is computed once per
// distinct text and shared.
type TextIndex struct {
	Of    []int32 // per unit: its distinct text, numbered by first occurrence
	First []int   // per distinct text: the first unit with it
	Count []int   // per distinct text: how many units have it
}

// Tokens appends the tokens of corpus unit u to dst[:0] and returns it:
// the tokens of its distinct text, unpacked (48 bytes each while in use,
// 16 while stored). Pass the previous result as dst to reuse it.
func (d *Dataset) Tokens(u int, dst []segment.Token) []segment.Token {
	return d.Cuts.Tokens(int(d.Texts.Of[u]), dst)
}

// StageTiming is the wall time of one stage.
type StageTiming struct {
	Stage   string  `json:"stage"`
	Seconds float64 `json:"seconds"`
}

func (d *Dataset) clone() *Dataset {
	out := *d
	out.Tables = append([]*table.Table(nil), d.Tables...)
	out.Facts = make(map[string]any, len(d.Facts)+4)
	for k, v := range d.Facts {
		out.Facts[k] = v
	}
	out.Perf = make(map[string]any, len(d.Perf)+4)
	for k, v := range d.Perf {
		out.Perf[k] = v
	}
	return &out
}

// Stage turns one Dataset into another. Run must not mutate in and must
// return ctx.Err() promptly after cancellation.
type Stage interface {
	Name() string
	Run(ctx context.Context, in *Dataset) (*Dataset, error)
}

// Env is what stages need from the outside world besides their config.
type Env struct {
	Log      *slog.Logger      // diagnostics; never nil after Build
	Progress progress.Reporter // progress of long stages; never nil after Build
	Version  string            // program version, for the manifest and report

	// ConfigYAML is the merged config as the user would write it; it is
	// saved beside the outputs as config.yaml.
	ConfigYAML []byte

	// Memory is the run's memory budget in bytes (the memory key, or the
	// share of physical memory the command chose); 0 means none. It sizes
	// the clause cache, and Execute refuses inputs that cannot fit it.
	Memory int64

	// Replay, when set, supplies the segmentation and coding of every
	// distinct text, recorded by `surveymine shard` workers: the segment
	// and code stages look texts up instead of cutting and coding them,
	// and everything else runs as usual. Nil means compute everything.
	Replay Replay

	// Spill, when set, holds the corpus's bulk (kept text, answers) out
	// of the Go heap in mapped temporary files (package spill), and its
	// pages are released after every stage. Execute makes one in the
	// staged output directory; nil keeps everything in the heap.
	Spill *spill.Arena
}

// Replay is what shard workers recorded, keyed by the normalised text of a
// unit. Its results must be those this run's segmenter and codebook would
// give (same config); the segment stage checks it against the corpus first.
type Replay interface {
	// Check verifies, before any lookup, that the recording covers
	// exactly the ingested corpus (the same units in the same shards).
	Check(c *corpus.Corpus) error
	// Tokens appends the tokens of text to dst[:0]; ok is false when not
	// recorded. It is called from several goroutines at once.
	Tokens(text string, dst []segment.Token) (toks []segment.Token, ok bool)
	// Hits returns the unit- and sentence-level codebook hits of text;
	// ok is false when not recorded.
	Hits(text string) (unit, sentence []codebook.Hit, ok bool)
}

// ErrNotRecorded is returned by the segment and code stages when Env.Replay
// lacks a text of the corpus: the partials do not belong to these inputs.
var ErrNotRecorded = segment.ErrNotRecorded

// Run executes stages in order, naming the failing stage in the error.
func Run(ctx context.Context, stages []Stage, d *Dataset, p progress.Reporter) (*Dataset, error) {
	if d == nil {
		d = &Dataset{}
	}
	for i, s := range stages {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		p.Begin(s.Name())
		start := time.Now()
		out, err := s.Run(ctx, d)
		p.End(s.Name())
		if err != nil {
			// A stage that fails once cancelled failed because of it, even
			// if a library on the way dropped the error chain.
			if cerr := ctx.Err(); cerr != nil && !errors.Is(err, cerr) {
				err = fmt.Errorf("%w (%v)", cerr, err)
			}
			return nil, fmt.Errorf("stage %d (%s): %w", i+1, s.Name(), err)
		}
		out.Timing = append(append([]StageTiming(nil), d.Timing...), StageTiming{s.Name(), time.Since(start).Seconds()})
		d = out
	}
	return d, nil
}
