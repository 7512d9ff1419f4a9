package cluster

import (
	"cmp"
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"sync"
	"sync/atomic"
	"unicode"
)

// Defaults of GSDMMOptions. Alpha and Beta are the values Yin & Wang (2014)
// use in their experiments (α = 0.1, β = 0.1); 30 iterations is where
// their Fig. 4 shows the number of clusters and NMI to have settled.
const (
	DefaultGSDMMAlpha = 0.1
	DefaultGSDMMBeta  = 0.1
	DefaultGSDMMIters = 30
	// DefaultGSDMMGreedy: see GSDMMOptions.Greedy.
	DefaultGSDMMGreedy = 5
)

// Bag is one document as a bag of words: column ids of a Matrix in strictly
// increasing order and their counts (all > 0).
type Bag struct {
	Idx []int32
	Cnt []int32
}

// Len returns the number of word occurrences of b.
func (b Bag) Len() int {
	n := 0
	for _, c := range b.Cnt {
		n += int(c)
	}
	return n
}

// Bags counts, per document, the occurrences of the terms of m's vocabulary
// (terms that TFIDF pruned are left out). docs must be the term lists given
// to TFIDF; m its result.
func Bags(m *Matrix, docs [][]string) []Bag {
	out := make([]Bag, len(docs))
	col := make(map[string]int32, len(m.Vocab))
	for j, t := range m.Vocab {
		col[t] = int32(j)
	}
	var ids []int32
	for d, doc := range docs {
		ids = ids[:0]
		for _, t := range doc {
			if j, ok := col[t]; ok {
				ids = append(ids, j)
			}
		}
		slices.Sort(ids)
		var b Bag
		for i := 0; i < len(ids); {
			j := i + 1
			for j < len(ids) && ids[j] == ids[i] {
				j++
			}
			b.Idx = append(b.Idx, ids[i])
			b.Cnt = append(b.Cnt, int32(j-i))
			i = j
		}
		out[d] = b
	}
	return out
}

// charTermPrefix starts the character terms of WithChars; the NUL byte
// keeps them apart from every word a segmenter can return.
const charTermPrefix = "\x00字"

// WithChars returns docs with, after each document's own terms, one term
// per Han character of those terms. Short Chinese answers share few whole
// words but many morphemes (篮球, 球员 and 球队 share 球; 考核 and 考评
// share 考), so the characters give GSDMM co-occurrence that word bags
// lack; docs/clustering.md §9 has the measurements. Non-Han runes add
// nothing. docs is not modified.
func WithChars(docs [][]string) [][]string {
	out := make([][]string, len(docs))
	var chars charTerms
	for d, doc := range docs {
		terms := slices.Clip(slices.Clone(doc))
		chars.each(doc, func(ct string) { terms = append(terms, ct) })
		out[d] = terms
	}
	return out
}

// charTerms names the character terms of WithChars: one string per
// character, shared by all documents.
type charTerms map[rune]string

// each calls emit with the character term of every Han character of terms,
// in order.
func (c *charTerms) each(terms []string, emit func(string)) {
	if *c == nil {
		*c = map[rune]string{}
	}
	for _, t := range terms {
		for _, r := range t {
			if !unicode.Is(unicode.Han, r) {
				continue
			}
			ct, ok := (*c)[r]
			if !ok {
				ct = charTermPrefix + string(r)
				(*c)[r] = ct
			}
			emit(ct)
		}
	}
}

// BagData returns the term counts of docs over their own vocabulary (the
// terms within opt's document-frequency limits; opt.Counts weighs the
// documents as in TFIDF) and the vocabulary's size, for Data.Bags and
// Data.BagTerms.
func BagData(docs [][]string, opt TFIDFOptions) ([]Bag, int, error) {
	return bagData(len(docs), func(d int, emit func(string)) {
		for _, t := range docs[d] {
			emit(t)
		}
	}, opt)
}

