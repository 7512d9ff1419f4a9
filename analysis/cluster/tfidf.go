package cluster

import (
	"errors"
	"fmt"
	"math"
	"slices"
	"sort"
)

// ErrNoTerms is returned by TFIDF when no term survives the document
// frequency and feature limits, so no document has a vector.
var ErrNoTerms = errors.New("no term survives the document frequency limits")

// Default TF-IDF limits, matching the peer Python pipeline (sklearn
// TfidfVectorizer with min_df=2, max_df=0.95).
const (
	DefaultMinDF = 2
	DefaultMaxDF = 0.95
)

// TFIDFOptions sets the vocabulary limits of TFIDF.
type TFIDFOptions struct {
	// MinDF drops terms that occur in fewer documents than this. A value in
	// (0, 1) is a proportion of all documents, a value >= 1 an absolute count.
	// Zero means DefaultMinDF (2 documents); use 1 to keep every term.
	MinDF float64
	// MaxDF drops terms that occur in more documents than this. A value in
	// (0, 1] is a proportion of all documents (1 keeps every term), a value
	// > 1 an absolute count. Zero means DefaultMaxDF (95% of documents).
	MaxDF float64
	// MaxFeatures, when > 0, keeps only the MaxFeatures terms with the
	// highest total count over the corpus (ties: lexically smaller term
	// first), after the document frequency limits. Zero keeps all.
	MaxFeatures int
	// Weighting is how a term's weight in a document is computed before the
	// L2 normalisation: WeightTFIDF (the zero value), WeightBM25 or WeightTF.
	Weighting Weighting
	// Counts, when not nil, gives for each of the docs the number of
	// identical documents it stands for (>= 1): document frequencies,
	// totals and n count every copy, and the matrix keeps the counts as its
	// Weight, so the result is that of the expanded corpus with one row per
	// distinct document. Nil counts every document once.
	Counts []int32
}

// Weighting names a term weighting scheme of TFIDF.
type Weighting string

// Term weighting schemes.
const (
	// WeightTFIDF is (1 + ln count)·idf (sklearn's sublinear tf-idf).
	WeightTFIDF Weighting = "tfidf"
	// WeightBM25 is Okapi BM25 (Robertson & Zaragoza 2009, eq. 3.15 with
	// k1 = 1.2, b = 0.75): idf_bm25 · c(k1+1) / (c + k1(1 − b + b·dl/avgdl)),
	// idf_bm25 = ln(1 + (n − df + 0.5)/(df + 0.5)), dl the document's count
	// of vocabulary terms and avgdl its mean over the documents.
	WeightBM25 Weighting = "bm25"
	// WeightTF is the raw count (no idf): every term counts as often as it
	// occurs.
	WeightTF Weighting = "tf"
)

// ErrDFLimits is returned by TFIDF when the resolved maximum document
// frequency is below the minimum, as with max_df 0.95 of 2 documents.
var ErrDFLimits = errors.New("document frequency limits leave no range")

// SparseVec is one document row: column ids in strictly increasing order and
// their weights. Idx and Val have the same length; an empty vector has none.
type SparseVec struct {
	Idx []int32
	Val []float64
}

// Dot returns the inner product of v with the dense vector c, indexed by
// column id. It panics if an id is out of range of c.
func (v SparseVec) Dot(c []float64) float64 {
	var s float64
	for k, j := range v.Idx {
		s += v.Val[k] * c[j]
	}
	return s
}

// Matrix is a document-by-column matrix stored as one sparse row per
// document, in input order.
//
// For a TF-IDF matrix the columns are terms: Vocab holds the terms sorted in
// byte order (column id = position), DF the number of documents containing
// each term and IDF its inverse document frequency. For an LSA matrix the
// columns are latent dimensions named "lsa1", "lsa2", …, and DF and IDF are
// nil.
//
// Weight, when not nil, holds per row the number of identical documents
// the row stands for (survey answers repeat: each distinct text is one row
// with its count). Every function of this package reads a weighted matrix
// as the corpus with each row repeated Weight times: k-means sums, sizes
// and objectives, document frequencies, coherence, descriptions and
// stability all count copies. Nil weighs every row 1.
type Matrix struct {
	Vocab  []string
	Docs   []SparseVec
	DF     []int
	IDF    []float64
	Weight []int32
}

// Cols returns the number of columns (terms or latent dimensions).
func (m *Matrix) Cols() int { return len(m.Vocab) }

