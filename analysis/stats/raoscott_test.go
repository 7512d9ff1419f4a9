package stats

import (
	"math"
	"slices"
	"testing"
)

// A small fixed data set (60 respondents, 2×3).
var (
	rsRow = []int{1, 0, 0, 1, 0, 0, 0, 0, 1, 0, 1, 1, 1, 1, 1, 0, 1, 1, 0, 0, 0, 1, 1, 1, 0, 1, 1, 1, 0, 1, 1, 1, 1, 0, 0, 0, 0, 0, 0, 0, 1, 1, 0, 0, 0, 1, 1, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0, 1, 0}
	rsCol = []int{2, 0, 2, 2, 2, 2, 1, 1, 2, 1, 2, 2, 2, 1, 1, 1, 2, 2, 0, 0, 1, 2, 1, 0, 0, 0, 2, 2, 1, 0, 1, 2, 1, 1, 1, 0, 0, 2, 2, 1, 1, 2, 0, 1, 1, 2, 2, 1, 2, 1, 0, 2, 2, 1, 2, 2, 2, 0, 2, 2}
	rsW   = []float64{1.8, 1.32, 1.75, 0.73, 2.76, 2.97, 0.65, 1.4, 2.33, 1.29, 1.92, 1.54, 2.44, 2.9, 2.72, 2.05, 0.9, 2.87, 0.56, 1.24, 1.2, 2.18, 1.72, 0.73, 0.53, 2.01, 1.73, 2.0, 1.91, 2.73, 2.8, 0.97, 2.86, 2.47, 2.1, 2.15, 1.87, 2.79, 1.08, 2.0, 2.54, 0.84, 2.04, 1.51, 2.42, 0.67, 2.02, 2.64, 2.07, 1.3, 2.14, 1.35, 2.17, 0.82, 1.2, 0.58, 0.71, 1.89, 1.08, 1.79}
)

// svyRef is one svychisq result recorded from R.
type svyRef struct {
	rows, cols, weights string
	chi2                float64 // Pearson X² (svychisq "Chisq" statistic)
	df                  int
	chi2RS, pChi2       float64 // X²/δ̄ (= F·df) and the "Chisq" p-value
	f, ndf, ddf, pF     float64 // svychisq "F"
}

// svyRefs were recorded from R 4.2.2 with survey 4.1.1 (Debian bookworm
// r-base-core, r-cran-survey) by
//
//	cd analysis/stats && Rscript testdata/svychisq.R > testdata/svychisq_r.out
//
// which runs, for each pair, on testdata/svychisq.csv (1,200 rows, weights
// 0.50–6.00, drawn by genSvyData):
//
//	des <- svydesign(ids = ~1, weights = ~w, data = d)
//	svychisq(~a2 + b2, des, statistic = "Chisq"); svychisq(~a2 + b2, des, statistic = "F")
//
// and the same with weights all 1 (weights = "one"). The values are copied
// from testdata/svychisq_r.out.
var svyRefs = []svyRef{
	{"a2", "b2", "w", 15.989723857335036, 1, 11.406538610181091, 0.00073186062679254536, 11.406538610181091, 1, 1199, 0.00075533596059084492},
	{"a3", "b4", "w", 101.49985226049684, 6, 76.262837523733566, 2.1088221868524488e-14, 12.710472920622262, 5.9737545031053516, 7162.5316492233169, 2.8521320506590681e-14},
	{"az", "bz", "w", 90.539705235530661, 6, 66.62675669993078, 2.0065466967789772e-12, 11.104459449988463, 5.9348737890325616, 7115.9136730500413, 2.9629177989175841e-12},
	{"c5", "d3", "w", 2.5218058605054114, 8, 1.8936814855456712, 0.98409956084436867, 0.2367101856932089, 7.942444453168565, 9522.9908993491099, 0.98372461452983451},
	{"e2", "f2", "w", 8.51106514926893, 1, 6.4639675028044428, 0.011008358390114431, 6.4639675028044428, 1, 1199, 0.011133275025336521},
	{"a3", "b4", "one", 79.294824295184284, 6, 79.228745274938319, 5.1557193255056238e-15, 13.204790879156388, 5.9999999999999991, 7193.9999999999991, 6.2687164082998814e-15},
	{"az", "bz", "one", 80.05888562360893, 6, 82.426391142161961, 1.1257622867980494e-15, 13.737731857026994, 5.9723471312530076, 7160.8442103723564, 1.6029324479825612e-15},
	{"e2", "f2", "one", 7.0892639030834799, 1, 7.2888780795437818, 0.0069382791578606251, 7.2888780795437818, 1, 1199, 0.0070358880888636106},
}