// BagDataWithChars is BagData(WithChars(docs), opt), counted without
// building the longer term lists (a million answers' lists of words and
// characters took more memory than their bags).
func BagDataWithChars(docs [][]string, opt TFIDFOptions) ([]Bag, int, error) {
	var chars charTerms
	return bagData(len(docs), func(d int, emit func(string)) {
		for _, t := range docs[d] {
			emit(t)
		}
		chars.each(docs[d], emit)
	}, opt)
}

// bagData counts the terms each(d, emit) emits for n documents and keeps
// those within opt's limits, numbered in byte order as TFIDF numbers its
// columns. The documents are emitted twice, once to count the terms and
// once to fill the bags, so that their runs are never held beside the
// bags (at a million answers with characters: 230 MB less at the cluster
// stage's peak, and no slice grown to that size by append).
func bagData(n int, each func(d int, emit func(string)), opt TFIDFOptions) ([]Bag, int, error) {
	opt.Weighting = WeightTF
	_, minCount, maxCount, err := opt.limits(n)
	if err != nil {
		return nil, 0, err
	}
	c := countTerms(n, each, opt.Counts, false)
	keep := c.vocabulary(minCount, maxCount, opt.MaxFeatures)
	if len(keep) == 0 {
		return nil, 0, ErrNoTerms
	}
	col := make([]int32, len(c.terms))
	for i := range col {
		col[i] = -1
	}
	for j, id := range keep {
		col[id] = int32(j)
	}
	// At most one entry per run; the runs of dropped terms leave the
	// rest of the capacity unused.
	idx, cnt := make([]int32, 0, c.nruns), make([]int32, 0, c.nruns)
	out := make([]Bag, n)
	var cols []int32
	emit := func(t string) {
		if t == "" {
			return
		}
		if j := col[c.ids[t]]; j >= 0 {
			cols = append(cols, j)
		}
	}
	for d := range n {
		cols = cols[:0]
		each(d, emit)
		if len(cols) == 0 {
			continue
		}
		slices.Sort(cols)
		lo := len(idx)
		for i := 0; i < len(cols); {
			j := i + 1
			for j < len(cols) && cols[j] == cols[i] {
				j++
			}
			idx, cnt = append(idx, cols[i]), append(cnt, int32(j-i))
			i = j
		}
		out[d] = Bag{Idx: idx[lo:len(idx):len(idx)], Cnt: cnt[lo:len(cnt):len(cnt)]}
	}
	return out, len(keep), nil
}

// GSDMMOptions configures GSDMM.
type GSDMMOptions struct {
	// K is the largest number of clusters; the sampler leaves clusters
	// empty when the data does not need them. Must be >= 1.
	K int
	// Alpha is the symmetric Dirichlet prior on cluster sizes; zero means
	// DefaultGSDMMAlpha. Larger values make joining an empty cluster likelier.
	Alpha float64
	// Beta is the symmetric Dirichlet prior on each cluster's word
	// distribution; zero means DefaultGSDMMBeta. Smaller values make
	// documents join only clusters that already hold their words.
	Beta float64
	// Iters is the number of Gibbs sweeps over all documents; zero means
	// DefaultGSDMMIters, negative none.
	Iters int
	// Seed drives the initial assignment and every draw.
	Seed uint64
	// Greedy is the number of sweeps after the Iters sampling sweeps in
	// which each document moves to its most probable cluster instead of a
	// drawn one (ties: lower cluster), turning the last posterior sample into
	// a local mode; negative means none, zero DefaultGSDMMGreedy.
	Greedy int
	// Chains is the number of independent chains, each started from its
	// own random assignment and run for all Iters + Greedy sweeps; the one
	// whose final state has the highest collapsed log-likelihood (logLik;
	// ties: the lower chain) is returned. Zero means DefaultGSDMMChains; 1
	// is a single chain.
	Chains int
	// Init, when not nil, is a starting cluster in 0..K-1 per document, or
	// -1 for a document to place: every chain starts from those clusters
	// and then adds the documents marked -1 one at a time, in input order,
	// each to its most probable cluster given the documents already placed
	// (eq. 4; ties: the lower cluster), as in the online initialisation of
	// Yin & Wang (2016, "A Text Clustering Algorithm Using an Online
	// Clustering Scheme for Initialization", KDD), instead of a uniform
	// random start. It extends a clustering of a sample to all documents.
	Init []int
	// Workers is the number of chains run at the same time; <= 0 means
	// GOMAXPROCS. The result does not depend on it.
	Workers int
}

