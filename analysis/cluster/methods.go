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
	// BagTerms terms of its own (BagData with WithChars); BagTerms 0 means
	// the TF-IDF vocabulary.
	Bags     []Bag
	BagTerms int
	Seqs     [][]int32
}

// Subset returns the rows idx of d (in that order), sharing storage.
func (d *Data) Subset(idx []int) *Data {
	out := &Data{TFIDF: subMatrix(d.TFIDF, idx), BagTerms: d.BagTerms}
	if d.LSA != nil {
		out.LSA = subMatrix(d.LSA, idx)
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

func subMatrix(m *Matrix, idx []int) *Matrix {
	s := &Matrix{Vocab: m.Vocab, DF: m.DF, IDF: m.IDF, Docs: make([]SparseVec, len(idx))}
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

// Fit clusters d with the chosen method and returns a label per document in
// 0..k-1 (clusters numbered as the method numbers them, possibly with
// empty ones for kmeans) or -1 for documents left out (empty rows), and the
// number of clusters k. KMeans is asked for min(K, non-empty documents)
// clusters.
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
		res, err := GSDMM(ctx, d.Bags, terms, go2)
		if err != nil {
			return nil, 0, err
		}
		return res.Labels, len(res.Sizes), nil
	case MethodBTM:
		if d.Seqs == nil {
			return nil, 0, fmt.Errorf("btm method without term sequences")
		}
		bo := opt.BTM
		bo.K, bo.Seed = opt.K, opt.KMeans.Seed
		res, err := BTM(ctx, d.Seqs, d.TFIDF.Cols(), bo)
		if err != nil {
			return nil, 0, err
		}
		return res.Labels, len(res.Sizes), nil
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
			for p, j := range d.Idx {
				row[j] += d.Val[p]
			}
		}
	}
	for c := range k {
		normalize(cent[c*dim : (c+1)*dim])
	}
	var obj float64
	for i, d := range m.Docs {
		if l := labels[i]; l >= 0 {
			obj += 1 - d.Dot(cent[l*dim:(l+1)*dim])
		}
	}
	if math.IsNaN(obj) {
		return math.NaN()
	}
	return obj
}
