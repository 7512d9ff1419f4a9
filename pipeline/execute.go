package pipeline

import (
	"context"
	"log/slog"
	"runtime"
	"time"

	"surveymine/analysis/codebook"
	"surveymine/internal/progress"
	"surveymine/internal/spill"
	"surveymine/pipeline/ingest"
)

// Build constructs the stages of the job in order. Expensive setup
// (dictionaries, codebook) happens here, once; a stage's Run only fails
// because of data.
func Build(cfg *Config, env Env) ([]Stage, error) {
	return build(cfg, env, nil)
}

// build is Build with the run's staged output directory, which the code
// stage writes its per-row tables into early; nil writes everything at
// the end.
func build(cfg *Config, env Env, out *outputs) ([]Stage, error) {
	env = env.withDefaults()
	seg, err := newSegment(cfg, env)
	if err != nil {
		return nil, err
	}
	book, src, err := loadCodebook(cfg)
	if err != nil {
		return nil, err
	}
	if book != nil {
		seg.checkTerms = append(seg.checkTerms, codebookTerms(book)...)
	}
	return []Stage{
		newIngest(cfg, env),
		seg,
		newCode(cfg, env, book, src).writingTo(out),
		newCluster(cfg, env),
		newCrosstab(cfg, env),
		newWrite(cfg, env, out),
	}, nil
}

// Execute builds and runs the whole job described by cfg and returns the
// final dataset. Outputs are in cfg.Output.Dir when it returns nil.
func Execute(ctx context.Context, cfg *Config, env Env) (*Dataset, error) {
	env = env.withDefaults()
	if err := checkBudget(cfg, env.Memory); err != nil {
		return nil, err
	}
	out := &outputs{cfg: cfg, env: env}
	if env.Spill == nil {
		// The corpus's bulk spills into the staged output directory: on
		// the disk the user chose for the outputs, removed with it.
		dir, err := out.open()
		if err != nil {
			return nil, err
		}
		env.Spill = spill.New(dir.Path())
		out.env = env
	}
	stages, err := build(cfg, env, out)
	if err != nil {
		out.abort()
		return nil, err
	}
	stop := env.Spill.ReleaseAbove(SpillResident(env.Memory), spillCheck)
	d, err := Run(ctx, stages, &Dataset{}, releasing{env.Progress, env.Spill})
	stop()
	if err != nil {
		out.abort()
	}
	return d, err
}

// spillCheck is how often the run checks how much of the spilled corpus
// is resident during a stage, and drops its pages past SpillResident:
// what a stage has read of it (the tokens the cluster stage turned into
// term lists, the text the write stage has written) should not stay
// counted against the budget.
const spillCheck = 100 * time.Millisecond

// releasing reports progress and, as each stage ends, drops the spilled
// corpus's pages from resident memory: the next stage faults back in only
// what it reads.
type releasing struct {
	progress.Reporter
	arena *spill.Arena
}

func (r releasing) End(stage string) {
	r.arena.Release()
	r.Reporter.End(stage)
}

// Check validates the inputs a config names (files exist, named columns
// are in the headers) without running the job.
func Check(ctx context.Context, cfg *Config) error {
	return ingest.Check(ctx, cfg.Inputs, "")
}

func (e Env) withDefaults() Env {
	if e.Log == nil {
		e.Log = slog.New(slog.DiscardHandler)
	}
	if e.Progress == nil {
		e.Progress = progress.Nop{}
	}
	return e
}

// workers returns the number of parallel workers to use.
func (c *Config) workers() int {
	if c.Workers > 0 {
		return c.Workers
	}
	return runtime.GOMAXPROCS(0)
}

// codebookTerms lists the term alternatives (not raw phrases) of every
// rule, in codebook order without repeats: the words the segmenter must
// keep whole for the rules to match.
func codebookTerms(cb *codebook.Codebook) []string {
	seen := map[string]bool{}
	var out []string
	for _, c := range cb.Categories {
		for _, r := range c.Rules {
			for _, items := range [][]codebook.Item{r.All, r.Any, r.Not} {
				for _, it := range items {
					for _, a := range it.Alts {
						if !a.Phrase && !seen[a.Text] {
							seen[a.Text] = true
							out = append(out, a.Text)
						}
					}
				}
			}
		}
	}
	return out
}
