package cluster

import (
	"context"
	"math"
	"reflect"
	"slices"
	"testing"
)

// weightedCorpus returns distinct documents with counts 1..4 (a survey's
// repeated answers) and the same corpus expanded, each document repeated
// its count times in place, with expand[p] the distinct row of copy p.
func weightedCorpus(topics, n int, seed uint64) (docs [][]string, counts []int32, expanded [][]string, expand []int) {
	docs, _ = topicDocs(topics, n, seed)
	counts = make([]int32, len(docs))
	for i := range docs {
		counts[i] = int32(1 + (i*7+3)%4)
		for range counts[i] {
			expanded = append(expanded, docs[i])
			expand = append(expand, i)
		}
	}
	return docs, counts, expanded, expand
}

// weightedAndExpanded returns the TF-IDF matrices of the weighted corpus
// and of its expansion.
func weightedAndExpanded(t *testing.T, docs [][]string, counts []int32, expanded [][]string) (w, full *Matrix) {
	t.Helper()
	w, _, err := TFIDF(docs, TFIDFOptions{Counts: counts})
	if err != nil {
		t.Fatal(err)
	}
	full, _, err = TFIDF(expanded, TFIDFOptions{})
	if err != nil {
		t.Fatal(err)
	}
	return w, full
}

func near(a, b, tol float64) bool {
	return math.Abs(a-b) <= tol*(1+math.Abs(a)+math.Abs(b))
}

func TestTFIDFCountsEqualExpanded(t *testing.T) {
	docs, counts, expanded, expand := weightedCorpus(3, 60, 5)
	for _, wt := range []Weighting{WeightTFIDF, WeightBM25, WeightTF} {
		opt := TFIDFOptions{MinDF: 3, MaxDF: 0.5, Weighting: wt}
		full, _, err := TFIDF(expanded, opt)
		if err != nil {
			t.Fatal(err)
		}
		opt.Counts = counts
		w, _, err := TFIDF(docs, opt)
		if err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(w.Vocab, full.Vocab) || !slices.Equal(w.DF, full.DF) {
			t.Fatalf("%s: vocabulary or document frequencies differ from the expanded corpus", wt)
		}
		for j := range w.IDF {
			if !near(w.IDF[j], full.IDF[j], 1e-12) {
				t.Fatalf("%s: idf[%d] = %v, expanded %v", wt, j, w.IDF[j], full.IDF[j])
			}
		}
		for p, i := range expand {
			a, b := w.Docs[i], full.Docs[p]
			if !slices.Equal(a.Idx, b.Idx) {
				t.Fatalf("%s: row %d terms differ from its copy %d", wt, i, p)
			}
			for q := range a.Val {
				if !near(a.Val[q], b.Val[q], 1e-12) {
					t.Fatalf("%s: row %d weight %d = %v, copy %v", wt, i, q, a.Val[q], b.Val[q])
				}
			}
		}
		if !slices.Equal(w.Weight, counts) {
			t.Fatalf("%s: matrix weights %v, want the counts", wt, w.Weight[:5])
		}
	}
	if _, _, err := TFIDF(docs, TFIDFOptions{Counts: counts[:3]}); err == nil {
		t.Error("counts of the wrong length were accepted")
	}
	bad := slices.Clone(counts)
	bad[2] = 0
	if _, _, err := TFIDF(docs, TFIDFOptions{Counts: bad}); err == nil {
		t.Error("a zero count was accepted")
	}
}

// expandLabels gives every copy its row's label.
func expandLabels(labels, expand []int) []int {
	out := make([]int, len(expand))
	for p, i := range expand {
		out[p] = labels[i]
	}
	return out
}

