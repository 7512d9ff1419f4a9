package cluster

import (
	"math"
	"testing"
)

func denseMatrix(rows [][]float64) *Matrix {
	m := &Matrix{Vocab: make([]string, len(rows[0]))}
	for _, r := range rows {
		var v SparseVec
		for j, x := range r {
			if x != 0 {
				v.Idx = append(v.Idx, int32(j))
				v.Val = append(v.Val, x)
			}
		}
		m.Docs = append(m.Docs, v)
	}
	return m
}

// Expected values from Debian python3-sklearn 1.2.1:
// silhouette_score(np.array(silhouetteX), labels, metric="cosine").
var silhouetteX = [][]float64{
	{1, 0, 0, 2, 0}, {2, 1, 0, 2, 0}, {1, 0, 0, 3, 0},
	{0, 3, 1, 0, 0}, {0, 2, 2, 0, 0.5}, {0, 4, 1, 0, 0},
	{0, 0, 0, 0, 1}, {1, 0, 0, 0, 1}, {0, 0, 0, 0, 0},
}

func TestSilhouetteMatchesSklearn(t *testing.T) {
	m := denseMatrix(silhouetteX)
	cases := []struct {
		name   string
		labels []int
		want   float64
	}{
		{"three clusters and a zero row", []int{0, 0, 0, 1, 1, 1, 2, 2, 1}, 0.618637239121958},
		{"with a singleton", []int{0, 0, 0, 1, 1, 1, 2, 0, 1}, 0.353672208249236},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if got := Silhouette(m, tc.labels, 0, 1); math.Abs(got-tc.want) > 1e-12 {
				t.Errorf("Silhouette(%v) = %.15g, want %.15g", tc.labels, got, tc.want)
			}
		})
	}
}

func TestSilhouetteUndefined(t *testing.T) {
	m := denseMatrix(silhouetteX)
	for _, labels := range [][]int{
		{0, 0, 0, 0, 0, 0, 0, 0, 0},
		{0, 1, 2, 3, 4, 5, 6, 7, 8},
		{-1, -1, -1, -1, -1, -1, -1, 0, 1},
	} {
		if got := Silhouette(m, labels, 0, 1); !math.IsNaN(got) {
			t.Errorf("Silhouette(%v) = %v, want NaN", labels, got)
		}
	}
}

func TestSilhouetteSampleDeterministic(t *testing.T) {
	m, truth := topicCorpus(t, 3, 600, 7)
	a := Silhouette(m, truth, 200, 3)
	b := Silhouette(m, truth, 200, 3)
	if a != b {
		t.Errorf("Silhouette(sample 200, seed 3) = %v then %v, want equal", a, b)
	}
	if full := Silhouette(m, truth, 0, 0); math.Abs(a-full) > 0.05 {
		t.Errorf("Silhouette(sample 200) = %v, far from full-data %v", a, full)
	}
}
