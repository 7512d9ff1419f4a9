package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"

	"surveymine/pipeline"
	"surveymine/pipeline/corpus"
	"surveymine/pipeline/ingest"
	"surveymine/pipeline/output"
	"surveymine/pipeline/shard"
)

// version is set at build time with -ldflags "-X main.version=…".
var version = "0.1.0-dev"

// Exit codes, documented in README.md and the root command's help.
const (
	exitOK          = 0
	exitInternal    = 1
	exitUsage       = 2
	exitInvalidData = 3
	exitPartials    = 4   // shard/merge: a partial missing, duplicated, stale or corrupt, or inputs changed
	exitInterrupted = 130 // 128 + SIGINT
	exitTerminated  = 143 // 128 + SIGTERM
)

func main() {
	setMemoryLimit()
	ctx, stop := notifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err := run(ctx, os.Args[1:], os.Stdin, os.Stdout, os.Stderr)
	stop()
	os.Exit(report(os.Stderr, err))
}

// signalError is the cause of the run's cancellation when a signal
// arrived. It matches context.Canceled, so code that only asks whether it
// was cancelled need not know about signals.
type signalError struct{ sig os.Signal }

func (e *signalError) Error() string { return e.sig.String() + " received" }

func (e *signalError) Is(target error) bool { return target == context.Canceled }

// notifyContext is signal.NotifyContext that also remembers which signal
// arrived: the context's cause (context.Cause) is a *signalError. After the
// first signal the default behaviour is restored, so a second Ctrl-C kills
// the process at once; the output directory is safe against that too (the
// next run cleans up what is left).
func notifyContext(parent context.Context, sigs ...os.Signal) (context.Context, context.CancelFunc) {
	ctx, cancel := context.WithCancelCause(parent)
	ch := make(chan os.Signal, 1)
	signal.Notify(ch, sigs...)
	go func() {
		select {
		case s := <-ch:
			cancel(&signalError{s})
			signal.Stop(ch)
		case <-ctx.Done():
		}
	}()
	return ctx, func() {
		signal.Stop(ch)
		cancel(nil)
	}
}

// withCause returns err with the cause of ctx's cancellation attached when
// err is a cancellation and the cause says more (which signal arrived).
func withCause(ctx context.Context, err error) error {
	if err == nil || !errors.Is(err, context.Canceled) {
		return err
	}
	var se *signalError
	if errors.As(context.Cause(ctx), &se) && !errors.As(err, new(*signalError)) {
		return fmt.Errorf("%w: %w", se, err)
	}
	return err
}

// usageError is a mistake in how the command was called.
type usageError struct{ err error }

func (e *usageError) Error() string { return e.err.Error() }
func (e *usageError) Unwrap() error { return e.err }

// exitCode maps an error to the process exit code. It is the only place
// that does.
func exitCode(err error) int {
	var (
		ue *usageError
		ce *pipeline.ConfigError
		ie *corpus.InputError
		se *signalError
		pe *shard.Error
	)
	switch {
	case err == nil:
		return exitOK
	case errors.As(err, &se):
		if se.sig == syscall.SIGTERM {
			return exitTerminated
		}
		return exitInterrupted
	case errors.Is(err, context.Canceled):
		return exitInterrupted
	case errors.As(err, &ue), errors.As(err, &ce),
		errors.Is(err, ingest.ErrNoInput), errors.Is(err, ingest.ErrUnknownColumn),
		errors.Is(err, output.ErrOutputExists), errors.Is(err, output.ErrOutputBusy):
		return exitUsage
	case errors.As(err, &pe), errors.Is(err, pipeline.ErrNotRecorded):
		return exitPartials
	case errors.As(err, &ie), errors.Is(err, ingest.ErrTooManyRejects):
		return exitInvalidData
	}
	return exitInternal
}

// report prints err once, prefixed with the tool name, and returns the exit
// code for it.
func report(w io.Writer, err error) int {
	code := exitCode(err)
	switch code {
	case exitOK:
	case exitInterrupted, exitTerminated:
		what := "interrupted"
		if se := (*signalError)(nil); errors.As(err, &se) {
			what += " by " + signalName(se.sig)
		}
		fmt.Fprintf(w, "surveymine: %s; no output was written and any previous output is unchanged\n", what)
	default:
		fmt.Fprintf(w, "surveymine: %v\n", err)
	}
	return code
}

// signalName gives the usual name of the signals main handles.
func signalName(s os.Signal) string {
	switch s {
	case os.Interrupt:
		return "SIGINT"
	case syscall.SIGTERM:
		return "SIGTERM"
	}
	return s.String()
}
