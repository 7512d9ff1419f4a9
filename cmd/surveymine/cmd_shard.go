package main

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"

	"github.com/spf13/cobra"

	"surveymine/pipeline"
	"surveymine/pipeline/shard"
)

// indexEnv are the environment variables job schedulers set to a task's
// index, tried in order when --index is not given.
var indexEnv = []string{"SLURM_ARRAY_TASK_ID", "JOB_COMPLETION_INDEX"}

func newShardCmd(g *globals) *cobra.Command {
	var planPath, memory string
	var index int
	cmd := &cobra.Command{
		Use:   "shard --plan FILE [--index I]",
		Short: "Run worker I of a plan: segment and code its share, write its partial",
		Long: `Run worker I of a plan written by surveymine plan: check that the inputs are
those the plan hashed, read them, keep the respondents and report articles
of logical shards I, I+N, I+2N, …, segment and code each of their distinct
texts once, and write shard-IIII.partial and shard-IIII.json beside the plan
(temp file + rename: a rerun of a failed worker replaces them atomically).

Without --index the index comes from SLURM_ARRAY_TASK_ID (a Slurm job array,
--array=0-<N-1>) or JOB_COMPLETION_INDEX (a Kubernetes Indexed Job). The
config is the one saved in the plan; SURVEYMINE_* variables do not change it.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if planPath == "" {
				return &usageError{errors.New("shard: --plan is required")}
			}
			i, err := shardIndex(cmd.Flags().Changed("index"), index)
			if err != nil {
				return err
			}
			lp, cfg, err := g.openPlan(planPath, loadOptions{Memory: memory})
			if err != nil {
				return err
			}
			if i >= lp.Shards {
				return &usageError{fmt.Errorf("shard index %d out of range: plan %s has %d workers (0..%d)", i, lp.Path, lp.Shards, lp.Shards-1)}
			}
			if err := lp.CheckInputs(); err != nil {
				return err
			}
			env := pipeline.Env{Log: g.logger(), Progress: g.progress(), Version: version, Memory: applyMemoryBudget(cfg)}
			stages, err := pipeline.Build(cfg, env)
			if err != nil {
				return err
			}
			m, err := shard.Work(cmd.Context(), lp, shard.WorkerOptions{Index: i, Stages: stages, Progress: env.Progress, ToolVersion: version})
			if err != nil {
				return err
			}
			if !g.quiet {
				fmt.Fprintf(g.stderr, "shard %d of %d: %d respondents, %d units, %d distinct texts; wrote %s (%d bytes)\n",
					i, lp.Shards, m.Respondents, m.Units, m.DistinctTexts, filepath.Join(lp.Dir, m.Partial), m.PartialBytes)
			}
			return nil
		},
	}
	cmd.Flags().StringVar(&planPath, "plan", "", "plan file written by surveymine plan")
	cmd.Flags().IntVar(&index, "index", 0, "worker index 0..N-1 (default: $SLURM_ARRAY_TASK_ID or $JOB_COMPLETION_INDEX)")
	cmd.Flags().StringVar(&memory, "memory", "", "memory budget of this process, e.g. 2GiB (default 60% of physical memory)")
	return cmd
}

// shardIndex is --index when given, else the first of indexEnv that is set.
func shardIndex(given bool, flag int) (int, error) {
	if given {
		if flag < 0 {
			return 0, &usageError{fmt.Errorf("--index must be >= 0, got %d", flag)}
		}
		return flag, nil
	}
	for _, name := range indexEnv {
		v, ok := os.LookupEnv(name)
		if !ok || v == "" {
			continue
		}
		i, err := strconv.Atoi(v)
		if err != nil || i < 0 {
			return 0, &usageError{fmt.Errorf("%s=%q is not a shard index (want 0..N-1)", name, v)}
		}
		return i, nil
	}
	return 0, &usageError{errors.New("no shard index: give --index I, or run as a Slurm array task (SLURM_ARRAY_TASK_ID) or a Kubernetes Indexed Job (JOB_COMPLETION_INDEX)")}
}

// openPlan reads a plan and loads its config (with opt's flags applied;
// the environment is ignored: the plan is the job). When the config has
// relative paths and the working directory is not the one plan ran in, it
// changes to that directory, where those paths lead. The caller checks the
// inputs against the plan (shard at once, merge while it ingests).
func (g *globals) openPlan(path string, opt loadOptions) (*shard.Loaded, *pipeline.Config, error) {
	lp, err := shard.ReadPlan(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil, &usageError{fmt.Errorf("plan %s does not exist (write it with surveymine plan)", path)}
	}
	if err != nil {
		return nil, nil, err
	}
	if abs, err := filepath.Abs(lp.Path); err == nil {
		lp.Path, lp.Dir = abs, filepath.Dir(abs)
	}
	if opt.Out != "" {
		if abs, err := filepath.Abs(opt.Out); err == nil {
			opt.Out = abs
		}
	}
	opt.File, opt.Data = lp.Path, []byte(lp.Config)
	cfg, err := loadConfig(opt)
	if err != nil {
		return nil, nil, err
	}
	if err := enterWorkdir(g, lp, cfg); err != nil {
		return nil, nil, err
	}
	return lp, cfg, nil
}

func enterWorkdir(g *globals, lp *shard.Loaded, cfg *pipeline.Config) error {
	wd, err := os.Getwd()
	if err != nil || wd == lp.Workdir {
		return err
	}
	relative := false
	c := *cfg
	c.MapPaths(func(p string) string {
		if !filepath.IsAbs(p) {
			relative = true
		}
		return p
	})
	if !relative {
		return nil
	}
	if err := os.Chdir(lp.Workdir); err != nil {
		return &shard.Error{File: lp.Path, Msg: fmt.Sprintf("the config's relative paths are relative to %s, where plan ran: %v (run plan with absolute paths, or mount the same directory)", lp.Workdir, err)}
	}
	g.logger().Info("changed to the plan's working directory", "dir", lp.Workdir)
	return nil
}
