package stats

import (
	"math"

	"gonum.org/v1/gonum/stat/distuv"
	"slices"
	"testing"
)

// Reference values in this file were computed by hand with scipy 1.10.1
// (Debian python3-scipy) by the script below, run as /usr/bin/python3 ref1.py;
// it is not a test dependency.
//
//	import numpy as np, math
//	from scipy.stats import chi2_contingency, chi2, ncx2
//	from scipy.stats.contingency import association
//	from scipy.optimize import brentq
//	def full(tab):
//	    t=np.array(tab,float); n=t.sum()
//	    x2,p,df,E=chi2_contingency(t,correction=False)
//	    g2,pg,_,_=chi2_contingency(t,correction=False,lambda_="log-likelihood")
//	    r=t.sum(1,keepdims=True)/n; c=t.sum(0,keepdims=True)/n
//	    adj=(t-E)/np.sqrt(E*(1-r)*(1-c))
//	    V=association(np.array(tab),method="cramer",correction=False)
//	    R,C=t.shape
//	    phi2=max(0,x2/n-(R-1)*(C-1)/(n-1)); rt=R-(R-1)**2/(n-1); ct=C-(C-1)**2/(n-1)
//	    vb=math.sqrt(phi2/min(rt-1,ct-1))          # Bergsma (2013)
//	    k=min(R,C)
//	    def bound(target):
//	        if chi2.cdf(x2,df)<=target: return 0.0
//	        return brentq(lambda l: ncx2.cdf(x2,df,l)-target,1e-12,20*x2+100,xtol=1e-14)
//	    lo,hi=bound(0.975),bound(0.025)
//	    print(x2,p,g2,pg,df,V,vb,math.sqrt(lo/(n*(k-1))),math.sqrt(hi/(n*(k-1))),E,adj)

type refTable struct {
	name                     string
	counts                   [][]float64
	chi2, pChi2, g2, pG2     float64
	df                       int
	v, vCorr, vLow, vHigh    float64
	expected, adjResid       [][]float64
	test                     string
	minExpected, shareBelow5 float64
	droppedRows, droppedCols []string
	keptRows, keptCols       []string
	rowLabels, colLabels     []string
	rowPctFirst, colPctFirst float64 // percentages of the first kept cell
	totalPctFirst            float64
}

var refTables = []refTable{
	{
		// Agresti (2007), An Introduction to Categorical Data Analysis, 2nd ed.,
		// Table 2.5 / §2.4.5: party identification by gender (rows: females,
		// males; columns: Democrat, Independent, Republican). Published:
		// X² = 30.1, G² = 30.0, df = 2, adjusted residuals 4.50, 0.70, −5.32
		// (females). Precise values from the scipy script above.
		name:     "agresti party id by gender",
		counts:   [][]float64{{762, 327, 468}, {484, 239, 477}},
		chi2:     30.0701490957547,
		pChi2:    2.95358918321176e-07,
		g2:       30.0166926132397,
		pG2:      3.03359791063883e-07,
		df:       2,
		v:        0.104435802356468,
		vCorr:    0.100919982784409,
		vLow:     0.0649074181025551,
		vHigh:    0.140263904665686,
		expected: [][]float64{{703.6713819368879, 319.64526659412405, 533.683351468988}, {542.3286180631121, 246.35473340587595, 411.316648531012}},
		adjResid: [][]float64{{4.502053521086705, 0.6994517329844296, -5.315945542704929}, {-4.5020535210867045, -0.6994517329844296, 5.315945542704929}},
		test:     TestPearson,
		// 762/1557, 762/1246, 762/2757
		rowPctFirst: 100 * 762.0 / 1557, colPctFirst: 100 * 762.0 / 1246, totalPctFirst: 100 * 762.0 / 2757,
		minExpected: 246.35473340587595, shareBelow5: 0,
		keptRows: []string{"0", "1"}, keptCols: []string{"0", "1", "2"},
	},
	{
		name:   "3x3 with an empty row and column dropped",
		counts: [][]float64{{10, 20, 0, 30}, {0, 0, 0, 0}, {25, 15, 0, 5}, {8, 9, 0, 12}},
		// The same as scipy on [[10,20,30],[25,15,5],[8,9,12]].
		rowLabels: []string{"a", "empty", "b", "c"},
		colLabels: []string{"x", "y", "none", "z"},
		chi2:      23.8962187522136,
		pChi2:     8.37931251401102e-05,
		g2:        25.7025431628776,
		pG2:       3.63289889372925e-05,
		df:        4,
		v:         0.298605082582465,
		vCorr:     0.274333952347139,
		vLow:      0.152916637802828,
		vHigh:     0.402144132309354,
		expected:  [][]float64{{19.253731343283583, 19.70149253731343, 21.044776119402986}, {14.440298507462687, 14.776119402985074, 15.783582089552239}, {9.305970149253731, 9.522388059701493, 10.171641791044776}},
		adjResid:  [][]float64{{-3.443718750993324, 0.11042650132107028, 3.260120141290306}, {4.137639553993976, 0.08720166970670255, -4.133428511230774}, {-0.5868699539186629, -0.23335074821810856, 0.8037412903679876}},
		test:      TestPearson,
		// 10/60, 10/43, 10/134
		rowPctFirst: 100 * 10.0 / 60, colPctFirst: 100 * 10.0 / 43, totalPctFirst: 100 * 10.0 / 134,
		minExpected: 9.305970149253731, shareBelow5: 0,
		droppedRows: []string{"empty"}, droppedCols: []string{"none"},
		keptRows: []string{"a", "b", "c"}, keptCols: []string{"x", "y", "z"},
	},
}

