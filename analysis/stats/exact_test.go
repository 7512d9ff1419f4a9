package stats

import (
	"context"
	"math"
	"testing"
)

// hyperSample must reproduce the hypergeometric pmf. The pmf here is the
// textbook C(k,x)C(n−k,m−x)/C(n,m) in exact integer arithmetic (not the
// package's log-gamma path), and each frequency over 200000 draws must be
// within 5 binomial standard errors.
func TestHyperSample(t *testing.T) {
	choose := func(n, k int) float64 {
		if k < 0 || k > n {
			return 0
		}
		r := 1.0
		for i := 1; i <= k; i++ {
			r = r * float64(n-k+i) / float64(i)
		}
		return r
	}
	tests := []struct{ n, k, m int }{{20, 7, 9}, {50, 45, 10}, {30, 3, 25}, {12, 12, 5}, {12, 0, 5}}
	const draws = 200000
	rng := newRand(11)
	for _, tc := range tests {
		freq := make(map[int]int)
		for range draws {
			freq[hyperSample(rng, tc.n, tc.k, tc.m)]++
		}
		total := 0.0
		for x := 0; x <= tc.m; x++ {
			p := choose(tc.k, x) * choose(tc.n-tc.k, tc.m-x) / choose(tc.n, tc.m)
			total += p
			got := float64(freq[x]) / draws
			se := math.Sqrt(p*(1-p)/draws) + 1e-9
			if math.Abs(got-p) > 5*se {
				t.Errorf("hyperSample(n=%d, k=%d, m=%d): P(%d) = %.5f, want %.5f ± %.5f", tc.n, tc.k, tc.m, x, got, p, 5*se)
			}
			delete(freq, x)
		}
		if len(freq) != 0 || math.Abs(total-1) > 1e-12 {
			t.Errorf("hyperSample(n=%d, k=%d, m=%d) drew outside the support: %v", tc.n, tc.k, tc.m, freq)
		}
	}
}

func TestRandomTableMargins(t *testing.T) {
	rowTot, colTot := []int{5, 0, 7, 13}, []int{10, 1, 14}
	cnt, left := make([]int, 12), make([]int, 3)
	rng := newRand(5)
	for range 1000 {
		randomTable(rng, rowTot, colTot, cnt, left)
		for i, want := range rowTot {
			got := cnt[i*3] + cnt[i*3+1] + cnt[i*3+2]
			if got != want {
				t.Fatalf("randomTable row %d total = %d, want %d (%v)", i, got, want, cnt)
			}
		}
		for j, want := range colTot {
			got := 0
			for i := range rowTot {
				if cnt[i*3+j] < 0 {
					t.Fatalf("randomTable negative count %v", cnt)
				}
				got += cnt[i*3+j]
			}
			if got != want {
				t.Fatalf("randomTable col %d total = %d, want %d (%v)", j, got, want, cnt)
			}
		}
	}
}

// The Monte Carlo p-value of a 3×3 sparse table against the exact
// conditional p-value P(X² ≥ x²_obs) from full enumeration of the tables with
// the same margins (ref1.py-style enumeration, scipy/itertools, run by hand):
//
//	obs=[[2,0,1],[0,3,0],[1,1,2]]; enumerate a,b (row 1) and d,e (row 2),
//	weight = Π row! Π col! / (n! Π cell!), sum weights with X² ≥ obs·(1−64eps)
//
// printed 0.117142857142857 (script exact_p.py, run by hand).
func TestMonteCarloExact3x3(t *testing.T) {
	obs := [][]int{{2, 0, 1}, {0, 3, 0}, {1, 1, 2}}
	p := monteCarloChi2(obs, 40000, 9, nil)
	want := 0.117142857142857
	se := math.Sqrt(want * (1 - want) / 40000)
	if math.Abs(p-want) > 4*se {
		t.Errorf("monteCarloChi2(%v) = %.5f, want %.5f ± %.5f", obs, p, want, 4*se)
	}
}

// Large counts exercise the long walks of hyperSample. Exact conditional
// p-value by enumerating the 10 tables with the margins of obs, using
// scipy.stats.multivariate_hypergeom.pmf (script big.py, run by hand):
// 0.6249925121843881.
func TestMonteCarloLargeCounts(t *testing.T) {
	obs := [][]int{{50000, 1, 3}, {49990, 0, 1}}
	p := monteCarloChi2(obs, 20000, 4, nil)
	want := 0.6249925121843881
	se := math.Sqrt(want * (1 - want) / 20000)
	if math.Abs(p-want) > 4*se {
		t.Errorf("monteCarloChi2(%v) = %.5f, want %.5f ± %.5f", obs, p, want, 4*se)
	}
}

// TestMonteCarloCancelled: a cancelled Options.Ctx stops the Monte Carlo
// test (p-value NaN) instead of drawing every table.
func TestMonteCarloCancelled(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	sparse := Table{Counts: [][]float64{{3, 0, 1}, {0, 4, 1}, {1, 1, 0}}}
	if r := Analyze(sparse, Options{MonteCarloB: 1 << 30, Ctx: ctx}); r.Test != TestMonteCarlo || !math.IsNaN(r.P) {
		t.Errorf("Analyze(cancelled ctx) = test %s, p %v; want %s, NaN", r.Test, r.P, TestMonteCarlo)
	}
	if r := Analyze(sparse, Options{MonteCarloB: 500, Ctx: context.Background()}); math.IsNaN(r.P) {
		t.Errorf("Analyze(live ctx) p = NaN, want a p-value")
	}
}
