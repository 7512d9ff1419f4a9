package stats

import (
	"context"
	"math"
	"strconv"

	"gonum.org/v1/gonum/stat/distuv"
)

// Status values reported by Analyze, RaoScott and MMI.
const (
	// StatusOK means every statistic was computed.
	StatusOK = "ok"
	// StatusEmpty means the table has no observations (n = 0, or no cells).
	StatusEmpty = "empty"
	// StatusSingleObservation means the table holds exactly one respondent.
	StatusSingleObservation = "single_observation"
	// StatusDegenerate means that after dropping empty rows and columns only
	// one row or one column is left (a 1×K or K×1 table): there is no
	// association to test.
	StatusDegenerate = "degenerate_1xK"
	// StatusInvalid means the input is malformed: ragged rows, label counts
	// that do not match the counts, or negative / NaN / infinite counts.
	StatusInvalid = "invalid"
)

// Test names recorded in Result.Test.
const (
	// TestPearson is the asymptotic Pearson chi-square test (no Yates correction).
	TestPearson = "pearson_chi2"
	// TestFisher is Fisher's exact test for a 2×2 table (two-sided).
	TestFisher = "fisher_exact"
	// TestMonteCarlo is the Monte Carlo permutation test of the Pearson
	// statistic with both margins fixed.
	TestMonteCarlo = "monte_carlo_chi2"
	// TestNone means no test was run (Status is not StatusOK).
	TestNone = "none"
)

// Defaults used when the corresponding Options field is zero.
const (
	DefaultMonteCarloB = 2000
	DefaultAlpha       = 0.05
)

// Table is an R×C contingency table. Counts[i][j] is the (possibly weighted)
// count of respondents in row category i and column category j. Rows and Cols
// are the category labels; either may be nil, in which case the labels are
// the decimal indices "0", "1", ...
//
// Weighted counts give correct percentages, but Analyze's tests treat the
// counts as independent respondents, so X², p and the V interval scale with
// the sum of the weights. For inference on weighted survey data use RaoScott
// (or at least weights normalised to sum to the number of respondents).
type Table struct {
	Rows, Cols []string
	Counts     [][]float64
}

// Options tunes Analyze and MMI. The zero value gives the defaults.
type Options struct {
	// MonteCarloB is the number of random tables (or permutations) drawn by
	// Monte Carlo tests; zero means DefaultMonteCarloB (2000, as R's
	// chisq.test). Negative values are treated as zero.
	MonteCarloB int
	// Seed seeds the PCG random generator used by Monte Carlo tests. Zero is a
	// valid seed; the same seed always gives the same result.
	Seed uint64
	// MMIPermutations is the number of random permutations for MMI's
	// permutation test; zero (or negative) skips that test and leaves
	// MMIResult.PPerm NaN. Its cost is O(MMIPermutations·n·I).
	MMIPermutations int
	// Alpha sets the confidence level 1−Alpha of the Cramér's V interval;
	// zero (or a value outside (0,1)) means DefaultAlpha (0.05, a 95% CI).
	Alpha float64
	// Ctx, when not nil, is checked every few hundred Monte Carlo tables or
	// permutations: once it is cancelled the test stops and its p-value is
	// NaN. Callers that pass it check Ctx.Err() after each call.
	Ctx context.Context
}

// mcCheckEvery is how many random tables or permutations Monte Carlo tests
// draw between two looks at Options.Ctx.
const mcCheckEvery = 256

// stopFunc returns a function reporting whether o.Ctx is cancelled, or nil.
func (o Options) stopFunc() func() bool {
	if o.Ctx == nil {
		return nil
	}
	return func() bool { return o.Ctx.Err() != nil }
}

func (o Options) b() int {
	if o.MonteCarloB <= 0 {
		return DefaultMonteCarloB
	}
	return o.MonteCarloB
}

func (o Options) alpha() float64 {
	if !(o.Alpha > 0 && o.Alpha < 1) {
		return DefaultAlpha
	}
	return o.Alpha
}

