package cluster

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
)

// sampleStream separates the sampling generator from the k-means restarts
// drawn from the same seed.
const sampleStream = 0x73616d706c65 // "sample"

// DefaultSample is the number of documents Silhouette and Sweep sample when
// their sample size is zero.
const DefaultSample = 2000

// sampleIndices returns, in ascending order, size items of cand drawn
// without replacement by a partial Fisher–Yates shuffle seeded with seed; all
// of cand (copied) when size <= 0 or size >= len(cand).
func sampleIndices(cand []int, size int, seed uint64) []int {
	out := append([]int(nil), cand...)
	if size <= 0 || size >= len(out) {
		return out
	}
	rng := rand.New(rand.NewPCG(seed, sampleStream))
	for i := range size {
		j := i + rng.IntN(len(out)-i)
		out[i], out[j] = out[j], out[i]
	}
	out = out[:size]
	slices.Sort(out)
	return out
}

// sparseDot returns the inner product of two sparse rows.
func sparseDot(a, b SparseVec) float64 {
	var s float64
	i, j := 0, 0
	for i < len(a.Idx) && j < len(b.Idx) {
		switch {
		case a.Idx[i] < b.Idx[j]:
			i++
		case a.Idx[i] > b.Idx[j]:
			j++
		default:
			s += a.Val[i] * b.Val[j]
			i++
			j++
		}
	}
	return s
}

// Silhouette returns the mean silhouette coefficient (Rousseeuw 1987,
// J. Comput. Appl. Math. 20:53) of the labelling under cosine distance
// 1 − x·y/(‖x‖‖y‖) (a zero row has distance 1 to everything):
//
//	s(i) = (b(i) − a(i)) / max(a(i), b(i))
//
// where a(i) is the mean distance from i to the other members of its
// cluster and b(i) the lowest mean distance from i to another cluster;
// s(i) = 0 for a singleton. This is sklearn's silhouette_score(X, labels,
// metric="cosine").
//
// A weighted row (Matrix.Weight) counts as its copies, each at distance 0
// from the others. Documents labelled < 0 are left out. When 0 < sample < the number of
// labelled documents, the score is computed on a uniform sample of that many
// documents drawn with seed (not sklearn's generator); otherwise on all of
// them, which costs O(n²) dot products. It returns NaN when the (sampled)
// documents fall in fewer than 2 clusters or every document is its own
// cluster (sklearn raises an error there). It panics if len(labels) !=
// len(m.Docs).
func Silhouette(m *Matrix, labels []int, sample int, seed uint64) float64 {
	if len(labels) != len(m.Docs) {
		panic(fmt.Sprintf("cluster: %d labels for %d documents", len(labels), len(m.Docs)))
	}
	var cand []int
	for i, l := range labels {
		if l >= 0 {
			cand = append(cand, i)
		}
	}
	idx, cnt := SampleCopies(cand, m.Weight, sample, seed)
	return silhouetteOf(m, labels, ExpandCopies(idx, cnt), resolveWorkers(0))
}

func silhouetteOf(m *Matrix, labels, idx []int, workers int) float64 {
	s := len(idx)
	// Dense cluster ids 0..nc-1 in order of label value.
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
	// The dot products of document p with all others come from an
	// inverted index of the sampled rows: the terms of p in ascending order,
	// each adding its products to the rows that have it, which is the order
	// sparseDot adds them in (rows sharing no term keep 0, as sparseDot
	// returns), so every similarity is the bits of sparseDot's.
	cols := sampleColumns(m, idx)
	sil := make([]float64, s)
	forChunks(s, workers, func(lo, hi int) {
		sums := make([]float64, nc)
		dot := make([]float64, s)
		for p := lo; p < hi; p++ {
			clear(sums)
			dp := m.Docs[idx[p]]
			for i, t := range dp.Idx {
				av := dp.Val[i]
				e0, e1 := cols.start[t], cols.start[t+1]
				rows, vals := cols.row[e0:e1], cols.val[e0:e1]
				for e, q := range rows {
					dot[q] += av * vals[e]
				}
			}
			for q := range s {
				if q == p {
					dot[q] = 0
					continue
				}
				sim := 0.0
				if norm[p] > 0 && norm[q] > 0 {
					sim = dot[q] / (norm[p] * norm[q])
				}
				dot[q] = 0
				sums[lab[q]] += min(2, max(0, 1-sim))
			}
			sil[p] = pointSilhouette(sums, size, lab[p])
		}
	})
	var total float64
	for _, v := range sil {
		total += v
	}
	return total / float64(s)
}

// pointSilhouette is s(i) of a point in cluster own, given the sums of
// its distances to the points of every cluster and the clusters' sizes:
// 0 for a point alone in its cluster.
func pointSilhouette(sums, size []float64, own int) float64 {
	if size[own] <= 1 {
		return 0
	}
	a := sums[own] / (size[own] - 1)
	b := math.Inf(1)
	for c := range sums {
		if c != own {
			b = min(b, sums[c]/size[c])
		}
	}
	if d := max(a, b); d > 0 {
		return (b - a) / d
	}
	return 0
}

// sampleColumns returns the inverted index (columns) of the rows idx of
// m, by position in idx: an index listed twice is two rows.
func sampleColumns(m *Matrix, idx []int) *columns {
	dim := m.Cols()
	c := &columns{start: make([]int, dim+1)}
	nnz := 0
	for _, i := range idx {
		for _, t := range m.Docs[i].Idx {
			c.start[t+1]++
		}
		nnz += len(m.Docs[i].Idx)
	}
	for t := range dim {
		c.start[t+1] += c.start[t]
	}
	c.row, c.val = make([]int32, nnz), make([]float64, nnz)
	next := slices.Clone(c.start[:dim])
	for p, i := range idx {
		d := m.Docs[i]
		for k, t := range d.Idx {
			e := next[t]
			c.row[e], c.val[e] = int32(p), d.Val[k]
			next[t]++
		}
	}
	return c
}

func pick(x, idx []int) []int {
	out := make([]int, len(idx))
	for p, i := range idx {
		out[p] = x[i]
	}
	return out
}

// SampleIndices returns size items of cand (all when size <= 0 or >=
// len(cand)), drawn without replacement with seed, in ascending order.
func SampleIndices(cand []int, size int, seed uint64) []int { return sampleIndices(cand, size, seed) }

// SilhouetteOn is the mean cosine silhouette of labels over the documents
// idx (see Silhouette; an index listed twice is two identical documents), computed on runtime.GOMAXPROCS(0) goroutines;
// NaN if undefined.
func SilhouetteOn(m *Matrix, labels, idx []int) float64 {
	return silhouetteOf(m, labels, idx, resolveWorkers(0))
}
