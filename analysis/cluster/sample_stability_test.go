package cluster

import (
	"bytes"
	"context"
	"encoding/csv"
	"math/rand/v2"
	"strings"
	"testing"

	"surveymine/analysis/segment"
	"surveymine/internal/sample"
)

// TestStabilityOnSyntheticSample: on the bundled synthetic survey
// (internal/sample, 2,000 rows, the Q6 answers segmented as the pipeline
// does), a cluster that exists in only one seed — one k-means cluster cut
// at random into two halves, a split no other run reproduces — gets a
// stability below UnstableBelow, and every cluster is scored in [0, 1].
func TestStabilityOnSyntheticSample(t *testing.T) {
	var buf bytes.Buffer
	if err := sample.Write(&buf, sample.Options{Rows: 2000, Seed: 3}); err != nil {
		t.Fatal(err)
	}
	recs, err := csv.NewReader(strings.NewReader(strings.TrimPrefix(buf.String(), "\ufeff"))).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	col := -1
	for i, h := range recs[0] {
		if strings.HasPrefix(h, "6、") {
			col = i
		}
	}
	if col < 0 {
		t.Fatalf("no Q6 column in %v", recs[0])
	}
	seg, err := segment.New(segment.Config{})
	if err != nil {
		t.Fatal(err)
	}
	var docs [][]string
	for _, r := range recs[1:] {
		docs = append(docs, segment.Terms(seg.Cut(r[col])))
	}
	m, _, err := TFIDF(docs, TFIDFOptions{})
	if err != nil {
		t.Fatal(err)
	}
	d := &Data{TFIDF: m}
	fit := FitOptions{Method: MethodKMeans, K: 9, KMeans: KMeansOptions{Seed: 1, Restarts: 3}}
	ref, k, err := Fit(context.Background(), d, fit)
	if err != nil {
		t.Fatal(err)
	}
	// Split the largest cluster at random: label k for a random half.
	sizes := make([]int, k)
	for _, l := range ref {
		if l >= 0 {
			sizes[l]++
		}
	}
	big := 0
	for c := range sizes {
		if sizes[c] > sizes[big] {
			big = c
		}
	}
	rng := rand.New(rand.NewPCG(7, 7))
	split := append([]int(nil), ref...)
	for i, l := range split {
		if l == big && rng.IntN(2) == 0 {
			split[i] = k
		}
	}
	fit.K = k + 1
	st, _, err := Stability(context.Background(), d, fit, split, k+1, StabilityOptions{B: 5, Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	for c, v := range st {
		if v < 0 || v > 1 {
			t.Errorf("cluster %d: stability %v outside [0, 1]", c, v)
		}
	}
	for _, c := range []int{big, k} {
		if st[c] >= UnstableBelow {
			t.Errorf("random half %d of cluster %d (sizes %v): stability %.3f, want < %v", c, big, sizes, st[c], UnstableBelow)
		}
	}
	t.Logf("stabilities with cluster %d split: %.2f", big, st)
}
