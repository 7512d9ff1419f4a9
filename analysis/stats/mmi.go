package stats

import (
	"math"
	"strconv"

	"gonum.org/v1/gonum/stat/distuv"
)

// MMIResult is the test of multiple marginal independence between a
// multiple-response question (items named / not named) and a single-response
// attribute (the group). Unless Status is StatusOK, the p-values are NaN.
type MMIResult struct {
	// Status is one of the Status* constants; StatusDetail explains it.
	Status, StatusDetail string
	// N is the number of respondents used (those with a group ≥ 0).
	N int
	// Groups is the number of non-empty groups r; DF = r−1 is the degrees of
	// freedom of each per-item test.
	Groups, DF int
	// Items holds, per item in input order, the analysis of the r×2 table
	// group × (named, not named) from Analyze (rows are the group indices,
	// columns "named" and "not_named"). Items named by everyone or by no one
	// have Status StatusDegenerate and are left out of X2S.
	Items []Result
	// DroppedItems lists the indices of the items left out (constant items).
	DroppedItems []int
	// X2S is the sum of the per-item Pearson statistics, X²_S = Σ_i X²_i
	// (Bilder & Loughin 2004, eq. 2).
	X2S float64
	// PBonferroni is min(1, I'·min_i p_i), with p_i the asymptotic
	// chi-square(r−1) p-value of item i and I' the number of items tested
	// (Bilder & Loughin 2004, §3.1).
	PBonferroni float64
	// X2RS2, DFRS2 and PRS2 are the second-order Rao–Scott adjustment of X2S
	// (Bilder & Loughin 2004, §3.3 and Appendix A; Rao & Scott 1984), as R's
	// MRCV::MI.test(type = "rs2") computes it. X²_S is asymptotically
	// Σ_k λ_k χ²_1, the λ_k being the eigenvalues of M = D⁻¹ H Σ H', where
	// Σ = blockdiag_g(S_g/a_g) is the covariance of sqrt(n)·(π̂_g1..π̂_gI')
	// over groups g (S_g the within-group covariance of the item indicators,
	// divisor n_g; a_g = n_g/n), H = I − (1a')⊗I centres each group on the
	// pooled proportions, and D = diag((1/a_g)·π̂_j(1−π̂_j)). With
	// Σλ = (r−1)·I' (its value under MMI) and Σλ² = tr(M²),
	// X2RS2 = X²_S·Σλ/Σλ² is referred to χ² with DFRS2 = (Σλ)²/Σλ²
	// (not necessarily an integer) degrees of freedom. Unlike MRCV we do not
	// add 0.5 to zero cells of the per-item tables (its add.constant), so the
	// two agree exactly when no group×item cell is zero.
	X2RS2, DFRS2, PRS2 float64
	// PPerm is the permutation p-value (1 + #{X²_S* ≥ X²_S})/(B + 1), with
	// B = Permutations = Options.MMIPermutations random reassignments of the
	// group labels to the respondents' item vectors (which keeps the
	// dependence between items; an exact-in-distribution alternative to the
	// bootstrap of Bilder & Loughin 2004 §3.2). NaN when
	// Options.MMIPermutations is 0.
	PPerm        float64
	Permutations int
}