func approx(got, want, relTol float64) bool {
	if math.IsNaN(want) {
		return math.IsNaN(got)
	}
	return math.Abs(got-want) <= relTol*math.Max(1e-300, math.Abs(want)) || math.Abs(got-want) <= 1e-300
}

func TestAnalyzeReference(t *testing.T) {
	for _, tc := range refTables {
		t.Run(tc.name, func(t *testing.T) {
			res := Analyze(Table{Rows: tc.rowLabels, Cols: tc.colLabels, Counts: tc.counts}, Options{})
			if res.Status != StatusOK {
				t.Fatalf("Analyze status = %q (%s), want ok", res.Status, res.StatusDetail)
			}
			scalars := []struct {
				name      string
				got, want float64
				tol       float64
			}{
				{"N", res.N, sum2(tc.counts), 1e-15},
				{"Chi2", res.Chi2, tc.chi2, 1e-12},
				{"PChi2", res.PChi2, tc.pChi2, 1e-9},
				{"G2", res.G2, tc.g2, 1e-12},
				{"PG2", res.PG2, tc.pG2, 1e-9},
				{"CramersV", res.CramersV, tc.v, 1e-12},
				{"CramersVCorrected", res.CramersVCorrected, tc.vCorr, 1e-12},
				{"VLow", res.VLow, tc.vLow, 1e-6},
				{"VHigh", res.VHigh, tc.vHigh, 1e-6},
				{"MinExpected", res.MinExpected, tc.minExpected, 1e-12},
				{"ShareExpectedBelow5", res.ShareExpectedBelow5, tc.shareBelow5, 1e-12},
				{"P", res.P, tc.pChi2, 1e-9},
			}
			for _, s := range scalars {
				if !approx(s.got, s.want, s.tol) {
					t.Errorf("Analyze(%s).%s = %.15g, want %.15g", tc.name, s.name, s.got, s.want)
				}
			}
			if res.DF != tc.df {
				t.Errorf("Analyze(%s).DF = %d, want %d", tc.name, res.DF, tc.df)
			}
			if res.Test != tc.test {
				t.Errorf("Analyze(%s).Test = %q, want %q", tc.name, res.Test, tc.test)
			}
			if !slices.Equal(res.DroppedRows, tc.droppedRows) || !slices.Equal(res.DroppedCols, tc.droppedCols) {
				t.Errorf("Analyze(%s) dropped rows %q cols %q, want %q %q", tc.name, res.DroppedRows, res.DroppedCols, tc.droppedRows, tc.droppedCols)
			}
			if !slices.Equal(res.Rows, tc.keptRows) || !slices.Equal(res.Cols, tc.keptCols) {
				t.Errorf("Analyze(%s) kept rows %q cols %q, want %q %q", tc.name, res.Rows, res.Cols, tc.keptRows, tc.keptCols)
			}
			nc := len(tc.expected[0])
			if len(res.Cells) != len(tc.expected)*nc {
				t.Fatalf("Analyze(%s) has %d cells, want %d", tc.name, len(res.Cells), len(tc.expected)*nc)
			}
			for k, c := range res.Cells {
				a, b := k/nc, k%nc
				if !approx(c.Expected, tc.expected[a][b], 1e-12) {
					t.Errorf("cell %d,%d Expected = %.15g, want %.15g", a, b, c.Expected, tc.expected[a][b])
				}
				if !approx(c.AdjResid, tc.adjResid[a][b], 1e-10) {
					t.Errorf("cell %d,%d AdjResid = %.15g, want %.15g", a, b, c.AdjResid, tc.adjResid[a][b])
				}
				z := math.Abs(tc.adjResid[a][b])
				if c.Sig95 != (z >= 1.96) || c.Sig99 != (z >= 2.58) {
					t.Errorf("cell %d,%d flags Sig95=%v Sig99=%v for |z| = %.3f", a, b, c.Sig95, c.Sig99, z)
				}
				if c.RowLabel != tc.keptRows[a] || c.ColLabel != tc.keptCols[b] {
					t.Errorf("cell %d,%d labels %q,%q, want %q,%q", a, b, c.RowLabel, c.ColLabel, tc.keptRows[a], tc.keptCols[b])
				}
			}
			first := res.Cells[0]
			if !approx(first.RowPct, tc.rowPctFirst, 1e-12) || !approx(first.ColPct, tc.colPctFirst, 1e-12) || !approx(first.TotalPct, tc.totalPctFirst, 1e-12) {
				t.Errorf("first cell pct = %v/%v/%v, want %v/%v/%v", first.RowPct, first.ColPct, first.TotalPct, tc.rowPctFirst, tc.colPctFirst, tc.totalPctFirst)
			}
		})
	}
}

