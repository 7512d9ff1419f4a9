package pipeline

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"surveymine/analysis/redact"
	"surveymine/pipeline/corpus"
	"surveymine/pipeline/ingest"
)

// ingestStage reads every configured survey and report into the corpus.
type ingestStage struct {
	cfg *Config
	env Env
}

func newIngest(cfg *Config, env Env) *ingestStage { return &ingestStage{cfg: cfg, env: env} }

func (s *ingestStage) Name() string { return "ingest" }

func (s *ingestStage) Run(ctx context.Context, in *Dataset) (*Dataset, error) {
	c, err := ingest.ReadSpilling(ctx, s.cfg.Inputs, "", s.env.Spill)
	if err != nil {
		if errors.Is(err, ingest.ErrTooManyRejects) && c != nil {
			if r := s.cfg.Redactor(); r != nil {
				redactCorpus(c, r) // the listed details may quote cells
			}
			return nil, fmt.Errorf("%w%s", err, firstRejects(c.Rejects, 10))
		}
		return nil, err
	}
	if err := s.env.Spill.Err(); err != nil {
		s.env.Log.Warn(err.Error())
	}
	// Mask personal information before anything (a log line included)
	// sees the text.
	privacy := privacyFacts(nil, redact.Counts{}, 0)
	if r := s.cfg.Redactor(); r != nil {
		privacy = redactCorpus(c, r)
		s.env.Log.Info("personal information masked", "spans", privacy.Total, "values", privacy.Values)
	}
	for _, w := range c.Warnings {
		s.env.Log.Warn(w)
	}
	for _, st := range c.Inputs {
		s.env.Log.Info("input read", "file", st.File, "format", st.Format, "encoding", st.Encoding,
			"read", st.Read, "accepted", st.Accepted, "rejected", st.Rejected)
	}
	out := in.clone()
	out.Corpus = c
	out.Facts["privacy"] = privacy
	out.Tables = append(out.Tables, respondentsTable(c), questionsTable(c), rejectsTable(c), claimsTable(c))
	return out, nil
}

// firstRejects lists up to n rejected rows, one per line, for an error
// message: the run writes no output when it fails, so the user must see
// which rows were bad.
func firstRejects(rs []corpus.Reject, n int) string {
	if len(rs) == 0 {
		return ""
	}
	var b strings.Builder
	b.WriteString("\nrejected rows:")
	for i, r := range rs {
		if i == n {
			fmt.Fprintf(&b, "\n  ... and %d more", len(rs)-n)
			break
		}
		col := ""
		if r.Src.Column != "" {
			col = fmt.Sprintf(" column %q:", r.Src.Column)
		}
		fmt.Fprintf(&b, "\n  %s:%s %s (%s)", r.Src, col, r.Detail, r.Reason)
	}
	return b.String()
}
