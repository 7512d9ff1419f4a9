package shardbeam

import (
	"context"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"reflect"
	"sort"
	"sync"

	"github.com/apache/beam/sdks/v2/go/pkg/beam"
	"github.com/apache/beam/sdks/v2/go/pkg/beam/log"
	"github.com/apache/beam/sdks/v2/go/pkg/beam/register"

	"surveymine/pipeline"
	"surveymine/pipeline/shard"
)

func init() {
	beam.RegisterType(reflect.TypeOf((*shard.Part)(nil)).Elem())
	beam.RegisterType(reflect.TypeOf((*Parts)(nil)).Elem())
	register.DoFn2x2[context.Context, int, shard.Part, error](&workFn{})
	register.Combiner2[Parts, shard.Part](&gatherFn{})
	register.DoFn2x2[context.Context, Parts, string, error](&mergeFn{})
}

// Options are the job a pipeline runs.
type Options struct {
	// Plan is plan.json written by `surveymine plan`. Build makes it
	// absolute; workers and the merge open it by that path, so on a
	// cluster it must be on storage mounted at the same path everywhere.
	Plan string
	// Out is the output directory; "" = output.dir of the plan's config.
	Out string
	// Force replaces a non-empty output directory (as merge --force).
	Force bool
	// Version is the program version written into the manifest and
	// report; "" = the version of the surveymine that wrote the plan, so
	// that the report is the one `surveymine run` of that version writes.
	Version string
}

// Build adds the job of opt.Plan to s: one element per worker index, a
// worker DoFn, a CombineFn gathering the partials and a merge DoFn that
// writes the tables. It reads the plan (to learn N), so the launcher must
// see it too. It returns the merge's one-line summary.
func Build(s beam.Scope, opt Options) (beam.PCollection, error) {
	plan, err := filepath.Abs(opt.Plan)
	if err != nil {
		return beam.PCollection{}, err
	}
	lp, err := shard.ReadPlan(plan)
	if err != nil {
		return beam.PCollection{}, err
	}
	if opt.Out != "" {
		if opt.Out, err = filepath.Abs(opt.Out); err != nil {
			return beam.PCollection{}, err
		}
	}
	if opt.Version == "" {
		opt.Version = lp.ToolVersion
	}
	indexes := make([]int, lp.Shards)
	for i := range indexes {
		indexes[i] = i
	}
	s = s.Scope("surveymine")
	idx := beam.CreateList(s, indexes)
	// Without the reshuffle a runner fuses Create with the workers and
	// runs every index in one bundle, one after the other.
	idx = beam.Reshuffle(s, idx)
	parts := beam.ParDo(s.Scope("shard"), &workFn{Plan: plan, Version: opt.Version}, idx)
	all := beam.Combine(s.Scope("gather"), &gatherFn{}, parts)
	return beam.ParDo(s.Scope("merge"), &mergeFn{Plan: plan, Out: opt.Out, Force: opt.Force, Version: opt.Version}, all), nil
}

// inProcess serialises workers and merges within one SDK harness process:
// each already uses every core (the config's workers key), opening a plan
// may change the working directory, and the segmenter's package-level
// settings are made once per process, not per goroutine.
var inProcess sync.Mutex

// workFn is `surveymine shard --plan Plan --index I` for each element I,
// returning its manifest and partial instead of writing them.
type workFn struct {
	Plan    string // absolute path of plan.json
	Version string // tool version written into the manifest
}

func (f *workFn) ProcessElement(ctx context.Context, index int) (shard.Part, error) {
	inProcess.Lock()
	defer inProcess.Unlock()
	lp, cfg, err := openPlan(f.Plan, "", false)
	if err != nil {
		return shard.Part{}, err
	}
	if index < 0 || index >= lp.Shards {
		return shard.Part{}, fmt.Errorf("shard index %d out of range: plan %s has %d workers", index, lp.Path, lp.Shards)
	}
	env := pipeline.Env{Log: logger(), Version: f.Version, Memory: cfg.MemoryBudget()}
	stages, err := pipeline.Build(cfg, env)
	if err != nil {
		return shard.Part{}, err
	}
	p, err := shard.WorkPart(ctx, lp, shard.WorkerOptions{Index: index, Stages: stages, ToolVersion: f.Version})
	if err != nil {
		return shard.Part{}, fmt.Errorf("shard %d of %s: %w", index, lp.Path, err)
	}
	log.Infof(ctx, "surveymine shard %d of %d: %d bytes of partial", index, lp.Shards, len(p.Partial))
	return p, nil
}

// Parts is the workers' output gathered for the merge, sorted by worker
// index once complete.
type Parts struct {
	Parts []shard.Part
}

// gatherFn collects every worker's part into one element. The runner may
// add and merge them in any order; ExtractOutput sorts them by worker
// index, so the merge sees them in the order `surveymine merge` reads them
// from the plan's directory.
type gatherFn struct{}

func (gatherFn) CreateAccumulator() Parts { return Parts{} }

func (gatherFn) AddInput(a Parts, p shard.Part) Parts {
	a.Parts = append(a.Parts, p)
	return a
}

func (gatherFn) MergeAccumulators(a, b Parts) Parts {
	a.Parts = append(a.Parts, b.Parts...)
	return a
}

func (gatherFn) ExtractOutput(a Parts) Parts {
	sort.SliceStable(a.Parts, func(i, j int) bool { return a.Parts[i].Index < a.Parts[j].Index })
	return a
}

// mergeFn is `surveymine merge --plan Plan [--out Out] [--force]` over the
// gathered parts.
type mergeFn struct {
	Plan    string // absolute path of plan.json
	Out     string // absolute output directory; "" = the config's
	Force   bool
	Version string // tool version written into the manifest and report
}

func (f *mergeFn) ProcessElement(ctx context.Context, all Parts) (string, error) {
	inProcess.Lock()
	defer inProcess.Unlock()
	lp, cfg, err := openPlan(f.Plan, f.Out, f.Force)
	if err != nil {
		return "", err
	}
	rec, err := shard.OpenParts(lp, all.Parts)
	if err != nil {
		return "", err
	}
	yml, err := savedConfig(cfg)
	if err != nil {
		return "", err
	}
	env := pipeline.Env{Log: logger(), Version: f.Version, ConfigYAML: yml, Memory: cfg.MemoryBudget(), Replay: rec}
	d, err := pipeline.Execute(ctx, cfg, env)
	if err != nil {
		return "", fmt.Errorf("merge %s: %w", lp.Path, err)
	}
	_, units, texts, bytes := rec.Summary()
	msg := fmt.Sprintf("merged %d partials (%d units, %d distinct texts per worker summed, %d bytes); wrote %d tables to %s",
		lp.Shards, units, texts, bytes, len(d.Tables), cfg.Output.Dir)
	log.Info(ctx, msg)
	return msg, nil
}

// logger passes the pipeline's warnings to the harness's stderr, which
// runners collect with the worker logs.
func logger() *slog.Logger {
	return slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))
}
