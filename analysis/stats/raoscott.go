package stats

import (
	"math"
	"strconv"

	"gonum.org/v1/gonum/mat"
	"gonum.org/v1/gonum/mathext"
	"gonum.org/v1/gonum/stat/distuv"
)

// WeightedResult is a weighted two-way table and its Rao–Scott corrected
// chi-square tests of independence, computed as R's survey package computes
// them (svychisq with statistic = "Chisq" and "F") for a design without
// strata or clusters: svydesign(ids = ~1, weights = ~w). Unless Status is
// StatusOK, the test fields (Chi2 through PF) are NaN; shares are filled
// whenever N > 0.
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
	Share    [][]float64
	RowShare []float64
	ColShare []float64
	RowPct   [][]float64
	// Chi2 is the Pearson statistic on the weighted shares scaled to the
	// sample size, X² = n Σ (p̂_ij − p̂_i· p̂_·j)² / (p̂_i· p̂_·j), and DF =
	// (R−1)(C−1) over the kept rows and columns.
	Chi2 float64
	DF   int
	// TraceDelta and TraceDelta2 are tr(Δ) and tr(Δ²) of the generalised
	// design-effect matrix (Rao & Scott 1981, 1984)
	//	Δ = (C' D⁻¹ C / n)⁻¹ (C' D⁻¹ V̂ D⁻¹ C),
	// where the columns of C span the interaction contrasts (vectors over
	// cells whose row and column sums are zero), D = diag(p̂) (a zero share
	// gives a zero in D⁻¹, as in svychisq), so that C' D⁻¹ C / n is the
	// multinomial covariance of the contrasts under independence, and V̂ is
	// the with-replacement linearisation covariance of the cell shares,
	//	V̂ = n/(n−1) · Σ_k w_k² (y_k − p̂)(y_k − p̂)' / (Σ w)²
	// (y_k the cell indicator of respondent k; one stratum, each respondent
	// its own PSU). The eigenvalues of Δ are the generalised design effects.
	TraceDelta, TraceDelta2 float64
	// MeanDeff is the first-order correction δ̄ = tr(Δ)/DF, the mean
	// generalised design effect. With equal weights and no empty cell it is
	// n/(n−1).
	MeanDeff float64
	// Chi2RS = Chi2/MeanDeff is the first-order Rao–Scott statistic,
	// referred to χ² with DF degrees of freedom; PChi2RS is its upper-tail
	// probability (svychisq statistic = "Chisq", whose printed statistic is
	// Chi2, the unadjusted X²).
	Chi2RS, PChi2RS float64
	// F = Chi2/tr(Δ) is the second-order Rao–Scott statistic, referred to
	// the F distribution with DF1 = tr(Δ)²/tr(Δ²) and DF2 = DF1·(n−1)
	// (Satterthwaite) degrees of freedom (n − 1 = PSUs − strata); PF is its
	// upper-tail probability (svychisq statistic = "F", R's default).
	F, DF1, DF2, PF float64
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

// RaoScott tabulates d and returns weighted shares and the first- and
// second-order Rao–Scott corrected chi-square tests of independence (Rao &
// Scott 1981, 1984), which agree with R's survey::svychisq for the design
// svydesign(ids = ~1, weights = ~w) (see WeightedResult for the formulas).
// A respondent with a missing code or a zero weight is skipped (svydesign
// would count a zero-weight row in n). Mismatched slice lengths, codes ≥
// NRows/NCols and negative, NaN or infinite weights give StatusInvalid; no
// respondent gives StatusEmpty; a single respondent StatusSingleObservation;
// one non-empty row or column StatusDegenerate, as does a design-effect
// matrix that cannot be solved or has a non-positive trace.
func RaoScott(d Responses) WeightedResult {
	row, col, w, nRows, nCols := d.Row, d.Col, d.Weight, d.NRows, d.NCols
	nan := math.NaN()
	res := WeightedResult{Status: StatusOK, Chi2: nan, TraceDelta: nan, TraceDelta2: nan, MeanDeff: nan,
		Chi2RS: nan, PChi2RS: nan, F: nan, DF1: nan, DF2: nan, PF: nan}
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

	res.DF = (r - 1) * (c - 1)
	res.Chi2 = 0
	n := float64(res.N)
	for a := range r {
		for b := range c {
			e := res.RowShare[a] * res.ColShare[b]
			res.Chi2 += n * (res.Share[a][b] - e) * (res.Share[a][b] - e) / e
		}
	}
	cellW2 := make([]float64, r*c) // Σ w² per cell, cell index a·c + b
	sumW2 := 0.0
	for _, o := range data {
		cellW2[ri[o.i]*c+cj[o.j]] += o.w * o.w
		sumW2 += o.w * o.w
	}
	tr, tr2, ok := designEffectTraces(res.Share, cellW2, sumW2, W, n)
	if !ok || !(tr > 0) || !(tr2 > 0) {
		res.Status, res.StatusDetail = StatusDegenerate, "the generalised design-effect matrix cannot be estimated (singular, or non-positive trace)"
		res.Chi2 = nan
		return res
	}
	df := float64(res.DF)
	res.TraceDelta, res.TraceDelta2 = tr, tr2
	res.MeanDeff = tr / df
	res.Chi2RS = res.Chi2 / res.MeanDeff
	res.PChi2RS = distuv.ChiSquared{K: df}.Survival(res.Chi2RS)
	res.F = res.Chi2 / tr
	res.DF1 = tr * tr / tr2
	res.DF2 = res.DF1 * (n - 1)
	res.PF = fSurvival(res.F, res.DF1, res.DF2)
	return res
}

