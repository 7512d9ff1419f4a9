package cluster

import (
	"context"
	"errors"
	"math"
	"math/rand/v2"
	"slices"
	"testing"
)

func TestKMeansRecoversTopics(t *testing.T) {
	cases := []struct {
		name   string
		topics int
		n      int
	}{
		{"3 topics", 3, 300},
		{"6 topics", 6, 1200},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			m, truth := topicCorpus(t, tc.topics, tc.n, 11)
			res, err := KMeans(context.Background(), m, KMeansOptions{K: tc.topics, Seed: 1})
			if err != nil {
				t.Fatal(err)
			}
			if got := ARI(res.Labels, truth); got < 0.99 {
				t.Errorf("ARI(KMeans labels, truth) = %v, want >= 0.99", got)
			}
			for j, c := range res.Centroids {
				var ss float64
				for _, x := range c {
					ss += x * x
				}
				if ss < 1-1e-9 || ss > 1+1e-9 {
					t.Errorf("centroid %d squared norm = %v, want 1", j, ss)
				}
			}
		})
	}
}

func TestKMeansObviousClusters(t *testing.T) {
	// Three exact directions, each repeated: the only sensible partition.
	rows := [][]float64{{1, 0, 0}, {0.9, 0.1, 0}, {0, 1, 0}, {0.1, 1, 0}, {0, 0, 1}, {0, 0.1, 1}}
	for i, r := range rows {
		normalize(r)
		rows[i] = r
	}
	m := denseMatrix(rows)
	res, err := KMeans(context.Background(), m, KMeansOptions{K: 3, Seed: 5})
	if err != nil {
		t.Fatal(err)
	}
	if got := ARI(res.Labels, []int{0, 0, 1, 1, 2, 2}); got != 1 {
		t.Errorf("KMeans labels = %v, want pairs together (ARI %v)", res.Labels, got)
	}
}

// TestKMeansDeterministic checks bit-identical results for 1 and 4 workers
// and across runs, on more documents than one chunk.
func TestKMeansDeterministic(t *testing.T) {
	m, _ := topicCorpus(t, 5, 5000, 3)
	run := func(workers int) *Result {
		res, err := KMeans(context.Background(), m, KMeansOptions{K: 7, Seed: 42, Restarts: 3, Workers: workers})
		if err != nil {
			t.Fatal(err)
		}
		return res
	}
	base := run(1)
	for _, w := range []int{4, 1, 3} {
		got := run(w)
		if !slices.Equal(got.Labels, base.Labels) {
			t.Errorf("KMeans(workers %d) labels differ from workers 1", w)
		}
		if got.Objective != base.Objective {
			t.Errorf("KMeans(workers %d) objective = %v, want %v", w, got.Objective, base.Objective)
		}
		for j := range got.Centroids {
			if !slices.Equal(got.Centroids[j], base.Centroids[j]) {
				t.Errorf("KMeans(workers %d) centroid %d differs", w, j)
			}
		}
	}
}

func TestKMeansEmptyRowsAndClusters(t *testing.T) {
	// Four distinct directions but k = 5 on 8 rows: one cluster must be
	// re-seeded; the empty row gets -1.
	rows := [][]float64{{1, 0, 0, 0}, {1, 0, 0, 0}, {0, 1, 0, 0}, {0, 1, 0, 0}, {0, 0, 1, 0}, {0, 0, 1, 0}, {0, 0, 0, 1}, {0, 0, 0, 0}, {0, 0, 0, 1}}
	m := denseMatrix(rows)
	res, err := KMeans(context.Background(), m, KMeansOptions{K: 5, Seed: 2})
	if err != nil {
		t.Fatal(err)
	}
	if res.Labels[7] != -1 {
		t.Errorf("KMeans label of empty row = %d, want -1", res.Labels[7])
	}
	for j, s := range res.Sizes {
		if s == 0 {
			t.Errorf("KMeans cluster %d is empty; sizes %v", j, res.Sizes)
		}
	}
}