// Cell describes one cell of an analysed table. Row and Col index the
// original Table (before empty rows/columns were dropped).
type Cell struct {
	Row, Col           int
	RowLabel, ColLabel string
	// Count is the observed (weighted) count.
	Count float64
	// RowPct, ColPct and TotalPct are percentages (0–100) of the row total,
	// the column total and the grand total.
	RowPct, ColPct, TotalPct float64
	// Expected is the count expected under independence, rowTotal·colTotal/n.
	Expected float64
	// AdjResid is Haberman's (1973) adjusted standardized residual
	// (O−E)/sqrt(E·(1−r_i/n)·(1−c_j/n)) (Agresti 2013, §2.4.5); it is
	// approximately N(0,1) under independence. NaN when the table is
	// degenerate (one row or one column left).
	AdjResid float64
	// Sig95 and Sig99 flag |AdjResid| ≥ 1.96 and ≥ 2.58.
	Sig95, Sig99 bool
}

// Result is the analysis of one contingency table. Unless Status is
// StatusOK, the test statistics Chi2, PChi2, G2, PG2, CramersV,
// CramersVCorrected, VLow, VHigh and P are NaN, DF is 0 and Test is
// TestNone; ShareExpectedBelow5 and MinExpected are NaN only when there are
// no cells.
type Result struct {
	// Status is one of the Status* constants; StatusDetail explains it.
	Status, StatusDetail string
	// Rows and Cols are the labels of the rows and columns kept.
	Rows, Cols []string
	// DroppedRows and DroppedCols list the labels of rows and columns whose
	// total was zero; they are removed before any statistic is computed.
	DroppedRows, DroppedCols []string
	// N is the grand total (sum of counts).
	N float64
	// Chi2 is Pearson's X² = Σ (O−E)²/E without continuity correction;
	// PChi2 its upper-tail chi-square probability with DF degrees of freedom.
	Chi2, PChi2 float64
	// G2 is the likelihood-ratio statistic 2 Σ O ln(O/E) (cells with O = 0
	// contribute 0); PG2 its upper-tail chi-square probability.
	G2, PG2 float64
	// DF is (R−1)(C−1) for the kept rows and columns.
	DF int
	// CramersV is sqrt(X²/(n·(k−1))), k = min(R, C).
	CramersV float64
	// CramersVCorrected is Bergsma's (2013) bias-corrected V:
	// φ̃² = max(0, X²/n − (R−1)(C−1)/(n−1)), R̃ = R − (R−1)²/(n−1),
	// C̃ = C − (C−1)²/(n−1), Ṽ = sqrt(φ̃² / min(R̃−1, C̃−1)).
	// NaN when n ≤ 1.
	CramersVCorrected float64
	// VLow and VHigh bound a (1−Alpha) confidence interval for the
	// population V, from inverting the noncentral chi-square distribution of
	// X² for its noncentrality λ (Smithson 2003, §6; as R statpsych::ci.cramer):
	// F(X²; DF, λ_L) = 1−α/2, F(X²; DF, λ_U) = α/2 (a bound is 0 when no λ ≥ 0
	// solves it), then V = sqrt(λ/(n·(k−1))), capped at 1. The interval treats
	// the counts as independent respondents; with weighted counts it is only
	// indicative.
	VLow, VHigh float64
	// CILevel is the confidence level of [VLow, VHigh], 1 − Options.Alpha
	// (0.95 by default); 0 unless Status is StatusOK.
	CILevel float64
	// ShareExpectedBelow5 is the fraction (0–1) of cells with expected count
	// below 5; MinExpected is the smallest expected count.
	ShareExpectedBelow5, MinExpected float64
	// Test is the test behind P (one of the Test* constants) and TestReason
	// says why it was chosen. The asymptotic test is replaced when more than
	// 20% of expected counts are below 5 or any is below 1 (Cochran 1954;
	// Agresti 2013 §3.5): by Fisher's exact test for 2×2 tables and by a
	// Monte Carlo test otherwise. Both need whole-number counts; weighted
	// tables stay with the asymptotic test and TestReason says so.
	Test, TestReason string
	// P is the p-value of Test. MonteCarloB is the number of random tables
	// drawn (0 unless Test is TestMonteCarlo).
	P           float64
	MonteCarloB int
	// Cells lists the kept cells in row-major order.
	Cells []Cell
}

