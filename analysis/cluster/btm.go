package cluster

import (
	"context"
	"fmt"
	"math/rand/v2"
	"sort"
)

// Defaults of BTMOptions. Beta = 0.01, Alpha = 50/K and the window of 15
// words are the values of Yan et al. (2013) and of their reference code;
// the paper samples 1,000 iterations, far more than the clusters of short
// answers need (see docs/clustering.md §9a).
const (
	DefaultBTMBeta   = 0.01
	DefaultBTMIters  = 100
	DefaultBTMWindow = 15
)

// Seqs returns, per document, the ids in m's vocabulary of its terms in
// text order (terms that TFIDF pruned are left out). docs must be the term
// lists given to TFIDF; m its result.
func Seqs(m *Matrix, docs [][]string) [][]int32 {
	out := make([][]int32, len(docs))
	for d, doc := range docs {
		var s []int32
		for _, t := range doc {
			if j := sort.SearchStrings(m.Vocab, t); j < len(m.Vocab) && m.Vocab[j] == t {
				s = append(s, int32(j))
			}
		}
		out[d] = s
	}
	return out
}

// BTMOptions configures BTM.
type BTMOptions struct {
	// K is the number of topics, 1..65535.
	K int
	// Alpha is the symmetric Dirichlet prior on the topic shares; zero
	// means 50/K.
	Alpha float64
	// Beta is the symmetric Dirichlet prior on each topic's word
	// distribution; zero means DefaultBTMBeta.
	Beta float64
	// Iters is the number of Gibbs sweeps over all biterms; zero means
	// DefaultBTMIters.
	Iters int
	// Window: two words of a document form a biterm when fewer than Window
	// positions apart; zero means DefaultBTMWindow.
	Window int
	// Seed drives the initial assignment and every draw.
	Seed uint64
}

// BTMResult is a clustering by BTM.
type BTMResult struct {
	// Labels gives each document its most probable topic, renumbered
	// 0..len(Sizes)-1 in order of first document, or -1 for a document
	// without terms.
	Labels []int
	Sizes  []int
	// Biterms is the number of biterms sampled.
	Biterms int
}

// BTM fits the Biterm Topic Model (Yan, Guo, Lan & Cheng 2013, "A Biterm
// Topic Model for Short Texts", WWW, §3) by collapsed Gibbs sampling and
// assigns every document its most probable topic. A biterm is an unordered
// pair of words of one document fewer than opt.Window positions apart;
// the corpus is the bag of all biterms, each drawn from one topic z
// (θ ~ Dir(α) over topics, φ_z ~ Dir(β) over words), both words from φ_z.
// Each sweep resamples every biterm b = (w1, w2) from
//
//	p(z | rest) ∝ (n_z + α) · (n_{w1|z} + β) / (2n_z + Vβ)
//	                        · (n_{w2|z} + β + [w1 = w2]) / (2n_z + Vβ + 1)
//
// n_z the biterms of topic z and n_{w|z} the occurrences of w in them,
// without b (the exact collapsed conditional; the paper's eq. drops the
// +[w1 = w2] and +1 corrections, which matter only for repeated words).
// A document's topic is then the argmax of
//
//	p(z | d) = Σ_b p(z | b) · n_d(b) / N_d,   p(z | b) ∝ θ_z φ_{z,w1} φ_{z,w2}
//
// over its biterms (a one-word document: p(z | w) ∝ θ_z φ_{z,w}), with
// θ_z = (n_z + α)/(N_B + Kα) and φ_{z,w} = (n_{w|z} + β)/(2n_z + Vβ) from
// the last sweep; ties go to the lower topic.
//
// Biterms are never stored: each sweep regenerates them document by
// document from seqs (vocabulary ids in text order, as Seqs returns) and
// keeps only one topic per biterm (2 bytes), so memory is
// O(K·V + biterms·2 bytes). Draws come from rand.NewPCG(opt.Seed, 2) in a
// fixed order: the result depends only on the input and the options. The
// sampler is sequential.
//
// It returns ctx.Err() when cancelled (checked every 4,096 documents) and
// an error for K outside 1..65535, a negative Alpha, Beta or Iters, a
// Window of 1 or less than 0, or vocab < 1. It panics if a word id is
// outside 0..vocab-1.
func BTM(ctx context.Context, seqs [][]int32, vocab int, opt BTMOptions) (*BTMResult, error) {
	if opt.K >= 1 && opt.Alpha == 0 {
		opt.Alpha = 50 / float64(opt.K)
	}
	if opt.Beta == 0 {
		opt.Beta = DefaultBTMBeta
	}
	if opt.Iters == 0 {
		opt.Iters = DefaultBTMIters
	}
	if opt.Window == 0 {
		opt.Window = DefaultBTMWindow
	}
	if opt.K < 1 || opt.K > 65535 || opt.Alpha < 0 || opt.Beta < 0 || opt.Iters < 0 || opt.Window < 2 || vocab < 1 {
		return nil, fmt.Errorf("btm needs 1 <= k <= 65535, alpha, beta, iterations >= 0, a window >= 2 and a vocabulary, got k %d, alpha %v, beta %v, iterations %d, window %d, vocabulary %d", opt.K, opt.Alpha, opt.Beta, opt.Iters, opt.Window, vocab)
	}
	k := opt.K
	nb := 0
	for _, s := range seqs {
		for _, w := range s {
			if int(w) >= vocab || w < 0 {
				panic(fmt.Sprintf("cluster: btm word id %d outside vocabulary of %d", w, vocab))
			}
		}
		nb += biterms(len(s), opt.Window)
	}
	st := &btmState{k: k, nz: make([]int, k), nwz: make([]int32, vocab*k), alpha: opt.Alpha, beta: opt.Beta, vb: float64(vocab) * opt.Beta}
	z := make([]uint16, nb)
	rng := rand.New(rand.NewPCG(opt.Seed, 2))
	st.forBiterms(seqs, opt.Window, func(_, i int, w1, w2 int32) {
		z[i] = uint16(rng.IntN(k))
		st.add(w1, w2, int(z[i]), 1)
	})
	p := make([]float64, k)
	for range opt.Iters {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		var err error
		st.forBiterms(seqs, opt.Window, func(d, i int, w1, w2 int32) {
			if err != nil {
				return
			}
			if d&4095 == 4095 && ctx.Err() != nil {
				err = ctx.Err()
				return
			}
			st.add(w1, w2, int(z[i]), -1)
			sum := st.weights(w1, w2, p)
			u := rng.Float64() * sum
			nz := k - 1
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
			z[i] = uint16(nz)
			st.add(w1, w2, nz, 1)
		})
		if err != nil {
			return nil, err
		}
	}
	// Assign documents: p(z|d) = mean over its biterms of p(z|b).
	raw := make([]int, len(seqs))
	pd := make([]float64, k)
	for d, s := range seqs {
		if len(s) == 0 {
			raw[d] = -1
			continue
		}
		clear(pd)
		if len(s) == 1 {
			st.wordPost(s[0], pd)
		} else {
			for i := range s {
				for j := i + 1; j < min(i+opt.Window, len(s)); j++ {
					st.post(s[i], s[j], p)
					for c := range k {
						pd[c] += p[c]
					}
				}
			}
		}
		best := 0
		for c := 1; c < k; c++ {
			if pd[c] > pd[best] {
				best = c
			}
		}
		raw[d] = best
	}
	res := &BTMResult{Biterms: nb}
	res.Labels, res.Sizes = renumber(raw, k)
	return res, nil
}

