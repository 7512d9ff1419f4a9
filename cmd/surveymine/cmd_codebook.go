package main

import (
	"fmt"

	"github.com/spf13/cobra"

	"surveymine/pipeline"
)

func newCodebookCmd(g *globals) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "codebook",
		Short: "Work with codebooks",
	}
	var (
		cf         configFlags
		noCorpus   bool
		maxJaccard float64
	)
	lint := &cobra.Command{
		Use:   "lint [--config FILE] [--no-corpus]",
		Short: "Report codebook terms the segmenter splits, rules never matched and overlapping categories",
		Long: `Check the codebook named by codebook.path in the config:

  split_term    a term the segmenter cuts into several tokens (it still matches as
                a run of tokens; consider adding it to a user dictionary)
  dropped_term  a term the stopword filters drop (it matches by surface text only)
  merged_term   a term the synonym map merges into another term
  unused_rule   a rule that matched no unit of the configured inputs
  overlap       two categories coding nearly the same units (Jaccard above --max-jaccard)
  hidden_term   a term the segmenter keeps inside longer words of the inputs, where
                it never matches (words made only of codebook terms are read as
                those terms and not reported); write it as ~term to match inside words

One finding per line on stdout: kind, then the explanation. The last three
checks code the configured inputs; --no-corpus skips them.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			cfg, done, err := g.config(&cf)
			if err != nil || done {
				return err
			}
			env := pipeline.Env{Log: g.logger(), Progress: g.progress(), Version: version}
			findings, err := pipeline.LintCodebook(cmd.Context(), cfg, env, !noCorpus, maxJaccard)
			if err != nil {
				return err
			}
			for _, f := range findings {
				fmt.Fprintf(g.stdout, "%s\t%s\n", f.Kind, f)
			}
			if !g.quiet {
				fmt.Fprintf(g.stderr, "%s: %d findings\n", cfg.Codebook.Path, len(findings))
			}
			return nil
		},
	}
	cf.register(lint, false)
	lint.Flags().BoolVar(&noCorpus, "no-corpus", false, "only check terms against the segmenter; do not code the inputs")
	lint.Flags().Float64Var(&maxJaccard, "max-jaccard", 0.5, "report category pairs whose coded units overlap more than this")
	cmd.AddCommand(lint)
	cmd.AddCommand(newCodebookEvalCmd(g))
	cmd.AddCommand(newCodebookListCmd(g), newCodebookExportCmd(g))
	return cmd
}
