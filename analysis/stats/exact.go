package stats

import (
	"math"
	"math/rand/v2"

	"gonum.org/v1/gonum/stat/distuv"
)

// fisherRelTol is the relative tolerance used when comparing table
// probabilities with the observed one, as in R's fisher.test (1 + 1e-7).
const fisherRelTol = 1 + 1e-7

// FisherExact2x2 returns the two-sided p-value of Fisher's exact test for the
// 2×2 table
//
//	a b
//	c d
//
// Conditioning on both margins, the count in the first cell is hypergeometric;
// p is the sum of the probabilities of all tables with the same margins whose
// probability is at most the observed table's probability times (1 + 1e-7)
// (Agresti 2013 §3.5.1; the tolerance follows R's fisher.test). Probabilities
// are computed in log space with math.Lgamma, so large counts are fine.
// It returns NaN if any count is negative and 1 if the table is empty.
func FisherExact2x2(a, b, c, d int) float64 {
	if a < 0 || b < 0 || c < 0 || d < 0 {
		return math.NaN()
	}
	r1, c1, n := a+b, a+c, a+b+c+d
	lo, hi := max(0, c1-(n-r1)), min(r1, c1)
	if lo == hi {
		return 1
	}
	lp := make([]float64, hi-lo+1)
	top := math.Inf(-1)
	for x := lo; x <= hi; x++ {
		lp[x-lo] = logHyper(x, r1, c1, n)
		top = math.Max(top, lp[x-lo])
	}
	obs := math.Exp(lp[a-lo] - top)
	var num, den float64
	for _, l := range lp {
		p := math.Exp(l - top)
		den += p
		if p <= obs*fisherRelTol {
			num += p
		}
	}
	return math.Min(1, num/den)
}

// logHyper is the log hypergeometric probability of x successes in a sample
// of size c1 drawn from n items of which r1 are successes.
func logHyper(x, r1, c1, n int) float64 {
	return logChoose(r1, x) + logChoose(n-r1, c1-x) - logChoose(n, c1)
}

func logChoose(n, k int) float64 {
	a, _ := math.Lgamma(float64(n + 1))
	b, _ := math.Lgamma(float64(k + 1))
	c, _ := math.Lgamma(float64(n - k + 1))
	return a - b - c
}

// newRand returns the package's deterministic generator for seed.
func newRand(seed uint64) *rand.Rand {
	return rand.New(rand.NewPCG(seed, 0x9e3779b97f4a7c15))
}

// mcAlmostOne makes "statistic ≥ observed" robust to rounding, as R's
// chisq.test does (1 − 64·eps).
const mcAlmostOne = 1 - 64*2.220446049250313e-16

// monteCarloChi2 returns the Monte Carlo p-value (1 + #{X²* ≥ X²})/(B + 1)
// (Hope 1968; R's chisq.test(simulate.p.value = TRUE)) of the Pearson
// statistic of obs, drawing B tables with the margins of obs fixed from
// their conditional (multiple hypergeometric) distribution under
// independence, the distribution Patefield's (1981) algorithm samples. Each
// table is built row by row: within a row, the count of each column is a
// hypergeometric draw given what is left of the row total and of the column
// totals (randomTable). obs must have at least two rows and columns with
// positive margins. Cost is O(B·R·C·sqrt(n)). When stop is not nil and
// returns true (it is asked every mcCheckEvery tables), the result is NaN.
func monteCarloChi2(obs [][]int, b int, seed uint64, stop func() bool) float64 {
	r, c := len(obs), len(obs[0])
	rowTot, colTot := make([]int, r), make([]int, c)
	n := 0
	for i := range obs {
		for j, v := range obs[i] {
			rowTot[i] += v
			colTot[j] += v
			n += v
		}
	}
	expected := make([]float64, r*c)
	for i := range r {
		for j := range c {
			expected[i*c+j] = float64(rowTot[i]) * float64(colTot[j]) / float64(n)
		}
	}
	stat := func(cnt []int) float64 {
		s := 0.0
		for k, e := range expected {
			d := float64(cnt[k]) - e
			s += d * d / e
		}
		return s
	}
	cnt := make([]int, r*c)
	for i := range obs {
		for j, v := range obs[i] {
			cnt[i*c+j] = v
		}
	}
	x0 := stat(cnt) * mcAlmostOne
	rng := newRand(seed)
	left := make([]int, c)
	ge := 0
	for k := range b {
		if stop != nil && k%mcCheckEvery == 0 && stop() {
			return math.NaN()
		}
		randomTable(rng, rowTot, colTot, cnt, left)
		if stat(cnt) >= x0 {
			ge++
		}
	}
	return float64(1+ge) / float64(b+1)
}

// randomTable fills cnt (row-major R×C) with a random table having row
// totals rowTot and column totals colTot, drawn from the multiple
// hypergeometric distribution of tables with those margins. left is scratch
// space of length C.
func randomTable(rng *rand.Rand, rowTot, colTot, cnt, left []int) {
	c := len(colTot)
	copy(left, colTot)
	total := 0
	for _, v := range colTot {
		total += v
	}
	for i, need := range rowTot {
		if i == len(rowTot)-1 { // the last row takes what is left
			copy(cnt[i*c:], left)
			break
		}
		rest := total // units left in columns j, j+1, ...
		for j := range c {
			var x int
			if j == c-1 {
				x = need
			} else {
				x = hyperSample(rng, rest, left[j], need)
			}
			cnt[i*c+j] = x
			need -= x
			rest -= left[j]
			left[j] -= x
		}
		total -= rowTot[i]
	}
}

