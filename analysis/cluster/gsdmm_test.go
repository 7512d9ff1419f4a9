package cluster

import (
	"context"
	"fmt"
	"math"
	"reflect"
	"slices"
	"testing"
)

// TestDMMWeights checks eq. 4 of Yin & Wang (2014) on a state small enough
// to do by hand. Expected values from /usr/bin/python3 evaluating the
// products of eq. 4 directly (V = 3, K = 2, α = β = 0.1; cluster 0 holds 2
// documents, 4 words: w0×3, w1×1; cluster 1 holds 1 document, w2×2).
func TestDMMWeights(t *testing.T) {
	g := &dmm{mk: []int{2, 1}, nk: []int{4, 2}, nkw: []int32{3, 0, 1, 0, 0, 2}, vocab: 3, alpha: 0.1, beta: 0.1}
	cases := []struct {
		name string
		doc  Bag
		want []float64
	}{
		{"w0 twice", Bag{Idx: []int32{0}, Cnt: []int32{2}}, []float64{0.9865707637024387, 0.013429236297561327}},
		{"w1 and w2", Bag{Idx: []int32{1, 2}, Cnt: []int32{1, 1}}, []float64{0.24983541803818304, 0.7501645819618169}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			p, ex := make([]float64, 2), make([]int, 2)
			sum := g.weights(tc.doc, tc.doc.Len(), -1, p, ex)
			for c := range p {
				if got := p[c] / sum; math.Abs(got-tc.want[c]) > 1e-12 {
					t.Errorf("p(z=%d) = %.15f, want %.15f", c, got, tc.want[c])
				}
			}
		})
	}
}

// TestDMMLogLik checks the collapsed log-likelihood on the state of
// TestDMMWeights. Expected value from /usr/bin/python3 (math.lgamma) summing
// the terms of the formula in logLik's comment:
// lnΓ(0.2) − lnΓ(3.2) + Σ_k [lnΓ(m_k+0.1) − lnΓ(0.1) + lnΓ(0.3) − lnΓ(n_k+0.3)]
// + Σ_{k,w: n_k^w>0} [lnΓ(n_k^w+0.1) − lnΓ(0.1)].
func TestDMMLogLik(t *testing.T) {
	g := &dmm{mk: []int{2, 1}, nk: []int{4, 2}, nkw: []int32{3, 0, 1, 0, 0, 2}, vocab: 3, alpha: 0.1, beta: 0.1}
	if got, want := g.logLik(), -9.990013097242649; math.Abs(got-want) > 1e-12 {
		t.Errorf("logLik() = %.15f, want %.15f", got, want)
	}
}

// TestDMMLogLikMatchesEq4: eq. 4 is the full conditional of the joint
// logLik computes, so for a document d the ratio of its weights for two
// clusters must equal exp(ℓ(d in a) − ℓ(d in b)).
func TestDMMLogLikMatchesEq4(t *testing.T) {
	doc := Bag{Idx: []int32{0, 2}, Cnt: []int32{2, 1}}
	base := func() *dmm {
		return &dmm{mk: []int{2, 1, 0}, nk: []int{4, 2, 0}, nkw: []int32{3, 0, 0, 1, 0, 0, 0, 2, 0}, vocab: 3, alpha: 0.1, beta: 0.1}
	}
	p, ex := make([]float64, 3), make([]int, 3)
	base().weights(doc, doc.Len(), -1, p, ex)
	var ll [3]float64
	for c := range 3 {
		g := base()
		g.add(doc, doc.Len(), c, 1)
		ll[c] = g.logLik()
	}
	for _, pair := range [][2]int{{0, 1}, {0, 2}, {1, 2}} {
		a, b := pair[0], pair[1]
		if got, want := p[a]/p[b], math.Exp(ll[a]-ll[b]); math.Abs(got/want-1) > 1e-12 {
			t.Errorf("weight ratio %d/%d = %.15g, exp(loglik difference) = %.15g", a, b, got, want)
		}
	}
}