// Analyze computes cell percentages, expected counts, adjusted residuals and
// the association statistics of t (see Result for every formula). Empty rows
// and columns are dropped and reported. It never panics: malformed input
// yields Status StatusInvalid, and tables that cannot be tested yield
// StatusEmpty, StatusSingleObservation or StatusDegenerate with NaN
// statistics (cells, percentages and N are still filled in where defined).
func Analyze(t Table, opt Options) Result {
	res := Result{Status: StatusOK, Test: TestNone}
	res.setNaN()
	nr := len(t.Counts)
	if nr == 0 {
		res.Status, res.StatusDetail = StatusEmpty, "table has no rows"
		return res
	}
	nc := len(t.Counts[0])
	if t.Cols != nil {
		nc = len(t.Cols)
	}
	if t.Rows != nil && len(t.Rows) != nr {
		res.Status, res.StatusDetail = StatusInvalid, "row labels do not match the number of count rows"
		return res
	}
	for i, row := range t.Counts {
		if len(row) != nc {
			res.Status, res.StatusDetail = StatusInvalid, "count row "+strconv.Itoa(i)+" has "+strconv.Itoa(len(row))+" cells, want "+strconv.Itoa(nc)
			return res
		}
		for _, v := range row {
			if !(v >= 0) || math.IsInf(v, 0) {
				res.Status, res.StatusDetail = StatusInvalid, "counts must be finite and non-negative"
				return res
			}
		}
	}
	rowLab, colLab := labels(t.Rows, nr), labels(t.Cols, nc)
	rowTot, colTot := make([]float64, nr), make([]float64, nc)
	n := 0.0
	for i, row := range t.Counts {
		for j, v := range row {
			rowTot[i] += v
			colTot[j] += v
			n += v
		}
	}
	res.N = n
	if n == 0 {
		res.Status, res.StatusDetail = StatusEmpty, "no observations (n = 0)"
		return res
	}
	var ri, cj []int // kept indices
	for i := range nr {
		if rowTot[i] > 0 {
			ri = append(ri, i)
			res.Rows = append(res.Rows, rowLab[i])
		} else {
			res.DroppedRows = append(res.DroppedRows, rowLab[i])
		}
	}
	for j := range nc {
		if colTot[j] > 0 {
			cj = append(cj, j)
			res.Cols = append(res.Cols, colLab[j])
		} else {
			res.DroppedCols = append(res.DroppedCols, colLab[j])
		}
	}
	r, c := len(ri), len(cj)
	degenerate := r < 2 || c < 2
	res.MinExpected = math.Inf(1)
	below5 := 0
	for _, i := range ri {
		for _, j := range cj {
			o := t.Counts[i][j]
			e := rowTot[i] * colTot[j] / n
			cell := Cell{
				Row: i, Col: j, RowLabel: rowLab[i], ColLabel: colLab[j],
				Count: o, RowPct: 100 * o / rowTot[i], ColPct: 100 * o / colTot[j], TotalPct: 100 * o / n,
				Expected: e, AdjResid: math.NaN(),
			}
			if !degenerate {
				cell.AdjResid = (o - e) / math.Sqrt(e*(1-rowTot[i]/n)*(1-colTot[j]/n))
				a := math.Abs(cell.AdjResid)
				cell.Sig95, cell.Sig99 = a >= 1.96, a >= 2.58
			}
			if e < 5 {
				below5++
			}
			res.MinExpected = math.Min(res.MinExpected, e)
			res.Cells = append(res.Cells, cell)
		}
	}
	res.ShareExpectedBelow5 = float64(below5) / float64(r*c)
	if degenerate {
		if r == 1 && c == 1 && n == 1 {
			res.Status, res.StatusDetail = StatusSingleObservation, "a single respondent: no association can be measured"
		} else {
			res.Status = StatusDegenerate
			res.StatusDetail = "only " + strconv.Itoa(r) + " non-empty row(s) and " + strconv.Itoa(c) + " non-empty column(s): no association to test"
		}
		return res
	}

	// Statistics on the kept r×c table.
	res.Chi2, res.G2 = 0, 0
	for _, cell := range res.Cells {
		d := cell.Count - cell.Expected
		res.Chi2 += d * d / cell.Expected
		if cell.Count > 0 {
			res.G2 += 2 * cell.Count * math.Log(cell.Count/cell.Expected)
		}
	}
	res.G2 = math.Max(res.G2, 0) // rounding can give −1e-15 for a perfectly independent table
	res.DF = (r - 1) * (c - 1)
	chi := distuv.ChiSquared{K: float64(res.DF)}
	res.PChi2 = chi.Survival(res.Chi2)
	res.PG2 = chi.Survival(res.G2)
	k := float64(min(r, c))
	res.CramersV = math.Sqrt(res.Chi2 / (n * (k - 1)))
	res.CramersVCorrected = bergsmaV(res.Chi2, n, r, c)
	alpha := opt.alpha()
	res.CILevel = 1 - alpha
	lo, hi := ncpInterval(res.Chi2, float64(res.DF), alpha)
	res.VLow = math.Min(1, math.Sqrt(lo/(n*(k-1))))
	res.VHigh = math.Min(1, math.Sqrt(hi/(n*(k-1))))

	small := res.ShareExpectedBelow5 > 0.2 || res.MinExpected < 1
	switch {
	case !small:
		res.Test, res.P = TestPearson, res.PChi2
		res.TestReason = "at most 20% of expected counts below 5 and none below 1: asymptotic chi-square is adequate"
	case !wholeCounts(t.Counts):
		res.Test, res.P = TestPearson, res.PChi2
		res.TestReason = "small expected counts, but counts are not whole numbers (weighted), so exact and Monte Carlo tests do not apply: asymptotic p may be unreliable"
	case r == 2 && c == 2:
		a := int(t.Counts[ri[0]][cj[0]])
		b := int(t.Counts[ri[0]][cj[1]])
		cc := int(t.Counts[ri[1]][cj[0]])
		d := int(t.Counts[ri[1]][cj[1]])
		res.Test, res.P = TestFisher, FisherExact2x2(a, b, cc, d)
		res.TestReason = smallReason(res) + ": Fisher's exact test (2×2)"
	default:
		obs := make([][]int, r)
		for a, i := range ri {
			obs[a] = make([]int, c)
			for b, j := range cj {
				obs[a][b] = int(t.Counts[i][j])
			}
		}
		res.MonteCarloB = opt.b()
		res.Test, res.P = TestMonteCarlo, monteCarloChi2(obs, res.MonteCarloB, opt.Seed, opt.stopFunc())
		res.TestReason = smallReason(res) + ": Monte Carlo test with fixed margins, B = " + strconv.Itoa(res.MonteCarloB)
	}
	return res
}

