package cluster

import (
	"fmt"
	"math"
	"sort"
	"strings"
)

// Defaults of DescribeOptions.
const (
	DefaultDescribeTerms     = 10
	DefaultDescribeExemplars = 5
	DefaultLabelTerms        = 3
)

// LabelSep joins the top terms of a cluster into its label (the Chinese
// enumeration comma).
const LabelSep = "、"

// DescribeOptions configures Describe.
type DescribeOptions struct {
	Terms      int // distinctive terms per cluster; zero means DefaultDescribeTerms
	Exemplars  int // exemplar documents per cluster; zero means DefaultDescribeExemplars
	LabelTerms int // terms joined into the label; zero means DefaultLabelTerms
}

// Term is a distinctive term of a cluster.
type Term struct {
	Term  string
	Score float64 // z-score of the weighted log-odds ratio, cluster vs rest
	Count int     // occurrences in the cluster's documents
}

// Description summarises one cluster.
type Description struct {
	Cluster   int
	Size      int     // documents in the cluster
	Share     float64 // Size / len(labels), unclustered documents included
	Terms     []Term  // at most Terms, with Score > 0, by Score descending (ties: term order)
	Label     string  // the top LabelTerms terms joined by LabelSep; "" if none
	Exemplars []int   // document indices closest to the cluster mean, by cosine descending (ties: index)
}

// Describe summarises each cluster 0..max(labels) of a clustering of m's
// rows; documents labelled < 0 are skipped. m must be the TF-IDF matrix
// (its Vocab are terms) even when the clustering ran on an LSA matrix, and
// docs the term lists given to TFIDF.
//
// Distinctive terms are scored by the weighted log-odds ratio with an
// informative Dirichlet prior (Monroe, Colaresi & Quinn 2008, "Fightin'
// Words", Political Analysis 16:372, eq. 16–22), cluster i against all other
// clustered documents, counting raw occurrences of vocabulary terms:
//
//	δ_w = ln((y_wi+α_w)/(n_i+α₀−y_wi−α_w)) − ln((y_wj+α_w)/(n_j+α₀−y_wj−α_w))
//	σ²_w ≈ 1/(y_wi+α_w) + 1/(y_wj+α_w),   score = δ_w/σ_w
//
// with the prior α_w = y_w, α₀ = n: the whole corpus' counts (y_w of term w,
// n in total) as the informative prior, as in the paper's use of a
// background corpus. A weaker prior lets chance imbalances of frequent
// shared words outrank exclusive terms.
//
// A weighted matrix (Matrix.Weight) counts each row as its copies: sizes,
// shares and term counts; an exemplar is a row, so a repeated text is
// listed once.
//
// Exemplars are the members with the highest cosine to the cluster's mean
// row in m (computed from the labels, not from a Result's centroids, so any
// clustering can be described).
//
// It panics if len(labels) or len(docs) differs from len(m.Docs).
func Describe(m *Matrix, docs [][]string, labels []int, opt DescribeOptions) []Description {
	if len(labels) != len(m.Docs) || len(docs) != len(m.Docs) {
		panic(fmt.Sprintf("cluster: %d labels and %d documents for a %d-row matrix", len(labels), len(docs), len(m.Docs)))
	}
	if opt.Terms == 0 {
		opt.Terms = DefaultDescribeTerms
	}
	if opt.Exemplars == 0 {
		opt.Exemplars = DefaultDescribeExemplars
	}
	if opt.LabelTerms == 0 {
		opt.LabelTerms = DefaultLabelTerms
	}
	k := 0
	for _, l := range labels {
		k = max(k, l+1)
	}
	col := make(map[string]int, len(m.Vocab))
	for j, t := range m.Vocab {
		col[t] = j
	}
	v := m.Cols()
	counts := make([][]float64, k) // cluster × term
	for c := range counts {
		counts[c] = make([]float64, v)
	}
	total := make([]float64, v)
	clusterN := make([]float64, k)
	sizes := make([]int, k)
	var corpusN float64
	docsN := 0 // documents, copies of weighted rows included
	for d, l := range labels {
		w := weightAt(m.Weight, d)
		docsN += w
		if l < 0 {
			continue
		}
		sizes[l] += w
		fw := float64(w)
		for _, t := range docs[d] {
			if j, ok := col[t]; ok {
				counts[l][j] += fw
				total[j] += fw
				clusterN[l] += fw
				corpusN += fw
			}
		}
	}
	a0 := corpusN
	out := make([]Description, k)
	for c := range k {
		ds := Description{Cluster: c, Size: sizes[c]}
		if docsN > 0 {
			ds.Share = float64(sizes[c]) / float64(docsN)
		}
		if sizes[c] > 0 && corpusN > 0 {
			ni, nj := clusterN[c], corpusN-clusterN[c]
			var terms []Term
			for w := range v {
				if counts[c][w] == 0 {
					continue
				}
				yi, yj := counts[c][w], total[w]-counts[c][w]
				aw := a0 * total[w] / corpusN
				delta := math.Log((yi+aw)/(ni+a0-yi-aw)) - math.Log((yj+aw)/(nj+a0-yj-aw))
				z := delta / math.Sqrt(1/(yi+aw)+1/(yj+aw))
				if z > 0 && !math.IsInf(z, 0) && !math.IsNaN(z) {
					terms = append(terms, Term{Term: m.Vocab[w], Score: z, Count: int(yi)})
				}
			}
			sort.SliceStable(terms, func(a, b int) bool { return terms[a].Score > terms[b].Score })
			if len(terms) > opt.Terms {
				terms = terms[:opt.Terms]
			}
			ds.Terms = terms
			var top []string
			for _, t := range terms[:min(len(terms), opt.LabelTerms)] {
				top = append(top, t.Term)
			}
			ds.Label = strings.Join(top, LabelSep)
			ds.Exemplars = exemplars(m, labels, c, opt.Exemplars)
		}
		out[c] = ds
	}
	return out
}

// exemplars returns the n members of cluster c closest (cosine) to the
// normalised mean of its rows.
func exemplars(m *Matrix, labels []int, c, n int) []int {
	mean := make([]float64, m.Cols())
	var members []int
	for i, l := range labels {
		if l != c {
			continue
		}
		members = append(members, i)
		d := m.Docs[i]
		w := m.W(i)
		for p, t := range d.Idx {
			mean[t] += d.Val[p] * w
		}
	}
	normalize(mean)
	sim := make(map[int]float64, len(members))
	for _, i := range members {
		d := m.Docs[i]
		s := d.Dot(mean)
		if nn := math.Sqrt(sparseDot(d, d)); nn > 0 {
			s /= nn
		}
		sim[i] = s
	}
	sort.SliceStable(members, func(a, b int) bool { return sim[members[a]] > sim[members[b]] })
	return members[:min(n, len(members))]
}
