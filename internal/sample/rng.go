package sample

import (
	"math/bits"
	"math/rand/v2"
)

// rng draws every random choice the generator makes. It uses only the raw
// output of rand.PCG, whose algorithm (PCG-DXSM) is fixed by the math/rand/v2
// documentation, and derives bounded integers itself, so that the generated
// bytes do not depend on how a Go release implements rand.Rand's helpers.
type rng struct {
	src *rand.PCG
}

// pcgStream is the second PCG seed word; any fixed constant works.
const pcgStream = 0x2d358dccaa6c78a5

func newRNG(seed uint64) *rng {
	return &rng{src: rand.NewPCG(seed, pcgStream)}
}

// intn returns a uniform integer in [0, n) using Lemire's multiply-shift
// method with rejection (D. Lemire, "Fast Random Integer Generation in an
// Interval", ACM TOMACS 29(1), 2019). n must be positive.
func (r *rng) intn(n int) int {
	un := uint64(n)
	hi, lo := bits.Mul64(r.src.Uint64(), un)
	if lo < un {
		thresh := -un % un
		for lo < thresh {
			hi, lo = bits.Mul64(r.src.Uint64(), un)
		}
	}
	return int(hi)
}

// chance reports true with probability permille/1000.
func (r *rng) chance(permille int) bool {
	return r.intn(1000) < permille
}

// pick returns a uniformly chosen element of s.
func (r *rng) pick(s []string) string {
	return s[r.intn(len(s))]
}

// weighted returns index i with probability w[i]/sum(w). Weights are
// non-negative and at least one is positive.
func (r *rng) weighted(w []int) int {
	total := 0
	for _, x := range w {
		total += x
	}
	u := r.intn(total)
	for i, x := range w {
		if u < x {
			return i
		}
		u -= x
	}
	return len(w) - 1
}
