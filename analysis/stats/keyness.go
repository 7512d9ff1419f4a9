package stats

import (
	"math"
	"sort"

	"gonum.org/v1/gonum/stat/distuv"
)

// KeynessOptions tunes Keyness. The zero value gives the defaults.
type KeynessOptions struct {
	// MinFreq is the minimum combined frequency (target + reference) for a
	// term to be tested; zero means 5. Terms below it are left out.
	MinFreq float64
	// ZeroAdjust replaces a zero frequency in the log ratio only; zero means
	// 0.5 (Hardie 2014).
	ZeroAdjust float64
	// TargetTotal and ReferenceTotal are the corpus sizes in tokens; zero
	// means the sum of the frequencies in the corresponding map.
	TargetTotal, ReferenceTotal float64
}

// KeyTerm is the keyness of one term in the target corpus against the
// reference corpus, from the 2×2 table
//
//	               target        reference
//	term           a             b
//	other tokens   C−a           D−b
//
// with C and D the corpus sizes.
type KeyTerm struct {
	Term              string
	Target, Reference float64 // raw frequencies a and b
	// TargetPer10k and ReferencePer10k are frequencies per 10,000 tokens.
	TargetPer10k, ReferencePer10k float64
	// G2 is the log-likelihood statistic 2 Σ O ln(O/E) over the four cells of
	// the 2×2 table (Dunning 1993). Rayson & Garside's (2000) calculator
	// sums only the two term cells; the two agree closely when the term is
	// rare relative to the corpora.
	G2 float64
	// Chi2 is Pearson's X² of the same table, no continuity correction.
	Chi2 float64
	// P is the upper-tail χ²(1) probability of G2; PAdj is its
	// Benjamini–Hochberg adjustment over all terms returned.
	P, PAdj float64
	// LogRatio is Hardie's (2014) log ratio log2((a/C)/(b/D)), with a zero
	// frequency replaced by KeynessOptions.ZeroAdjust. Positive means the
	// term is relatively more frequent in the target corpus.
	LogRatio float64
	// Overuse reports a/C > b/D.
	Overuse bool
}

// Keyness compares term frequencies of a target corpus with a reference
// corpus. Every term in either map with combined frequency ≥ MinFreq is
// tested (a term missing from a map has frequency 0). Results are sorted by
// G2 descending, then by term. Negative or NaN frequencies are treated as 0;
// a term whose frequency exceeds its corpus size is skipped.
// It returns nil when either corpus size is not positive or no term
// qualifies.
func Keyness(target, reference map[string]float64, opt KeynessOptions) []KeyTerm {
	if opt.MinFreq <= 0 {
		opt.MinFreq = 5
	}
	if opt.ZeroAdjust <= 0 {
		opt.ZeroAdjust = 0.5
	}
	clean := func(v float64) float64 {
		if !(v > 0) || math.IsInf(v, 0) {
			return 0
		}
		return v
	}
	total := func(m map[string]float64, given float64) float64 {
		if given > 0 {
			return given
		}
		s := 0.0
		for _, v := range m {
			s += clean(v)
		}
		return s
	}
	C, D := total(target, opt.TargetTotal), total(reference, opt.ReferenceTotal)
	if !(C > 0) || !(D > 0) {
		return nil
	}
	terms := make(map[string]struct{}, len(target)+len(reference))
	for t := range target {
		terms[t] = struct{}{}
	}
	for t := range reference {
		terms[t] = struct{}{}
	}
	names := make([]string, 0, len(terms))
	for t := range terms {
		names = append(names, t)
	}
	sort.Strings(names)
	chi1 := distuv.ChiSquared{K: 1}
	var out []KeyTerm
	for _, t := range names {
		a, b := clean(target[t]), clean(reference[t])
		if a+b < opt.MinFreq || a > C || b > D {
			continue
		}
		k := KeyTerm{Term: t, Target: a, Reference: b, TargetPer10k: 1e4 * a / C, ReferencePer10k: 1e4 * b / D}
		k.G2, k.Chi2 = twoByTwo(a, b, C-a, D-b)
		k.P = chi1.Survival(k.G2)
		az, bz := a, b
		if az == 0 {
			az = opt.ZeroAdjust
		}
		if bz == 0 {
			bz = opt.ZeroAdjust
		}
		k.LogRatio = math.Log2((az / C) / (bz / D))
		k.Overuse = a/C > b/D
		out = append(out, k)
	}
	p := make([]float64, len(out))
	for i := range out {
		p[i] = out[i].P
	}
	for i, q := range BH(p) {
		out[i].PAdj = q
	}
	sort.SliceStable(out, func(i, j int) bool {
		if out[i].G2 != out[j].G2 {
			return out[i].G2 > out[j].G2
		}
		return out[i].Term < out[j].Term
	})
	return out
}

// twoByTwo returns G² and Pearson X² of the 2×2 table [[a, b], [c, d]].
func twoByTwo(a, b, c, d float64) (g2, x2 float64) {
	n := a + b + c + d
	obs := [4]float64{a, b, c, d}
	rows := [2]float64{a + b, c + d}
	cols := [2]float64{a + c, b + d}
	for k, o := range obs {
		e := rows[k/2] * cols[k%2] / n
		if e == 0 {
			continue
		}
		x2 += (o - e) * (o - e) / e
		if o > 0 {
			g2 += 2 * o * math.Log(o/e)
		}
	}
	return math.Max(g2, 0), x2
}
