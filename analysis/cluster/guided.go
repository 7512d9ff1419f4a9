package cluster

import (
	"fmt"
	"sort"
)

// SeedFromDocs returns one guided starting centroid per group for
// KMeansOptions.Init: the L2-normalised mean of the rows of m listed in the
// group (for a codebook category, the documents the codebook coded with
// it). Duplicate and empty-row indices are allowed; each listing counts.
//
// It returns an error naming the group when an index is out of range or the
// group's rows are all empty.
func SeedFromDocs(m *Matrix, groups [][]int) ([][]float64, error) {
	out := make([][]float64, len(groups))
	for g, docs := range groups {
		c := make([]float64, m.Cols())
		for _, i := range docs {
			if i < 0 || i >= len(m.Docs) {
				return nil, fmt.Errorf("seed group %d: document %d out of range [0, %d)", g, i, len(m.Docs))
			}
			d := m.Docs[i]
			for p, t := range d.Idx {
				c[t] += d.Val[p]
			}
		}
		if !normalize(c) {
			return nil, fmt.Errorf("seed group %d: no document with terms", g)
		}
		out[g] = c
	}
	return out, nil
}

// SeedFromTerms returns one guided starting centroid per category for
// KMeansOptions.Init from term weights (for a codebook category, its
// keywords): the weight of each term found in m.Vocab, multiplied by the
// term's IDF when m has one, then L2-normalised. Terms outside the
// vocabulary are ignored.
//
// It returns an error naming the category when none of its terms with a
// positive weight is in the vocabulary.
func SeedFromTerms(m *Matrix, weights []map[string]float64) ([][]float64, error) {
	col := make(map[string]int, len(m.Vocab))
	for j, t := range m.Vocab {
		col[t] = j
	}
	out := make([][]float64, len(weights))
	for g, w := range weights {
		terms := make([]string, 0, len(w))
		for t := range w {
			terms = append(terms, t)
		}
		sort.Strings(terms) // fixed summation order
		c := make([]float64, m.Cols())
		for _, t := range terms {
			j, ok := col[t]
			if !ok || w[t] <= 0 {
				continue
			}
			c[j] = w[t]
			if m.IDF != nil {
				c[j] *= m.IDF[j]
			}
		}
		if !normalize(c) {
			return nil, fmt.Errorf("seed category %d: none of its %d terms is in the vocabulary", g, len(w))
		}
		out[g] = c
	}
	return out, nil
}