func TestWeightedStatisticsEqualExpanded(t *testing.T) {
	docs, counts, expanded, expand := weightedCorpus(3, 90, 7)
	w, full := weightedAndExpanded(t, docs, counts, expanded)
	res, err := KMeans(context.Background(), w, KMeansOptions{K: 3, Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	fl := expandLabels(res.Labels, expand)

	// The k-means objective and sizes are those of the expanded corpus.
	if got, want := res.Objective, SphericalObjective(full, fl); !near(got, want, 1e-9) {
		t.Errorf("weighted objective %v, expanded %v", got, want)
	}
	if got, want := SphericalObjective(w, res.Labels), SphericalObjective(full, fl); !near(got, want, 1e-9) {
		t.Errorf("SphericalObjective weighted %v, expanded %v", got, want)
	}
	sizes := make([]int, 3)
	for _, l := range fl {
		sizes[l]++
	}
	if !slices.Equal(res.Sizes, sizes) {
		t.Errorf("sizes %v, expanded %v", res.Sizes, sizes)
	}

	// Descriptions: sizes, shares, terms and scores.
	dw := Describe(w, docs, res.Labels, DescribeOptions{})
	df := Describe(full, expanded, fl, DescribeOptions{})
	for c := range dw {
		if dw[c].Size != df[c].Size || !near(dw[c].Share, df[c].Share, 1e-12) || dw[c].Label != df[c].Label || len(dw[c].Terms) != len(df[c].Terms) {
			t.Fatalf("cluster %d: weighted %+v, expanded %+v", c, dw[c], df[c])
		}
		for j := range dw[c].Terms {
			a, b := dw[c].Terms[j], df[c].Terms[j]
			if a.Term != b.Term || a.Count != b.Count || !near(a.Score, b.Score, 1e-9) {
				t.Fatalf("cluster %d term %d: weighted %+v, expanded %+v", c, j, a, b)
			}
		}
		// An exemplar is a row; its copies are one exemplar.
		for _, e := range dw[c].Exemplars {
			if res.Labels[e] != c {
				t.Fatalf("cluster %d: exemplar %d is in cluster %d", c, e, res.Labels[e])
			}
		}
	}

	// Coherence of the clusters' terms.
	terms := make([][]string, len(dw))
	sz := make([]int, len(dw))
	for c, d := range dw {
		sz[c] = d.Size
		for _, tm := range d.Terms {
			terms[c] = append(terms[c], tm.Term)
		}
	}
	if got, want := Coherence(w, terms, sz), Coherence(full, terms, sz); !near(got, want, 1e-12) {
		t.Errorf("coherence weighted %v, expanded %v", got, want)
	}

	// Silhouette over all documents.
	if got, want := Silhouette(w, res.Labels, 0, 1), Silhouette(full, fl, 0, 1); !near(got, want, 1e-9) {
		t.Errorf("silhouette weighted %v, expanded %v", got, want)
	}

	// Cluster Jaccard of a weighted resample equals the expanded one's.
	rl := slices.Clone(res.Labels)
	for i := range rl {
		if i%5 == 0 {
			rl[i] = (rl[i] + 1) % 3
		}
	}
	idx := []int{}
	cnt := []int32{}
	var fidx, frl []int
	for i := range docs {
		if i%4 != 0 {
			idx = append(idx, i)
			cnt = append(cnt, counts[i])
		}
	}
	rs := Resample{Idx: idx, Labels: pickRows(rl, idx), Weight: cnt}
	for p, i := range expand {
		if i%4 != 0 {
			fidx = append(fidx, p)
			frl = append(frl, rl[i])
		}
	}
	got := ClusterJaccard(res.Labels, 3, []Resample{rs})
	want := ClusterJaccard(fl, 3, []Resample{{Idx: fidx, Labels: frl}})
	for c := range got {
		if !near(got[c], want[c], 1e-12) {
			t.Errorf("cluster %d Jaccard weighted %v, expanded %v", c, got[c], want[c])
		}
	}

	// Collocation counts.
	gaps := [][]string{{"一岗", "双责", "", "落实"}, {"一岗", "双责"}, {"落实", "一岗"}}
	gc := []int32{3, 4, 2}
	var gx [][]string
	for i, d := range gaps {
		for range gc[i] {
			gx = append(gx, d)
		}
	}
	_, cw := Collocations(gaps, CollocationOptions{Counts: gc, MinCount: 2, MinNPMI: 0.1})
	_, cf := Collocations(gx, CollocationOptions{MinCount: 2, MinNPMI: 0.1})
	if len(cw) == 0 || !slices.EqualFunc(cw, cf, func(a, b Collocation) bool {
		return a.Term == b.Term && a.Count == b.Count && near(a.NPMI, b.NPMI, 1e-12)
	}) {
		t.Errorf("collocations weighted %+v, expanded %+v", cw, cf)
	}
}

// On well-separated topics, weighted k-means finds the partition k-means
// finds on the expanded corpus, and the weighted LSA projection is that of
// the expanded corpus.
func TestWeightedKMeansAndLSAEqualExpanded(t *testing.T) {
	docs, counts, expanded, expand := weightedCorpus(4, 120, 11)
	w, full := weightedAndExpanded(t, docs, counts, expanded)
	rw, err := KMeans(context.Background(), w, KMeansOptions{K: 4, Seed: 3})
	if err != nil {
		t.Fatal(err)
	}
	rf, err := KMeans(context.Background(), full, KMeansOptions{K: 4, Seed: 3})
	if err != nil {
		t.Fatal(err)
	}
	if nmi := NMI(expandLabels(rw.Labels, expand), rf.Labels); nmi < 0.999 {
		t.Errorf("weighted and expanded k-means partitions differ: NMI %v", nmi)
	}
	if !near(rw.Objective, rf.Objective, 1e-9) {
		t.Errorf("objective weighted %v, expanded %v", rw.Objective, rf.Objective)
	}

	// LSA with l covering the vocabulary is exact: every cosine between
	// two projected rows equals the expanded corpus's.
	dims := w.Cols() - 11
	lw, err := LSA(w, dims, 1)
	if err != nil {
		t.Fatal(err)
	}
	lf, err := LSA(full, dims, 1)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(lw.Weight, counts) {
		t.Error("the LSA matrix lost the weights")
	}
	firstCopy := map[int]int{}
	for p, i := range expand {
		if _, ok := firstCopy[i]; !ok {
			firstCopy[i] = p
		}
	}
	for i := 0; i < len(docs); i += 7 {
		for j := i + 1; j < len(docs); j += 5 {
			a := sparseDot(lw.Docs[i], lw.Docs[j])
			b := sparseDot(lf.Docs[firstCopy[i]], lf.Docs[firstCopy[j]])
			if !near(a, b, 1e-6) {
				t.Fatalf("cosine of rows %d and %d: weighted %v, expanded %v", i, j, a, b)
			}
		}
	}
}

func TestSampleCopies(t *testing.T) {
	w := []int32{5, 1, 3, 1, 10}
	cand := []int{0, 1, 2, 4} // row 3 is not a candidate
	idx, cnt := SampleCopies(cand, w, 100, 1)
	if !slices.Equal(idx, cand) || !slices.Equal(cnt, []int32{5, 1, 3, 10}) {
		t.Fatalf("all copies asked: %v %v", idx, cnt)
	}
	hits := make([]float64, len(w))
	const draws = 4000
	for seed := range uint64(draws) {
		idx, cnt := SampleCopies(cand, w, 6, seed)
		total := 0
		for p, i := range idx {
			if cnt[p] < 1 || cnt[p] > w[i] || i == 3 {
				t.Fatalf("seed %d: row %d drawn %d times of %d", seed, i, cnt[p], w[i])
			}
			total += int(cnt[p])
			hits[i] += float64(cnt[p])
		}
		if total != 6 || !slices.IsSorted(idx) {
			t.Fatalf("seed %d: %d copies, rows %v", seed, total, idx)
		}
		i2, c2 := SampleCopies(cand, w, 6, seed)
		if !slices.Equal(idx, i2) || !slices.Equal(cnt, c2) {
			t.Fatalf("seed %d: not deterministic", seed)
		}
	}
	// Every copy is drawn with probability 6/19: row i's expected count is
	// 6·w_i/19 per draw. Binomial spread over 4,000 draws is below 1%.
	for _, i := range cand {
		want := draws * 6 * float64(w[i]) / 19
		if math.Abs(hits[i]-want) > 0.05*want {
			t.Errorf("row %d drawn %v times, expected about %v", i, hits[i], want)
		}
	}
	if idx, cnt := SampleCopies(cand, nil, 2, 3); len(idx) != 2 || cnt != nil {
		t.Errorf("unweighted: %v %v", idx, cnt)
	}
}

// GSDMM and BTM run on the copies of weighted rows; each row gets the
// label most of its copies got.
func TestFitWeightedRowsByMajority(t *testing.T) {
	if l, k := majority([]int{2, 2, 0, -1, 1, 1, 0, 0}, []int{0, 0, 0, 1, 2, 2, 3, 3}, 5); !slices.Equal(l, []int{0, -1, 1, 2, -1}) || k != 3 {
		t.Errorf("majority: %v, %d", l, k)
	}
	docs, counts, _, _ := weightedCorpus(3, 60, 13)
	m, _, err := TFIDF(docs, TFIDFOptions{Counts: counts})
	if err != nil {
		t.Fatal(err)
	}
	d := &Data{TFIDF: m, Bags: Bags(m, docs), Seqs: Seqs(m, docs)}
	for _, meth := range []Method{MethodGSDMM, MethodBTM} {
		labels, k, err := Fit(context.Background(), d, FitOptions{Method: meth, K: 3, KMeans: KMeansOptions{Seed: 1}})
		if err != nil {
			t.Fatal(err)
		}
		if len(labels) != len(docs) || k < 1 {
			t.Fatalf("%s: %d labels for %d rows, k %d", meth, len(labels), len(docs), k)
		}
		truth := make([]int, len(docs))
		for i := range truth {
			truth[i] = i % 3
		}
		if nmi := NMI(labels, truth); nmi < 0.8 {
			t.Errorf("%s on weighted rows: NMI %v with the topics", meth, nmi)
		}
	}
}

// BagDataWithChars counts what BagData counts on WithChars' term lists,
// with and without weights.
func TestBagDataWithCharsEqualsBagData(t *testing.T) {
	docs, counts, _, _ := weightedCorpus(3, 60, 17)
	docs = append(docs, []string{"篮球", "球员", "NBA"}, []string{"考核", "考评"}, []string{"球队"}, nil)
	counts = append(counts, 2, 1, 3, 1)
	for _, opt := range []TFIDFOptions{{MinDF: 1, MaxDF: 1}, {MinDF: 2, MaxDF: 0.5}, {MinDF: 2, MaxFeatures: 20}, {Counts: counts}} {
		want, wn, err := BagData(WithChars(docs), opt)
		if err != nil {
			t.Fatal(err)
		}
		got, gn, err := BagDataWithChars(docs, opt)
		if err != nil {
			t.Fatal(err)
		}
		// BagData counts the terms of the TF-IDF vocabulary (tf weighting).
		wc := WithChars(docs)
		to := opt
		to.Weighting = WeightTF
		m, _, err := TFIDF(wc, to)
		if err != nil {
			t.Fatal(err)
		}
		if old := Bags(m, wc); !reflect.DeepEqual(old, want) || m.Cols() != wn {
			t.Fatalf("%+v: BagData differs from Bags over TFIDF's vocabulary", opt)
		}
		if gn != wn || len(got) != len(want) {
			t.Fatalf("%+v: %d terms, %d bags; want %d, %d", opt, gn, len(got), wn, len(want))
		}
		for d := range want {
			if !slices.Equal(got[d].Idx, want[d].Idx) || !slices.Equal(got[d].Cnt, want[d].Cnt) {
				t.Fatalf("%+v: bag %d = %+v, want %+v", opt, d, got[d], want[d])
			}
		}
	}
}
