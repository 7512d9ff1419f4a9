package pipeline

import (
	"context"

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
	c, err := ingest.Read(ctx, s.cfg.Inputs, "")
	if err != nil {
		return nil, err
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
	out.Tables = append(out.Tables, respondentsTable(c), questionsTable(c), rejectsTable(c), claimsTable(c))
	return out, nil
}