// The published rounding of Agresti's example, checked on its own so that a
// reader can verify against the book without the scipy script.
func TestAnalyzeAgrestiPublished(t *testing.T) {
	res := Analyze(Table{Counts: [][]float64{{762, 327, 468}, {484, 239, 477}}}, Options{})
	if got := math.Round(res.Chi2*10) / 10; got != 30.1 {
		t.Errorf("Chi2 rounded = %v, want 30.1", got)
	}
	if got := math.Round(res.G2*10) / 10; got != 30.0 {
		t.Errorf("G2 rounded = %v, want 30.0", got)
	}
	want := []float64{4.50, 0.70, -5.32, -4.50, -0.70, 5.32}
	for k, c := range res.Cells {
		if got := math.Round(c.AdjResid*100) / 100; got != want[k] {
			t.Errorf("cell %d AdjResid rounded = %v, want %v", k, got, want[k])
		}
	}
}

func sum2(m [][]float64) float64 {
	s := 0.0
	for _, r := range m {
		for _, v := range r {
			s += v
		}
	}
	return s
}

func TestAnalyzeSmallSamples(t *testing.T) {
	tests := []struct {
		name   string
		counts [][]float64
		test   string
		want   float64
		tol    float64 // absolute
	}{
		// Fisher's tea-tasting experiment (Fisher 1935; Agresti 2013 §3.5.2):
		// two-sided p = 0.4857 = scipy.stats.fisher_exact([[3,1],[1,3]]).
		{"tea tasting", [][]float64{{3, 1}, {1, 3}}, TestFisher, 0.485714285714286, 1e-12},
		// scipy.stats.fisher_exact([[0,5],[6,1]])[1]; expected counts 2.5–3.5.
		{"fisher 0 5 6 1", [][]float64{{0, 5}, {6, 1}}, TestFisher, 0.0151515151515152, 1e-12},
		// Expected counts 5, 5, 7, 7: the asymptotic test is kept.
		{"not small", [][]float64{{1, 9}, {11, 3}}, TestPearson, math.NaN(), 0},
		// Exact conditional P(X² ≥ 4.87797619047619) over all 2×3 tables with
		// the margins of [[3,1,0],[1,2,4]], enumerated in ref1.py:
		// 0.103030303030303. Monte Carlo with B = 20000 has SE ≈ 0.0021;
		// tolerance is 4 SE.
		{"monte carlo 2x3", [][]float64{{3, 1, 0}, {1, 2, 4}}, TestMonteCarlo, 0.103030303030303, 0.0086},
		// Weighted (non-integer) small table stays asymptotic.
		{"weighted small", [][]float64{{1.5, 2.5}, {3.25, 0.5}}, TestPearson, math.NaN(), 0},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			res := Analyze(Table{Counts: tc.counts}, Options{MonteCarloB: 20000, Seed: 42})
			if res.Test != tc.test {
				t.Fatalf("Analyze(%v).Test = %q (%s), want %q", tc.counts, res.Test, res.TestReason, tc.test)
			}
			if res.TestReason == "" {
				t.Errorf("Analyze(%v).TestReason is empty", tc.counts)
			}
			want := tc.want
			if math.IsNaN(want) {
				want = res.PChi2
			}
			if math.Abs(res.P-want) > tc.tol {
				t.Errorf("Analyze(%v).P = %.15g, want %.15g ± %g", tc.counts, res.P, want, tc.tol)
			}
		})
	}
}

