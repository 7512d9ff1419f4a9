package stats

import (
	"math"
	"sort"
)

// Holm returns Holm's (1979) step-down adjusted p-values for the family p,
// in the order of p. With the m non-NaN p-values sorted ascending,
// p̃_(i) = min(1, max_{k≤i} (m−k+1)·p_(k)) (as R's p.adjust("holm")).
// NaN entries are not counted in m and stay NaN. p is not modified; a nil or
// empty p gives an empty slice.
func Holm(p []float64) []float64 {
	out, idx := adjustSetup(p)
	m := float64(len(idx))
	run := 0.0
	for k, i := range idx {
		run = math.Max(run, math.Min(1, (m-float64(k))*p[i]))
		out[i] = run
	}
	return out
}

// BH returns Benjamini–Hochberg (1995) step-up adjusted p-values (false
// discovery rate) for the family p, in the order of p. With the m non-NaN
// p-values sorted ascending, p̃_(i) = min(1, min_{k≥i} m·p_(k)/k)
// (as R's p.adjust("BH")). NaN entries are not counted in m and stay NaN.
// p is not modified; a nil or empty p gives an empty slice.
func BH(p []float64) []float64 {
	out, idx := adjustSetup(p)
	m := float64(len(idx))
	run := 1.0
	for k := len(idx) - 1; k >= 0; k-- {
		i := idx[k]
		run = math.Min(run, m*p[i]/float64(k+1))
		out[i] = run
	}
	return out
}

// adjustSetup returns an all-NaN result slice and the indices of the non-NaN
// p-values sorted by p (ties by index, so the result is deterministic).
func adjustSetup(p []float64) ([]float64, []int) {
	out := make([]float64, len(p))
	var idx []int
	for i, v := range p {
		out[i] = math.NaN()
		if !math.IsNaN(v) {
			idx = append(idx, i)
		}
	}
	sort.SliceStable(idx, func(a, b int) bool { return p[idx[a]] < p[idx[b]] })
	return out, idx
}