// DefaultGSDMMChains is the default of GSDMMOptions.Chains. A single
// chain's result depends on its random start (on the toutiao headlines NMI
// 0.387–0.432 over eight seeds), and the final log-likelihood ranks the
// chains much as NMI does, while the log-likelihood after 10 sweeps does
// not (docs/clustering.md §9): chains are compared at the end.
const DefaultGSDMMChains = 4

// GSDMMResult is a clustering by GSDMM.
type GSDMMResult struct {
	// Labels gives each document's cluster in 0..len(Sizes)-1, or -1 for an
	// empty document. Clusters are the non-empty ones of the final sweep,
	// numbered in order of their first document.
	Labels []int
	Sizes  []int
	// Moved is, per sweep of the kept chain, the number of documents that
	// changed cluster.
	Moved []int
	// Chain is the chain kept (0-based) and ChainLogLik the final collapsed
	// log-likelihood of every chain (nil for a single chain).
	Chain       int
	ChainLogLik []float64
	// LogLik is the collapsed log-likelihood of the final assignment.
	LogLik float64
}

// GSDMM clusters bag-of-words documents with the collapsed Gibbs sampler
// for the Dirichlet Multinomial Mixture (Yin & Wang 2014, "A Dirichlet
// Multinomial Mixture Model-based Approach for Short Text Clustering",
// KDD, eq. 4). Every document belongs to one cluster; each sweep takes each
// document in input order out of its cluster and draws a new one with
//
//	p(z=k) ∝ (m_k + α) / (D − 1 + Kα)
//	         · Π_w Π_{j=1..N_d^w} (n_k^w + β + j − 1)
//	         / Π_{i=1..N_d} (n_k + Vβ + i − 1)
//
// where m_k is the number of documents in cluster k, n_k its word count,
// n_k^w the count of word w in it (all without document d), N_d the length
// of d, N_d^w the count of w in d and V the vocabulary size (vocab). The
// initial assignment is uniform at random, or opt.Init. Empty bags get
// label -1 and take no part. D counts non-empty documents.
//
// opt.Chains chains start from different random assignments and run to
// the end; the one with the highest collapsed log-likelihood is returned.
// The chains run on up to opt.Workers goroutines.
//
// The products are evaluated in floating point with a binary exponent kept
// aside (weights), so long documents do not underflow. Chain c draws
// from rand.NewPCG(opt.Seed, c+1) in a fixed order: the result depends only
// on the input and the options, not on the number of workers. Each chain
// is sequential (each draw depends on the previous ones); memory is
// O(Chains·K·V + total words).
//
// It returns ctx.Err() when cancelled (checked every 4,096 answers) and an error
// for K < 1, a negative Alpha, Beta or Chains, vocab < 1, or an Init of the
// wrong length or with a cluster >= K.
func GSDMM(ctx context.Context, bags []Bag, vocab int, opt GSDMMOptions) (*GSDMMResult, error) {
	if opt.Alpha == 0 {
		opt.Alpha = DefaultGSDMMAlpha
	}
	if opt.Beta == 0 {
		opt.Beta = DefaultGSDMMBeta
	}
	if opt.Iters == 0 {
		opt.Iters = DefaultGSDMMIters
	}
	if opt.Chains == 0 {
		opt.Chains = DefaultGSDMMChains
	}
	if opt.Iters < 0 {
		opt.Iters = 0
	}
	switch {
	case opt.Greedy == 0:
		opt.Greedy = DefaultGSDMMGreedy
	case opt.Greedy < 0:
		opt.Greedy = 0
	}
	if opt.K < 1 || opt.Alpha < 0 || opt.Beta < 0 || opt.Chains < 0 || vocab < 1 {
		return nil, fmt.Errorf("gsdmm needs k >= 1, alpha, beta, chains >= 0 and a vocabulary, got k %d, alpha %v, beta %v, chains %d, vocabulary %d", opt.K, opt.Alpha, opt.Beta, opt.Chains, vocab)
	}
	if opt.Init != nil {
		if len(opt.Init) != len(bags) {
			return nil, fmt.Errorf("gsdmm: %d starting clusters for %d documents", len(opt.Init), len(bags))
		}
		for d, c := range opt.Init {
			if c >= opt.K {
				return nil, fmt.Errorf("gsdmm: document %d starts in cluster %d, k = %d", d, c, opt.K)
			}
		}
	}
	for _, b := range bags {
		for _, w := range b.Idx {
			if int(w) >= vocab || w < 0 {
				panic(fmt.Sprintf("cluster: gsdmm word id %d outside vocabulary of %d", w, vocab))
			}
		}
	}
	lens := make([]int32, len(bags))
	total, maxLen := 0, 0
	for d, b := range bags {
		n := b.Len()
		lens[d] = int32(n)
		total += n
		maxLen = max(maxLen, n)
	}
	chunk := chunkFor(total, maxLen, vocab, opt.Beta)
	bags = packBags(bags)
	chains := make([]*dmmChain, opt.Chains)
	errs := make([]error, opt.Chains)
	var next atomic.Int64
	var wg sync.WaitGroup
	for range min(resolveWorkers(opt.Workers), opt.Chains) {
		wg.Go(func() {
			for {
				c := int(next.Add(1) - 1)
				if c >= opt.Chains {
					return
				}
				ch := newDMMChain(bags, lens, chunk, vocab, opt, uint64(c)+1)
				for it := range opt.Iters + opt.Greedy {
					if errs[c] = ch.sweep(ctx, it >= opt.Iters); errs[c] != nil {
						return
					}
				}
				ch.ll = ch.logLik()
				chains[c] = ch
			}
		})
	}
	wg.Wait()
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	for _, err := range errs {
		if err != nil {
			return nil, err
		}
	}
	best := 0
	ll := make([]float64, opt.Chains)
	for c, ch := range chains {
		ll[c] = ch.ll
		if ch.ll > ll[best] {
			best = c
		}
	}
	ch := chains[best]
	res := &GSDMMResult{Moved: ch.moved, Chain: best, LogLik: ch.ll}
	if opt.Chains > 1 {
		res.ChainLogLik = ll
	}
	// Number the non-empty clusters in order of their first document.
	res.Labels, res.Sizes = renumber(ch.z, opt.K)
	return res, nil
}

