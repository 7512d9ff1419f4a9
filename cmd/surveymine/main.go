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
)

// version is set at build time with -ldflags "-X main.version=…".
var version = "0.1.0-dev"

// Exit codes, documented in README.md and the root command's help.
const (
	exitOK          = 0
	exitInternal    = 1
	exitUsage       = 2
	exitInvalidData = 3
	exitInterrupted = 130
)

func main() {
	setMemoryLimit()
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err := run(ctx, os.Args[1:], os.Stdin, os.Stdout, os.Stderr)
	stop()
	os.Exit(report(os.Stderr, err))
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
	)
	switch {
	case err == nil:
		return exitOK
	case errors.Is(err, context.Canceled):
		return exitInterrupted
	case errors.As(err, &ue), errors.As(err, &ce),
		errors.Is(err, ingest.ErrNoInput), errors.Is(err, ingest.ErrUnknownColumn),
		errors.Is(err, output.ErrOutputExists):
		return exitUsage
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
	case exitInterrupted:
		fmt.Fprintln(w, "surveymine: interrupted; no output was written")
	default:
		fmt.Fprintf(w, "surveymine: %v\n", err)
	}
	return code
}
