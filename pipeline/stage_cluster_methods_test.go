package pipeline_test

import (
	"bytes"
	"context"
	"encoding/csv"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"testing"

	"surveymine/internal/sample"
	"surveymine/pipeline"
	"surveymine/pipeline/ingest"
)

// TestClusterMethods runs the whole job with cluster.method gsdmm and btm
// on 1,500 generated rows: the method is the one used, the clusters agree
// with the planted causes better than chance, and GSDMM's chains give the
// same clusters with 1 and 2 workers.
func TestClusterMethods(t *testing.T) {
	dir := t.TempDir()
	in := filepath.Join(dir, "survey.csv")
	f, err := os.Create(in)
	if err != nil {
		t.Fatal(err)
	}
	if err := sample.Write(f, sample.Options{Rows: 1500, Seed: 2}); err != nil {
		t.Fatal(err)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
	run := func(method string, workers int) *pipeline.Dataset {
		t.Helper()
		cfg := &pipeline.Config{
			Inputs: ingest.Config{Surveys: []ingest.SurveyInput{{
				Path: in, IDColumn: sample.ColSeq, TextColumns: []string{"6"}, TruthColumn: sample.ColTruth,
			}}},
			Cluster: pipeline.ClusterConfig{K: 9, Method: method, Stability: 2},
			Seed:    3,
			Workers: workers,
			Output:  pipeline.OutputConfig{Dir: filepath.Join(dir, method), Formats: []string{"csv"}, Force: true},
		}
		if err := cfg.Validate(); err != nil {
			t.Fatal(err)
		}
		d, err := pipeline.Execute(context.Background(), cfg, pipeline.Env{Version: "test"})
		if err != nil {
			t.Fatalf("method %s: %v", method, err)
		}
		return d
	}
	for _, method := range []string{"gsdmm", "btm"} {
		d := run(method, 2)
		if d.Groups.Method != method || d.Facts["cluster_method_used"] != method {
			t.Errorf("method %s: Clustering.Method %q, cluster_method_used %v", method, d.Groups.Method, d.Facts["cluster_method_used"])
		}
		// NMI of the clustered answers with the planted cause (0 = none),
		// as the stage reports it.
		q, err := os.ReadFile(filepath.Join(dir, method, "cluster_quality.csv"))
		if err != nil {
			t.Fatal(err)
		}
		recs, err := csv.NewReader(bytes.NewReader(q)).ReadAll()
		if err != nil || len(recs) < 2 || recs[1][0] != "nmi" {
			t.Fatalf("method %s: cluster_quality.csv = %q, %v", method, q, err)
		}
		if nmi, err := strconv.ParseFloat(recs[1][1], 64); err != nil || nmi < 0.15 {
			t.Errorf("method %s: NMI with the planted causes %s, want >= 0.15", method, recs[1][1])
		}
		if method == "gsdmm" {
			if one := run(method, 1); !slices.Equal(one.Groups.Cluster, d.Groups.Cluster) {
				t.Error("gsdmm: clusters differ between 1 and 2 workers")
			}
		}
	}
	// auto: the sweep with its null reference (shuffled terms) is the same
	// for 1 and 2 workers, byte for byte, and fills stability_null.
	sweep := func(workers int) ([]int, []byte) {
		t.Helper()
		d := run("auto", workers)
		b, err := os.ReadFile(filepath.Join(dir, "auto", "k_sweep.csv"))
		if err != nil {
			t.Fatal(err)
		}
		return d.Groups.Cluster, b
	}
	c2, s2 := sweep(2)
	c1, s1 := sweep(1)
	if !slices.Equal(c1, c2) || !bytes.Equal(s1, s2) {
		t.Errorf("auto: clusters or k_sweep differ between 1 and 2 workers:\n%s\n%s", s1, s2)
	}
	recs, err := csv.NewReader(bytes.NewReader(s2)).ReadAll()
	if err != nil || len(recs) != 3 || !slices.Contains(recs[0], "stability_null") {
		t.Fatalf("auto: k_sweep.csv = %q, %v; want a header with stability_null and 2 rows", s2, err)
	}
	col := slices.Index(recs[0], "stability_null")
	for _, r := range recs[1:] {
		if v, err := strconv.ParseFloat(r[col], 64); err != nil || v < 0 || v > 1 {
			t.Errorf("auto: %s stability_null %q, want a value in [0, 1]", r[0], r[col])
		}
	}
}
