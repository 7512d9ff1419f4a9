package pipeline_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"testing"

	"surveymine/internal/sample"
	"surveymine/internal/spill"
	"surveymine/pipeline"
	"surveymine/pipeline/ingest"
)

// BenchmarkExecute runs the whole job (pipeline.Execute: ingest, segment,
// code, cluster, cross-tabulate, write) on a generated 问卷星 export of 10,000
// and 100,000 respondents, configured like docs/bench/bench.yaml (the job
// raced against the Python peer in docs/BENCHMARKS.md): open question Q6,
// attributes Q1 and Q2, the ground-truth column, the default codebook, k = 9.
//
// Sub-benchmarks write either the formats the peer also writes
// (arrow,parquet,csv) or every format (adds xlsx, html, md). Generating the
// input file is not timed. Besides ns/op and allocations it reports rows/s
// (respondents per wall-clock second) and MB/s (10^6 bytes of input CSV).
//
// Benchmarks only run with -bench; one 100k iteration takes tens of
// seconds, so use -benchtime=1x:
//
//	go test ./pipeline -run '^$' -bench BenchmarkExecute -benchtime=1x
func BenchmarkExecute(b *testing.B) {
	book, err := filepath.Abs(filepath.Join("..", "configs", "codebook", "liangzhangpi.yaml"))
	if err != nil {
		b.Fatal(err)
	}
	if _, err := os.Stat(book); err != nil {
		b.Skipf("default codebook not found: %v", err)
	}
	for _, rows := range []int{10_000, 100_000} {
		for _, fm := range []struct {
			name    string
			formats []string
		}{
			{"arrow,parquet,csv", []string{"arrow", "parquet", "csv"}},
			{"all", nil},
		} {
			b.Run(fmt.Sprintf("rows=%d/formats=%s", rows, fm.name), func(b *testing.B) {
				benchExecute(b, rows, fm.formats, book)
			})
		}
	}
}

func benchExecute(b *testing.B, rows int, formats []string, book string) {
	cfg, size := benchConfig(b, rows)
	cfg.Codebook = pipeline.CodebookConfig{Path: book}
	cfg.Seed = 20261127
	cfg.Output.Formats, cfg.Output.Force = formats, true
	if err := cfg.Validate(); err != nil {
		b.Fatal(err)
	}
	ctx := context.Background()
	b.ReportAllocs()
	b.SetBytes(size)
	for b.Loop() {
		if _, err := pipeline.Execute(ctx, cfg, pipeline.Env{Version: "bench"}); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(rows)*float64(b.N)/b.Elapsed().Seconds(), "rows/s")
}

// BenchmarkIngestHeap runs the ingest stage alone (reading, masking
// personal information, the ingest tables) on the input of
// BenchmarkExecute and reports the live heap it leaves, measured with
// runtime.ReadMemStats after a forced GC: corpus-B/in-B is the corpus per
// input byte, tables-B/in-B the tables built from it (issue 10). The
// corpus spills as in a run; its spilled part is not in these figures.
//
//	go test ./pipeline -run '^$' -bench BenchmarkIngestHeap -benchtime=1x
func BenchmarkIngestHeap(b *testing.B) {
	for _, rows := range []int{10_000, 100_000} {
		b.Run(fmt.Sprintf("rows=%d", rows), func(b *testing.B) {
			cfg, size := benchConfig(b, rows)
			if err := cfg.Validate(); err != nil {
				b.Fatal(err)
			}
			// As in a run (Execute), the bulk of the corpus spills.
			env := pipeline.Env{Version: "bench", Spill: spill.New(b.TempDir())}
			stages, err := pipeline.Build(cfg, env)
			if err != nil {
				b.Fatal(err)
			}
			b.ReportAllocs()
			b.SetBytes(size)
			var corpus, tables uint64
			for b.Loop() {
				before := heapAfterGC()
				d, err := stages[0].Run(context.Background(), &pipeline.Dataset{})
				if err != nil {
					b.Fatal(err)
				}
				all := heapAfterGC()
				d.Tables = nil
				only := heapAfterGC()
				runtime.KeepAlive(d)
				corpus, tables = only-min(only, before), all-min(all, only)
			}
			b.ReportMetric(float64(corpus)/float64(size), "corpus-B/in-B")
			b.ReportMetric(float64(tables)/float64(size), "tables-B/in-B")
		})
	}
}

// benchConfig writes rows of `surveymine sample` (seed 1) to a temporary
// file and returns the benchmarks' job on it (the open question, two
// attributes, the truth column, k = 9, output in the temporary directory)
// and the file's size.
func benchConfig(b *testing.B, rows int) (*pipeline.Config, int64) {
	b.Helper()
	dir := b.TempDir()
	in := filepath.Join(dir, "survey.csv")
	f, err := os.Create(in)
	if err != nil {
		b.Fatal(err)
	}
	if err := sample.Write(f, sample.Options{Rows: rows, Seed: 1}); err != nil {
		f.Close()
		b.Fatal(err)
	}
	if err := f.Close(); err != nil {
		b.Fatal(err)
	}
	st, err := os.Stat(in)
	if err != nil {
		b.Fatal(err)
	}
	return &pipeline.Config{
		Inputs: ingest.Config{Surveys: []ingest.SurveyInput{{
			Path:             in,
			IDColumn:         sample.ColSeq,
			TextColumns:      []string{"6"},
			AttributeColumns: []string{"1", "2"},
			TruthColumn:      sample.ColTruth,
		}}},
		Cluster: pipeline.ClusterConfig{K: 9},
		Output:  pipeline.OutputConfig{Dir: filepath.Join(dir, "out")},
	}, st.Size()
}

// heapAfterGC returns the bytes of live heap objects after a forced GC.
func heapAfterGC() uint64 {
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return m.HeapAlloc
}
