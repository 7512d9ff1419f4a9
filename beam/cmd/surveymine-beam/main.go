// Command surveymine-beam runs a surveymine shard plan as an Apache Beam
// pipeline: workers as a DoFn, their partials gathered by a CombineFn, the
// merge as a final DoFn. The tables are byte-identical to `surveymine run`.
//
//	surveymine plan --config job.yaml --shards 4 --dir shards
//	surveymine-beam --plan shards/plan.json --out out                      # Prism, in this process
//	surveymine-beam --plan shards/plan.json --out out --runner flink \
//	    --endpoint localhost:8099 --environment_type DOCKER \
//	    --environment_config apache/beam_go_sdk:2.77.0 --worker_binary "$(command -v surveymine-beam)"
//
// Beam's own flags (--runner, --endpoint, --environment_type, --job_name,
// --project, --region, --staging_location, …) are read by beam.Init; see
// beam/README.md for what each runner needs.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"os/signal"

	"github.com/apache/beam/sdks/v2/go/pkg/beam"
	"github.com/apache/beam/sdks/v2/go/pkg/beam/x/beamx"

	"surveymine/beam/shardbeam"
)

var (
	planPath = flag.String("plan", "", "plan file written by surveymine plan (required)")
	out      = flag.String("out", "", "output directory (default: output.dir of the plan's config)")
	force    = flag.Bool("force", false, "replace a non-empty output directory")
)

func main() {
	flag.Parse()
	// beam.Init must come first: on a runner's worker the same binary is
	// started as the SDK harness, and Init then never returns.
	beam.Init()
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	err := run(ctx)
	stop()
	if err != nil {
		fmt.Fprintf(os.Stderr, "surveymine-beam: %v\n", err)
		code := 1
		var u usageError
		if errors.As(err, &u) {
			code = 2
		}
		os.Exit(code)
	}
}

type usageError struct{ error }

func run(ctx context.Context) error {
	if *planPath == "" {
		return usageError{errors.New("--plan is required (write one with surveymine plan --config F --shards N --dir D)")}
	}
	p, s := beam.NewPipelineWithRoot()
	if _, err := shardbeam.Build(s, shardbeam.Options{Plan: *planPath, Out: *out, Force: *force}); err != nil {
		return err
	}
	return beamx.Run(ctx, p)
}