// packBags returns a copy of bags whose terms and counts lie in two
// contiguous arrays in document order, so that a sweep reads them as one
// stream (the bags of a resample are scattered over the corpus's). A bag
// that is the previous one again (the copies of a weighted row, Fit) is
// stored once.
func packBags(bags []Bag) []Bag {
	same := func(a, b Bag) bool {
		return len(a.Idx) > 0 && len(a.Idx) == len(b.Idx) && &a.Idx[0] == &b.Idx[0] && &a.Cnt[0] == &b.Cnt[0]
	}
	terms := 0
	for d, b := range bags {
		if d == 0 || !same(b, bags[d-1]) {
			terms += len(b.Idx)
		}
	}
	idx, cnt := make([]int32, 0, terms), make([]int32, 0, terms)
	out := make([]Bag, len(bags))
	for d, b := range bags {
		if d > 0 && same(b, bags[d-1]) {
			out[d] = out[d-1]
			continue
		}
		lo := len(idx)
		idx, cnt = append(idx, b.Idx...), append(cnt, b.Cnt...)
		out[d] = Bag{Idx: idx[lo:len(idx):len(idx)], Cnt: cnt[lo:len(cnt):len(cnt)]}
	}
	return out
}

// renumber maps the cluster ids 0..k-1 of raw (−1: no cluster) to
// 0, 1, … in order of first appearance, dropping empty clusters, and
// returns the new labels and the size of each cluster.
func renumber(raw []int, k int) (labels, sizes []int) {
	newID := make([]int, k)
	for i := range newID {
		newID[i] = -1
	}
	labels = make([]int, len(raw))
	for d, c := range raw {
		if c < 0 {
			labels[d] = -1
			continue
		}
		if newID[c] < 0 {
			newID[c] = len(sizes)
			sizes = append(sizes, 0)
		}
		labels[d] = newID[c]
		sizes[newID[c]]++
	}
	return labels, sizes
}

