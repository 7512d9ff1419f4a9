package cluster

import (
	"context"
	"fmt"
	"math"
)

// Method names a clustering method.
type Method string

// Clustering methods.
const (
	// MethodKMeans is spherical k-means on the TF-IDF rows.
	MethodKMeans Method = "kmeans"
	// MethodLSA is spherical k-means on the LSA projection of the TF-IDF rows.
	MethodLSA Method = "lsa"
	// MethodGSDMM is the Dirichlet Multinomial Mixture sampled by GSDMM on
	// the raw term counts; K is the largest number of clusters.
	MethodGSDMM Method = "gsdmm"
	// MethodBTM is the Biterm Topic Model on the term sequences, each
	// document assigned its most probable topic; K is the number of topics.
	MethodBTM Method = "btm"
)

// Data holds the representations of one corpus that the methods need:
// the TF-IDF matrix (kmeans, and every description), its LSA projection
// (lsa; nil when not computed), the term counts (gsdmm) and the term ids
// in text order (btm). All have one row per document, in the same order.
type Data struct {
	TFIDF *Matrix
	LSA   *Matrix
	// Bags count terms of the TF-IDF vocabulary, or of a vocabulary of
	// BagTerms terms of its own (BagData, BagDataWithChars); BagTerms 0 means
	// the TF-IDF vocabulary.
	Bags     []Bag
	BagTerms int
	Seqs     [][]int32
}

// Subset returns the rows idx of d (in that order), sharing storage.
// counts, when not nil, gives the rows new weights (how many of each row's
// documents the subset keeps, as SampleCopies returns them); nil keeps the
// rows' own weights.
func (d *Data) Subset(idx []int, counts []int32) *Data {
	w := counts
	if w == nil {
		w = subWeights(d.TFIDF.Weight, idx)
	}
	out := &Data{TFIDF: subMatrix(d.TFIDF, idx, w), BagTerms: d.BagTerms}
	if d.LSA != nil {
		out.LSA = subMatrix(d.LSA, idx, w)
	}
	if d.Bags != nil {
		out.Bags = make([]Bag, len(idx))
		for p, i := range idx {
			out.Bags[p] = d.Bags[i]
		}
	}
	if d.Seqs != nil {
		out.Seqs = make([][]int32, len(idx))
		for p, i := range idx {
			out.Seqs[p] = d.Seqs[i]
		}
	}
	return out
}

func subMatrix(m *Matrix, idx []int, w []int32) *Matrix {
	s := &Matrix{Vocab: m.Vocab, DF: m.DF, IDF: m.IDF, Docs: make([]SparseVec, len(idx)), Weight: w}
	for p, i := range idx {
		s.Docs[p] = m.Docs[i]
	}
	return s
}

// FitOptions configures Fit.
type FitOptions struct {
	Method Method
	// K is the number of clusters (kmeans, lsa) or the largest number of
	// clusters (gsdmm).
	K      int
	KMeans KMeansOptions // Seed and Workers are used by every method; K is ignored
	GSDMM  GSDMMOptions  // K, Seed and Workers are ignored
	BTM    BTMOptions    // K and Seed are ignored
}

// Fit clusters d with the chosen method and returns a label per row in
// 0..k-1 (clusters numbered as the method numbers them, possibly with
// empty ones for kmeans) or -1 for documents left out (empty rows), and the
// number of clusters k. KMeans is asked for min(K, non-empty documents)
// clusters.
//
// Weighted rows (d.TFIDF.Weight) are clustered as their copies: k-means
// weighs them (KMeans); GSDMM and BTM, whose samplers move one document at
// a time, run on the copies (bags and sequences shared, Init repeated) and
// each row takes the label most of its copies got (ties: the lower label).
func Fit(ctx context.Context, d *Data, opt FitOptions) ([]int, int, error) {
	switch opt.Method {
	case MethodKMeans, MethodLSA:
		m := d.TFIDF
		if opt.Method == MethodLSA {
			if d.LSA == nil {
				return nil, 0, fmt.Errorf("lsa method without an LSA projection")
			}
			m = d.LSA
		}
		ko := opt.KMeans
		ko.K = min(opt.K, nonEmpty(m))
		if ko.K < 1 {
			return nil, 0, ErrTooFewDocs
		}
		res, err := KMeans(ctx, m, ko)
		if err != nil {
			return nil, 0, err
		}
		return res.Labels, ko.K, nil
	case MethodGSDMM:
		go2 := opt.GSDMM
		go2.K, go2.Seed, go2.Workers = opt.K, opt.KMeans.Seed, opt.KMeans.Workers
		terms := d.TFIDF.Cols()
		if d.BagTerms > 0 {
			terms = d.BagTerms
		}
		copies := copiesOf(d.TFIDF.Weight)
		bags := d.Bags
		if copies != nil {
			bags = pickRows(d.Bags, copies)
			if go2.Init != nil {
				go2.Init = pickRows(go2.Init, copies)
			}
		}
		res, err := GSDMM(ctx, bags, terms, go2)
		if err != nil {
			return nil, 0, err
		}
		labels, k := res.Labels, len(res.Sizes)
		if copies != nil {
			labels, k = majority(labels, copies, len(d.Bags))
		}
		return labels, k, nil
	case MethodBTM:
		if d.Seqs == nil {
			return nil, 0, fmt.Errorf("btm method without term sequences")
		}
		bo := opt.BTM
		bo.K, bo.Seed = opt.K, opt.KMeans.Seed
		copies := copiesOf(d.TFIDF.Weight)
		seqs := d.Seqs
		if copies != nil {
			seqs = pickRows(d.Seqs, copies)
		}
		res, err := BTM(ctx, seqs, d.TFIDF.Cols(), bo)
		if err != nil {
			return nil, 0, err
		}
		labels, k := res.Labels, len(res.Sizes)
		if copies != nil {
			labels, k = majority(labels, copies, len(d.Seqs))
		}
		return labels, k, nil
	}
	return nil, 0, fmt.Errorf("unknown clustering method %q", opt.Method)
}

