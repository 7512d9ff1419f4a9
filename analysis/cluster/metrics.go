package cluster

import (
	"fmt"
	"math"
	"sort"
)

// contingency counts co-occurrences of the labels of a and b. Label values
// are arbitrary ints (negative ones included); rows and columns follow the
// sorted distinct values. It panics if the lengths differ.
func contingency(a, b []int) (table [][]float64, rows, cols []float64) {
	if len(a) != len(b) {
		panic(fmt.Sprintf("cluster: label vectors of different lengths %d and %d", len(a), len(b)))
	}
	ia, ib := index(a), index(b)
	table = make([][]float64, len(ia))
	for i := range table {
		table[i] = make([]float64, len(ib))
	}
	rows = make([]float64, len(ia))
	cols = make([]float64, len(ib))
	for i := range a {
		r, c := ia[a[i]], ib[b[i]]
		table[r][c]++
		rows[r]++
		cols[c]++
	}
	return table, rows, cols
}

// index maps each distinct label to its rank among the sorted distinct labels.
func index(x []int) map[int]int {
	set := make(map[int]int)
	for _, v := range x {
		set[v] = 0
	}
	keys := make([]int, 0, len(set))
	for v := range set {
		keys = append(keys, v)
	}
	sort.Ints(keys)
	for i, v := range keys {
		set[v] = i
	}
	return set
}

func entropy(counts []float64, n float64) float64 {
	var h float64
	for _, c := range counts {
		if c > 0 {
			p := c / n
			h -= p * math.Log(p)
		}
	}
	return h
}

// NMI returns the normalised mutual information of two labellings of the
// same items, with the arithmetic-mean normaliser (sklearn's default,
// normalized_mutual_info_score(average_method="arithmetic"); Vinh, Epps &
// Bailey 2010):
//
//	NMI = I(A;B) / ((H(A) + H(B)) / 2)
//
// with natural logarithms. As in sklearn, two labellings that each put every
// item in a single cluster (or two empty labellings) score 1, and otherwise
// I = 0 scores 0. The value lies in [0, 1] and is symmetric. It panics if
// the lengths differ.
func NMI(a, b []int) float64 {
	table, rows, cols := contingency(a, b)
	if len(rows) == len(cols) && len(rows) <= 1 {
		return 1
	}
	n := float64(len(a))
	var mi float64
	for r, row := range table {
		for c, nij := range row {
			if nij > 0 {
				mi += nij / n * (math.Log(nij*n) - math.Log(rows[r]*cols[c]))
			}
		}
	}
	if mi <= 0 {
		return 0
	}
	nmi := mi / ((entropy(rows, n) + entropy(cols, n)) / 2)
	return min(nmi, 1)
}

// ARI returns the adjusted Rand index of two labellings of the same items
// (Hubert & Arabie 1985, "Comparing partitions", J. Classification 2:193):
//
//	ARI = (Σᵢⱼ C(nᵢⱼ,2) − E) / (½[Σᵢ C(aᵢ,2) + Σⱼ C(bⱼ,2)] − E),
//	E   = Σᵢ C(aᵢ,2)·Σⱼ C(bⱼ,2) / C(n,2)
//
// It is 1 for identical partitions, about 0 for independent ones, and can be
// negative. As in sklearn's adjusted_rand_score, a zero denominator (e.g.
// both labellings trivial, or fewer than two items) gives 1. It panics if
// the lengths differ.
func ARI(a, b []int) float64 {
	table, rows, cols := contingency(a, b)
	comb2 := func(x float64) float64 { return x * (x - 1) / 2 }
	var sumIJ, sumA, sumB float64
	for _, row := range table {
		for _, nij := range row {
			sumIJ += comb2(nij)
		}
	}
	for _, x := range rows {
		sumA += comb2(x)
	}
	for _, x := range cols {
		sumB += comb2(x)
	}
	n := float64(len(a))
	if n < 2 {
		return 1
	}
	expected := sumA * sumB / comb2(n)
	den := (sumA+sumB)/2 - expected
	if den == 0 {
		return 1
	}
	return (sumIJ - expected) / den
}

// Purity returns the share of items whose predicted cluster's majority true
// class is their own class (Manning, Raghavan & Schütze 2008, Introduction
// to Information Retrieval, §16.3):
//
//	purity = (1/n) Σ_k maxⱼ |ω_k ∩ c_j|
//
// It is 0 for empty input and panics if the lengths differ.
func Purity(pred, truth []int) float64 {
	if len(pred) == 0 {
		if len(truth) != 0 {
			panic(fmt.Sprintf("cluster: label vectors of different lengths %d and %d", len(pred), len(truth)))
		}
		return 0
	}
	table, _, _ := contingency(pred, truth)
	var s float64
	for _, row := range table {
		var best float64
		for _, c := range row {
			best = max(best, c)
		}
		s += best
	}
	return s / float64(len(pred))
}