// dmmChain is one Gibbs chain of GSDMM: its assignment, counts and random
// stream.
type dmmChain struct {
	dmm
	bags  []Bag
	lens  []int32 // Len of each bag
	z     []int
	rng   *rand.Rand
	p     []float64
	ex    []int
	moved []int
	ll    float64 // logLik at the end
}

// newDMMChain assigns every non-empty bag to a cluster drawn uniformly
// from rand.NewPCG(opt.Seed, stream), or as opt.Init says.
// lens holds each bag's Len.
func newDMMChain(bags []Bag, lens []int32, chunk, vocab int, opt GSDMMOptions, stream uint64) *dmmChain {
	k := opt.K
	ch := &dmmChain{
		dmm: dmm{mk: make([]int, k), nk: make([]int, k), nkw: make([]int32, k*vocab), // word-major: n_k^w at w*k + k
			vocab: vocab, alpha: opt.Alpha, beta: opt.Beta, chunk: chunk,
			denM: make([]float64, k*(denCache+1)), denE: make([]int32, k*(denCache+1)), denN: make([]int32, k)},
		bags: bags, lens: lens, z: make([]int, len(bags)), rng: rand.New(rand.NewPCG(opt.Seed, stream)),
		p: make([]float64, k), ex: make([]int, k),
	}
	for d, b := range bags {
		switch {
		case len(b.Idx) == 0:
			ch.z[d] = -1
		case opt.Init == nil:
			ch.z[d] = ch.rng.IntN(k)
			ch.add(b, int(lens[d]), ch.z[d], 1)
		default:
			ch.z[d] = opt.Init[d]
			if ch.z[d] >= 0 {
				ch.add(b, int(lens[d]), ch.z[d], 1)
			}
		}
	}
	if opt.Init == nil {
		return ch
	}
	for d, b := range bags {
		if ch.z[d] >= 0 || len(b.Idx) == 0 {
			continue
		}
		ch.weights(b, int(lens[d]), -1, ch.p, ch.ex)
		ch.z[d] = argmax(ch.p)
		ch.add(b, int(lens[d]), ch.z[d], 1)
	}
	return ch
}

// argmax returns the index of the largest value of p (ties: the lowest).
func argmax(p []float64) int {
	best := 0
	for c := 1; c < len(p); c++ {
		if p[c] > p[best] {
			best = c
		}
	}
	return best
}

