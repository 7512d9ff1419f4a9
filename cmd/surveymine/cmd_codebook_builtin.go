package main

import (
	"fmt"
	"os"
	"strings"

	"github.com/spf13/cobra"

	"surveymine/analysis/codebook"
	"surveymine/configs"
	"surveymine/pipeline"
)

// newCodebookListCmd lists the codebooks built into the binary.
func newCodebookListCmd(g *globals) *cobra.Command {
	return &cobra.Command{
		Use:   "list",
		Short: "List the built-in codebooks with their version and categories",
		Long: `List the codebooks built into surveymine. Use one in a config with

  codebook:
    path: builtin:NAME

or write it out to adapt it with: surveymine codebook export NAME --out my.yaml`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			for _, name := range configs.CodebookNames() {
				cb, err := builtinCodebook(name)
				if err != nil {
					return err
				}
				fmt.Fprintf(g.stdout, "%s%s\t%s\tversion %s\t%d categories\n", pipeline.BuiltinPrefix, name, cb.Name, orDash(cb.Version), len(cb.Categories))
				for _, c := range cb.Categories {
					fmt.Fprintf(g.stdout, "  %d\t%s\n", c.ID, c.Name)
				}
				if cb.Other != nil {
					fmt.Fprintf(g.stdout, "  %d\t%s (no rule matched)\n", cb.Other.ID, cb.Other.Name)
				}
			}
			return nil
		},
	}
}

// newCodebookExportCmd writes a built-in codebook out.
func newCodebookExportCmd(g *globals) *cobra.Command {
	var out string
	cmd := &cobra.Command{
		Use:   "export NAME [--out FILE]",
		Short: "Write a built-in codebook's YAML to stdout (or --out FILE) to adapt it",
		Long: `Write the YAML of a built-in codebook (see surveymine codebook list) to stdout
or to --out FILE. Edit the copy, then point codebook.path at it. On Windows
PowerShell, prefer --out: its ">" re-encodes the text as UTF-16.`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			name := strings.TrimPrefix(args[0], pipeline.BuiltinPrefix)
			data, ok := configs.Codebook(name)
			if !ok {
				return &usageError{fmt.Errorf("no built-in codebook %q (built in: %s)", name, strings.Join(configs.CodebookNames(), ", "))}
			}
			if out == "" {
				_, err := g.stdout.Write(data)
				return err
			}
			if err := os.WriteFile(out, data, 0o644); err != nil {
				return err
			}
			if !g.quiet {
				fmt.Fprintf(g.stderr, "wrote %s; use it with codebook.path: %s\n", out, out)
			}
			return nil
		},
	}
	cmd.Flags().StringVarP(&out, "out", "o", "", "write to this file instead of stdout")
	return cmd
}

// builtinCodebook parses the built-in codebook name.
func builtinCodebook(name string) (*codebook.Codebook, error) {
	data, err := pipeline.ReadCodebookFile(pipeline.BuiltinPrefix + name)
	if err != nil {
		return nil, err
	}
	return codebook.Parse(data, pipeline.BuiltinPrefix+name)
}

func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}
