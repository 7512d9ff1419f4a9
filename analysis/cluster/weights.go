package cluster

import (
	"math/rand/v2"
	"slices"
	"sort"
)

// W returns the number of documents row i stands for: Weight[i], or 1
// when the matrix has no weights.
func (m *Matrix) W(i int) float64 {
	if m.Weight == nil {
		return 1
	}
	return float64(m.Weight[i])
}

// weightAt is W for a bare weight slice.
func weightAt(w []int32, i int) int {
	if w == nil {
		return 1
	}
	return int(w[i])
}

// subWeights returns the weights of rows idx of w (nil for nil).
func subWeights(w []int32, idx []int) []int32 {
	if w == nil {
		return nil
	}
	out := make([]int32, len(idx))
	for p, i := range idx {
		out[p] = w[i]
	}
	return out
}

// SampleCopies draws size documents without replacement from the rows
// cand, row i standing for weights[i] identical documents (nil: one
// each), and returns the rows drawn at least once, ascending, with how
// many of their copies were drawn. All of cand with its weights is
// returned when size <= 0 or the copies number at most size. With nil
// weights it is SampleIndices (and nil counts). The draw is a partial
// Fisher–Yates shuffle over the copies' positions, seeded with seed,
// keeping only the positions it moved (memory O(size), not O(copies)).
func SampleCopies(cand []int, weights []int32, size int, seed uint64) ([]int, []int32) {
	if weights == nil {
		return sampleIndices(cand, size, seed), nil
	}
	total := 0
	for _, i := range cand {
		total += int(weights[i])
	}
	if size <= 0 || size >= total {
		return slices.Clone(cand), subWeights(weights, cand)
	}
	rng := rand.New(rand.NewPCG(seed, sampleStream))
	moved := make(map[int]int, 2*size)
	at := func(i int) int {
		if v, ok := moved[i]; ok {
			return v
		}
		return i
	}
	pos := make([]int, size)
	for i := range size {
		j := i + rng.IntN(total-i)
		pos[i] = at(j)
		moved[j] = at(i)
	}
	slices.Sort(pos)
	// Walk the rows' copy ranges [start, start+w) beside the sorted positions.
	var idx []int
	var cnt []int32
	start, p := 0, 0
	for _, i := range cand {
		end := start + int(weights[i])
		n := sort.SearchInts(pos[p:], end)
		if n > 0 {
			idx = append(idx, i)
			cnt = append(cnt, int32(n))
			p += n
		}
		start = end
	}
	return idx, cnt
}

// ExpandCopies returns each row of idx repeated weights[p] times (nil
// weights: idx itself): the positions of the documents a weighted subset
// stands for.
func ExpandCopies(idx []int, weights []int32) []int {
	if weights == nil {
		return idx
	}
	var out []int
	for p, i := range idx {
		for range weights[p] {
			out = append(out, i)
		}
	}
	return out
}