// TestDMMWeightsOwn: the weights of a document still counted in its
// cluster (own) are those of the state without it.
func TestDMMWeightsOwn(t *testing.T) {
	doc := Bag{Idx: []int32{0, 2}, Cnt: []int32{2, 1}}
	for own := range 3 {
		g := &dmm{mk: []int{2, 1, 0}, nk: []int{4, 2, 0}, nkw: []int32{3, 0, 0, 1, 0, 0, 0, 2, 0}, vocab: 3, alpha: 0.1, beta: 0.1}
		want, ex := make([]float64, 3), make([]int, 3)
		ws := g.weights(doc, doc.Len(), -1, want, ex)
		g.add(doc, doc.Len(), own, 1)
		got := make([]float64, 3)
		gs := g.weights(doc, doc.Len(), own, got, ex)
		for c := range got {
			if math.Abs(got[c]/gs-want[c]/ws) > 1e-12 {
				t.Errorf("own %d: p(z=%d) = %.15f, without the document %.15f", own, c, got[c]/gs, want[c]/ws)
			}
		}
	}
}

// TestGSDMMChains: the chains' result does not depend on the number of
// workers, the kept chain has the highest log-likelihood, and one chain
// reproduces the single-chain sampler of stream 1.
func TestGSDMMChains(t *testing.T) {
	docs := synthDocs(3000, 8, 4)
	m, _, err := TFIDF(docs, TFIDFOptions{})
	if err != nil {
		t.Fatal(err)
	}
	bags := Bags(m, docs)
	var first *GSDMMResult
	for _, w := range []int{1, 2, 3, 8} {
		res, err := GSDMM(context.Background(), bags, m.Cols(), GSDMMOptions{K: 12, Seed: 3, Chains: 5, Workers: w})
		if err != nil {
			t.Fatal(err)
		}
		if first == nil {
			first = res
			continue
		}
		if !slices.Equal(res.Labels, first.Labels) || res.Chain != first.Chain || !slices.Equal(res.ChainLogLik, first.ChainLogLik) || res.LogLik != first.LogLik {
			t.Errorf("GSDMM with %d workers: chain %d, loglik %v; with 1 worker: chain %d, loglik %v", w, res.Chain, res.LogLik, first.Chain, first.LogLik)
		}
	}
	if len(first.ChainLogLik) != 5 {
		t.Fatalf("ChainLogLik has %d values, want 5", len(first.ChainLogLik))
	}
	if slices.Min(first.ChainLogLik) == slices.Max(first.ChainLogLik) {
		t.Errorf("five chains ended with the same loglik %v: not independent", first.ChainLogLik)
	}
	for c, v := range first.ChainLogLik {
		if v > first.ChainLogLik[first.Chain] {
			t.Errorf("kept chain %d (loglik %v) but chain %d has %v", first.Chain, first.ChainLogLik[first.Chain], c, v)
		}
	}
	if len(first.Moved) != DefaultGSDMMIters+DefaultGSDMMGreedy {
		t.Errorf("kept chain recorded %d sweeps, want %d", len(first.Moved), DefaultGSDMMIters+DefaultGSDMMGreedy)
	}
	if first.LogLik != first.ChainLogLik[first.Chain] {
		t.Errorf("LogLik %v, kept chain's %v", first.LogLik, first.ChainLogLik[first.Chain])
	}
	// Chains: 1 is the plain sampler of stream 1, the same as chain 0 of
	// several.
	one, err := GSDMM(context.Background(), bags, m.Cols(), GSDMMOptions{K: 12, Seed: 3, Chains: 1})
	if err != nil {
		t.Fatal(err)
	}
	if one.Chain != 0 || one.ChainLogLik != nil {
		t.Errorf("single chain: Chain %d, ChainLogLik %v, want 0 and nil", one.Chain, one.ChainLogLik)
	}
	if one.LogLik != first.ChainLogLik[0] {
		t.Errorf("single chain: loglik %v, chain 0 of five %v", one.LogLik, first.ChainLogLik[0])
	}
}

// TestDMMWeightsLongDocument checks that a 2000-word document, whose plain
// product underflows, still gets the right ratio: for two clusters that
// differ only in m_k the ratio is (m_0+α)/(m_1+α).
func TestDMMWeightsLongDocument(t *testing.T) {
	g := &dmm{mk: []int{3, 1}, nk: []int{10, 10}, nkw: []int32{10, 10}, vocab: 1, alpha: 0.1, beta: 0.1}
	p, ex := make([]float64, 2), make([]int, 2)
	g.weights(Bag{Idx: []int32{0}, Cnt: []int32{2000}}, 2000, -1, p, ex)
	if got, want := p[0]/p[1], 3.1/1.1; math.Abs(got-want) > 1e-9 {
		t.Fatalf("ratio = %v, want %v", got, want)
	}
}

