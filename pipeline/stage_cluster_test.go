package pipeline

import "testing"

// TestPickCandidate: the method with the higher mean criterion wins even
// when another method has the single best row; within it, the k of highest
// coherence.
func TestPickCandidate(t *testing.T) {
	rows := []sweepRow{
		{method: "kmeans", kAsked: 4, coherence: -0.5, stability: 0.9}, // criterion -0.05: best single row
		{method: "kmeans", kAsked: 5, coherence: -0.6, stability: 0.2}, // -0.5
		{method: "gsdmm", kAsked: 4, coherence: -0.2, stability: 0.1},  // -0.15
		{method: "gsdmm", kAsked: 5, coherence: -0.1, stability: 0.1},  // -0.05; mean -0.10 > kmeans' -0.275
	}
	if got := pickCandidate(rows); got != 3 {
		t.Errorf("pickCandidate = row %d, want 3 (gsdmm, k = 5)", got)
	}
	rows[1].stability = 1.0 // kmeans mean now (-0.05 + -0.1)/2 = -0.075 > -0.10
	if got := pickCandidate(rows); got != 0 {
		t.Errorf("pickCandidate = row %d, want 0 (kmeans, k = 4: higher coherence than k = 5)", got)
	}
}