// TestRaoScottMatchesR checks both Rao–Scott tests against R's svychisq on
// 2×2, 3×4 and 5×3 tables, with and without empty cells.
func TestRaoScottMatchesR(t *testing.T) {
	cols, w := readSvyData(t)
	one := make([]float64, len(w))
	for i := range one {
		one[i] = 1
	}
	for _, ref := range svyRefs {
		t.Run(ref.rows+"_"+ref.cols+"_"+ref.weights, func(t *testing.T) {
			weights := w
			if ref.weights == "one" {
				weights = one
			}
			row, col := cols[ref.rows], cols[ref.cols]
			res := RaoScott(Responses{Row: row, Col: col, Weight: weights, NRows: slices.Max(row) + 1, NCols: slices.Max(col) + 1})
			if res.Status != StatusOK {
				t.Fatalf("RaoScott status = %q (%s)", res.Status, res.StatusDetail)
			}
			if res.DF != ref.df || res.N != 1200 {
				t.Errorf("RaoScott() DF=%d N=%d, want %d 1200", res.DF, res.N, ref.df)
			}
			checks := []struct {
				name      string
				got, want float64
			}{
				{"Chi2", res.Chi2, ref.chi2},
				{"Chi2RS", res.Chi2RS, ref.chi2RS},
				{"PChi2RS", res.PChi2RS, ref.pChi2},
				{"F", res.F, ref.f},
				{"DF1", res.DF1, ref.ndf},
				{"DF2", res.DF2, ref.ddf},
				{"PF", res.PF, ref.pF},
			}
			for _, c := range checks {
				if !approx(c.got, c.want, 1e-9) {
					t.Errorf("RaoScott().%s = %.17g, want %.17g (R svychisq; rel. diff %.2g)", c.name, c.got, c.want, math.Abs(c.got-c.want)/math.Abs(c.want))
				}
			}
		})
	}
}

// The test survey must hold the empty cells the references are about.
func TestSvyDataEmptyCells(t *testing.T) {
	cols, _ := readSvyData(t)
	for _, tc := range []struct {
		rows, cols string
		empty      int
	}{{"az", "bz", 3}, {"e2", "f2", 1}, {"a3", "b4", 0}} {
		seen := map[[2]int]bool{}
		for k, a := range cols[tc.rows] {
			seen[[2]int{a, cols[tc.cols][k]}] = true
		}
		nr, nc := slices.Max(cols[tc.rows])+1, slices.Max(cols[tc.cols])+1
		if got := nr*nc - len(seen); got != tc.empty {
			t.Errorf("%s×%s has %d empty cells, want %d", tc.rows, tc.cols, got, tc.empty)
		}
	}
}

// TestRaoScottEqualWeightsEmptyCell2x2 checks the empty-cell behaviour that
// svychisq has (a zero share gets a zero in D⁻¹) against a closed form
// derived by hand for a 2×2 table with equal weights and one empty cell:
// there C = (1, −1, −1, 1)'/2, V̂ = (D − p p')/(n−1), and
//
//	Δ = n/(n−1) · (1 − 1/Σ_{p_ij>0} 1/p_ij),
//
// smaller than the n/(n−1) of a table without empty cells.
func TestRaoScottEqualWeightsEmptyCell2x2(t *testing.T) {
	//            col 0  col 1
	//  row 0       5      3
	//  row 1       4      0
	var row, col []int
	for _, c := range []struct{ a, b, k int }{{0, 0, 5}, {0, 1, 3}, {1, 0, 4}} {
		for range c.k {
			row, col = append(row, c.a), append(col, c.b)
		}
	}
	w := make([]float64, len(row))
	for i := range w {
		w[i] = 1.7
	}
	res := RaoScott(Responses{Row: row, Col: col, Weight: w, NRows: 2, NCols: 2})
	n := 12.0
	want := n / (n - 1) * (1 - 1/(n/5+n/3+n/4))
	if res.Status != StatusOK || !approx(res.MeanDeff, want, 1e-12) || !approx(res.DF1, 1, 1e-12) {
		t.Errorf("RaoScott(2×2, empty cell) status=%s δ̄=%v DF1=%v, want ok %v 1", res.Status, res.MeanDeff, res.DF1, want)
	}
}

