package main

import (
	"errors"
	"fmt"
	"io"
	"math"
	"strings"

	"github.com/spf13/cobra"

	"surveymine/analysis/codebook"
	"surveymine/pipeline"
)

// newCodebookEvalCmd is `surveymine codebook eval`.
func newCodebookEvalCmd(g *globals) *cobra.Command {
	var (
		cf     configFlags
		gold   string
		splits []string
		quiet  bool
	)
	cmd := &cobra.Command{
		Use:   "eval --gold FILE [--config FILE] [--split NAME]",
		Short: "Score the codebook against a hand-coded gold set",
		Long: `Code every sentence of a gold set with the codebook named by codebook.path
(and the config's segmenter) and compare with the hand-coded categories.

The gold set is tab-separated with the header "id split categories source
text"; categories is a comma-separated list of category ids, empty for a
sentence that states no cause (see analysis/codebook/testdata/gold/README.md).

Prints per-category precision, recall and F1 (NaN where undefined), the
micro average (pooled over categories) and the macro F1, then every miss:
FN (gold only) or FP (coded only), with the category and the sentence.
--split keeps only sentences of that split (repeatable); naming a split
the gold set does not have is a usage error (exit code 2).`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if gold == "" {
				return &usageError{fmt.Errorf("--gold is required")}
			}
			cfg, done, err := g.config(&cf)
			if err != nil || done {
				return err
			}
			ev, err := pipeline.EvalCodebook(cfg, gold, splits...)
			if errors.Is(err, pipeline.ErrUnknownSplit) {
				return &usageError{fmt.Errorf("--split: %w", err)}
			}
			if err != nil {
				return err
			}
			return printEval(g.stdout, ev, !quiet)
		},
	}
	cf.optional = true
	cf.register(cmd, false)
	cmd.Flags().StringVar(&gold, "gold", "", "gold set file (TSV)")
	cmd.Flags().StringArrayVar(&splits, "split", nil, "score only sentences of this split (the bundled set has dev, test, dev2, holdout, dev3, holdout2, holdout3, dev4, holdout4); repeatable; a split with no sentence is a usage error")
	cmd.Flags().BoolVar(&quiet, "no-misses", false, "print the figures only")
	return cmd
}

func printEval(w io.Writer, ev codebook.Evaluation, misses bool) error {
	f := func(x float64) string {
		if math.IsNaN(x) {
			return "NaN"
		}
		return fmt.Sprintf("%.3f", x)
	}
	var b strings.Builder
	fmt.Fprintf(&b, "sentences\t%d\n", ev.N)
	fmt.Fprintf(&b, "category\tgold\tcoded\ttp\tprecision\trecall\tf1\n")
	for _, a := range ev.Categories {
		fmt.Fprintf(&b, "%d\t%d\t%d\t%d\t%s\t%s\t%s\n", a.Category, a.TP+a.FN, a.TP+a.FP, a.TP, f(a.Precision), f(a.Recall), f(a.F1))
	}
	m := ev.Micro
	fmt.Fprintf(&b, "micro\t%d\t%d\t%d\t%s\t%s\t%s\n", m.TP+m.FN, m.TP+m.FP, m.TP, f(m.Precision), f(m.Recall), f(m.F1))
	fmt.Fprintf(&b, "macro_f1\t%s\n", f(ev.MacroF1))
	if misses {
		for _, x := range ev.Misses {
			kind := "FN"
			if x.FalsePos {
				kind = "FP"
			}
			fmt.Fprintf(&b, "%s\t%d\t%s\t%s\n", kind, x.Category, x.Sentence.ID, x.Sentence.Text)
		}
	}
	_, err := io.WriteString(w, b.String())
	return err
}
