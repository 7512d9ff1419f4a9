package main

import (
	"errors"
	"fmt"
	"io/fs"
	"os"

	"github.com/spf13/cobra"

	"surveymine/pipeline/ingest"
	"surveymine/pipeline/shard"
)

func newPlanCmd(g *globals) *cobra.Command {
	var cf configFlags
	var n int
	var dir string
	cmd := &cobra.Command{
		Use:   "plan --config FILE --shards N [--dir DIR]",
		Short: "Plan a job for N worker processes (shard, then merge)",
		Long: `Write DIR/plan.json for a job split over N worker processes: the merged config,
every input file with its size and sha256, N and the 64 logical shards the
respondents are hashed into. Then run "surveymine shard --plan DIR/plan.json
--index I" for I = 0..N-1 (in any order, on any machines that see DIR and the
inputs), and "surveymine merge --plan DIR/plan.json" when all have finished.
The merged tables are byte-identical to those of "surveymine run" with the
same config. Run shard and merge in the directory plan ran in, or anywhere
when every path in the config is absolute. See docs/scale-out.md.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if n < 1 || n > shard.LogicalShards {
				return &usageError{fmt.Errorf("--shards must be between 1 and %d, got %d", shard.LogicalShards, n)}
			}
			cfg, done, err := g.config(&cf)
			if err != nil || done {
				return err
			}
			yml, err := configYAML(cfg)
			if err != nil {
				return err
			}
			wd, err := os.Getwd()
			if err != nil {
				return err
			}
			var inputs []string
			for _, s := range cfg.Inputs.Surveys {
				inputs = append(inputs, s.Path)
			}
			for _, r := range cfg.Inputs.Reports {
				inputs = append(inputs, r.Path)
			}
			p, err := shard.NewPlan(yml, inputs, n, wd, version)
			if errors.Is(err, fs.ErrNotExist) {
				return fmt.Errorf("%w: %v", ingest.ErrNoInput, err)
			}
			if err != nil {
				return err
			}
			path, err := p.Write(dir)
			if err != nil {
				return err
			}
			if !g.quiet {
				fmt.Fprintf(g.stderr, "wrote %s: %d workers, %d input files\n  next: surveymine shard --plan %s --index I   (I = 0..%d)\n        surveymine merge --plan %s\n",
					path, n, len(p.Inputs), path, n-1, path)
			}
			return nil
		},
	}
	cf.register(cmd, true)
	cmd.Flags().IntVar(&n, "shards", 0, "number of worker processes N (1..64)")
	cmd.Flags().StringVar(&dir, "dir", "shards", "directory for the plan and the workers' partials (shared by all workers)")
	return cmd
}