// sweep resamples every document once (greedy: moves it to its most
// probable cluster) and records the number of moves.
func (ch *dmmChain) sweep(ctx context.Context, greedy bool) error {
	k := len(ch.mk)
	p := ch.p
	moved := 0
	for d, b := range ch.bags {
		if d&4095 == 4095 && ctx.Err() != nil {
			return ctx.Err() // a sweep over a large corpus can take seconds
		}
		if ch.z[d] < 0 {
			continue
		}
		n := int(ch.lens[d])
		sum := ch.weights(b, n, ch.z[d], p, ch.ex)
		nz := k - 1
		if greedy {
			nz = argmax(p[:k])
		} else {
			u := ch.rng.Float64() * sum
			for c := range k {
				if u < p[c] {
					nz = c
					break
				}
				u -= p[c]
			}
			for p[nz] == 0 && nz > 0 { // rounding left u past the last positive weight
				nz--
			}
		}
		if nz != ch.z[d] {
			moved++
			ch.add(b, n, ch.z[d], -1)
			ch.add(b, n, nz, 1)
			ch.z[d] = nz
		}
	}
	ch.moved = append(ch.moved, moved)
	return ctx.Err()
}

// dmm is the state of the GSDMM sampler: m_k, n_k and n_k^w (word-major,
// so the K counts of one word are adjacent).
type dmm struct {
	mk, nk      []int
	nkw         []int32
	vocab       int
	alpha, beta float64
	fkw         []float64 // n_k^w + β, as nkw; built by weights, kept by add
	chunk       int       // positions per product in weights (chunkFor); 0 means dmmChunk
	num         []float64 // scratch of weights for K > 16

	// Cache of den: per cluster, denCache+1 prefix products (mantissa,
	// exponent) of which the first denN are valid. Nil: no cache.
	denM []float64
	denE []int32
	denN []int32
}

// add adds (sign 1) or removes (sign −1) document b of n words (b.Len())
// to or from cluster c.
func (g *dmm) add(b Bag, n, c, sign int) {
	k := len(g.mk)
	g.mk[c] += sign
	g.nk[c] += sign * n
	if g.denN != nil {
		g.denN[c] = 0
	}
	for i, w := range b.Idx {
		at := int(w)*k + c
		g.nkw[at] += int32(sign) * b.Cnt[i]
		if g.fkw != nil {
			g.fkw[at] = float64(g.nkw[at]) + g.beta
		}
	}
}

// logLik returns the collapsed log-likelihood ln p(z, w | α, β) of the
// state, with the cluster shares θ and word distributions φ integrated out
// (the joint whose full conditional is eq. 4 of Yin & Wang 2014):
//
//	ln Γ(Kα) − ln Γ(D + Kα) + Σ_k [ln Γ(m_k + α) − ln Γ(α)]
//	+ Σ_k [ln Γ(Vβ) − ln Γ(n_k + Vβ) + Σ_w (ln Γ(n_k^w + β) − ln Γ(β))]
//
// D = Σ m_k. Empty clusters add 0. Words are exchangeable within a
// document here (the bag's multinomial coefficient is left out: it is the
// same for every state).
func (g *dmm) logLik() float64 {
	k := len(g.mk)
	d := 0
	for _, m := range g.mk {
		d += m
	}
	kf := float64(k)
	vb := float64(g.vocab) * g.beta
	ll := lgamma(kf*g.alpha) - lgamma(float64(d)+kf*g.alpha)
	la, lb, lvb := lgamma(g.alpha), lgamma(g.beta), lgamma(vb)
	for c := range k {
		if g.mk[c] == 0 {
			continue
		}
		ll += lgamma(float64(g.mk[c])+g.alpha) - la + lvb - lgamma(float64(g.nk[c])+vb)
	}
	for _, n := range g.nkw { // word-major order: a fixed summation order
		if n > 0 {
			ll += lgamma(float64(n)+g.beta) - lb
		}
	}
	return ll
}

func lgamma(x float64) float64 {
	v, _ := math.Lgamma(x)
	return v
}

// dmmChunk is the largest number of factors weights and den multiply
// before taking the binary exponent out of the product (dmm.chunk).
const dmmChunk = 16

