package main

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"strings"

	"github.com/spf13/cobra"

	"surveymine/pipeline"
)

func newSegmentCmd(g *globals) *cobra.Command {
	cf := configFlags{optional: true}
	cmd := &cobra.Command{
		Use:   "segment [--config FILE] [TEXT|-]",
		Short: "Show how a text is segmented: tokens, POS and which filter dropped each token",
		Long: `Segment TEXT (or each line of standard input with "-" or no argument) with the
segmenter the config builds (gse dictionary + domain lexicon + user
dictionaries, stopwords and synonyms) and print one token per line:
token, part of speech, character span, the analysis term it became, or the
filter that dropped it, tab-separated. Use it to check the dictionary on your own sentences.
Personal information is masked first, as in a run, unless privacy.redact is false.
Without --config it uses ./` + starterName + ` or ` + defaultConfigFile + ` when present, else the
built-in dictionary, stopwords and synonyms.`,
		Args: cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			cfg, done, err := g.config(&cf)
			if err != nil || done {
				return err
			}
			seg, err := pipeline.NewSegmenter(cfg.Segment, cfg.File)
			if err != nil {
				return err
			}
			// Tab-separated: pastes into a spreadsheet and aligns CJK text
			// better than padding with spaces would.
			tw := bufio.NewWriter(g.stdout)
			fmt.Fprintln(tw, "token\tpos\tspan\tterm\tdropped_by")
			red := cfg.Redactor() // privacy.redact: show what the pipeline segments
			show := func(text string) {
				if red != nil {
					text, _ = red.Redact(text)
				}
				for _, t := range seg.Cut(text) {
					term, by := t.Term, ""
					if term == "" {
						term, by = "-", t.Dropped.String()
					}
					fmt.Fprintf(tw, "%s\t%s\t%d-%d\t%s\t%s\n", printable(t.Text), t.POS, t.Start, t.End, term, by)
				}
			}
			if len(args) == 1 && args[0] != "-" {
				show(args[0])
				return tw.Flush()
			}
			if err := eachLine(cmd.Context(), g.stdin, func(line string) { show(line); fmt.Fprintln(tw) }); err != nil {
				return err
			}
			return tw.Flush()
		},
	}
	cf.register(cmd, false)
	return cmd
}

// eachLine calls f with every non-blank line of r, trimmed. It returns
// ctx.Err() once ctx is cancelled (checked between lines: a read blocked on
// a terminal still waits for its line, or for a second Ctrl-C).
func eachLine(ctx context.Context, r io.Reader, f func(string)) error {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 1<<20), 1<<24)
	for sc.Scan() {
		if err := ctx.Err(); err != nil {
			return err
		}
		if line := strings.TrimSpace(sc.Text()); line != "" {
			f(line)
		}
	}
	return sc.Err()
}

// printable shows whitespace tokens visibly.
func printable(s string) string {
	if strings.TrimSpace(s) == "" {
		return fmt.Sprintf("%q", s)
	}
	return s
}