// designEffectTraces returns tr(Δ) and tr(Δ²) of the generalised
// design-effect matrix Δ = (C' D⁻¹ C / n)⁻¹ (C' D⁻¹ V̂ D⁻¹ C) of an r×c
// table of shares p (see WeightedResult), from the per-cell sums of squared
// weights cellW2 (index a·c + b), their total sumW2, the weight total sumW
// and the sample size n. ok is false when C' D⁻¹ C is singular.
//
// The covariance V̂ = k (diag(s) − s p' − p s' + S p p') with s = cellW2,
// S = sumW2 and k = n/((n−1) sumW²) is never formed: with G = D⁻¹ C,
// G' V̂ G = k (G' diag(s) G − u v' − v u' + S v v') where u = G's, v = G'p.
func designEffectTraces(p [][]float64, cellW2 []float64, sumW2, sumW, n float64) (tr, tr2 float64, ok bool) {
	r, c := len(p), len(p[0])
	m, q := r*c, (r-1)*(c-1)
	hr, hc := helmert(r), helmert(c)
	C := mat.NewDense(m, q, nil)
	G := mat.NewDense(m, q, nil)  // D⁻¹ C
	SG := mat.NewDense(m, q, nil) // diag(s) G
	pv := make([]float64, m)
	for a := range r {
		for b := range c {
			cell := a*c + b
			pv[cell] = p[a][b]
			for i := range r - 1 {
				for j := range c - 1 {
					x := hr[i][a] * hc[j][b]
					C.Set(cell, i*(c-1)+j, x)
					if p[a][b] > 0 {
						G.Set(cell, i*(c-1)+j, x/p[a][b])
						SG.Set(cell, i*(c-1)+j, cellW2[cell]*x/p[a][b])
					}
				}
			}
		}
	}
	var A mat.Dense // C' D⁻¹ C / n
	A.Mul(C.T(), G)
	A.Scale(1/n, &A)
	var B mat.Dense // G' V̂ G
	B.Mul(G.T(), SG)
	var u, v mat.VecDense
	u.MulVec(G.T(), mat.NewVecDense(m, cellW2))
	v.MulVec(G.T(), mat.NewVecDense(m, pv))
	for i := range q {
		for j := range q {
			x := B.At(i, j) - u.AtVec(i)*v.AtVec(j) - v.AtVec(i)*u.AtVec(j) + sumW2*v.AtVec(i)*v.AtVec(j)
			B.Set(i, j, x*n/((n-1)*sumW*sumW))
		}
	}
	var delta mat.Dense
	if err := delta.Solve(&A, &B); err != nil {
		return 0, 0, false
	}
	for i := range q {
		tr += delta.At(i, i)
		for j := range q {
			tr2 += delta.At(i, j) * delta.At(j, i)
		}
	}
	return tr, tr2, true
}

// helmert returns the k−1 orthonormal Helmert contrasts of length k: the
// j-th is (1, …, 1, −(j+1), 0, …, 0)/√((j+1)(j+2)) with j+1 ones. Their
// outer products h_i ⊗ h_j span the r×c tables with zero row and column
// sums.
func helmert(k int) [][]float64 {
	h := make([][]float64, k-1)
	for j := range h {
		h[j] = make([]float64, k)
		s := 1 / math.Sqrt(float64((j+1)*(j+2)))
		for i := 0; i <= j; i++ {
			h[j][i] = s
		}
		h[j][j+1] = -float64(j+1) * s
	}
	return h
}

// fSurvival is the upper tail P(F > x) of the F distribution with d1 and
// d2 degrees of freedom, computed as I_{d2/(d2+d1·x)}(d2/2, d1/2) so that
// small p-values keep their relative precision (distuv.F.Survival is
// 1 − CDF).
func fSurvival(x, d1, d2 float64) float64 {
	if !(x > 0) {
		return 1
	}
	return mathext.RegIncBeta(d2/2, d1/2, d2/(d2+d1*x))
}
