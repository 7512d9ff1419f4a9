package stats

import (
	"math"
	"strconv"

	"gonum.org/v1/gonum/stat/distuv"
)

// WeightedResult is a weighted two-way table and its Rao–Scott first-order
// corrected chi-square test. Unless Status is StatusOK, the test fields
// (Chi2 through P) are NaN; shares are filled whenever N > 0.
type WeightedResult struct {
	// Status is one of the Status* constants; StatusDetail explains it.
	Status, StatusDetail string
	// N is the number of respondents used (valid row and column code and a
	// positive weight); SumW is the sum of their weights.
	N    int
	SumW float64
	// Rows and Cols are the indices of the non-empty rows and columns kept;
	// empty ones are dropped before testing.
	Rows, Cols []int
	// Share[a][b] is the weighted share (0–1) of respondents in kept row
	// Rows[a] and column Cols[b]: Σ w·1{cell} / Σ w. RowShare and ColShare
	// are the weighted marginal shares; RowPct[a][b] is the weighted
	// percentage (0–100) of row a falling in column b.
	Share            [][]float64
	RowShare         []float64
	ColShare         []float64
	RowPct           [][]float64
	DeffCell         [][]float64 // design effect of each cell share
	DeffRow, DeffCol []float64   // design effects of the marginal shares
	// Chi2 is the Pearson statistic on the weighted shares scaled to the
	// sample size, X² = n Σ (p̂_ij − p̂_i· p̂_·j)² / (p̂_i· p̂_·j).
	Chi2 float64
	// MeanDeff is the Rao–Scott first-order design correction δ̄,
	// (R−1)(C−1)·δ̄ = Σ_ij (1−p̂_ij) d_ij − Σ_i (1−p̂_i·) d_i· − Σ_j (1−p̂_·j) d_·j
	// (Rao & Scott 1984, §4; Lohr 2010, §10.3.2; SAS PROC SURVEYFREQ
	// "first-order design correction"), where each design effect
	// d = V̂(p̂)/(p̂(1−p̂)/(n−1)) and V̂ is the with-replacement linearization
	// variance of the ratio estimator p̂ = Σ w y / Σ w with unequal weights:
	// V̂(p̂) = n/(n−1) · Σ_k w_k² (y_k − p̂)² / (Σ w)²
	// (Wolter 2007, §6; one stratum, each respondent its own PSU).
	// With equal weights every d is 1 and δ̄ = 1.
	MeanDeff float64
	// Chi2RS = Chi2/MeanDeff is referred to χ² with DF = (R−1)(C−1); P is its
	// upper-tail probability.
	Chi2RS, P float64
	DF        int
}

// Responses holds one weighted two-way classification: for respondent k,
// Row[k] in [0, NRows) and Col[k] in [0, NCols) are the category codes
// (negative means missing) and Weight[k] ≥ 0 is the survey weight. The
// three slices must have the same length.
type Responses struct {
	Row, Col     []int
	Weight       []float64
	NRows, NCols int
}

