package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"os"
	"runtime/pprof"

	"github.com/spf13/cobra"
	"golang.org/x/term"

	"surveymine/internal/progress"
)

const rootLong = `surveymine text-mines Chinese survey exports (问卷星/wjx CSV, XLSX, JSON Lines)
and research reports (txt, md, docx) about the "两张皮" problem: it segments the
text, codes causes with a YAML codebook, clusters the answers, cross-tabulates
causes against respondent attributes and writes Arrow, Parquet, CSV and XLSX
tables with a manifest and a report.

Configuration precedence: flags > environment (SURVEYMINE_<KEY>, e.g.
SURVEYMINE_CLUSTER_K=6) > config file > defaults. Relative paths in a config
file are relative to the config file's directory.

Exit codes:
  0    success
  1    internal or I/O failure
  2    usage or configuration error (unknown key, missing input file or column)
  3    invalid input data (e.g. too many rejected rows)
  4    merge or shard: a worker's partial is missing, duplicated, stale
       (another plan) or corrupt, or an input changed since the plan
  130  interrupted by SIGINT (Ctrl-C)
  143  terminated by SIGTERM (e.g. by timeout or a job scheduler)
After 130 or 143 no partial output is left behind and a previous output
directory is unchanged; a second Ctrl-C kills at once, and the next run
cleans up what that leaves.`

// globals are the flags every command shares.
type globals struct {
	verbose     int
	quiet       bool
	printConfig bool
	cpuProfile  string
	memProfile  string
	stopProfile func()
	stdin       io.Reader
	stdout      io.Writer
	stderr      io.Writer
}

// logger builds the one slog.Logger of the run: warn by default, -v info,
// -vv debug; errors only with --quiet.
func (g *globals) logger() *slog.Logger {
	level := slog.LevelWarn
	switch {
	case g.quiet:
		level = slog.LevelError
	case g.verbose == 1:
		level = slog.LevelInfo
	case g.verbose >= 2:
		level = slog.LevelDebug
	}
	return slog.New(slog.NewTextHandler(g.stderr, &slog.HandlerOptions{Level: level}))
}

// progress returns a bar when stderr is a terminal, log lines otherwise and
// nothing with --quiet.
func (g *globals) progress() progress.Reporter {
	if g.quiet {
		return progress.Nop{}
	}
	if f, ok := g.stderr.(*os.File); ok && term.IsTerminal(int(f.Fd())) {
		return &progress.Bar{W: g.stderr}
	}
	return &progress.Log{W: g.stderr}
}

// run builds the command tree and executes args. It never exits; main
// maps the returned error to an exit code.
func run(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	g := &globals{stdin: stdin, stdout: stdout, stderr: stderr}
	root := &cobra.Command{
		Use:           "surveymine",
		Short:         "Text-mine Chinese survey exports and reports about 两张皮",
		Long:          rootLong,
		SilenceErrors: true,
		SilenceUsage:  true,
		Args: func(cmd *cobra.Command, args []string) error {
			if len(args) > 0 {
				return &usageError{fmt.Errorf("unknown command %q (see surveymine --help)", args[0])}
			}
			return nil
		},
		RunE: func(cmd *cobra.Command, args []string) error {
			return cmd.Help()
		},
	}
	root.SetArgs(args)
	root.SetIn(stdin)
	root.SetOut(stdout)
	root.SetErr(stderr)
	root.SetFlagErrorFunc(func(cmd *cobra.Command, err error) error {
		return &usageError{fmt.Errorf("%s: %w", cmd.CommandPath(), err)}
	})
	pf := root.PersistentFlags()
	pf.CountVarP(&g.verbose, "verbose", "v", "more diagnostics on stderr (-v info, -vv debug)")
	pf.BoolVarP(&g.quiet, "quiet", "q", false, "no progress and only errors on stderr")
	pf.BoolVar(&g.printConfig, "print-config", false, "print the merged configuration as YAML and exit")
	pf.StringVar(&g.cpuProfile, "cpuprofile", "", "write a Go CPU profile to this file (for benchmarking)")
	pf.StringVar(&g.memProfile, "memprofile", "", "write a Go heap profile to this file at exit (for benchmarking)")
	root.PersistentPreRunE = func(cmd *cobra.Command, args []string) error {
		if g.cpuProfile == "" {
			return nil
		}
		f, err := os.Create(g.cpuProfile)
		if err != nil {
			return err
		}
		g.stopProfile = func() { pprof.StopCPUProfile(); f.Close() }
		return pprof.StartCPUProfile(f)
	}
	root.PersistentPostRunE = func(cmd *cobra.Command, args []string) error {
		if g.stopProfile != nil {
			g.stopProfile()
		}
		if g.memProfile == "" {
			return nil
		}
		f, err := os.Create(g.memProfile)
		if err != nil {
			return err
		}
		defer f.Close()
		return pprof.WriteHeapProfile(f)
	}

	root.AddCommand(
		newRunCmd(g),
		newInitCmd(g),
		newValidateCmd(g),
		newVersionCmd(g),
		newSegmentCmd(g),
		newSampleCmd(g),
		newCodebookCmd(g),
		newPlanCmd(g),
		newShardCmd(g),
		newMergeCmd(g),
	)
	return withCause(ctx, root.ExecuteContext(ctx))
}

// configFlags are the flags of commands that load a config.
type configFlags struct {
	// optional: without --config, use the default config if it exists and
	// the built-in defaults otherwise (for commands that need no inputs).
	optional bool
	file     string
	sets     []string
	out      string
	force    bool
	memory   string
}

func (c *configFlags) register(cmd *cobra.Command, withOut bool) {
	cmd.Flags().StringVarP(&c.file, "config", "c", "", "config file (default ./"+starterName+", else "+defaultConfigFile+")")
	cmd.Flags().StringArrayVar(&c.sets, "set", nil, "override a config key, e.g. --set cluster.k=6 (repeatable)")
	if withOut {
		cmd.Flags().StringVarP(&c.out, "out", "o", "", "output directory (overrides output.dir)")
		cmd.Flags().BoolVar(&c.force, "force", false, "replace a non-empty output directory")
		cmd.Flags().StringVar(&c.memory, "memory", "", "memory budget, e.g. 2GiB (overrides the memory key; default 60% of physical memory)")
	}
}

// options resolves the config file: --config, else the first of
// defaultConfigFiles that exists. Without either, commands that need
// inputs fail with errNoConfig and the others use the built-in defaults.
func (c *configFlags) options() (loadOptions, error) {
	file := c.file
	if file == "" {
		file = findConfig()
		if file == "" && !c.optional {
			return loadOptions{}, errNoConfig
		}
	}
	return loadOptions{File: file, Sets: c.sets, Environ: os.Environ(), Out: c.out, Force: c.force, Memory: c.memory, NoInputs: c.optional}, nil
}