// biterms returns the number of biterms of an n-word document with the
// given window: pairs i < j with j − i < window.
func biterms(n, window int) int {
	t := 0
	for i := range n {
		t += min(i+window, n) - i - 1
	}
	return t
}

// btmState holds the BTM counts: n_z and n_{w|z} (word-major, the K
// counts of one word adjacent).
type btmState struct {
	k        int
	nz       []int
	nwz      []int32
	alpha    float64
	beta, vb float64
}

// forBiterms calls fn for every biterm of every document in a fixed order
// (documents in order; in each, i ascending, then j ascending), with the
// document, the running biterm index and the two word ids.
func (st *btmState) forBiterms(seqs [][]int32, window int, fn func(d, i int, w1, w2 int32)) {
	i := 0
	for d, s := range seqs {
		for a := range s {
			for b := a + 1; b < min(a+window, len(s)); b++ {
				fn(d, i, s[a], s[b])
				i++
			}
		}
	}
}

func (st *btmState) add(w1, w2 int32, c, sign int) {
	st.nz[c] += sign
	st.nwz[int(w1)*st.k+c] += int32(sign)
	st.nwz[int(w2)*st.k+c] += int32(sign)
}

// weights stores in p the unnormalised full conditional of a biterm that
// is not counted in the state and returns their sum.
func (st *btmState) weights(w1, w2 int32, p []float64) float64 {
	c1 := st.nwz[int(w1)*st.k : int(w1)*st.k+st.k]
	c2 := st.nwz[int(w2)*st.k : int(w2)*st.k+st.k]
	same := 0.0
	if w1 == w2 {
		same = 1
	}
	var sum float64
	for c := range st.k {
		den := 2*float64(st.nz[c]) + st.vb
		p[c] = (float64(st.nz[c]) + st.alpha) * (float64(c1[c]) + st.beta) * (float64(c2[c]) + st.beta + same) / (den * (den + 1))
		sum += p[c]
	}
	return sum
}

// post stores in p the normalised p(z|b) ∝ θ_z φ_{z,w1} φ_{z,w2} of the
// final state.
func (st *btmState) post(w1, w2 int32, p []float64) {
	c1 := st.nwz[int(w1)*st.k : int(w1)*st.k+st.k]
	c2 := st.nwz[int(w2)*st.k : int(w2)*st.k+st.k]
	var sum float64
	for c := range st.k {
		den := 2*float64(st.nz[c]) + st.vb
		p[c] = (float64(st.nz[c]) + st.alpha) * (float64(c1[c]) + st.beta) * (float64(c2[c]) + st.beta) / (den * den)
		sum += p[c]
	}
	for c := range p {
		p[c] /= sum
	}
}

// wordPost stores in p the normalised p(z|w) ∝ θ_z φ_{z,w}.
func (st *btmState) wordPost(w int32, p []float64) {
	cw := st.nwz[int(w)*st.k : int(w)*st.k+st.k]
	var sum float64
	for c := range st.k {
		p[c] = (float64(st.nz[c]) + st.alpha) * (float64(cw[c]) + st.beta) / (2*float64(st.nz[c]) + st.vb)
		sum += p[c]
	}
	for c := range p {
		p[c] /= sum
	}
}