func smallReason(res Result) string {
	if res.MinExpected < 1 {
		return "an expected count is below 1"
	}
	return strconv.FormatFloat(100*res.ShareExpectedBelow5, 'f', 0, 64) + "% of expected counts below 5"
}

func (res *Result) setNaN() {
	nan := math.NaN()
	res.Chi2, res.PChi2, res.G2, res.PG2 = nan, nan, nan, nan
	res.CramersV, res.CramersVCorrected, res.VLow, res.VHigh = nan, nan, nan, nan
	res.ShareExpectedBelow5, res.MinExpected, res.P = nan, nan, nan
}

func labels(l []string, n int) []string {
	if l != nil {
		return l
	}
	out := make([]string, n)
	for i := range out {
		out[i] = strconv.Itoa(i)
	}
	return out
}

func wholeCounts(m [][]float64) bool {
	for _, row := range m {
		for _, v := range row {
			if v != math.Trunc(v) || v > 1<<53 {
				return false
			}
		}
	}
	return true
}

// bergsmaV is the bias-corrected Cramér's V of Bergsma (2013), eq. (3)–(5).
func bergsmaV(chi2, n float64, r, c int) float64 {
	if n <= 1 {
		return math.NaN()
	}
	rf, cf := float64(r), float64(c)
	phi2 := math.Max(0, chi2/n-(rf-1)*(cf-1)/(n-1))
	rt := rf - (rf-1)*(rf-1)/(n-1)
	ct := cf - (cf-1)*(cf-1)/(n-1)
	den := math.Min(rt-1, ct-1)
	if den <= 0 {
		return math.NaN()
	}
	return math.Sqrt(phi2 / den)
}
