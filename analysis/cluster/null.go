package cluster

import "math/rand/v2"

// PermuteTerms returns a structureless copy of docs for a null reference
// (Lange, Roth, Braun & Buhmann 2004, "Stability-based validation of
// clustering solutions", Neural Computation 16:1299, §4: the stability of
// a clustering is read against the stability the same procedure reaches on
// data without cluster structure). Every term occurrence of docs is pooled
// and the pool is shuffled (Fisher–Yates, rand.NewPCG(seed, 3)) and dealt
// back in document order: each document keeps its length, each term its
// total count, and any co-occurrence beyond chance is gone. Empty strings
// (gap markers) stay where they are and are not pooled. docs is not
// modified.
func PermuteTerms(docs [][]string, seed uint64) [][]string {
	var pool []string
	for _, d := range docs {
		for _, t := range d {
			if t != "" {
				pool = append(pool, t)
			}
		}
	}
	r := rand.New(rand.NewPCG(seed, 3))
	for i := len(pool) - 1; i > 0; i-- {
		j := r.IntN(i + 1)
		pool[i], pool[j] = pool[j], pool[i]
	}
	out := make([][]string, len(docs))
	next := 0
	for i, d := range docs {
		out[i] = make([]string, len(d))
		for j, t := range d {
			if t != "" {
				out[i][j] = pool[next]
				next++
			}
		}
	}
	return out
}