// MMI tests multiple marginal independence (Bilder & Loughin 2004) between a
// multiple-response question and an attribute. named[k][i] says whether
// respondent k named item i (every row must have the same length I ≥ 1);
// group[k] is the attribute value of respondent k in [0, nGroups), or
// negative when missing (the respondent is skipped). opt.MMIPermutations and
// opt.Seed drive the optional permutation test; the per-item Analyze calls
// use opt too. Malformed input (length mismatch, ragged rows, group ≥ nGroups) gives
// StatusInvalid; fewer than two non-empty groups, or no non-constant item,
// gives StatusDegenerate; no respondent gives StatusEmpty.
func MMI(named [][]bool, group []int, nGroups int, opt Options) MMIResult {
	nan := math.NaN()
	res := MMIResult{Status: StatusOK, X2S: nan, PBonferroni: nan, X2RS2: nan, DFRS2: nan, PRS2: nan, PPerm: nan}
	if len(named) != len(group) {
		res.Status, res.StatusDetail = StatusInvalid, "named and group have different lengths"
		return res
	}
	nItems := -1
	rows := make([][]bool, 0, len(named)) // a survey has up to millions of respondents: one allocation each
	g := make([]int, 0, len(named))
	for k, row := range named {
		if group[k] < 0 {
			continue
		}
		if group[k] >= nGroups {
			res.Status, res.StatusDetail = StatusInvalid, "respondent "+strconv.Itoa(k)+" has group "+strconv.Itoa(group[k])+", want < "+strconv.Itoa(nGroups)
			return res
		}
		if nItems < 0 {
			nItems = len(row)
		}
		if len(row) != nItems {
			res.Status, res.StatusDetail = StatusInvalid, "respondent "+strconv.Itoa(k)+" has "+strconv.Itoa(len(row))+" items, want "+strconv.Itoa(nItems)
			return res
		}
		rows = append(rows, row)
		g = append(g, group[k])
	}
	res.N = len(rows)
	if res.N == 0 || nItems == 0 {
		res.Status, res.StatusDetail = StatusEmpty, "no respondents with a group and at least one item"
		return res
	}
	// Compact the non-empty groups to 0..r-1.
	size := make([]int, nGroups)
	for _, v := range g {
		size[v]++
	}
	remap := make([]int, nGroups)
	var groupLab []string
	r := 0
	for v, s := range size {
		remap[v] = -1
		if s > 0 {
			remap[v] = r
			groupLab = append(groupLab, strconv.Itoa(v))
			r++
		}
	}
	for k := range g {
		g[k] = remap[g[k]]
	}
	res.Groups, res.DF = r, r-1

	// Per-item r×2 tables.
	var kept []int
	minP := math.Inf(1)
	x2s := 0.0
	for i := range nItems {
		counts := make([][]float64, r)
		for a := range counts {
			counts[a] = make([]float64, 2)
		}
		for k, row := range rows {
			if row[i] {
				counts[g[k]][0]++
			} else {
				counts[g[k]][1]++
			}
		}
		it := Analyze(Table{Rows: groupLab, Cols: []string{"named", "not_named"}, Counts: counts}, opt)
		res.Items = append(res.Items, it)
		if it.Status != StatusOK {
			res.DroppedItems = append(res.DroppedItems, i)
			continue
		}
		kept = append(kept, i)
		x2s += it.Chi2
		minP = math.Min(minP, it.PChi2)
	}
	if r < 2 {
		res.Status, res.StatusDetail = StatusDegenerate, "fewer than two non-empty groups"
		return res
	}
	if len(kept) == 0 {
		res.Status, res.StatusDetail = StatusDegenerate, "every item is named by all or by none of the respondents"
		return res
	}
	m := len(kept)
	res.X2S = x2s
	res.PBonferroni = math.Min(1, float64(m)*minP)

	sumL := float64((r - 1) * m)
	sumL2 := rs2SumSquares(rows, g, r, kept)
	if !(sumL2 > 0) {
		res.Status, res.StatusDetail = StatusDegenerate, "estimated covariance of the item proportions is zero"
		return res
	}
	res.X2RS2 = x2s * sumL / sumL2
	res.DFRS2 = sumL * sumL / sumL2
	res.PRS2 = distuv.ChiSquared{K: res.DFRS2}.Survival(res.X2RS2)

	if opt.MMIPermutations > 0 {
		res.Permutations = opt.MMIPermutations
		res.PPerm = mmiPermutation(rows, g, r, kept, x2s, res.Permutations, opt.Seed, opt.stopFunc())
	}
	return res
}