func TestKMeansErrors(t *testing.T) {
	m := denseMatrix([][]float64{{1, 0}, {0, 1}, {0, 0}})
	cancelled, cancel := context.WithCancel(context.Background())
	cancel()
	cases := []struct {
		name string
		ctx  context.Context
		opt  KMeansOptions
		is   error
	}{
		{"k zero", context.Background(), KMeansOptions{K: 0}, nil},
		{"negative restarts", context.Background(), KMeansOptions{K: 1, Restarts: -1}, nil},
		{"too few docs", context.Background(), KMeansOptions{K: 3}, ErrTooFewDocs},
		{"init too long", context.Background(), KMeansOptions{K: 1, Init: [][]float64{{1, 0}, {0, 1}}}, nil},
		{"init wrong length", context.Background(), KMeansOptions{K: 2, Init: [][]float64{{1, 0, 0}}}, nil},
		{"init zero", context.Background(), KMeansOptions{K: 2, Init: [][]float64{{0, 0}}}, nil},
		{"cancelled", cancelled, KMeansOptions{K: 2}, context.Canceled},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := KMeans(tc.ctx, m, tc.opt)
			if err == nil {
				t.Fatalf("KMeans(%+v) error = nil, want one", tc.opt)
			}
			if tc.is != nil && !errors.Is(err, tc.is) {
				t.Errorf("KMeans(%+v) error = %v, want %v", tc.opt, err, tc.is)
			}
		})
	}
}