func TestAnalyzeMonteCarloDeterministic(t *testing.T) {
	tab := Table{Counts: [][]float64{{3, 1, 0}, {1, 2, 4}}}
	a := Analyze(tab, Options{Seed: 7})
	b := Analyze(tab, Options{Seed: 7})
	if a.P != b.P || a.MonteCarloB != DefaultMonteCarloB {
		t.Errorf("same seed: P = %v and %v (B = %d), want equal and B = %d", a.P, b.P, a.MonteCarloB, DefaultMonteCarloB)
	}
	// p = (1+k)/(B+1) is never 0.
	if a.P <= 0 || a.P > 1 {
		t.Errorf("P = %v, want in (0, 1]", a.P)
	}
}

func TestAnalyzeEdgeCases(t *testing.T) {
	tests := []struct {
		name      string
		tab       Table
		status    string
		n         float64
		cells     int
		dropRows  int
		dropCols  int
		wantStats bool
	}{
		{"no rows", Table{}, StatusEmpty, 0, 0, 0, 0, false},
		{"all zero", Table{Counts: [][]float64{{0, 0}, {0, 0}}}, StatusEmpty, 0, 0, 0, 0, false},
		{"single respondent", Table{Counts: [][]float64{{0, 0}, {0, 1}}}, StatusSingleObservation, 1, 1, 1, 1, false},
		{"1xK", Table{Counts: [][]float64{{3, 4, 5}}}, StatusDegenerate, 12, 3, 0, 0, false},
		{"Kx1 after dropping", Table{Counts: [][]float64{{3, 0}, {4, 0}}}, StatusDegenerate, 7, 2, 0, 1, false},
		{"ragged", Table{Counts: [][]float64{{1, 2}, {3}}}, StatusInvalid, 0, 0, 0, 0, false},
		{"label mismatch", Table{Rows: []string{"a"}, Counts: [][]float64{{1, 2}, {3, 4}}}, StatusInvalid, 0, 0, 0, 0, false},
		{"negative", Table{Counts: [][]float64{{1, -2}, {3, 4}}}, StatusInvalid, 0, 0, 0, 0, false},
		{"NaN", Table{Counts: [][]float64{{1, math.NaN()}, {3, 4}}}, StatusInvalid, 0, 0, 0, 0, false},
		{"independent", Table{Counts: [][]float64{{10, 20}, {20, 40}}}, StatusOK, 90, 4, 0, 0, true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			res := Analyze(tc.tab, Options{})
			if res.Status != tc.status {
				t.Fatalf("Analyze(%v).Status = %q (%s), want %q", tc.tab.Counts, res.Status, res.StatusDetail, tc.status)
			}
			if res.StatusDetail == "" && tc.status != StatusOK {
				t.Errorf("Analyze(%v).StatusDetail is empty", tc.tab.Counts)
			}
			if res.N != tc.n || len(res.Cells) != tc.cells || len(res.DroppedRows) != tc.dropRows || len(res.DroppedCols) != tc.dropCols {
				t.Errorf("Analyze(%v): N=%v cells=%d dropped=%d/%d, want %v %d %d/%d", tc.tab.Counts, res.N, len(res.Cells), len(res.DroppedRows), len(res.DroppedCols), tc.n, tc.cells, tc.dropRows, tc.dropCols)
			}
			if got := !math.IsNaN(res.Chi2) && !math.IsNaN(res.P); got != tc.wantStats {
				t.Errorf("Analyze(%v): Chi2=%v P=%v, want statistics present = %v", tc.tab.Counts, res.Chi2, res.P, tc.wantStats)
			}
			if tc.status != StatusOK && res.Test != TestNone {
				t.Errorf("Analyze(%v).Test = %q, want %q", tc.tab.Counts, res.Test, TestNone)
			}
		})
	}
	// A perfectly independent table: X² = G² = 0, p = 1, V = 0, CI [0, 0].
	res := Analyze(Table{Counts: [][]float64{{10, 20}, {20, 40}}}, Options{})
	if res.Chi2 != 0 || res.G2 != 0 || res.PChi2 != 1 || res.CramersV != 0 || res.VLow != 0 || res.VHigh != 0 || res.CramersVCorrected != 0 {
		t.Errorf("independent table: Chi2=%v G2=%v P=%v V=%v [%v,%v] Vc=%v, want 0 0 1 0 [0,0] 0",
			res.Chi2, res.G2, res.PChi2, res.CramersV, res.VLow, res.VHigh, res.CramersVCorrected)
	}
	// Degenerate tables still carry percentages, and NaN residuals.
	deg := Analyze(Table{Counts: [][]float64{{3, 4, 5}}}, Options{})
	if c := deg.Cells[1]; !approx(c.RowPct, 100*4.0/12, 1e-12) || c.ColPct != 100 || !math.IsNaN(c.AdjResid) {
		t.Errorf("1xK cell = %+v, want RowPct 33.3, ColPct 100, AdjResid NaN", c)
	}
}

