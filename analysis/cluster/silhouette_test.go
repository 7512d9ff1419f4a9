package cluster

import (
	"math"
	"math/rand/v2"
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

// TestSilhouetteBitIdentical checks the silhouette through the inverted
// index against the pairwise sparseDot loop it replaced, bit for bit, with
// repeated indices (copies) and rows of a dense (LSA-like) matrix.
func TestSilhouetteBitIdentical(t *testing.T) {
	m, err := tfidfOf(benchDocs(400))
	if err != nil {
		t.Fatal(err)
	}
	dense := &Matrix{Vocab: []string{"a", "b", "c"}}
	rng := rand.New(rand.NewPCG(8, 1))
	for range 300 {
		dense.Docs = append(dense.Docs, SparseVec{Idx: []int32{0, 1, 2}, Val: []float64{rng.NormFloat64(), rng.NormFloat64(), rng.NormFloat64()}})
	}
	for _, tc := range []struct {
		name string
		m    *Matrix
	}{{"tfidf", m}, {"dense", dense}} {
		t.Run(tc.name, func(t *testing.T) {
			labels := make([]int, len(tc.m.Docs))
			for i := range labels {
				labels[i] = rng.IntN(5) - 1
			}
			var idx []int
			for i := range tc.m.Docs {
				if labels[i] >= 0 {
					idx = append(idx, i)
					if i%5 == 0 {
						idx = append(idx, i)
					}
				}
			}
			got := silhouetteOf(tc.m, labels, idx, 3)
			want := silhouettePlain(tc.m, labels, idx)
			if math.Float64bits(got) != math.Float64bits(want) {
				t.Errorf("silhouetteOf = %v, want %v (the pairwise loop's bits)", got, want)
			}
		})
	}
}

// silhouettePlain is silhouetteOf as it was before the inverted index:
// every pair scored by sparseDot (the per-point formula, which the index
// did not change, is shared).
func silhouettePlain(m *Matrix, labels, idx []int) float64 {
	s := len(idx)
	remap := index(pick(labels, idx))
	nc := len(remap)
	if nc < 2 || nc >= s {
		return math.NaN()
	}
	lab := make([]int, s)
	size := make([]float64, nc)
	norm := make([]float64, s)
	for p, i := range idx {
		lab[p] = remap[labels[i]]
		size[lab[p]]++
		norm[p] = math.Sqrt(sparseDot(m.Docs[i], m.Docs[i]))
	}
	sil := make([]float64, s)
	sums := make([]float64, nc)
	for p := range s {
		clear(sums)
		for q := range s {
			if q == p {
				continue
			}
			sim := 0.0
			if norm[p] > 0 && norm[q] > 0 {
				sim = sparseDot(m.Docs[idx[p]], m.Docs[idx[q]]) / (norm[p] * norm[q])
			}
			sums[lab[q]] += min(2, max(0, 1-sim))
		}
		sil[p] = pointSilhouette(sums, size, lab[p])
	}
	var total float64
	for _, v := range sil {
		total += v
	}
	return total / float64(s)
}
