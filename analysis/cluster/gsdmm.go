package cluster

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"sort"
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
	var ids []int32
	for d, doc := range docs {
		ids = ids[:0]
		for _, t := range doc {
			if j := sort.SearchStrings(m.Vocab, t); j < len(m.Vocab) && m.Vocab[j] == t {
				ids = append(ids, int32(j))
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
	// DefaultGSDMMIters.
	Iters int
	// Seed drives the initial assignment and every draw.
	Seed uint64
	// Greedy is the number of sweeps after the Iters sampling sweeps in
	// which each document moves to its most probable cluster instead of a
	// drawn one (ties: lower cluster), turning the last posterior sample into
	// a local mode; negative means none, zero DefaultGSDMMGreedy.
	Greedy int
}

// GSDMMResult is a clustering by GSDMM.
type GSDMMResult struct {
	// Labels gives each document's cluster in 0..len(Sizes)-1, or -1 for an
	// empty document. Clusters are the non-empty ones of the final sweep,
	// numbered in order of their first document.
	Labels []int
	Sizes  []int
	// Moved is, per sweep, the number of documents that changed cluster.
	Moved []int
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
// initial assignment is uniform at random. Empty bags get label -1 and take
// no part. D counts non-empty documents.
//
// The products are evaluated in floating point with a binary exponent kept
// aside (math.Frexp), so long documents do not underflow. Draws come from
// rand.NewPCG(opt.Seed, 1) in a fixed order: the result depends only on the
// input and the options. The sampler is sequential (each draw depends on
// the previous ones); memory is O(K·V + total words).
//
// It returns ctx.Err() when cancelled (checked every 4,096 answers) and an error
// for K < 1, a negative Alpha, Beta or Iters, or vocab < 1.
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
	switch {
	case opt.Greedy == 0:
		opt.Greedy = DefaultGSDMMGreedy
	case opt.Greedy < 0:
		opt.Greedy = 0
	}
	if opt.K < 1 || opt.Alpha < 0 || opt.Beta < 0 || opt.Iters < 0 || vocab < 1 {
		return nil, fmt.Errorf("gsdmm needs k >= 1, alpha, beta, iterations >= 0 and a vocabulary, got k %d, alpha %v, beta %v, iterations %d, vocabulary %d", opt.K, opt.Alpha, opt.Beta, opt.Iters, vocab)
	}
	k := opt.K
	rng := rand.New(rand.NewPCG(opt.Seed, 1))
	z := make([]int, len(bags))
	mk := make([]int, k)          // documents per cluster
	nk := make([]int, k)          // words per cluster
	nkw := make([]int32, k*vocab) // word-major: n_k^w at w*k + k
	add := func(d, c, sign int) {
		b := bags[d]
		mk[c] += sign
		for i, w := range b.Idx {
			nkw[int(w)*k+c] += int32(sign) * b.Cnt[i]
			nk[c] += sign * int(b.Cnt[i])
		}
	}
	for d, b := range bags {
		if len(b.Idx) == 0 {
			z[d] = -1
			continue
		}
		for _, w := range b.Idx {
			if int(w) >= vocab || w < 0 {
				panic(fmt.Sprintf("cluster: gsdmm word id %d outside vocabulary of %d", w, vocab))
			}
		}
		z[d] = rng.IntN(k)
		add(d, z[d], 1)
	}
	g := &dmm{mk: mk, nk: nk, nkw: nkw, vocab: vocab, alpha: opt.Alpha, beta: opt.Beta}
	p := make([]float64, k)
	ex := make([]int, k)
	g.den = make([]float64, k)
	res := &GSDMMResult{}
	for it := range opt.Iters + opt.Greedy {
		greedy := it >= opt.Iters
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		moved := 0
		for d, b := range bags {
			if d&4095 == 4095 && ctx.Err() != nil {
				return nil, ctx.Err() // a sweep over a large corpus can take seconds
			}
			if z[d] < 0 {
				continue
			}
			add(d, z[d], -1)
			sum := g.weights(b, p, ex)
			nz := k - 1
			if greedy {
				nz = 0
				for c := 1; c < k; c++ {
					if p[c] > p[nz] {
						nz = c
					}
				}
			} else {
				u := rng.Float64() * sum
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
			if nz != z[d] {
				moved++
			}
			z[d] = nz
			add(d, nz, 1)
		}
		res.Moved = append(res.Moved, moved)
	}
	// Number the non-empty clusters in order of their first document.
	newID := make([]int, k)
	for i := range newID {
		newID[i] = -1
	}
	res.Labels = make([]int, len(bags))
	for d, c := range z {
		if c < 0 {
			res.Labels[d] = -1
			continue
		}
		if newID[c] < 0 {
			newID[c] = len(res.Sizes)
			res.Sizes = append(res.Sizes, 0)
		}
		res.Labels[d] = newID[c]
		res.Sizes[newID[c]]++
	}
	return res, nil
}

// dmm is the state of the GSDMM sampler: m_k, n_k and n_k^w (word-major,
// so the K counts of one word are adjacent).
type dmm struct {
	mk, nk      []int
	nkw         []int32
	vocab       int
	alpha, beta float64
	den         []float64 // scratch, length K
}

// shortDoc is the longest document whose numerator and denominator
// products weights forms separately: each factor is below 2^40 for any
// corpus of fewer than 10^12 words, so 24 of them stay below 2^960 and
// the products cannot overflow.
const shortDoc = 24

// weights stores in p the unnormalised probabilities of eq. 4 (Yin & Wang
// 2014) for document b, which must not be counted in the state, scaled so
// that the largest is 1 or so, and returns their sum. ex is scratch of
// length K.
//
// A document of at most shortDoc words gets the product of its N_d
// numerator factors (n_k^w + β + j − 1) and of its N_d denominator factors
// (n_k + Vβ + i − 1) separately, K clusters at a time per factor, and one
// division. A longer one takes the factors in pairs, so the running product
// stays near its final size; when it falls below 2^−600 it is multiplied by
// 2^600 and the count of such steps kept in ex: long documents neither
// underflow nor pay for logarithms.
func (g *dmm) weights(b Bag, p []float64, ex []int) float64 {
	k := len(g.mk)
	vb := float64(g.vocab) * g.beta
	n := b.Len()
	if n <= shortDoc {
		den := g.den[:k]
		for c := range k {
			p[c] = float64(g.mk[c]) + g.alpha
			den[c] = 1
		}
		for i, w := range b.Idx {
			col := g.nkw[int(w)*k : int(w)*k+k]
			for j := range b.Cnt[i] {
				add := g.beta + float64(j)
				for c, x := range col {
					p[c] *= float64(x) + add
				}
			}
		}
		for i := range n {
			add := vb + float64(i)
			for c, x := range g.nk {
				den[c] *= float64(x) + add
			}
		}
		var sum, mx float64
		for c := range k {
			p[c] /= den[c]
			mx = max(mx, p[c])
		}
		if mx > 0 {
			for c := range k {
				p[c] /= mx
				sum += p[c]
			}
		}
		return sum
	}
	const lim, scale = 0x1p-600, 0x1p600
	emin := math.MaxInt
	for c := range k {
		v := float64(g.mk[c]) + g.alpha
		den := float64(g.nk[c]) + vb
		e := 0
		for i, w := range b.Idx {
			base := float64(g.nkw[int(w)*k+c]) + g.beta
			for j := range b.Cnt[i] {
				v *= (base + float64(j)) / den
				den++
				if v < lim && v > 0 {
					v *= scale
					e++
				}
			}
		}
		p[c], ex[c] = v, e
		if v > 0 && e < emin {
			emin = e
		}
	}
	var sum float64
	for c := range k {
		if d := ex[c] - emin; d > 0 {
			p[c] = math.Ldexp(p[c], -600*d)
		}
		sum += p[c]
	}
	return sum
}
