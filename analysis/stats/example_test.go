package stats_test

import (
	"fmt"

	"surveymine/analysis/stats"
)

// Party identification by gender (Agresti 2007, Table 2.5).
func ExampleAnalyze() {
	res := stats.Analyze(stats.Table{
		Rows:   []string{"female", "male"},
		Cols:   []string{"Democrat", "Independent", "Republican"},
		Counts: [][]float64{{762, 327, 468}, {484, 239, 477}},
	}, stats.Options{})
	fmt.Printf("%s %s X2=%.2f G2=%.2f df=%d p=%.2g V=%.3f [%.3f, %.3f]\n",
		res.Status, res.Test, res.Chi2, res.G2, res.DF, res.P, res.CramersV, res.VLow, res.VHigh)
	for _, c := range res.Cells[:3] {
		fmt.Printf("%s/%s: %.1f%% of row, z=%.2f sig95=%v\n", c.RowLabel, c.ColLabel, c.RowPct, c.AdjResid, c.Sig95)
	}
	// Output:
	// ok pearson_chi2 X2=30.07 G2=30.02 df=2 p=3e-07 V=0.104 [0.065, 0.140]
	// female/Democrat: 48.9% of row, z=4.50 sig95=true
	// female/Independent: 21.0% of row, z=0.70 sig95=false
	// female/Republican: 30.1% of row, z=-5.32 sig95=true
}

// Small tables switch to an exact test; the reason is recorded.
func ExampleAnalyze_small() {
	res := stats.Analyze(stats.Table{Counts: [][]float64{{3, 1}, {1, 3}}}, stats.Options{})
	fmt.Printf("%s p=%.4f (%s)\n", res.Test, res.P, res.TestReason)
	// Output:
	// fisher_exact p=0.4857 (100% of expected counts below 5: Fisher's exact test (2×2))
}

// Edge cases are reported through Status, not NaN alone or a panic.
func ExampleAnalyze_degenerate() {
	res := stats.Analyze(stats.Table{Rows: []string{"a", "b"}, Counts: [][]float64{{3, 4}, {0, 0}}}, stats.Options{})
	fmt.Println(res.Status, res.DroppedRows, res.Chi2)
	// Output:
	// degenerate_1xK [b] NaN
}

// Fisher's tea-tasting experiment.
func ExampleFisherExact2x2() {
	fmt.Printf("%.4f\n", stats.FisherExact2x2(3, 1, 1, 3))
	// Output:
	// 0.4857
}

func ExampleHolm() {
	p := []float64{0.01, 0.04, 0.03, 0.005}
	fmt.Printf("%.3f\n%.3f\n", stats.Holm(p), stats.BH(p))
	// Output:
	// [0.030 0.060 0.060 0.020]
	// [0.020 0.040 0.040 0.020]
}

// The printed values match an independent implementation of Bilder &
// Loughin's (2004) Appendix A (mrcv_rs2.py, run by hand with numpy/scipy:
// X2S 4, X2rs2 6.4, df 3.2, p 0.10728756167776).
func ExampleMMI() {
	// Items named by eight respondents in two groups.
	named := [][]bool{
		{true, false}, {true, true}, {true, false}, {false, false},
		{false, true}, {false, true}, {true, true}, {false, false},
	}
	group := []int{0, 0, 0, 0, 1, 1, 1, 1}
	res := stats.MMI(named, group, 2, stats.Options{Seed: 1})
	// Second-order Rao–Scott: X²_S·Σλ/Σλ² on (Σλ)²/Σλ² df.
	fmt.Printf("X2S=%.3f bonferroni p=%.3f rs2 X2=%.2f df=%.2f p=%.3f\n", res.X2S, res.PBonferroni, res.X2RS2, res.DFRS2, res.PRS2)
	// Output:
	// X2S=4.000 bonferroni p=0.315 rs2 X2=6.40 df=3.20 p=0.107
}

// The printed tests match R's survey package (4.1.1):
//
//	d <- data.frame(r = c(0,0,0,1,1,1,0,1), c = c(0,1,1,0,0,1,0,0), w = c(1,2,1,1,3,1,2,1))
//	des <- svydesign(ids = ~1, weights = ~w, data = d)
//	svychisq(~r + c, des, statistic = "Chisq")  # X-squared = 1, df = 1, p-value = 0.3271
//	svychisq(~r + c, des)                       # F = 0.96037, ndf = 1, ddf = 7, p-value = 0.3597
func ExampleRaoScott() {
	row := []int{0, 0, 0, 1, 1, 1, 0, 1}
	col := []int{0, 1, 1, 0, 0, 1, 0, 0}
	w := []float64{1, 2, 1, 1, 3, 1, 2, 1}
	res := stats.RaoScott(stats.Responses{Row: row, Col: col, Weight: w, NRows: 2, NCols: 2})
	fmt.Printf("share(0,0)=%.3f deff=%.3f X2=%.3f X2rs=%.3f p=%.3f\n", res.Share[0][0], res.MeanDeff, res.Chi2, res.Chi2RS, res.PChi2RS)
	fmt.Printf("F=%.3f df=(%.3f, %.3f) p=%.3f\n", res.F, res.DF1, res.DF2, res.PF)
	// Output:
	// share(0,0)=0.250 deff=1.041 X2=1.000 X2rs=0.960 p=0.327
	// F=0.960 df=(1.000, 7.000) p=0.360
}

// G² and the log ratio match scipy's chi2_contingency(lambda_="log-likelihood")
// on the same 2×2 tables (see keyness_test.go).
func ExampleKeyness() {
	// Term counts in a 10,000-token target corpus (reports on 党建) and a
	// 20,000-token reference corpus.
	target := map[string]float64{"党建": 120, "业务": 40}
	reference := map[string]float64{"党建": 80, "业务": 160}
	opt := stats.KeynessOptions{TargetTotal: 10000, ReferenceTotal: 20000}
	for _, k := range stats.Keyness(target, reference, opt) {
		fmt.Printf("%s G2=%.2f LR=%.2f overuse=%v p_BH=%.2g\n", k.Term, k.G2, k.LogRatio, k.Overuse, k.PAdj)
	}
	// Output:
	// 党建 G2=59.77 LR=1.58 overuse=true p_BH=2.1e-14
	// 业务 G2=17.58 LR=-1.00 overuse=false p_BH=2.7e-05
}

func ExampleCooccurrence() {
	edges, _ := stats.Cooccurrence([][]int{{0, 1}, {0, 1, 2}, {2}}, 3)
	for _, e := range edges {
		fmt.Printf("%d-%d count=%d jaccard=%.2f\n", e.A, e.B, e.Count, e.Jaccard)
	}
	// Output:
	// 0-1 count=2 jaccard=1.00
	// 0-2 count=1 jaccard=0.33
	// 1-2 count=1 jaccard=0.33
}