// TFIDF weights the documents' terms and returns one L2-normalised sparse
// row per document (same order as docs), plus the indices, ascending, of the
// documents left without any term (empty input or every term pruned); their
// rows are empty and KMeans labels them -1.
//
// Weights follow sklearn's TfidfVectorizer(sublinear_tf=True,
// smooth_idf=True, norm="l2") (scikit-learn user guide §6.2.3.4):
//
//	tf(t,d)  = 1 + ln(count of t in d)
//	idf(t)   = ln((1 + n) / (1 + df(t))) + 1
//	w(t,d)   = tf(t,d)·idf(t) / ‖tf(·,d)·idf(·)‖₂
//
// where n counts all documents, empty ones included. A term is kept when
// minCount <= df(t) <= maxCount, the limits being resolved from opt (a
// proportion p gives p·n, not rounded). Empty strings are not terms and are
// ignored. Vocabulary ids are positions in byte-sorted order, so the result
// does not depend on document order beyond the rows themselves.
//
// It returns an error when the options are negative, when the resolved
// maximum is below the minimum, and ErrNoTerms when no term survives.
func TFIDF(docs [][]string, opt TFIDFOptions) (*Matrix, []int, error) {
	n, minCount, maxCount, err := opt.limits(len(docs))
	if err != nil {
		return nil, nil, err
	}
	c := countTerms(len(docs), func(d int, emit func(string)) {
		for _, t := range docs[d] {
			emit(t)
		}
	}, opt.Counts, true)
	keep := c.vocabulary(minCount, maxCount, opt.MaxFeatures)
	if len(keep) == 0 {
		return nil, nil, ErrNoTerms
	}
	terms, df, runs, start := c.terms, c.df, c.runs, c.start
	final := make([]int32, len(terms))
	for i := range final {
		final[i] = -1
	}
	m := &Matrix{
		Vocab: make([]string, len(keep)),
		DF:    make([]int, len(keep)),
		IDF:   make([]float64, len(keep)),
		Docs:  make([]SparseVec, len(docs)),
	}
	if opt.Counts != nil {
		m.Weight = slices.Clone(opt.Counts)
	}
	for col, id := range keep {
		final[id] = int32(col)
		m.Vocab[col] = terms[id]
		m.DF[col] = df[id]
		m.IDF[col] = math.Log((1+n)/(1+float64(df[id]))) + 1
	}

	// Pass 2: weights into two shared backing arrays.
	nnz := 0
	for _, r := range runs {
		if final[r.id] >= 0 {
			nnz++
		}
	}
	idxBuf := make([]int32, 0, nnz)
	valBuf := make([]float64, 0, nnz)
	var empty []int
	type entry struct {
		col int32
		w   float64
	}
	var row []entry
	var avgdl float64
	if opt.Weighting == WeightBM25 {
		for d := range docs {
			for _, r := range runs[start[d]:start[d+1]] {
				if final[r.id] >= 0 {
					avgdl += float64(r.count) * m.W(d)
				}
			}
		}
		avgdl /= n
	}
	const k1, b = 1.2, 0.75
	for d := range docs {
		row = row[:0]
		dl := 0.0
		for _, r := range runs[start[d]:start[d+1]] {
			if c := final[r.id]; c >= 0 {
				dl += float64(r.count)
			}
		}
		for _, r := range runs[start[d]:start[d+1]] {
			c := final[r.id]
			if c < 0 {
				continue
			}
			cnt := float64(r.count)
			var w float64
			switch opt.Weighting {
			case WeightBM25:
				df := float64(m.DF[c])
				w = math.Log(1+(n-df+0.5)/(df+0.5)) * cnt * (k1 + 1) / (cnt + k1*(1-b+b*dl/avgdl))
			case WeightTF:
				w = cnt
			default:
				w = (1 + math.Log(cnt)) * m.IDF[c]
			}
			row = append(row, entry{c, w})
		}
		if len(row) == 0 {
			empty = append(empty, d)
			continue
		}
		// Temporary ids are in first-seen order, not column order.
		slices.SortFunc(row, func(a, b entry) int { return int(a.col - b.col) })
		var ss float64
		for _, e := range row {
			ss += e.w * e.w
		}
		norm := math.Sqrt(ss)
		lo := len(idxBuf)
		for _, e := range row {
			idxBuf = append(idxBuf, e.col)
			valBuf = append(valBuf, e.w/norm)
		}
		m.Docs[d] = SparseVec{Idx: idxBuf[lo:len(idxBuf):len(idxBuf)], Val: valBuf[lo:len(valBuf):len(valBuf)]}
	}
	return m, empty, nil
}

// termCounts is the first pass of TFIDF and BagData over a corpus: terms
// numbered in first-seen order, their document frequencies and total
// counts (each document counting as many times as its weight), and, when
// asked for, per document its (term, count) runs, sorted by term id, in
// one buffer.
type termCounts struct {
	terms     []string
	ids       map[string]int32 // id of each term
	df, total []int
	runs      []termRun
	start     []int // runs of document d: runs[start[d]:start[d+1]]
	nruns     int   // number of runs, kept or not
}

