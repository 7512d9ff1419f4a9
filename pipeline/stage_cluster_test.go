package pipeline

import (
	"math"
	"slices"
	"testing"

	"surveymine/analysis/cluster"
)

// TestPickCandidate: the method with the higher mean criterion wins even
// when another method has the single best row; within it, the k of highest
// coherence.
func TestPickCandidate(t *testing.T) {
	rows := []sweepRow{
		{method: "kmeans", kAsked: 4, coherence: -0.5, coherenceMean: -0.5, stability: 0.9, nullStability: math.NaN()}, // criterion -0.05: best single row
		{method: "kmeans", kAsked: 5, coherence: -0.6, coherenceMean: -0.6, stability: 0.2, nullStability: math.NaN()}, // -0.5
		{method: "gsdmm", kAsked: 4, coherence: -0.2, coherenceMean: -0.2, stability: 0.1, nullStability: math.NaN()},  // -0.15
		{method: "gsdmm", kAsked: 5, coherence: -0.1, coherenceMean: -0.1, stability: 0.1, nullStability: math.NaN()},  // -0.05; mean -0.10 > kmeans' -0.275
	}
	if got := pickCandidate(rows); got != 3 {
		t.Errorf("pickCandidate = row %d, want 3 (gsdmm, k = 5)", got)
	}
	if m, d := runnerUp(rows, "gsdmm"); m != "kmeans" || math.Abs(d-0.175) > 1e-12 {
		t.Errorf("runnerUp = %s by %v, want kmeans by 0.175 (-0.10 against -0.275)", m, d)
	}
	rows[1].stability = 1.0 // kmeans mean now (-0.05 + -0.1)/2 = -0.075 > -0.10
	if got := pickCandidate(rows); got != 0 {
		t.Errorf("pickCandidate = row %d, want 0 (kmeans, k = 4: higher coherence than k = 5)", got)
	}
	if m, d := runnerUp(rows, "kmeans"); m != "gsdmm" || math.Abs(d-0.025) > 1e-12 || d >= closeMargin {
		t.Errorf("runnerUp = %s by %v, want gsdmm by 0.025, a near tie", m, d)
	}
	if m, d := runnerUp(rows[:2], "kmeans"); m != "" || !math.IsNaN(d) {
		t.Errorf("one method: runnerUp = %q, %v; want none", m, d)
	}
}

// TestPickCandidateNullStability: with a null reference the criterion
// counts only the stability above the method's stability on shuffled
// terms. The figures are those of tnews at k = 15 (docs/BENCHMARKS.md):
// on raw stability k-means wins (-0.416 against -0.429), on the excess
// GSDMM does (-0.505 against -0.583).
func TestPickCandidateNullStability(t *testing.T) {
	rows := []sweepRow{
		{method: "kmeans", kAsked: 15, coherence: -0.5430, coherenceMean: -0.5430, stability: 0.2546, nullStability: math.NaN()},
		{method: "gsdmm", kAsked: 15, coherence: -0.4984, coherenceMean: -0.4984, stability: 0.1396, nullStability: math.NaN()},
	}
	if got := pickCandidate(rows); got != 0 {
		t.Errorf("pickCandidate without null reference = row %d, want 0 (kmeans)", got)
	}
	rows[0].nullStability, rows[1].nullStability = 0.3347, 0.1003
	if got := pickCandidate(rows); got != 1 {
		t.Errorf("pickCandidate with null reference = row %d, want 1 (gsdmm)", got)
	}
	// criterion = mean coherence + 0.5·(stability − null stability), by hand.
	for i, want := range []float64{-0.5430 + 0.5*(0.2546-0.3347), -0.4984 + 0.5*(0.1396-0.1003)} {
		if got := criterion(rows[i]); math.Abs(got-want) > 1e-12 {
			t.Errorf("criterion(rows[%d]) = %v, want %v", i, got, want)
		}
	}
}

// TestPickCandidateCoherences: method and k are chosen on the coherence
// averaged with the resamples' fits, not on the fit's own.
func TestPickCandidateCoherences(t *testing.T) {
	rows := []sweepRow{
		{method: "kmeans", kAsked: 4, coherence: 0.30, coherenceMean: 0.10, stability: 0.5, nullStability: 0.4},
		{method: "kmeans", kAsked: 5, coherence: 0.35, coherenceMean: 0.05, stability: 0.5, nullStability: 0.4},
		{method: "gsdmm", kAsked: 4, coherence: 0.00, coherenceMean: 0.20, stability: 0.3, nullStability: 0.1},
		{method: "gsdmm", kAsked: 5, coherence: 0.10, coherenceMean: 0.15, stability: 0.3, nullStability: 0.1},
	}
	// Means of the criterion: kmeans 0.125, gsdmm 0.275; within gsdmm k = 4
	// has the higher mean coherence although k = 5 has the higher fit's.
	if got := pickCandidate(rows); got != 2 {
		t.Errorf("pickCandidate = row %d, want 2 (gsdmm, k = 4)", got)
	}
}

// TestExtendSample: the sampled documents start in their sample clusters,
// every other one is placed (-1), and a single chain runs the extension's
// sweeps.
func TestExtendSample(t *testing.T) {
	o := extendSample(cluster.GSDMMOptions{Chains: 4, Beta: 0.2}, []int{1, 0, -1}, []int{4, 0, 2}, 6)
	if want := []int{0, -1, -1, -1, 1, -1}; !slices.Equal(o.Init, want) {
		t.Errorf("extendSample Init = %v, want %v", o.Init, want)
	}
	if o.Chains != 1 || o.Iters != gsdmmExtendIters || o.Beta != 0.2 {
		t.Errorf("extendSample options: chains %d, iterations %d, beta %v; want 1, %d, 0.2", o.Chains, o.Iters, o.Beta, gsdmmExtendIters)
	}
}