// With equal weights and no empty cell, V̂ = (D − p p')/(n−1) and Δ is
// n/(n−1) times the identity, so δ̄ = n/(n−1), the first-order statistic is
// the ordinary Pearson X² of the unweighted table (which Analyze reproduces,
// checked against scipy in contingency_test.go) times (n−1)/n, and the
// second-order test has DF1 = DF and DF2 = DF·(n−1).
func TestRaoScottEqualWeights(t *testing.T) {
	w := make([]float64, len(rsRow))
	counts := [][]float64{{0, 0, 0}, {0, 0, 0}}
	for k := range w {
		w[k] = 2.5
		counts[rsRow[k]][rsCol[k]]++
	}
	res := RaoScott(Responses{Row: rsRow, Col: rsCol, Weight: w, NRows: 2, NCols: 3})
	ref := Analyze(Table{Counts: counts}, Options{})
	n := float64(len(w))
	k := (n - 1) / n
	if !approx(res.MeanDeff, 1/k, 1e-12) || !approx(res.Chi2, ref.Chi2, 1e-12) || !approx(res.Chi2RS, k*ref.Chi2, 1e-12) {
		t.Errorf("RaoScott(equal weights) δ̄=%v X²=%v X²_RS=%v, want %v, %v, %v", res.MeanDeff, res.Chi2, res.Chi2RS, 1/k, ref.Chi2, k*ref.Chi2)
	}
	if !approx(res.DF1, 2, 1e-12) || !approx(res.DF2, 2*(n-1), 1e-12) || !approx(res.F, k*ref.Chi2/2, 1e-12) {
		t.Errorf("RaoScott(equal weights) F=%v DF1=%v DF2=%v, want %v, 2, %v", res.F, res.DF1, res.DF2, k*ref.Chi2/2, 2*(n-1))
	}
	// P(χ²₂ > x) = exp(−x/2) and P(F(2, d) > f) = (1 + 2f/d)^(−d/2).
	if x := res.Chi2RS; !approx(res.PChi2RS, math.Exp(-x/2), 1e-12) {
		t.Errorf("RaoScott(equal weights) PChi2RS = %v, want %v", res.PChi2RS, math.Exp(-x/2))
	}
	if d := res.DF2; !approx(res.PF, math.Pow(1+2*res.F/d, -d/2), 1e-10) {
		t.Errorf("RaoScott(equal weights) PF = %v, want %v", res.PF, math.Pow(1+2*res.F/d, -d/2))
	}
}

func TestRaoScottEdgeCases(t *testing.T) {
	tests := []struct {
		name     string
		row, col []int
		w        []float64
		status   string
	}{
		{"empty", nil, nil, nil, StatusEmpty},
		{"all missing", []int{-1, 0}, []int{0, -1}, []float64{1, 1}, StatusEmpty},
		{"zero weights", []int{0, 1}, []int{0, 1}, []float64{0, 0}, StatusEmpty},
		{"single", []int{0, -1}, []int{1, 1}, []float64{2, 1}, StatusSingleObservation},
		{"one row", []int{0, 0, 0}, []int{0, 1, 1}, []float64{1, 2, 3}, StatusDegenerate},
		{"length mismatch", []int{0}, []int{0, 1}, []float64{1}, StatusInvalid},
		{"negative weight", []int{0, 1}, []int{0, 1}, []float64{1, -1}, StatusInvalid},
		{"NaN weight", []int{0, 1}, []int{0, 1}, []float64{1, math.NaN()}, StatusInvalid},
		{"code out of range", []int{0, 2}, []int{0, 1}, []float64{1, 1}, StatusInvalid},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			res := RaoScott(Responses{Row: tc.row, Col: tc.col, Weight: tc.w, NRows: 2, NCols: 2})
			if res.Status != tc.status {
				t.Fatalf("RaoScott(%v, %v, %v).Status = %q (%s), want %q", tc.row, tc.col, tc.w, res.Status, res.StatusDetail, tc.status)
			}
			if !math.IsNaN(res.PChi2RS) || !math.IsNaN(res.Chi2RS) || !math.IsNaN(res.F) || !math.IsNaN(res.PF) {
				t.Errorf("RaoScott(%v, %v, %v) PChi2RS=%v Chi2RS=%v F=%v PF=%v, want NaN", tc.row, tc.col, tc.w, res.PChi2RS, res.Chi2RS, res.F, res.PF)
			}
		})
	}
}
