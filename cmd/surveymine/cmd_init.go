package main

import (
	_ "embed"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/spf13/cobra"
)

// starterConfig is the commented config that `surveymine init` writes.
//
//go:embed starter.yaml
var starterConfig []byte

const starterName = "surveymine.yaml"

func newInitCmd(g *globals) *cobra.Command {
	var (
		force       bool
		from, sheet string
	)
	cmd := &cobra.Command{
		Use:   "init [DIR] [--from EXPORT]",
		Short: "Write a commented starter config (" + starterName + ") to DIR (default: the current directory)",
		Long: `Write a commented starter config (` + starterName + `) to DIR (default: the current
directory), with the built-in 两张皮 codebook switched on.

With --from EXPORT, read the export's header and first rows (CSV, TSV, XLSX or
JSON Lines) and fill in the survey entry: the respondent id column, the
open question(s), attribute columns (few distinct values) and
multiple-choice questions, each with a comment saying why. Check the
guesses, then run surveymine validate.`,
		Args: cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			dir := "."
			if len(args) == 1 {
				dir = args[0]
			}
			if sheet != "" && from == "" {
				return &usageError{fmt.Errorf("--sheet needs --from")}
			}
			content := starterConfig
			var guessed *fromSurvey
			if from != "" {
				var err error
				if guessed, err = inspectExport(from, sheet, dir); err != nil {
					return err
				}
				if content, err = starterFrom(starterConfig, guessed); err != nil {
					return err
				}
			}
			if err := os.MkdirAll(dir, 0o755); err != nil {
				return err
			}
			path := filepath.Join(dir, starterName)
			flag := os.O_WRONLY | os.O_CREATE | os.O_EXCL
			if force {
				flag = os.O_WRONLY | os.O_CREATE | os.O_TRUNC
			}
			f, err := os.OpenFile(path, flag, 0o644)
			if errors.Is(err, fs.ErrExist) {
				return &usageError{fmt.Errorf("%s already exists (use --force to overwrite)", path)}
			}
			if err != nil {
				return err
			}
			if _, err := f.Write(content); err != nil {
				f.Close()
				return err
			}
			if err := f.Close(); err != nil {
				return err
			}
			if guessed != nil {
				fmt.Fprintf(g.stderr, "wrote %s from %s: %s\ncheck the guesses, then: surveymine validate --config %s\n", path, from, guessed.summary(), path)
				return nil
			}
			fmt.Fprintf(g.stderr, "wrote %s; edit inputs, then: surveymine validate --config %s\n", path, path)
			return nil
		},
	}
	cmd.Flags().BoolVar(&force, "force", false, "overwrite an existing "+starterName)
	cmd.Flags().StringVar(&from, "from", "", "survey export (CSV, TSV, XLSX, JSON Lines) whose columns fill in the config")
	cmd.Flags().StringVar(&sheet, "sheet", "", "XLSX sheet of --from, by name or 1-based index (default: the first)")
	return cmd
}
