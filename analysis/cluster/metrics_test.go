package cluster

import (
	"math"
	"testing"
)

// Expected values computed with Debian python3-sklearn 1.2.1 by
// /usr/bin/python3 -c 'from sklearn.metrics import normalized_mutual_info_score
// as nmi, adjusted_rand_score as ari; from sklearn.metrics.cluster import
// contingency_matrix; print(nmi(a, b), ari(a, b),
// contingency_matrix(b, a).max(axis=0).sum() / len(a))'
// for each pair (a, b) below; purity takes a as the prediction, b as truth.
var metricCases = []struct {
	name          string
	a, b          []int
	nmi, ari, pur float64
}{
	{"split", []int{0, 0, 0, 1, 1, 1}, []int{0, 0, 1, 1, 2, 2}, 0.515803742979389, 0.242424242424242, 0.666666666666667},
	{"partial", []int{0, 0, 1, 1, 2, 2, 2, 3}, []int{1, 1, 0, 0, 2, 2, 3, 3}, 0.847819798936787, 0.60377358490566, 0.875},
	{"renamed", []int{0, 0, 1, 1}, []int{1, 1, 0, 0}, 1, 1, 1},
	{"one vs singletons", []int{0, 0, 0, 0}, []int{0, 1, 2, 3}, 0, 0, 0.25},
	{"both trivial", []int{5, 5, 5}, []int{7, 7, 7}, 1, 1, 1},
	{"negative labels", []int{-1, 0, 0, 1, 1, -1, 2}, []int{0, 0, 1, 1, 2, 2, 2}, 0.398939279296563, -0.217391304347826, 0.571428571428571},
	{"crossed", []int{0, 1, 0, 1, 0, 1, 0, 1, 2, 2}, []int{0, 0, 1, 1, 0, 0, 1, 1, 2, 2}, 0.474350987614032, 0.134615384615385, 0.6},
}

func TestMetrics(t *testing.T) {
	const tol = 1e-12
	for _, tc := range metricCases {
		t.Run(tc.name, func(t *testing.T) {
			if got := NMI(tc.a, tc.b); math.Abs(got-tc.nmi) > tol {
				t.Errorf("NMI(%v, %v) = %.15g, want %.15g", tc.a, tc.b, got, tc.nmi)
			}
			if got := NMI(tc.b, tc.a); math.Abs(got-tc.nmi) > tol {
				t.Errorf("NMI(%v, %v) = %.15g, want %.15g (symmetry)", tc.b, tc.a, got, tc.nmi)
			}
			if got := ARI(tc.a, tc.b); math.Abs(got-tc.ari) > tol {
				t.Errorf("ARI(%v, %v) = %.15g, want %.15g", tc.a, tc.b, got, tc.ari)
			}
			if got := Purity(tc.a, tc.b); math.Abs(got-tc.pur) > tol {
				t.Errorf("Purity(%v, %v) = %.15g, want %.15g", tc.a, tc.b, got, tc.pur)
			}
		})
	}
}

func TestMetricsLengthMismatchPanics(t *testing.T) {
	for name, f := range map[string]func(a, b []int) float64{"NMI": NMI, "ARI": ARI, "Purity": Purity} {
		t.Run(name, func(t *testing.T) {
			defer func() {
				if recover() == nil {
					t.Errorf("%s([0 1], [0]) did not panic", name)
				}
			}()
			f([]int{0, 1}, []int{0})
		})
	}
}
