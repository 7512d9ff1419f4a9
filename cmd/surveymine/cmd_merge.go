package main

import (
	"context"
	"fmt"
	"path/filepath"

	"github.com/spf13/cobra"

	"surveymine/pipeline"
	"surveymine/pipeline/shard"
)

func newMergeCmd(g *globals) *cobra.Command {
	var planPath, out, memory string
	var force bool
	cmd := &cobra.Command{
		Use:   "merge --plan FILE [--out DIR] [--force]",
		Short: "Merge the workers' partials of a plan into the final tables",
		Long: `Check that the partial and manifest of every worker 0..N-1 of the plan are
present exactly once, complete (size and sha256) and from this plan, and that
the inputs are unchanged; then run the job with the workers' segmentation and
coding instead of redoing it: clustering, cross-tabs, tables, manifest and
report are those of "surveymine run", byte for byte. A missing, duplicated,
stale or corrupt partial is an error naming the file (exit code 4).`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if planPath == "" {
				return &usageError{fmt.Errorf("merge: --plan is required")}
			}
			lp, cfg, err := g.openPlan(planPath, loadOptions{Out: out, Force: force, Memory: memory})
			if err != nil {
				return err
			}
			saved := *cfg
			saved.MapPaths(func(p string) string {
				if a, err := filepath.Abs(p); err == nil {
					return a
				}
				return p
			})
			yml, err := configYAML(&saved)
			if err != nil {
				return err
			}
			// The inputs' hashes and the partials are checked, and the
			// partials indexed, while the ingest stage reads the inputs; a
			// problem cancels the job, and is the error reported.
			ctx, cancel := context.WithCancelCause(cmd.Context())
			defer cancel(nil)
			opening := shard.Start(lp, cancel)
			env := pipeline.Env{Log: g.logger(), Progress: g.progress(), Version: version, ConfigYAML: yml,
				Memory: applyMemoryBudget(cfg), Replay: opening}
			d, err := pipeline.Execute(ctx, cfg, env)
			rec, oerr := opening.Wait()
			if oerr != nil {
				return oerr
			}
			if err != nil {
				return err
			}
			if !g.quiet {
				_, units, texts, bytes := rec.Summary()
				fmt.Fprintf(g.stderr, "merged %d partials (%d units, %d distinct texts per worker summed, %d bytes); wrote %d tables to %s\n",
					lp.Shards, units, texts, bytes, len(d.Tables), cfg.Output.Dir)
			}
			return nil
		},
	}
	cmd.Flags().StringVar(&planPath, "plan", "", "plan file written by surveymine plan")
	cmd.Flags().StringVarP(&out, "out", "o", "", "output directory (overrides output.dir of the plan's config)")
	cmd.Flags().BoolVar(&force, "force", false, "replace a non-empty output directory")
	cmd.Flags().StringVar(&memory, "memory", "", "memory budget, e.g. 2GiB (default 60% of physical memory)")
	return cmd
}
