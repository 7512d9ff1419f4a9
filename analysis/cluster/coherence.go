package cluster

import (
	"math"
	"sort"
)

// Coherence returns the mean NPMI of the pairs of each cluster's terms,
// averaged over clusters weighted by size (Bouma 2009 normalised PMI;
// Lau, Newman & Baldwin 2014 found it the topic coherence closest to human
// judgement), with probabilities estimated from document co-occurrence in
// m itself (no reference corpus):
//
//	NPMI(a,b) = ln(p(a,b) / (p(a)p(b))) / −ln p(a,b),   −1 when p(a,b) = 0
//
// p(x) = df(x)/n over the non-empty rows of m, each counting the documents
// it stands for (Matrix.Weight). terms[c] are cluster c's
// top terms (e.g. Describe's distinctive terms, at most 10) and sizes[c]
// its size; clusters with fewer than two terms count as 0. Terms not in
// m's vocabulary are skipped. NaN when no cluster has a size.
func Coherence(m *Matrix, terms [][]string, sizes []int) float64 {
	n := 0
	for i, d := range m.Docs {
		if len(d.Idx) > 0 {
			n += weightAt(m.Weight, i)
		}
	}
	post := map[int32][]int32{} // postings of the terms asked for
	col := func(t string) int32 {
		j := sort.SearchStrings(m.Vocab, t)
		if j < len(m.Vocab) && m.Vocab[j] == t {
			return int32(j)
		}
		return -1
	}
	for _, ts := range terms {
		for _, t := range ts {
			if j := col(t); j >= 0 {
				post[j] = nil
			}
		}
	}
	for i, d := range m.Docs {
		for _, j := range d.Idx {
			if p, ok := post[j]; ok {
				post[j] = append(p, int32(i))
			}
		}
	}
	var sum, wsum float64
	for c, ts := range terms {
		w := float64(sizes[c])
		if w == 0 {
			continue
		}
		wsum += w
		var ids []int32
		for _, t := range ts {
			if j := col(t); j >= 0 {
				ids = append(ids, j)
			}
		}
		if len(ids) < 2 || n == 0 {
			continue
		}
		var s float64
		pairs := 0
		for a := range ids {
			for b := a + 1; b < len(ids); b++ {
				s += npmi(post[ids[a]], post[ids[b]], m.Weight, n)
				pairs++
			}
		}
		sum += w * s / float64(pairs)
	}
	if wsum == 0 {
		return math.NaN()
	}
	return sum / wsum
}

// npmi of two terms given their ascending posting lists of rows, the rows
// weighing w (nil: 1 each), over n documents.
func npmi(a, b []int32, w []int32, n int) float64 {
	both, na, nb := 0, 0, 0
	for _, i := range a {
		na += weightAt(w, int(i))
	}
	for _, i := range b {
		nb += weightAt(w, int(i))
	}
	for i, j := 0, 0; i < len(a) && j < len(b); {
		switch {
		case a[i] < b[j]:
			i++
		case a[i] > b[j]:
			j++
		default:
			both += weightAt(w, int(a[i]))
			i++
			j++
		}
	}
	if both == 0 {
		return -1
	}
	nn := float64(n)
	pab := float64(both) / nn
	if pab == 1 {
		return 1
	}
	return math.Log(pab/(float64(na)/nn*float64(nb)/nn)) / -math.Log(pab)
}