func TestNcpInterval(t *testing.T) {
	// Published example of R statpsych::ci.cramer(.05, 19.21, 2, 3, 200):
	// LL 0.1601, UL 0.4417 (Bonett; statpsych documentation). Precise values
	// from scipy (ncx2 + brentq, ref script above): 0.16013082104178622,
	// 0.4417449128336363.
	lo, hi := ncpInterval(19.21, 2, 0.05)
	vlo, vhi := math.Sqrt(lo/200), math.Sqrt(hi/200)
	if !approx(vlo, 0.16013082104178622, 1e-7) || !approx(vhi, 0.4417449128336363, 1e-7) {
		t.Errorf("ncpInterval(19.21, 2, 0.05) → V in [%.10f, %.10f], want [0.1601308210, 0.4417449128]", vlo, vhi)
	}
	// Small statistic: the lower bound is 0.
	lo, _ = ncpInterval(1, 2, 0.05)
	if lo != 0 {
		t.Errorf("ncpInterval(1, 2, 0.05) lower = %v, want 0", lo)
	}
}

func TestNcChi2CDF(t *testing.T) {
	// scipy.stats.ncx2.cdf(x, df, nc), computed by hand with scipy 1.10.1.
	tests := []struct{ x, df, nc, want float64 }{
		{19.21, 2, 5.128375969503313, 0.975},
		{19.21, 2, 39.02771360287939, 0.025},
		{3, 4, 0, 0.4421745996289252}, // chi2.cdf(3, 4)
	}
	for _, tc := range tests {
		if got := ncChi2CDF(tc.x, tc.df, tc.nc); !approx(got, tc.want, 1e-8) {
			t.Errorf("ncChi2CDF(%v, %v, %v) = %.12g, want %.12g", tc.x, tc.df, tc.nc, got, tc.want)
		}
	}
}