// chunkFor returns the number of factors weights and den may multiply
// between normalisations for a corpus of total words and documents of at
// most maxLen words: every factor of eq. 4 lies in [β, x] with
// x = total + Vβ + maxLen, so c of them multiplied into a mantissa in
// [0.5, 1) stay within 2^±1000, in the normal range of float64, when
// c·log2(max(x, x/β)) ≤ 1000 (16 for the default β = 0.1 and fewer than
// 2^50 words).
func chunkFor(total, maxLen, vocab int, beta float64) int {
	x := float64(total) + float64(vocab)*beta + float64(maxLen)
	bits := math.Log2(max(x, x/beta, 2))
	return max(1, min(dmmChunk, int(1000/bits)))
}

// weights stores in p the unnormalised probabilities of eq. 4 (Yin & Wang
// 2014) for document b of n words (b.Len()), scaled so that the largest is
// in [0.5, 1), and returns their sum. b is counted in cluster own, or in
// none when own < 0; the weights are those of the state without it (so a
// Gibbs step only changes the counts when the document moves). ex is
// scratch of length K.
//
// Each weight is kept as a mantissa and a binary exponent, so long
// documents neither underflow nor pay for logarithms. The numerator
// factors (n_k^w + β + j) are multiplied into K running products, one
// word occurrence at a time over the K adjacent counts of its word, and
// folded into the mantissa and exponent every chunk occurrences
// (chunkFor); the denominator Π_i (n_k + Vβ + i) comes from den, which
// caches it per cluster until n_k changes (a Gibbs step changes two
// clusters), and is divided once. Compared with the formula evaluated
// factor by factor the result differs only by rounding.
func (g *dmm) weights(b Bag, n, own int, p []float64, ex []int) float64 {
	k := len(g.mk)
	var buf [16]float64 // on the stack for up to 16 clusters
	num := buf[:]
	if k > len(buf) {
		if len(g.num) < k {
			g.num = make([]float64, k)
		}
		num = g.num
	}
	num = num[:k]
	for c := range k {
		p[c], ex[c] = frexp(float64(g.mk[c]) + g.alpha)
		num[c] = 1
	}
	if g.fkw == nil {
		g.fkw = make([]float64, len(g.nkw))
		for i, x := range g.nkw {
			g.fkw[i] = float64(x) + g.beta
		}
	}
	chunk := cmp.Or(g.chunk, dmmChunk)
	left := chunk
	for i, w := range b.Idx {
		col := g.fkw[int(w)*k : int(w)*k+k]
		col = col[:len(num)]
		for j := range b.Cnt[i] {
			if j == 0 {
				for c, x := range col {
					num[c] *= x
				}
			} else {
				fj := float64(j)
				for c, x := range col {
					num[c] *= x + fj
				}
			}
			if left--; left == 0 {
				left = chunk
				for c, x := range num {
					var f int
					p[c], f = frexp(p[c] * x)
					ex[c] += f
					num[c] = 1
				}
			}
		}
	}
	if own >= 0 {
		// The own cluster's counts without b: the products again.
		p[own], ex[own] = g.numeratorWithout(b, own)
		num[own] = 1
	}
	emax := math.MinInt
	for c := range k {
		var dm float64
		var de int
		if c == own {
			dm, de = g.denOf(float64(g.nk[c]-n)+float64(g.vocab)*g.beta, n)
		} else {
			dm, de = g.den(c, n)
		}
		v, f := frexp(p[c] * num[c] / dm)
		p[c], ex[c] = v, ex[c]-de+f
		if v > 0 {
			emax = max(emax, ex[c])
		}
	}
	var sum float64
	for c := range k {
		p[c] *= pow2(ex[c] - emax)
		sum += p[c]
	}
	return sum
}

// pow2 returns 2^e for e <= 0, and 0 below the normal range (a weight
// 2^−1022 times the largest is never drawn).
func pow2(e int) float64 {
	if e < -1022 {
		return 0
	}
	return math.Float64frombits(uint64(e+1023) << 52)
}

