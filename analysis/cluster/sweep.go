package cluster

import (
	"context"
	"fmt"
	"math"
)

// Defaults of SweepOptions.
const (
	DefaultStabilityRuns = 3
	DefaultMinStability  = 0.8
)

// SweepOptions configures Sweep.
type SweepOptions struct {
	// KMin and KMax bound the numbers of clusters tried, inclusive;
	// 2 <= KMin <= KMax is required.
	KMin, KMax int
	// Sample is the number of documents drawn (with KMeans.Seed) for the
	// silhouette and stability; zero means DefaultSample, negative means
	// all documents.
	Sample int
	// Runs is the number of k-means runs on the sample, with seeds
	// KMeans.Seed+1 … KMeans.Seed+Runs, whose mean pairwise ARI is the
	// stability; zero means DefaultStabilityRuns, and it must be >= 2.
	Runs int
	// MinStability is the stability a k needs to be eligible; zero means
	// DefaultMinStability.
	MinStability float64
	// KMeans holds the settings of every run; its K is ignored.
	KMeans KMeansOptions
}

// SweepRow is the evaluation of one k.
type SweepRow struct {
	K          int
	Silhouette float64 // mean cosine silhouette of the full-data labels on the sample; NaN if undefined
	Stability  float64 // mean pairwise ARI of Runs clusterings of the sample
	Objective  float64 // KMeans objective on all documents
}

// SweepResult is the outcome of Sweep.
type SweepResult struct {
	Rows   []SweepRow // one per k, ascending
	K      int        // the chosen k
	Result *Result    // the full-data clustering for the chosen k
}

// Sweep clusters m for every k in KMin..KMax and chooses k by this rule: among
// the k whose stability reaches MinStability, the one with the highest
// silhouette; if none reaches it, the highest silhouette overall; ties (and
// NaN silhouettes, which rank last) go to the smaller k.
//
// For each k: one KMeans on all documents gives the objective and, on the
// sample, the silhouette; Runs further KMeans on the sample alone with
// different seeds give the stability. Everything is seeded from
// opt.KMeans.Seed, so the sweep is deterministic.
//
// It returns ctx.Err() when cancelled, an error for invalid bounds or Runs,
// and any error of KMeans.
func Sweep(ctx context.Context, m *Matrix, opt SweepOptions) (*SweepResult, error) {
	if opt.KMin < 2 || opt.KMax < opt.KMin {
		return nil, fmt.Errorf("k range must satisfy 2 <= kmin <= kmax, got %d..%d", opt.KMin, opt.KMax)
	}
	if opt.Sample == 0 {
		opt.Sample = DefaultSample
	}
	if opt.Runs == 0 {
		opt.Runs = DefaultStabilityRuns
	}
	if opt.Runs < 2 {
		return nil, fmt.Errorf("stability runs must be >= 2, got %d", opt.Runs)
	}
	if opt.MinStability == 0 {
		opt.MinStability = DefaultMinStability
	}
	var cand []int
	for i, d := range m.Docs {
		if len(d.Idx) > 0 {
			cand = append(cand, i)
		}
	}
	idx, cnt := SampleCopies(cand, m.Weight, opt.Sample, opt.KMeans.Seed)
	sub := subMatrix(m, idx, cnt)
	idx = ExpandCopies(idx, cnt) // silhouette positions: one per document
	workers := resolveWorkers(opt.KMeans.Workers)

	out := &SweepResult{}
	bestRow := -1
	better := func(r SweepRow, eligible bool, b SweepRow, bEligible bool) bool {
		if eligible != bEligible {
			return eligible
		}
		if math.IsNaN(b.Silhouette) {
			return !math.IsNaN(r.Silhouette)
		}
		return r.Silhouette > b.Silhouette
	}
	for k := opt.KMin; k <= opt.KMax; k++ {
		ko := opt.KMeans
		ko.K = k
		res, err := KMeans(ctx, m, ko)
		if err != nil {
			return nil, fmt.Errorf("k = %d: %w", k, err)
		}
		row := SweepRow{K: k, Objective: res.Objective}
		row.Silhouette = silhouetteOf(m, res.Labels, idx, workers)
		runs := make([][]int, opt.Runs)
		for r := range runs {
			ko.Seed = opt.KMeans.Seed + uint64(r) + 1
			sr, err := KMeans(ctx, sub, ko)
			if err != nil {
				return nil, fmt.Errorf("k = %d, stability run %d: %w", k, r+1, err)
			}
			runs[r] = sr.Labels
		}
		var ari float64
		pairs := 0
		for a := range runs {
			for b := a + 1; b < len(runs); b++ {
				ari += ARI(runs[a], runs[b])
				pairs++
			}
		}
		row.Stability = ari / float64(pairs)
		out.Rows = append(out.Rows, row)
		if bestRow < 0 || better(row, row.Stability >= opt.MinStability, out.Rows[bestRow], out.Rows[bestRow].Stability >= opt.MinStability) {
			bestRow = len(out.Rows) - 1
			out.Result = res
		}
	}
	out.K = out.Rows[bestRow].K
	return out, nil
}
