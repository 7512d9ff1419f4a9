package cluster

import (
	"context"
	"math"
	"slices"
	"testing"
)

// TestClusterJaccard checks Hennig's per-cluster stability on a partition
// constructed by hand. Reference: clusters A = {0,1,2,3}, B = {4,5,6,7},
// C = {8,9}. Resample 1 (all documents): {0,1,2,3} {4,5,6,7,8,9} → A 1,
// B 4/6, C 2/6. Resample 2 (documents 0,1,4,5,8): {0,1} {4,5,8} → A 1,
// B 2/3, C 1/3. Resample 3 (documents 0–7): {0,1,4,5} {2,3,6,7} → A 2/6,
// B 2/6, C absent (does not count).
func TestClusterJaccard(t *testing.T) {
	ref := []int{0, 0, 0, 0, 1, 1, 1, 1, 2, 2}
	rs := []Resample{
		{Idx: []int{0, 1, 2, 3, 4, 5, 6, 7, 8, 9}, Labels: []int{0, 0, 0, 0, 1, 1, 1, 1, 1, 1}},
		{Idx: []int{0, 1, 4, 5, 8}, Labels: []int{3, 3, 1, 1, 1}},
		{Idx: []int{0, 1, 2, 3, 4, 5, 6, 7}, Labels: []int{0, 0, 1, 1, 0, 0, 1, 1}},
	}
	got := ClusterJaccard(ref, 4, rs)
	want := []float64{(1 + 1 + 2.0/6) / 3, (4.0/6 + 2.0/3 + 2.0/6) / 3, (2.0/6 + 1.0/3) / 2, math.NaN()}
	for c := range want {
		if math.IsNaN(want[c]) != math.IsNaN(got[c]) || (!math.IsNaN(want[c]) && math.Abs(got[c]-want[c]) > 1e-12) {
			t.Errorf("ClusterJaccard cluster %d = %v, want %v", c, got[c], want[c])
		}
	}
}

// TestStabilitySeparatesSpurious plants 4 topics and asks spherical
// k-means for 5 clusters: one planted topic is split in two, differently
// for each seed. The two halves must score below UnstableBelow, the other
// planted topics at 0.8 or more (a resample splits one of
// them instead, now and then).
func TestStabilitySeparatesSpurious(t *testing.T) {
	const n, topics = 2000, 4
	docs := synthDocs(n, topics, 11)
	m, _, err := TFIDF(docs, TFIDFOptions{})
	if err != nil {
		t.Fatal(err)
	}
	d := &Data{TFIDF: m}
	fit := FitOptions{Method: MethodKMeans, K: 5, KMeans: KMeansOptions{Seed: 1, Restarts: 1}}
	ref, k, err := Fit(context.Background(), d, fit)
	if err != nil {
		t.Fatal(err)
	}
	st, _, err := Stability(context.Background(), d, fit, ref, k, StabilityOptions{B: 8, Sample: 1000, Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	// A cluster is planted when ≥ 90% of one topic is in it.
	truth := synthTruth(n, topics)
	planted, spurious := 0, 0
	for c := range k {
		var cnt [topics]int
		size := 0
		for i, l := range ref {
			if l == c {
				cnt[truth[i]]++
				size++
			}
		}
		best := 0
		for _, v := range cnt {
			best = max(best, v)
		}
		if float64(best) >= 0.9*float64(n/topics) {
			planted++
			if st[c] < 0.8 {
				t.Errorf("planted cluster %d (size %d): stability %.3f, want >= 0.8", c, size, st[c])
			}
		} else {
			spurious++
			if st[c] >= UnstableBelow {
				t.Errorf("split cluster %d (size %d): stability %.3f, want < %v", c, size, st[c], UnstableBelow)
			}
		}
	}
	if planted != 3 || spurious != 2 {
		t.Fatalf("%d planted and %d split clusters, want 3 and 2 (stabilities %v)", planted, spurious, st)
	}
}

// TestStabilityWorkersAndChains: the resamples do not depend on the number
// of workers, and a resample that is a proper subset is fitted with the
// capped number of GSDMM chains.
func TestStabilityWorkersAndChains(t *testing.T) {
	docs := synthDocs(600, 4, 5)
	m, _, err := TFIDF(docs, TFIDFOptions{})
	if err != nil {
		t.Fatal(err)
	}
	d := &Data{TFIDF: m, Bags: Bags(m, docs)}
	fit := FitOptions{Method: MethodGSDMM, K: 6, KMeans: KMeansOptions{Seed: 1}, GSDMM: GSDMMOptions{Iters: 5}}
	ref, k, err := Fit(context.Background(), d, fit)
	if err != nil {
		t.Fatal(err)
	}
	opt := StabilityOptions{B: 4, Sample: 400, Seed: 3, Chains: 1}
	var first []Resample
	for _, w := range []int{1, 3} {
		f := fit
		f.KMeans.Workers = w
		_, rs, err := Stability(context.Background(), d, f, ref, k, opt)
		if err != nil {
			t.Fatal(err)
		}
		if first == nil {
			first = rs
			continue
		}
		for b := range rs {
			if !slices.Equal(rs[b].Idx, first[b].Idx) || !slices.Equal(rs[b].Labels, first[b].Labels) {
				t.Errorf("resample %d differs between 1 and 3 workers", b)
			}
		}
	}
	one := fit
	one.KMeans.Seed = opt.Seed + 1
	one.GSDMM.Chains = 1
	want, _, err := Fit(context.Background(), d.Subset(first[0].Idx, first[0].Weight), one)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(first[0].Labels, want) {
		t.Errorf("resample 1 is not the single-chain fit of its subset")
	}
}