func TestKMeansGuided(t *testing.T) {
	// Codebook knows topics 2 and 0 (in that order) from a handful of coded
	// documents; two more topics exist and get the two free clusters.
	m, truth := topicCorpus(t, 4, 800, 9)
	var groups [][]int
	for _, topic := range []int{2, 0} {
		var g []int
		for i, k := range truth {
			if k == topic && len(g) < 5 {
				g = append(g, i)
			}
		}
		groups = append(groups, g)
	}
	init, err := SeedFromDocs(m, groups)
	if err != nil {
		t.Fatal(err)
	}
	res, err := KMeans(context.Background(), m, KMeansOptions{K: 4, Init: init, Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	if want := []int{0, 1, -1, -1}; !slices.Equal(res.Origin, want) {
		t.Errorf("KMeans guided origin = %v, want %v", res.Origin, want)
	}
	for c, topic := range map[int]int{0: 2, 1: 0} {
		for i, k := range truth {
			if k == topic && res.Labels[i] != c {
				t.Fatalf("document %d of topic %d in cluster %d, want guided cluster %d", i, topic, res.Labels[i], c)
			}
		}
	}
	if got := ARI(res.Labels, truth); got < 0.99 {
		t.Errorf("ARI(guided labels, truth) = %v, want >= 0.99", got)
	}

	// Keyword seeds: the category's words, as a codebook would list them.
	kw, err := SeedFromTerms(m, []map[string]float64{{"t3w1": 1, "t3w2": 1, "t3w3": 1, "nosuchterm": 5}})
	if err != nil {
		t.Fatal(err)
	}
	res, err = KMeans(context.Background(), m, KMeansOptions{K: 4, Init: kw, Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	for c := 1; c < 4; c++ {
		var cos float64
		for j, x := range kw[0] {
			cos += x * res.Centroids[c][j]
		}
		if cos >= res.SeedCos[0] || res.SeedCos[c] != 0 {
			t.Errorf("cos(seed, centroid %d) = %v, SeedCos = %v, want below SeedCos[0] and SeedCos[%d] = 0", c, cos, res.SeedCos, c)
		}
	}
	for i, k := range truth {
		if k == 3 && res.Labels[i] != 0 {
			t.Fatalf("document %d of topic 3 in cluster %d, want keyword-seeded cluster 0", i, res.Labels[i])
		}
	}
	if _, err := SeedFromTerms(m, []map[string]float64{{"nosuchterm": 1}}); err == nil {
		t.Errorf("SeedFromTerms(unknown terms) error = nil, want one")
	}
	if _, err := SeedFromDocs(m, [][]int{{len(m.Docs)}}); err == nil {
		t.Errorf("SeedFromDocs(out of range) error = nil, want one")
	}
}

// TestScoreAllBitIdentical checks that the register-blocked scores are the
// bits of the plain loop they replaced (term by term over all clusters,
// each score summed from 0 in term order), for every block remainder.
func TestScoreAllBitIdentical(t *testing.T) {
	m, err := tfidfOf(benchDocs(300))
	if err != nil {
		t.Fatal(err)
	}
	rng := rand.New(rand.NewPCG(5, 1))
	for k := 1; k <= 19; k++ {
		centT := make([]float64, m.Cols()*k)
		for i := range centT {
			centT[i] = rng.NormFloat64()
		}
		got, want := make([]float64, k), make([]float64, k)
		for i, d := range m.Docs {
			clear(want)
			for p, tm := range d.Idx {
				for j := range k {
					want[j] += d.Val[p] * centT[int(tm)*k+j]
				}
			}
			scoreAll(d, centT, got)
			for j := range k {
				if math.Float64bits(got[j]) != math.Float64bits(want[j]) {
					t.Fatalf("k = %d, document %d: scoreAll score %d = %v, want %v (the plain loop's bits)", k, i, j, got[j], want[j])
				}
			}
		}
	}
}

func tfidfOf(docs [][]string) (*Matrix, error) {
	m, _, err := TFIDF(docs, TFIDFOptions{})
	return m, err
}

// TestPostingsLowerBitIdentical checks k-means++'s trial distances through
// the inverted index against the full loop they replace, bit for bit.
func TestPostingsLowerBitIdentical(t *testing.T) {
	m, err := tfidfOf(benchDocs(500))
	if err != nil {
		t.Fatal(err)
	}
	cols := newColumns(m)
	if cols == nil {
		t.Fatal("newColumns(sparse matrix) = nil, want an index")
	}
	ps := &postings{columns: cols, acc: make([]float64, len(m.Docs)), seen: make([]bool, len(m.Docs))}
	rng := rand.New(rand.NewPCG(6, 1))
	dist := make([]float64, len(m.Docs))
	for i := range dist {
		switch i % 7 {
		case 0:
			dist[i] = -1
		case 1:
			dist[i] = 0
		case 2:
			dist[i] = 2
		default:
			dist[i] = rng.Float64()
		}
	}
	got, want := make([]float64, len(dist)), make([]float64, len(dist))
	c := make([]float64, m.Cols())
	for v := range 40 {
		d := m.Docs[v*11]
		clear(c)
		for p, tm := range d.Idx {
			c[tm] = d.Val[p]
		}
		normalize(c)
		for i := range want {
			want[i] = dist[i]
			if dist[i] > 0 {
				want[i] = min(dist[i], max(0, 1-m.Docs[i].Dot(c)))
			}
		}
		ps.lower(got, dist, d, c)
		for i := range want {
			if math.Float64bits(got[i]) != math.Float64bits(want[i]) {
				t.Fatalf("vector %d, row %d: lower = %v, want %v (the full loop's bits)", v, i, got[i], want[i])
			}
		}
	}
}

// TestKMeansBoundsBitIdentical checks that the bounds of assign change
// nothing: labels, centroids, objective and iterations are the bits of
// k-means with every document scored in full, for weighted rows, several
// k and a guided start.
func TestKMeansBoundsBitIdentical(t *testing.T) {
	m, err := tfidfOf(benchDocs(3000))
	if err != nil {
		t.Fatal(err)
	}
	m.Weight = make([]int32, len(m.Docs))
	for i := range m.Weight {
		m.Weight[i] = int32(1 + i%3)
	}
	guide, err := SeedFromDocs(m, [][]int{{0, 1, 2}, {10, 11}})
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name string
		opt  KMeansOptions
	}{
		{"k 2", KMeansOptions{K: 2, Seed: 1}},
		{"k 7", KMeansOptions{K: 7, Seed: 2, Workers: 3}},
		{"k 13", KMeansOptions{K: 13, Seed: 3, Restarts: 4}},
		{"guided", KMeansOptions{K: 6, Seed: 4, Init: guide}},
	}
	fingerprint := func(r *Result) []uint64 {
		var f []uint64
		for _, l := range r.Labels {
			f = append(f, uint64(l))
		}
		for _, c := range r.Centroids {
			for _, v := range c {
				f = append(f, math.Float64bits(v))
			}
		}
		return append(f, math.Float64bits(r.Objective), uint64(r.Iterations), uint64(r.Restart))
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got, err := KMeans(context.Background(), m, tc.opt)
			if err != nil {
				t.Fatal(err)
			}
			assignBounds = false
			want, err := KMeans(context.Background(), m, tc.opt)
			assignBounds = true
			if err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(fingerprint(got), fingerprint(want)) {
				t.Errorf("KMeans with bounds: objective %v, %d iterations; without: %v, %d (want the same bits)", got.Objective, got.Iterations, want.Objective, want.Iterations)
			}
		})
	}
}
