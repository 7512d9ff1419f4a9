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
	var force bool
	cmd := &cobra.Command{
		Use:   "init [DIR]",
		Short: "Write a commented starter config (" + starterName + ") to DIR (default: the current directory)",
		Args:  cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			dir := "."
			if len(args) == 1 {
				dir = args[0]
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
			if _, err := f.Write(starterConfig); err != nil {
				f.Close()
				return err
			}
			if err := f.Close(); err != nil {
				return err
			}
			fmt.Fprintf(g.stderr, "wrote %s; edit inputs, then: surveymine validate --config %s\n", path, path)
			return nil
		},
	}
	cmd.Flags().BoolVar(&force, "force", false, "overwrite an existing "+starterName)
	return cmd
}
