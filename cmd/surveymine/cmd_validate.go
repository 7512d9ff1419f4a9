package main

import (
	"fmt"

	"github.com/spf13/cobra"

	"surveymine/pipeline"
)

func newValidateCmd(g *globals) *cobra.Command {
	var cf configFlags
	cmd := &cobra.Command{
		Use:   "validate [--config FILE]",
		Short: "Check the config, the input files and the named columns without running the job",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			cfg, done, err := g.config(&cf)
			if err != nil || done {
				return err
			}
			if err := pipeline.Check(cmd.Context(), cfg); err != nil {
				return err
			}
			if !g.quiet {
				fmt.Fprintf(g.stderr, "%s: ok\n", cfg.File)
			}
			return nil
		},
	}
	cf.register(cmd, false)
	return cmd
}
