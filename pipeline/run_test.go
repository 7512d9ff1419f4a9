package pipeline

import (
	"context"
	"errors"
	"testing"

	"surveymine/internal/progress"
)

// failStage cancels the run and then fails with an error that does not
// wrap the context's, as a library that formats errors with %v would.
type failStage struct{ cancel context.CancelFunc }

func (failStage) Name() string { return "fail" }

func (f failStage) Run(ctx context.Context, in *Dataset) (*Dataset, error) {
	f.cancel()
	return nil, errors.New("write x.parquet: context canceled")
}

// TestRunCancelledStage: a stage failing after cancellation is reported as
// the cancellation (so the CLI exits 130/143, not 1); without cancellation
// its error stays what it was.
func TestRunCancelledStage(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	_, err := Run(ctx, []Stage{failStage{cancel}}, nil, progress.Nop{})
	if !errors.Is(err, context.Canceled) {
		t.Errorf("Run(stage failing after cancel) = %v, want context.Canceled", err)
	}
	_, err = Run(context.Background(), []Stage{failStage{func() {}}}, nil, progress.Nop{})
	if err == nil || errors.Is(err, context.Canceled) {
		t.Errorf("Run(stage failing) = %v, want its own error", err)
	}
}