func twoTopicBags() []Bag {
	// Words 0–2 are topic A, 3–5 topic B; documents alternate.
	var bags []Bag
	for i := range 40 {
		base := int32(0)
		if i%2 == 1 {
			base = 3
		}
		bags = append(bags, Bag{Idx: []int32{base + int32(i%3), base + int32((i+1)%3)}, Cnt: []int32{1, 1}})
		slices.Sort(bags[len(bags)-1].Idx)
	}
	bags = append(bags, Bag{}) // an empty document
	return bags
}

// TestGSDMMObvious: two disjoint vocabularies, K = 8 allowed; the sampler
// must find exactly the two topics and leave the empty document out.
func TestGSDMMObvious(t *testing.T) {
	bags := twoTopicBags()
	res, err := GSDMM(context.Background(), bags, 6, GSDMMOptions{K: 8, Seed: 7})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Sizes) != 2 || res.Sizes[0] != 20 || res.Sizes[1] != 20 {
		t.Fatalf("sizes = %v, want [20 20]", res.Sizes)
	}
	for i := range 40 {
		if res.Labels[i] != i%2 {
			t.Fatalf("labels = %v, want alternating 0 1", res.Labels)
		}
	}
	if res.Labels[40] != -1 {
		t.Errorf("empty document label = %d, want -1", res.Labels[40])
	}
}

// TestGSDMMInit: documents with a starting cluster stay there, the others
// are placed one by one where they are most probable (here: with their
// topic), and the empty document is left out.
func TestGSDMMInit(t *testing.T) {
	bags := twoTopicBags()
	init := make([]int, len(bags))
	for i := range init {
		init[i] = -1
	}
	for i := range 6 {
		init[i] = 5 - 2*(i%2) // topic A in cluster 5, topic B in cluster 3
	}
	res, err := GSDMM(context.Background(), bags, 6, GSDMMOptions{K: 8, Seed: 7, Iters: -1, Greedy: -1, Chains: 1, Init: init})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Moved) != 0 {
		t.Errorf("%d sweeps ran, want none", len(res.Moved))
	}
	for i := range 40 {
		if res.Labels[i] != i%2 {
			t.Fatalf("labels = %v, want alternating 0 1", res.Labels)
		}
	}
	if res.Labels[40] != -1 {
		t.Errorf("empty document label = %d, want -1", res.Labels[40])
	}
}

func TestGSDMMDeterministic(t *testing.T) {
	docs := synthDocs(1500, 6, 3)
	m, _, err := TFIDF(docs, TFIDFOptions{})
	if err != nil {
		t.Fatal(err)
	}
	bags := Bags(m, docs)
	a, err := GSDMM(context.Background(), bags, m.Cols(), GSDMMOptions{K: 10, Seed: 5, Iters: 10})
	if err != nil {
		t.Fatal(err)
	}
	b, _ := GSDMM(context.Background(), bags, m.Cols(), GSDMMOptions{K: 10, Seed: 5, Iters: 10})
	if !slices.Equal(a.Labels, b.Labels) {
		t.Fatal("same seed gave different labels")
	}
	// Without the greedy sweeps, the last samples of two chains differ.
	c1, _ := GSDMM(context.Background(), bags, m.Cols(), GSDMMOptions{K: 10, Seed: 5, Iters: 10, Greedy: -1})
	c, _ := GSDMM(context.Background(), bags, m.Cols(), GSDMMOptions{K: 10, Seed: 6, Iters: 10, Greedy: -1})
	if slices.Equal(c1.Labels, c.Labels) {
		t.Error("different seeds gave identical labels")
	}
	if nmi := NMI(a.Labels, synthTruth(1500, 6)); nmi < 0.5 {
		t.Errorf("NMI with the planted topics = %.3f, want >= 0.5", nmi)
	}
	// Fit with different worker counts: identical (GSDMM runs its chains
	// on the workers, k-means its chunks).
	d := &Data{TFIDF: m, Bags: bags}
	for _, meth := range []Method{MethodGSDMM, MethodKMeans} {
		var first []int
		for _, w := range []int{1, 3} {
			l, _, err := Fit(context.Background(), d, FitOptions{Method: meth, K: 6, KMeans: KMeansOptions{Seed: 2, Workers: w, Restarts: 2}, GSDMM: GSDMMOptions{Iters: 5}})
			if err != nil {
				t.Fatal(err)
			}
			if first == nil {
				first = l
			} else if !slices.Equal(first, l) {
				t.Errorf("%s: labels differ between 1 and 3 workers", meth)
			}
		}
	}
}

