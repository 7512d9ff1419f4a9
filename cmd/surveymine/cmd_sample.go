package main

import (
	"bufio"
	"fmt"
	"os"

	"github.com/spf13/cobra"

	"surveymine/internal/sample"
)

func newSampleCmd(g *globals) *cobra.Command {
	var (
		opt sample.Options
		out string
	)
	cmd := &cobra.Command{
		Use:   "sample --rows N [--seed S] [--out FILE]",
		Short: "Write a synthetic 问卷星-style survey export with a ground-truth cause column",
		Long: `Write a synthetic 问卷星 (wjx) survey export: UTF-8 CSV with BOM, meta columns,
attribute questions, a multiple-choice causes question joined with ┋, an
open-ended causes question and a hidden ground-truth column 真实原因 (drop it
with --no-truth). The same --rows and --seed always give the same bytes.
Used by the tests and benchmarks; handy for trying a config at scale.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if opt.Rows < 0 {
				return &usageError{fmt.Errorf("--rows must be >= 0, got %d", opt.Rows)}
			}
			w := g.stdout
			var f *os.File
			if out != "" && out != "-" {
				var err error
				if f, err = os.Create(out); err != nil {
					return err
				}
				defer f.Close()
				w = f
			}
			bw := bufio.NewWriterSize(w, 1<<20)
			if err := sample.Write(bw, opt); err != nil {
				return err
			}
			if err := bw.Flush(); err != nil {
				return err
			}
			if f != nil {
				return f.Close()
			}
			return nil
		},
	}
	cmd.Flags().IntVar(&opt.Rows, "rows", 1000, "number of respondents")
	cmd.Flags().Uint64Var(&opt.Seed, "seed", 1, "random seed")
	cmd.Flags().BoolVar(&opt.NoTruth, "no-truth", false, "leave out the ground-truth column 真实原因")
	cmd.Flags().StringVarP(&out, "out", "o", "-", "output file (- = stdout)")
	return cmd
}