func TestFisherExact2x2(t *testing.T) {
	// Values from scipy.stats.fisher_exact(table)[1] (ref1.py), and the
	// tea-tasting p = 0.4857 of Fisher (1935).
	tests := []struct {
		a, b, c, d int
		want       float64
	}{
		{3, 1, 1, 3, 0.485714285714286},
		{1, 9, 11, 3, 0.00275945618522008},
		{100, 200, 150, 120, 9.65421849485555e-08},
		{0, 5, 6, 1, 0.0151515151515152},
		{2, 7, 8, 2, 0.0230141375652212},
		{0, 0, 0, 0, 1},
		{5, 0, 0, 0, 1},
		{-1, 2, 3, 4, math.NaN()},
	}
	for _, tc := range tests {
		if got := FisherExact2x2(tc.a, tc.b, tc.c, tc.d); !approx(got, tc.want, 1e-10) {
			t.Errorf("FisherExact2x2(%d, %d, %d, %d) = %.15g, want %.15g", tc.a, tc.b, tc.c, tc.d, got, tc.want)
		}
	}
}

func TestAnalyzeAlpha(t *testing.T) {
	// 90% interval for the Agresti party-ID table; scipy (ncx2 + brentq as in
	// the script at the top of this file, targets 0.95 and 0.05):
	// 0.0709998243115392, 0.134227470145229.
	res := Analyze(Table{Counts: [][]float64{{762, 327, 468}, {484, 239, 477}}}, Options{Alpha: 0.10})
	if !approx(res.VLow, 0.0709998243115392, 1e-6) || !approx(res.VHigh, 0.134227470145229, 1e-6) || res.CILevel != 0.9 {
		t.Errorf("Analyze(alpha 0.10) V CI = [%.10f, %.10f] level %v, want [0.0709998243, 0.1342274701] level 0.9", res.VLow, res.VHigh, res.CILevel)
	}
}

// TestNcChi2CDFRecurrence checks the recurrences of ncChi2CDF against the
// mixture summed term by term with gonum's central chi-square CDF (the
// definition, JKB eq. 29.2) over a grid that reaches far tails, large
// noncentralities and many degrees of freedom.
func TestNcChi2CDFRecurrence(t *testing.T) {
	direct := func(x, df, lam float64) float64 {
		h := lam / 2
		sum := 0.0
		for j := 0.0; j < h+40*math.Sqrt(h+1)+50; j++ {
			lg, _ := math.Lgamma(j + 1)
			sum += math.Exp(-h+j*math.Log(h)-lg) * distuv.ChiSquared{K: df + 2*j}.CDF(x)
		}
		return math.Min(1, sum)
	}
	for _, df := range []float64{1, 2, 5, 24, 199} {
		for _, lam := range []float64{0.01, 0.7, 3, 17.5, 90, 640} {
			for _, q := range []float64{0.05, 0.3, 1, 2, 6} {
				x := q * (df + lam)
				got, want := ncChi2CDF(x, df, lam), direct(x, df, lam)
				if math.Abs(got-want) > 1e-11 {
					t.Errorf("ncChi2CDF(%v, %v, %v) = %.15g, direct sum %.15g", x, df, lam, got, want)
				}
			}
		}
	}
}