func TestGSDMMErrors(t *testing.T) {
	bad := make([]int, 41)
	bad[3] = 2
	for _, opt := range []GSDMMOptions{{K: 0}, {K: 2, Alpha: -1}, {K: 2, Init: make([]int, 40)}, {K: 2, Init: bad}} {
		if _, err := GSDMM(context.Background(), twoTopicBags(), 6, opt); err == nil {
			t.Errorf("GSDMM(%+v) = nil error, want one", opt)
		}
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := GSDMM(ctx, twoTopicBags(), 6, GSDMMOptions{K: 2}); err != context.Canceled {
		t.Errorf("cancelled GSDMM error = %v, want context.Canceled", err)
	}
}

// synthDocs makes n short documents over topics planted words: document i
// belongs to topic i%topics and draws 4–7 words, 70% from its topic's 8
// words and 30% from 20 shared words, by a fixed linear congruential rule.
func synthDocs(n, topics int, seed uint64) [][]string {
	s := seed*2862933555777941757 + 3037000493
	next := func(m int) int {
		s = s*6364136223846793005 + 1442695040888963407
		return int((s >> 33) % uint64(m))
	}
	docs := make([][]string, n)
	for i := range docs {
		topic := i % topics
		l := 4 + next(4)
		for range l {
			if next(10) < 7 {
				docs[i] = append(docs[i], fmt.Sprintf("t%d_%d", topic, next(8)))
			} else {
				docs[i] = append(docs[i], fmt.Sprintf("s%d", next(20)))
			}
		}
	}
	return docs
}

func synthTruth(n, topics int) []int {
	out := make([]int, n)
	for i := range out {
		out[i] = i % topics
	}
	return out
}

// WithChars appends one term per Han character of each document's terms,
// leaves other runes out and does not touch its input; BagData counts them
// over their own vocabulary within the document-frequency limits.
func TestWithCharsAndBagData(t *testing.T) {
	docs := [][]string{{"篮球", "NBA"}, {"球员", "转会"}, {"考核", "考评"}}
	got := WithChars(docs)
	want := [][]string{
		{"篮球", "NBA", charTermPrefix + "篮", charTermPrefix + "球"},
		{"球员", "转会", charTermPrefix + "球", charTermPrefix + "员", charTermPrefix + "转", charTermPrefix + "会"},
		{"考核", "考评", charTermPrefix + "考", charTermPrefix + "核", charTermPrefix + "考", charTermPrefix + "评"},
	}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("WithChars = %q\nwant %q", got, want)
	}
	if len(docs[0]) != 2 || docs[0][1] != "NBA" {
		t.Fatalf("WithChars changed its input: %q", docs)
	}
	// With min_df 2 only 球 (docs 0 and 1) survives: whole words share
	// nothing, the character links the two sports answers.
	bags, terms, err := BagData(got, TFIDFOptions{MinDF: 2, MaxDF: 1.0})
	if err != nil {
		t.Fatal(err)
	}
	if terms != 1 {
		t.Fatalf("BagData vocabulary = %d terms, want 1 (球)", terms)
	}
	wantBags := []Bag{{Idx: []int32{0}, Cnt: []int32{1}}, {Idx: []int32{0}, Cnt: []int32{1}}, {}}
	if !reflect.DeepEqual(bags, wantBags) {
		t.Fatalf("BagData bags = %+v, want %+v", bags, wantBags)
	}
	// 考 occurs twice in document 2, once per word: counted twice.
	bags, terms, err = BagData(got, TFIDFOptions{MinDF: 1, MaxDF: 1.0})
	if err != nil {
		t.Fatal(err)
	}
	kao := -1
	m, _, _ := TFIDF(got, TFIDFOptions{MinDF: 1, MaxDF: 1.0, Weighting: WeightTF})
	for j, v := range m.Vocab {
		if v == charTermPrefix+"考" {
			kao = j
		}
	}
	if kao < 0 || terms != len(m.Vocab) {
		t.Fatalf("vocabulary %q lacks 考 or has %d terms, BagData says %d", m.Vocab, len(m.Vocab), terms)
	}
	b := bags[2]
	i := slices.Index(b.Idx, int32(kao))
	if i < 0 || b.Cnt[i] != 2 {
		t.Fatalf("bag of document 2 = %+v, want 考 (id %d) counted twice", b, kao)
	}
}