// hyperSample draws the number of successes in m draws without replacement
// from n items of which k are successes, by inversion: the search starts at
// the mode and walks outwards, updating probabilities with the ratios
// p(x+1)/p(x) = (k−x)(m−x)/((x+1)(n−k−m+x+1)). The expected number of steps
// is of the order of the standard deviation.
func hyperSample(rng *rand.Rand, n, k, m int) int {
	lo, hi := max(0, m-(n-k)), min(m, k)
	if lo >= hi {
		return lo
	}
	mode := min(max(int((float64(m)+1)*(float64(k)+1)/(float64(n)+2)), lo), hi)
	pm := math.Exp(logHyper(mode, k, m, n))
	u := rng.Float64() - pm
	if u <= 0 {
		return mode
	}
	up, down := mode, mode
	pu, pd := pm, pm
	for up < hi || down > lo {
		if up < hi {
			x := float64(up)
			pu *= (float64(k) - x) * (float64(m) - x) / ((x + 1) * (float64(n-k-m) + x + 1))
			up++
			if u -= pu; u <= 0 {
				return up
			}
		}
		if down > lo {
			x := float64(down)
			pd *= x * (float64(n-k-m) + x) / ((float64(k) - x + 1) * (float64(m) - x + 1))
			down--
			if u -= pd; u <= 0 {
				return down
			}
		}
	}
	return mode // rounding left u slightly above 0 after the whole support
}

// ncChi2CDF is the CDF at x of the noncentral chi-square distribution with
// df degrees of freedom and noncentrality lam, as the Poisson(lam/2) mixture
// Σ_j w_j F_{df+2j}(x) (Johnson, Kotz & Balakrishnan 1995, eq. 29.2), summed
// outwards from the Poisson mode until the weights are negligible.
//
// Only the central CDF at the mode costs an incomplete gamma function; the
// others follow from F_{k+2}(x) = F_k(x) − t_k with t_k = (x/2)^{k/2}
// e^{−x/2} / Γ(k/2+1) and t_{k+2} = t_k·(x/2)/(k/2+1) (Abramowitz & Stegun
// 6.5.21), and the Poisson weights from w_{j+1} = w_j·h/(j+1). Going down
// the terms are added; going up they are subtracted, which can only lose
// absolute precision near 1e-16, far below what the interval search needs.
// The test inversion of ncpInterval calls this some 80 times per table, so
// the 20,000 cross-tabs of a wide survey spent most of their time here.
func ncChi2CDF(x, df, lam float64) float64 {
	if lam <= 0 {
		return distuv.ChiSquared{K: df}.CDF(x)
	}
	if x <= 0 {
		return 0
	}
	h := lam / 2
	j0 := math.Floor(h)
	lg, _ := math.Lgamma(j0 + 1)
	w0 := math.Exp(-h + j0*math.Log(h) - lg) // Poisson weight at the mode
	k0 := df + 2*j0
	f0 := distuv.ChiSquared{K: k0}.CDF(x)
	// logt is log t_k for a central chi-square with k degrees of freedom.
	logt := func(k float64) float64 {
		lg, _ := math.Lgamma(k/2 + 1)
		return (k/2)*math.Log(x/2) - x/2 - lg
	}
	sum := w0 * f0

	// Downwards: j = j0−1, …, 0; F_{k−2} = F_k + t_{k−2}.
	w, f := w0, f0
	t := math.Exp(logt(k0 - 2))
	for j := j0 - 1; j >= 0; j-- {
		k := df + 2*j // degrees of freedom of this term
		w *= (j + 1) / h
		f += t
		sum += w * f
		if w < 1e-17 {
			break
		}
		t *= (k / 2) / (x / 2) // t_{k−2} from t_k
	}

	// Upwards: j = j0+1, …; F_{k+2} = F_k − t_k.
	w, f = w0, f0
	t = math.Exp(logt(k0))
	for j := j0 + 1; ; j++ {
		k := df + 2*(j-1) // degrees of freedom of the previous term
		w *= h / j
		f = math.Max(0, f-t)
		sum += w * f
		if w < 1e-17 || (f == 0 && j > h) {
			break
		}
		t *= (x / 2) / (k/2 + 1) // t_{k+2} from t_k
	}
	return math.Min(1, sum)
}

// ncpInterval returns the (1−alpha) confidence interval for the
// noncentrality parameter λ of an observed chi-square statistic x with df
// degrees of freedom, by test inversion (Smithson 2003): λ_L solves
// F(x; df, λ) = 1−alpha/2 and λ_U solves F(x; df, λ) = alpha/2; a bound is 0
// when F(x; df, 0) is already below its target. F decreases in λ, so each
// bound is found by bisection.
func ncpInterval(x, df, alpha float64) (lo, hi float64) {
	solve := func(target float64) float64 {
		if ncChi2CDF(x, df, 0) <= target {
			return 0
		}
		a, b := 0.0, math.Max(1, x)
		for ncChi2CDF(x, df, b) > target {
			a, b = b, 2*b
			if b > 1e9 {
				return math.NaN()
			}
		}
		for range 200 {
			m := (a + b) / 2
			if ncChi2CDF(x, df, m) > target {
				a = m
			} else {
				b = m
			}
			if b-a <= 1e-10*(1+b) {
				break
			}
		}
		return (a + b) / 2
	}
	return solve(1 - alpha/2), solve(alpha / 2)
}
