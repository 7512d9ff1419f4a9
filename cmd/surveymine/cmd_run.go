package main

import (
	"fmt"
	"path/filepath"

	"github.com/spf13/cobra"

	"surveymine/pipeline"
)

func newRunCmd(g *globals) *cobra.Command {
	var cf configFlags
	cmd := &cobra.Command{
		Use:   "run [--config FILE] [--out DIR] [--set key.path=value ...]",
		Short: "Run the whole job: ingest, segment, code, cluster, cross-tabulate, write",
		Long: `Run the whole batch job. Without --config it runs ./` + starterName + ` (written by
surveymine init), else, in a source checkout, ` + defaultConfigFile + ` on the bundled
sample in testdata/, writing to out/. The output directory is written
beside its final place and renamed at the end, so a failed or interrupted run
leaves no partial directory; an existing non-empty directory is replaced only
with --force.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			cfg, done, err := g.config(&cf)
			if err != nil || done {
				return err
			}
			// The config saved beside the outputs names every file by its
			// absolute path, so it reruns from wherever it is.
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
			env := pipeline.Env{Log: g.logger(), Progress: g.progress(), Version: version, ConfigYAML: yml,
				Memory: applyMemoryBudget(cfg)}
			d, err := pipeline.Execute(cmd.Context(), cfg, env)
			if err != nil {
				return err
			}
			if !g.quiet {
				fmt.Fprintf(g.stderr, "wrote %d tables to %s\n", len(d.Tables), cfg.Output.Dir)
			}
			return nil
		},
	}
	cf.register(cmd, true)
	return cmd
}

// config loads the configuration the flags name. With --print-config it
// prints it instead and reports done, and the command should stop there.
func (g *globals) config(cf *configFlags) (cfg *pipeline.Config, done bool, err error) {
	opt, err := cf.options()
	if err != nil {
		return nil, false, err
	}
	if cfg, err = loadConfig(opt); err != nil {
		return nil, false, err
	}
	if g.printConfig {
		return cfg, true, printConfig(g, cfg)
	}
	return cfg, false, nil
}

func printConfig(g *globals, cfg *pipeline.Config) error {
	yml, err := configYAML(cfg)
	if err != nil {
		return err
	}
	_, err = g.stdout.Write(yml)
	return err
}