// rs2SumSquares returns Σλ² = tr(M²) for the second-order Rao–Scott
// adjustment of MMI (see MMIResult.X2RS2). With B = HΣH' (symmetric) and
// d = diag(D⁻¹), tr(M²) = Σ d_gj d_hk B²_{gj,hk}, where the blocks of B are
// B_gh = δ_gh S_g/a_g − S_g − S_h + Σ_l a_l S_l.
func rs2SumSquares(rows [][]bool, g []int, r int, kept []int) float64 {
	m := len(kept)
	n := float64(len(rows))
	size := make([]float64, r)
	sum := make([][]float64, r)   // Σ y_j per group
	cross := make([][]float64, r) // Σ y_j y_k per group, row-major m×m
	for gi := range r {
		sum[gi] = make([]float64, m)
		cross[gi] = make([]float64, m*m)
	}
	for k, row := range rows {
		gi := g[k]
		size[gi]++
		for a, i := range kept {
			if !row[i] {
				continue
			}
			sum[gi][a]++
			for b, j := range kept {
				if row[j] {
					cross[gi][a*m+b]++
				}
			}
		}
	}
	S := make([][]float64, r) // within-group covariance, divisor n_g
	pooledS := make([]float64, m*m)
	pooledP := make([]float64, m)
	a := make([]float64, r)
	for gi := range r {
		a[gi] = size[gi] / n
		S[gi] = make([]float64, m*m)
		for x := range m {
			pooledP[x] += sum[gi][x] / n
			for y := range m {
				v := cross[gi][x*m+y]/size[gi] - sum[gi][x]*sum[gi][y]/(size[gi]*size[gi])
				S[gi][x*m+y] = v
				pooledS[x*m+y] += a[gi] * v
			}
		}
	}
	total := 0.0
	for gi := range r {
		for hi := range r {
			for x := range m {
				dx := a[gi] / (pooledP[x] * (1 - pooledP[x]))
				for y := range m {
					dy := a[hi] / (pooledP[y] * (1 - pooledP[y]))
					b := pooledS[x*m+y] - S[gi][x*m+y] - S[hi][x*m+y]
					if gi == hi {
						b += S[gi][x*m+y] / a[gi]
					}
					total += dx * dy * b * b
				}
			}
		}
	}
	return total
}

// mmiPermutation shuffles the group labels over respondents B times and
// returns (1 + #{X²_S* ≥ X²_S})/(B + 1). Group sizes and item margins are
// unchanged by a permutation, so the expected counts are fixed. When stop
// is not nil and returns true (asked every mcCheckEvery permutations), the
// result is NaN.
func mmiPermutation(rows [][]bool, g []int, r int, kept []int, x2s float64, b int, seed uint64, stop func() bool) float64 {
	n := len(rows)
	m := len(kept)
	size := make([]float64, r)
	for _, v := range g {
		size[v]++
	}
	p := make([]float64, m) // share naming each item
	for a, i := range kept {
		for _, row := range rows {
			if row[i] {
				p[a]++
			}
		}
		p[a] /= float64(n)
	}
	// X²_i for an r×2 table = Σ_g (O_g − n_g p)² / (n_g p (1−p)).
	named := make([]float64, r*m)
	stat := func(lab []int) float64 {
		clear(named)
		for k, row := range rows {
			for a, i := range kept {
				if row[i] {
					named[lab[k]*m+a]++
				}
			}
		}
		s := 0.0
		for gi := range r {
			for a := range m {
				e := size[gi] * p[a]
				d := named[gi*m+a] - e
				s += d * d / (e * (1 - p[a]))
			}
		}
		return s
	}
	lab := append([]int(nil), g...)
	x0 := x2s * mcAlmostOne
	rng := newRand(seed)
	ge := 0
	for k := range b {
		if stop != nil && k%mcCheckEvery == 0 && stop() {
			return math.NaN()
		}
		rng.Shuffle(n, func(i, j int) { lab[i], lab[j] = lab[j], lab[i] })
		if stat(lab) >= x0 {
			ge++
		}
	}
	return float64(1+ge) / float64(b+1)
}