func nonEmpty(m *Matrix) int {
	n := 0
	for _, d := range m.Docs {
		if len(d.Idx) > 0 {
			n++
		}
	}
	return n
}

// SphericalObjective returns Σ (1 − cos(x_i, c_label(i))) over the
// documents with label >= 0, c being the normalised mean of the cluster's
// rows of m: the spherical k-means loss of any labelling, so methods can be
// compared on one scale. It panics if len(labels) != len(m.Docs).
func SphericalObjective(m *Matrix, labels []int) float64 {
	if len(labels) != len(m.Docs) {
		panic("cluster: SphericalObjective: labels and rows differ in length")
	}
	k := 0
	for _, l := range labels {
		k = max(k, l+1)
	}
	dim := m.Cols()
	cent := make([]float64, k*dim)
	for i, d := range m.Docs {
		if l := labels[i]; l >= 0 {
			row := cent[l*dim : (l+1)*dim]
			w := m.W(i)
			for p, j := range d.Idx {
				row[j] += d.Val[p] * w
			}
		}
	}
	for c := range k {
		normalize(cent[c*dim : (c+1)*dim])
	}
	var obj float64
	for i, d := range m.Docs {
		if l := labels[i]; l >= 0 {
			obj += (1 - d.Dot(cent[l*dim:(l+1)*dim])) * m.W(i)
		}
	}
	if math.IsNaN(obj) {
		return math.NaN()
	}
	return obj
}

// copiesOf returns the row of every copy of weighted rows (row i repeated
// w[i] times, in row order), or nil when every row stands for one document
// (nil weights, or all 1).
func copiesOf(w []int32) []int {
	if w == nil {
		return nil
	}
	n, ones := 0, true
	for _, c := range w {
		n += int(c)
		ones = ones && c == 1
	}
	if ones {
		return nil
	}
	out := make([]int, 0, n)
	for i, c := range w {
		for range c {
			out = append(out, i)
		}
	}
	return out
}

// pickRows returns x[rows[0]], x[rows[1]], … (elements shared, not copied).
func pickRows[T any](x []T, rows []int) []T {
	out := make([]T, len(rows))
	for p, i := range rows {
		out[p] = x[i]
	}
	return out
}

// majority gives each of n rows the label most of its copies have (copy p
// is a copy of row copies[p] and has label labels[p]; ties: the lower
// label; −1 only when every copy has −1), with the labels renumbered
// 0..k−1 in order of first row.
func majority(labels, copies []int, n int) ([]int, int) {
	out := make([]int, n)
	for i := range out {
		out[i] = -1
	}
	count := map[int]int{}
	for p := 0; p < len(copies); {
		q := p
		for q < len(copies) && copies[q] == copies[p] {
			q++
		}
		clear(count)
		best, bestN := -1, 0
		for _, l := range labels[p:q] {
			if l < 0 {
				continue
			}
			count[l]++
			if c := count[l]; c > bestN || (c == bestN && l < best) {
				best, bestN = l, c
			}
		}
		out[copies[p]] = best
		p = q
	}
	k := 0
	for _, l := range out {
		k = max(k, l+1)
	}
	out, sizes := renumber(out, k)
	return out, len(sizes)
}