// RaoScott tabulates d and returns weighted shares, design effects and the
// Rao–Scott (1984) first-order corrected chi-square test of independence (see
// WeightedResult for the formulas). A respondent with a missing code or a
// zero weight is skipped. Mismatched slice lengths, codes ≥ NRows/NCols and
// negative, NaN or infinite weights give StatusInvalid; no respondent gives
// StatusEmpty; a single respondent StatusSingleObservation; one non-empty row
// or column StatusDegenerate.
func RaoScott(d Responses) WeightedResult {
	row, col, w, nRows, nCols := d.Row, d.Col, d.Weight, d.NRows, d.NCols
	nan := math.NaN()
	res := WeightedResult{Status: StatusOK, Chi2: nan, MeanDeff: nan, Chi2RS: nan, P: nan}
	if len(row) != len(col) || len(row) != len(w) {
		res.Status, res.StatusDetail = StatusInvalid, "row, col and weight slices have different lengths"
		return res
	}
	type obs struct {
		i, j int
		w    float64
	}
	var data []obs
	for k := range row {
		if !(w[k] >= 0) || math.IsInf(w[k], 0) {
			res.Status, res.StatusDetail = StatusInvalid, "respondent "+strconv.Itoa(k)+": weight must be finite and non-negative"
			return res
		}
		if row[k] >= nRows || col[k] >= nCols {
			res.Status, res.StatusDetail = StatusInvalid, "respondent "+strconv.Itoa(k)+": code out of range"
			return res
		}
		if row[k] < 0 || col[k] < 0 || w[k] == 0 {
			continue
		}
		data = append(data, obs{row[k], col[k], w[k]})
		res.SumW += w[k]
	}
	res.N = len(data)
	if res.N == 0 {
		res.Status, res.StatusDetail = StatusEmpty, "no respondent with both codes and a positive weight"
		return res
	}
	rowW, colW := make([]float64, nRows), make([]float64, nCols)
	for _, o := range data {
		rowW[o.i] += o.w
		colW[o.j] += o.w
	}
	ri, cj := make([]int, nRows), make([]int, nCols) // original → kept index
	for i, v := range rowW {
		ri[i] = -1
		if v > 0 {
			ri[i] = len(res.Rows)
			res.Rows = append(res.Rows, i)
		}
	}
	for j, v := range colW {
		cj[j] = -1
		if v > 0 {
			cj[j] = len(res.Cols)
			res.Cols = append(res.Cols, j)
		}
	}
	r, c := len(res.Rows), len(res.Cols)
	W := res.SumW
	res.Share = make([][]float64, r)
	res.RowPct = make([][]float64, r)
	for a := range res.Share {
		res.Share[a] = make([]float64, c)
		res.RowPct[a] = make([]float64, c)
	}
	for _, o := range data {
		res.Share[ri[o.i]][cj[o.j]] += o.w / W
	}
	res.RowShare, res.ColShare = make([]float64, r), make([]float64, c)
	for a := range r {
		for b := range c {
			res.RowShare[a] += res.Share[a][b]
			res.ColShare[b] += res.Share[a][b]
		}
	}
	for a := range r {
		for b := range c {
			res.RowPct[a][b] = 100 * res.Share[a][b] / res.RowShare[a]
		}
	}
	if res.N == 1 {
		res.Status, res.StatusDetail = StatusSingleObservation, "a single respondent: no association can be measured"
		return res
	}
	if r < 2 || c < 2 {
		res.Status = StatusDegenerate
		res.StatusDetail = "only " + strconv.Itoa(r) + " non-empty row(s) and " + strconv.Itoa(c) + " non-empty column(s): no association to test"
		return res
	}

	// Linearization variances: Σ_k w_k² (y_k − p̂)², accumulated per cell and
	// margin as Σ w² y − 2p̂ Σ w² y + p̂² Σ w² (y is 0/1).
	n := float64(res.N)
	sumW2 := 0.0
	cellW2 := make([][]float64, r)
	for a := range cellW2 {
		cellW2[a] = make([]float64, c)
	}
	rowW2, colW2 := make([]float64, r), make([]float64, c)
	for _, o := range data {
		w2 := o.w * o.w
		sumW2 += w2
		cellW2[ri[o.i]][cj[o.j]] += w2
		rowW2[ri[o.i]] += w2
		colW2[cj[o.j]] += w2
	}
	deff := func(p, sw2y float64) float64 {
		if p <= 0 || p >= 1 {
			// An empty (or full) cell has no variance to estimate a design
			// effect from; take the simple-random-sampling value 1, so that
			// equal weights give δ̄ = 1 exactly, zero cells included.
			return 1
		}
		v := n / (n - 1) * (sw2y - 2*p*sw2y + p*p*sumW2) / (W * W)
		return v / (p * (1 - p) / (n - 1))
	}
	res.DeffCell = make([][]float64, r)
	res.DeffRow, res.DeffCol = make([]float64, r), make([]float64, c)
	trace := 0.0
	res.Chi2 = 0
	for a := range r {
		res.DeffCell[a] = make([]float64, c)
		for b := range c {
			p := res.Share[a][b]
			res.DeffCell[a][b] = deff(p, cellW2[a][b])
			trace += (1 - p) * res.DeffCell[a][b]
			e := res.RowShare[a] * res.ColShare[b]
			res.Chi2 += n * (p - e) * (p - e) / e
		}
	}
	for a := range r {
		res.DeffRow[a] = deff(res.RowShare[a], rowW2[a])
		trace -= (1 - res.RowShare[a]) * res.DeffRow[a]
	}
	for b := range c {
		res.DeffCol[b] = deff(res.ColShare[b], colW2[b])
		trace -= (1 - res.ColShare[b]) * res.DeffCol[b]
	}
	res.DF = (r - 1) * (c - 1)
	res.MeanDeff = trace / float64(res.DF)
	if !(res.MeanDeff > 0) {
		res.Status, res.StatusDetail = StatusDegenerate, "estimated design correction is not positive"
		res.MeanDeff = nan
		return res
	}
	res.Chi2RS = res.Chi2 / res.MeanDeff
	res.P = distuv.ChiSquared{K: float64(res.DF)}.Survival(res.Chi2RS)
	return res
}