type termRun struct{ id, count int32 }

// countTerms counts the terms that each(d, emit) emits for documents
// 0..n-1; empty strings are not terms. counts weighs the documents (nil:
// one each). With keepRuns false the runs are only counted: a caller that
// emits the documents again saves their memory (bagData).
func countTerms(n int, each func(d int, emit func(string)), counts []int32, keepRuns bool) *termCounts {
	c := &termCounts{ids: make(map[string]int32)}
	if keepRuns {
		c.start = make([]int, n+1)
	}
	var ids []int32
	emit := func(t string) {
		if t == "" {
			return
		}
		id, ok := c.ids[t]
		if !ok {
			id = int32(len(c.terms))
			c.ids[t] = id
			c.terms = append(c.terms, t)
			c.df = append(c.df, 0)
			c.total = append(c.total, 0)
		}
		ids = append(ids, id)
	}
	for d := range n {
		ids = ids[:0]
		each(d, emit)
		slices.Sort(ids)
		w := weightAt(counts, d)
		for i := 0; i < len(ids); {
			j := i + 1
			for j < len(ids) && ids[j] == ids[i] {
				j++
			}
			if keepRuns {
				c.runs = append(c.runs, termRun{ids[i], int32(j - i)})
			}
			c.nruns++
			c.df[ids[i]] += w
			c.total[ids[i]] += w * (j - i)
			i = j
		}
		if keepRuns {
			c.start[d+1] = len(c.runs)
		}
	}
	return c
}

// vocabulary returns the ids of the terms whose document frequency lies in
// [minCount, maxCount], the maxFeatures most frequent of them when
// maxFeatures > 0 (total count; ties: byte order), in byte order of the
// terms (the column order of a Matrix).
func (c *termCounts) vocabulary(minCount, maxCount float64, maxFeatures int) []int32 {
	var keep []int32
	for id := range c.terms {
		if f := float64(c.df[id]); f >= minCount && f <= maxCount {
			keep = append(keep, int32(id))
		}
	}
	if maxFeatures > 0 && len(keep) > maxFeatures {
		sort.Slice(keep, func(a, b int) bool {
			ta, tb := c.total[keep[a]], c.total[keep[b]]
			if ta != tb {
				return ta > tb
			}
			return c.terms[keep[a]] < c.terms[keep[b]]
		})
		keep = keep[:maxFeatures]
	}
	sort.Slice(keep, func(a, b int) bool { return c.terms[keep[a]] < c.terms[keep[b]] })
	return keep
}

// limits checks opt for nDocs documents and resolves it: the number of
// documents n (Counts summed), and the document-frequency range a term
// must lie in.
func (opt TFIDFOptions) limits(nDocs int) (n, minCount, maxCount float64, err error) {
	minDF, maxDF := opt.MinDF, opt.MaxDF
	if minDF == 0 {
		minDF = DefaultMinDF
	}
	if maxDF == 0 {
		maxDF = DefaultMaxDF
	}
	switch opt.Weighting {
	case "", WeightTFIDF, WeightBM25, WeightTF:
	default:
		return 0, 0, 0, fmt.Errorf("unknown term weighting %q", opt.Weighting)
	}
	if minDF < 0 || maxDF < 0 || opt.MaxFeatures < 0 || math.IsNaN(minDF) || math.IsNaN(maxDF) {
		return 0, 0, 0, fmt.Errorf("tf-idf options must not be negative: min_df %v, max_df %v, max_features %d", opt.MinDF, opt.MaxDF, opt.MaxFeatures)
	}
	if opt.Counts != nil && len(opt.Counts) != nDocs {
		return 0, 0, 0, fmt.Errorf("%d counts for %d documents", len(opt.Counts), nDocs)
	}
	n = float64(nDocs)
	if opt.Counts != nil {
		n = 0
		for _, c := range opt.Counts {
			if c < 1 {
				return 0, 0, 0, fmt.Errorf("document counts must be at least 1, got %d", c)
			}
			n += float64(c)
		}
	}
	minCount = minDF
	if minDF < 1 {
		minCount = minDF * n
	}
	maxCount = maxDF
	if maxDF <= 1 {
		maxCount = maxDF * n
	}
	if maxCount < minCount {
		return 0, 0, 0, fmt.Errorf("%w: max_df %v resolves to %v documents, below min_df %v (%v documents)", ErrDFLimits, maxDF, maxCount, minDF, minCount)
	}
	return n, minCount, maxCount, nil
}