// frexp splits a positive normal v into m in [0.5, 1) and e with v = m·2^e;
// other values come back unchanged with e = 0.
func frexp(v float64) (float64, int) {
	bits := math.Float64bits(v)
	be := int(bits>>52) & 0x7ff
	if be == 0 || be == 0x7ff {
		return v, 0
	}
	return math.Float64frombits(bits&^(0x7ff<<52) | 1022<<52), be - 1022
}

// denCache is the longest document whose denominator den keeps; longer
// ones compute it at every call.
const denCache = 256

// den returns Π_{i=0..n−1} (n_c + Vβ + i) as mantissa in [0.5, 1) and
// binary exponent (products of at most chunk factors between
// normalisations, as in weights), from the prefix products cached for cluster c, which
// add discards when n_c changes.
func (g *dmm) den(c, n int) (float64, int) {
	x := float64(g.nk[c]) + float64(g.vocab)*g.beta
	if n > denCache || g.denN == nil {
		return g.denOf(x, n)
	}
	row := c * (denCache + 1)
	dm, de := g.denM[row:row+denCache+1], g.denE[row:row+denCache+1]
	if have := int(g.denN[c]); have <= n {
		if have == 0 {
			dm[0], de[0] = 1, 0
			have = 1
		}
		// Entries are normalised every chunk factors, so between those
		// steps a mantissa may exceed 1 (by less than x^chunk).
		m, e := frexp(dm[have-1])
		e += int(de[have-1])
		chunk := cmp.Or(g.chunk, dmmChunk)
		left := chunk
		for i := have - 1; i < n; i++ {
			m *= x + float64(i)
			if left--; left == 0 {
				left = chunk
				var f int
				m, f = frexp(m)
				e += f
			}
			dm[i+1], de[i+1] = m, int32(e)
		}
		g.denN[c] = int32(n + 1)
	}
	m, e := frexp(dm[n])
	return m, e + int(de[n])
}

// denOf returns Π_{i=0..n−1} (x + i) as mantissa in [0.5, 1) and binary
// exponent, without the cache. Two running products take alternate
// factors, halving the chain of dependent multiplications.
func (g *dmm) denOf(x float64, n int) (float64, int) {
	m, e := 1.0, 0
	chunk := cmp.Or(g.chunk, dmmChunk)
	for lo := 0; lo < n; lo += chunk {
		hi := min(n, lo+chunk)
		a0, a1 := 1.0, 1.0
		i := lo
		for ; i+1 < hi; i += 2 {
			a0 *= x + float64(i)
			a1 *= x + float64(i+1)
		}
		if i < hi {
			a0 *= x + float64(i)
		}
		var f int
		m, f = frexp(m * (a0 * a1))
		e += f
	}
	return m, e
}

// numeratorWithout returns (m_c − 1 + α) · Π (n_c^w − N_b^w + β + j) over
// the word occurrences of b, which is counted in cluster c, as mantissa and
// binary exponent: the numerator of eq. 4 for c without b, folded as in
// weights. Two running products take alternate factors, as in denOf.
func (g *dmm) numeratorWithout(b Bag, c int) (float64, int) {
	k := len(g.mk)
	v, e := frexp(float64(g.mk[c]-1) + g.alpha)
	n0, n1 := 1.0, 1.0
	chunk := cmp.Or(g.chunk, dmmChunk)
	left := chunk
	for i, w := range b.Idx {
		x := float64(g.nkw[int(w)*k+c] - b.Cnt[i])
		for j := range b.Cnt[i] {
			n0 *= x + (g.beta + float64(j))
			n0, n1 = n1, n0
			if left--; left == 0 {
				left = chunk
				var f int
				v, f = frexp(v * (n0 * n1))
				e += f
				n0, n1 = 1, 1
			}
		}
	}
	v, f := frexp(v * (n0 * n1))
	return v, e + f
}
