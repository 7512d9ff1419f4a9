package cluster

import (
	"cmp"
	"context"
	"fmt"
	"math"
	"sync"
	"sync/atomic"
)

// Defaults of StabilityOptions.
const (
	DefaultStabilityB      = 10
	DefaultStabilitySample = 5000
	// StabilityRestarts is the k-means restarts per resample the pipeline
	// uses (StabilityOptions.Restarts).
	StabilityRestarts = 3
	// StabilityChains is the GSDMM chains per resample the pipeline uses
	// (StabilityOptions.Chains).
	StabilityChains = 1
	// UnstableBelow is the stability under which a cluster should not be
	// reported as a finding (Hennig 2007 calls clusters with mean Jaccard
	// ≤ 0.5 "dissolved" and asks for ≥ 0.6–0.75 before trusting one).
	UnstableBelow = 0.6
)

// Resample is one clustering of a subset of the documents: Idx are row
// indices (into the reference labelling), Labels their clusters in that
// clustering (negative = not clustered) and Weight, for weighted rows, how
// many of each row's documents the subset holds (nil: one each).
type Resample struct {
	Idx    []int
	Labels []int
	Weight []int32
}

// ClusterJaccard returns, for each cluster c in 0..k-1 of the reference
// labelling ref, the mean over resamples of the Jaccard similarity between
// c restricted to the resample's documents and the most similar cluster of
// the resample (Hennig 2007, "Cluster-wise assessment of cluster
// stability", Comput. Stat. Data Anal. 52:258, §2):
//
//	γ_c = mean_b max_D |C ∩ D| / |C ∪ D|,   C = {i ∈ Idx_b : ref[i] = c}
//
// Resamples where C is empty do not count for c (Hennig's rule for
// subsetting); a cluster with no counting resample gets NaN. Sizes count
// the documents a weighted row stands for (Resample.Weight). Documents with
// a negative label on either side belong to no cluster. It panics if a
// resample's Idx and Labels differ in length.
func ClusterJaccard(ref []int, k int, rs []Resample) []float64 {
	sum := make([]float64, k)
	cnt := make([]int, k)
	for _, r := range rs {
		if len(r.Idx) != len(r.Labels) {
			panic("cluster: ClusterJaccard: resample Idx and Labels differ in length")
		}
		kb := 0
		for _, l := range r.Labels {
			kb = max(kb, l+1)
		}
		inter := make([]int, k*kb) // |C ∩ D|
		sizeC := make([]int, k)
		sizeD := make([]int, kb)
		for p, i := range r.Idx {
			c, d := ref[i], r.Labels[p]
			w := weightAt(r.Weight, p)
			if d >= 0 {
				sizeD[d] += w
			}
			if c < 0 || c >= k {
				continue
			}
			sizeC[c] += w
			if d >= 0 {
				inter[c*kb+d] += w
			}
		}
		for c := range k {
			if sizeC[c] == 0 {
				continue
			}
			best := 0.0
			for d := range kb {
				if in := inter[c*kb+d]; in > 0 {
					best = max(best, float64(in)/float64(sizeC[c]+sizeD[d]-in))
				}
			}
			sum[c] += best
			cnt[c]++
		}
	}
	out := make([]float64, k)
	for c := range k {
		out[c] = math.NaN()
		if cnt[c] > 0 {
			out[c] = sum[c] / float64(cnt[c])
		}
	}
	return out
}

// StabilityOptions configures Stability.
type StabilityOptions struct {
	// B is the number of resamples; zero means DefaultStabilityB.
	B int
	// Sample is the subset size: when the non-empty documents number more
	// than Sample, each resample clusters Sample of them drawn without
	// replacement; otherwise all of them. Zero means DefaultStabilitySample.
	Sample int
	// Seed: resample b draws its subset and its clustering seed from Seed+b+1.
	Seed uint64
	// Restarts, when > 0, caps the k-means restarts of each resample that
	// is a proper subset (the reference clustering's restarts buy a lower
	// objective, not a different partition, on a subset); zero keeps fit's.
	// Resamples of all documents (fewer than Sample) keep fit's restarts:
	// they differ from the reference only by the seed, so that the figure
	// measures how reproducible the method is, not how much worse a cheaper
	// fit is (Hennig 2007 reruns the same method).
	Restarts int
	// Chains, when > 0, caps the GSDMM chains of each resample that is a
	// proper subset, for the same reason; zero keeps fit's. Resamples of
	// all documents keep fit's chains.
	Chains int
}

// Stability reclusters d opt.B times with the method of fit (different
// seeds, and different random subsets when the corpus is larger than
// opt.Sample) and returns ClusterJaccard of the reference labelling ref
// (k clusters) against those resamples, and the resamples themselves.
// A cluster that only one seed produces gets a low value; a planted
// cluster close to 1. The resamples are fitted on up to
// fit.KMeans.Workers goroutines; each depends only on its own seed, so the
// result does not depend on their number. It returns ctx.Err() when
// cancelled and the first resample's error of Fit.
func Stability(ctx context.Context, d *Data, fit FitOptions, ref []int, k int, opt StabilityOptions) ([]float64, []Resample, error) {
	rs, err := Resamples(ctx, d, fit, opt)
	if err != nil {
		return nil, nil, err
	}
	return ClusterJaccard(ref, k, rs), rs, nil
}

// Resamples returns the opt.B reclusterings of d that Stability compares
// the reference labelling with; they do not depend on it, so a caller can
// fit them while it computes the reference. Errors as Stability's.
func Resamples(ctx context.Context, d *Data, fit FitOptions, opt StabilityOptions) ([]Resample, error) {
	if opt.B == 0 {
		opt.B = DefaultStabilityB
	}
	if opt.Sample == 0 {
		opt.Sample = DefaultStabilitySample
	}
	var cand []int
	all := 0 // documents of the candidate rows
	for i, r := range d.TFIDF.Docs {
		if len(r.Idx) > 0 {
			cand = append(cand, i)
			all += weightAt(d.TFIDF.Weight, i)
		}
	}
	rs := make([]Resample, opt.B)
	errs := make([]error, opt.B)
	var next atomic.Int64
	var wg sync.WaitGroup
	for range min(resolveWorkers(fit.KMeans.Workers), opt.B) {
		wg.Go(func() {
			for {
				b := int(next.Add(1) - 1)
				if b >= opt.B || ctx.Err() != nil {
					return
				}
				seed := opt.Seed + uint64(b) + 1
				idx, cnt := SampleCopies(cand, d.TFIDF.Weight, opt.Sample, seed)
				f := fit
				f.KMeans.Seed = seed
				if all > opt.Sample {
					if opt.Restarts > 0 {
						f.KMeans.Restarts = min(cmp.Or(f.KMeans.Restarts, DefaultRestarts), opt.Restarts)
					}
					if opt.Chains > 0 {
						f.GSDMM.Chains = min(cmp.Or(f.GSDMM.Chains, DefaultGSDMMChains), opt.Chains)
					}
				}
				labels, _, err := Fit(ctx, d.Subset(idx, cnt), f)
				if err != nil {
					errs[b] = fmt.Errorf("stability resample %d: %w", b+1, err)
					return
				}
				rs[b] = Resample{Idx: idx, Labels: labels, Weight: cnt}
			}
		})
	}
	wg.Wait()
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	for _, err := range errs {
		if err != nil {
			return nil, err
		}
	}
	return rs, nil
}
