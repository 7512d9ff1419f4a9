package cluster

import (
	"context"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"sort"
	"sync"
	"sync/atomic"
)

// ErrTooFewDocs is returned by KMeans when fewer non-empty documents than
// clusters are given.
var ErrTooFewDocs = errors.New("fewer non-empty documents than clusters")

// Default k-means settings. DefaultRestarts matches the n_init=10 of the peer
// Python pipeline.
const (
	DefaultRestarts = 10
	DefaultMaxIter  = 100
	DefaultTol      = 1e-4
)

// KMeansOptions configures KMeans.
type KMeansOptions struct {
	// K is the total number of clusters, guided ones included; must be >= 1
	// and >= len(Init) (K == len(Init) leaves no free cluster).
	K int
	// Restarts is the number of independent seedings; the run with the
	// lowest objective wins (ties: earliest restart). Zero means
	// DefaultRestarts.
	Restarts int
	// MaxIter bounds the Lloyd iterations of each restart. Zero means
	// DefaultMaxIter.
	MaxIter int
	// Tol stops a restart when the objective improves by no more than
	// Tol·objective between iterations (or no label changes). Zero means
	// DefaultTol; negative disables the relative test.
	Tol float64
	// Seed drives every random choice; equal seeds give equal results.
	Seed uint64
	// Workers is the number of goroutines for the assignment step; <= 0
	// means runtime.GOMAXPROCS(0). Results do not depend on it.
	Workers int
	// Init holds guided starting centroids (codebook categories), each of
	// length m.Cols(); see SeedFromDocs and SeedFromTerms. Clusters
	// 0..len(Init)-1 start there (after L2 normalisation) in every restart;
	// the remaining K-len(Init) clusters are seeded by k-means++ against
	// them. A guided cluster that loses all its documents keeps its previous
	// centroid instead of being re-seeded. After convergence the clusters
	// are matched to the categories greedily by highest cosine between final
	// and starting centroids (ties: lower category, then lower cluster) and
	// renumbered so that cluster g stands for Init[g]: a sparse keyword seed
	// can drift to another cluster's position during the first iterations.
	Init [][]float64
}

// Result is a clustering of a Matrix's rows.
type Result struct {
	// Labels gives each document's cluster in 0..K-1, or -1 for a document
	// with an empty row (not clustered).
	Labels []int
	// Centroids are the K unit-length cluster centres (length m.Cols()).
	// A cluster with no documents keeps its last centre.
	Centroids [][]float64
	// Sizes counts the documents in each cluster (copies of a weighted
	// row included).
	Sizes []int
	// Origin tells, per cluster, the index in KMeansOptions.Init of the
	// category it stands for, or -1 for a free cluster. Guided clusters come
	// first: Origin[g] == g for g < len(Init).
	Origin []int
	// SeedCos is, per cluster, the cosine between its final centroid and its
	// category's starting centroid (0 for free clusters). A low value means
	// the category was not found as such in the data.
	SeedCos []float64
	// Objective is Σ (1 − cos(x_i, c_label(i))) over clustered documents,
	// the spherical k-means loss (lower is better).
	Objective float64
	// Iterations is the number of Lloyd iterations of the winning restart.
	Iterations int
	// Restart is the index of the winning restart.
	Restart int
}

func (o KMeansOptions) withDefaults() KMeansOptions {
	if o.Restarts == 0 {
		o.Restarts = DefaultRestarts
	}
	if o.MaxIter == 0 {
		o.MaxIter = DefaultMaxIter
	}
	if o.Tol == 0 {
		o.Tol = DefaultTol
	}
	o.Workers = resolveWorkers(o.Workers)
	return o
}

// KMeans clusters the rows of m by spherical k-means (Dhillon & Modha 2001,
// "Concept decompositions for large sparse text data using clustering"):
// each document goes to the centroid of highest cosine similarity, and each
// centroid is the L2-normalised sum of its documents. Rows are expected to be
// L2-normalised (as TFIDF and LSA return them); empty rows get label -1.
//
// Seeding is greedy k-means++ (Arthur & Vassilvitskii 2007, with the
// 2+⌊ln k⌋ candidates per step of sklearn's kmeans_plusplus) using the
// squared Euclidean distance between unit vectors, ‖x−c‖² = 2(1−cos): each
// candidate is drawn with probability proportional to 1 − max cos to the
// chosen centres, and the candidate leaving the lowest total distance wins. A cluster left empty after an assignment is re-seeded with the
// document farthest from its centroid (lowest cosine; ties: lowest index)
// taken from a cluster with at least two documents.
//
// A weighted matrix (Matrix.Weight) is clustered as the corpus with each
// row repeated Weight times: centroid sums, sizes, the objective and the
// seeding draws count copies, so the objective is the one of k-means on all
// documents, and identical documents (one row) always share a cluster.
//
// Each restart r draws from rand.NewPCG(opt.Seed, r). Restarts run on up
// to opt.Workers goroutines side by side (the best is chosen in restart
// order), and each restart's assignment step on its share of the workers
// over fixed chunks of documents; sums run sequentially in document order,
// so the result is bit-identical for any Workers value.
//
// Rows must come from TFIDF or LSA (column ids < m.Cols()); other ids panic.
// It returns ctx.Err() when cancelled (checked every iteration), an error for
// K < 1, negative Restarts or MaxIter, len(Init) > K or an Init vector of the wrong length or zero norm,
// and ErrTooFewDocs when fewer than K rows are non-empty.
func KMeans(ctx context.Context, m *Matrix, opt KMeansOptions) (*Result, error) {
	opt = opt.withDefaults()
	if opt.K < 1 {
		return nil, fmt.Errorf("k must be >= 1, got %d", opt.K)
	}
	if opt.Restarts < 0 || opt.MaxIter < 0 {
		return nil, fmt.Errorf("restarts and max iterations must not be negative, got %d and %d", opt.Restarts, opt.MaxIter)
	}
	if len(opt.Init) > opt.K {
		return nil, fmt.Errorf("%d guided centroids exceed k = %d", len(opt.Init), opt.K)
	}
	dim := m.Cols()
	init := make([][]float64, len(opt.Init))
	for i, c := range opt.Init {
		if len(c) != dim {
			return nil, fmt.Errorf("guided centroid %d has length %d, want %d", i, len(c), dim)
		}
		init[i] = append([]float64(nil), c...)
		if !normalize(init[i]) {
			return nil, fmt.Errorf("guided centroid %d is zero", i)
		}
	}
	active := 0
	for _, d := range m.Docs {
		if len(d.Idx) > 0 {
			active++
		}
	}
	if active < opt.K {
		return nil, fmt.Errorf("%w: %d documents, k = %d", ErrTooFewDocs, active, opt.K)
	}
	// Restarts run side by side, each on its own runner with a share of
	// the workers for its assignment steps; each depends only on its seed,
	// and the best is taken in restart order.
	par := min(opt.Workers, opt.Restarts)
	inner := opt
	inner.Workers = max(1, opt.Workers/par)
	cols := newColumns(m)
	xnorm := maxRowNorm(m)
	results := make([]*Result, opt.Restarts)
	errs := make([]error, opt.Restarts)
	var next atomic.Int64
	var wg sync.WaitGroup
	for range par {
		wg.Go(func() {
			km := newRunner(m, inner, init, cols, xnorm)
			for {
				r := int(next.Add(1) - 1)
				if r >= opt.Restarts {
					return
				}
				if errs[r] = ctx.Err(); errs[r] != nil {
					return
				}
				results[r], errs[r] = km.run(ctx, rand.New(rand.NewPCG(opt.Seed, uint64(r))))
				if errs[r] != nil {
					return
				}
			}
		})
	}
	wg.Wait()
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	var best *Result
	for r, res := range results {
		if errs[r] != nil {
			return nil, errs[r]
		}
		if res == nil {
			continue // not started: another restart failed first
		}
		res.Restart = r
		if best == nil || res.Objective < best.Objective {
			best = res
		}
	}
	return best, nil
}

// runner holds the state shared by the restarts of one KMeans call.
type runner struct {
	m       *Matrix
	opt     KMeansOptions
	init    [][]float64
	n, dim  int
	k       int
	cent    []float64 // k×dim, row-major
	centT   []float64 // dim×k, transposed for sparse·dense scoring
	labels  []int
	sims    []float64
	changed []int32   // per chunk
	post    *postings // nil: seeding scores every row in full

	// The bounds of assign: upper[i] bounds document i's scores for the
	// clusters other than its own; last holds the centroids of the last
	// assignment (when bounded); drift[j] is how far a score for a cluster
	// other than j can have risen since; xnorm is the largest row norm.
	upper   []float64
	last    []float64
	drift   []float64
	bounded bool
	xnorm   float64
}

func newRunner(m *Matrix, opt KMeansOptions, init [][]float64, cols *columns, xnorm float64) *runner {
	n, dim := len(m.Docs), m.Cols()
	var post *postings
	if cols != nil {
		post = &postings{columns: cols, acc: make([]float64, n), seen: make([]bool, n)}
	}
	return &runner{
		post: post,
		m:    m, opt: opt, init: init, n: n, dim: dim, k: opt.K,
		cent:    make([]float64, opt.K*dim),
		centT:   make([]float64, opt.K*dim),
		labels:  make([]int, n),
		sims:    make([]float64, n),
		changed: make([]int32, (n+chunkSize-1)/chunkSize),
		upper:   make([]float64, n),
		last:    make([]float64, opt.K*dim),
		drift:   make([]float64, opt.K),
		xnorm:   xnorm,
	}
}

// maxRowNorm returns the largest L2 norm of m's rows (1 for TFIDF and LSA
// rows, up to rounding).
func maxRowNorm(m *Matrix) float64 {
	var mx float64
	for _, d := range m.Docs {
		var ss float64
		for _, v := range d.Val {
			ss += v * v
		}
		mx = max(mx, ss)
	}
	return math.Sqrt(mx)
}

func (km *runner) run(ctx context.Context, rng *rand.Rand) (*Result, error) {
	km.seed(rng)
	for i := range km.labels {
		km.labels[i] = -2 // nothing assigned yet
	}
	km.bounded = false
	prev := math.Inf(1)
	iters := 0
	for it := 1; it <= km.opt.MaxIter; it++ {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		iters = it
		changed := km.assign()
		obj := 0.0
		for i, s := range km.sims {
			if km.labels[i] >= 0 {
				obj += (1 - s) * km.m.W(i)
			}
		}
		km.fixEmpty()
		km.update()
		if changed == 0 || (km.opt.Tol > 0 && !math.IsInf(prev, 1) && prev-obj <= km.opt.Tol*prev) {
			break
		}
		prev = obj
	}
	if len(km.init) > 0 {
		km.matchSeeds()
	}
	// Final loss of the returned labels against the returned centroids.
	res := &Result{
		Labels:     append([]int(nil), km.labels...),
		Centroids:  make([][]float64, km.k),
		Sizes:      make([]int, km.k),
		Origin:     make([]int, km.k),
		SeedCos:    make([]float64, km.k),
		Iterations: iters,
	}
	for j := range km.k {
		res.Centroids[j] = append([]float64(nil), km.cent[j*km.dim:(j+1)*km.dim]...)
		res.Origin[j] = -1
		if j < len(km.init) {
			res.Origin[j] = j
			for t, x := range km.init[j] {
				res.SeedCos[j] += x * res.Centroids[j][t]
			}
		}
	}
	for i, d := range km.m.Docs {
		if l := res.Labels[i]; l >= 0 {
			res.Sizes[l] += weightAt(km.m.Weight, i)
			res.Objective += (1 - d.Dot(res.Centroids[l])) * km.m.W(i)
		}
	}
	return res, nil
}

// matchSeeds renumbers the clusters so that cluster g is the one matched to
// guided seed g: pairs (seed, cluster) are taken greedily by highest cosine.
func (km *runner) matchSeeds() {
	g := len(km.init)
	type pair struct {
		s, c int
		cos  float64
	}
	pairs := make([]pair, 0, g*km.k)
	for s := range g {
		for c := range km.k {
			var cos float64
			row := km.cent[c*km.dim : (c+1)*km.dim]
			for t, x := range km.init[s] {
				cos += x * row[t]
			}
			pairs = append(pairs, pair{s, c, cos})
		}
	}
	sort.SliceStable(pairs, func(a, b int) bool { return pairs[a].cos > pairs[b].cos })
	perm := make([]int, km.k) // old cluster -> new cluster
	for i := range perm {
		perm[i] = -1
	}
	seedDone := make([]bool, g)
	for _, p := range pairs {
		if !seedDone[p.s] && perm[p.c] < 0 {
			seedDone[p.s] = true
			perm[p.c] = p.s
		}
	}
	next := g
	for c := range km.k {
		if perm[c] < 0 {
			perm[c] = next
			next++
		}
	}
	old := append([]float64(nil), km.cent...)
	for c := range km.k {
		km.setCentroid(perm[c], old[c*km.dim:(c+1)*km.dim])
	}
	for i, l := range km.labels {
		if l >= 0 {
			km.labels[i] = perm[l]
		}
	}
}

// setCentroid copies c into centroid j (both layouts).
func (km *runner) setCentroid(j int, c []float64) {
	copy(km.cent[j*km.dim:(j+1)*km.dim], c)
	for t, v := range c {
		km.centT[t*km.k+j] = v
	}
}

// setCentroidDoc makes document i the centroid j.
func (km *runner) setCentroidDoc(j, i int) {
	c := km.cent[j*km.dim : (j+1)*km.dim]
	clear(c)
	d := km.m.Docs[i]
	for p, t := range d.Idx {
		c[t] = d.Val[p]
	}
	normalize(c)
	km.setCentroid(j, c)
}

// seed places the guided centroids and chooses the others by k-means++.
func (km *runner) seed(rng *rand.Rand) {
	docs := km.m.Docs
	dist := make([]float64, km.n) // 1 − max cos to chosen centres; -1 = empty row
	for i := range dist {
		dist[i] = 2
		if len(docs[i].Idx) == 0 {
			dist[i] = -1
		}
	}
	chosen := make(map[int]bool)
	lower := func(j int) {
		c := km.cent[j*km.dim : (j+1)*km.dim]
		forChunks(km.n, km.opt.Workers, func(lo, hi int) {
			for i := lo; i < hi; i++ {
				if dist[i] < 0 {
					continue
				}
				if d := max(0, 1-docs[i].Dot(c)); d < dist[i] {
					dist[i] = d
				}
			}
		})
	}
	j := 0
	for ; j < len(km.init); j++ {
		km.setCentroid(j, km.init[j])
		lower(j)
	}
	if j == 0 {
		// First free centre: a uniformly drawn non-empty document (a row
		// with probability ∝ its weight).
		var cand []int
		for i, d := range dist {
			if d >= 0 {
				for range weightAt(km.m.Weight, i) {
					cand = append(cand, i)
				}
			}
		}
		i := cand[rng.IntN(len(cand))]
		chosen[i] = true
		km.setCentroidDoc(0, i)
		lower(0)
		j = 1
	}
	trials := 2 + int(math.Log(float64(km.k)))
	cum := make([]float64, km.n)
	cand := make([]float64, km.dim)
	trial := make([]float64, km.n)
	best := make([]float64, km.n)
	for ; j < km.k; j++ {
		var total float64
		for i, d := range dist {
			if d > 0 {
				total += d * km.m.W(i)
			}
			cum[i] = total
		}
		pick := -1
		if total > 0 {
			// Greedy k-means++: of several candidates drawn ∝ distance, keep
			// the one that lowers the potential Σ dist the most.
			bestPot := math.Inf(1)
			for range trials {
				r := rng.Float64() * total
				c := sort.Search(km.n, func(i int) bool { return cum[i] > r })
				if c == km.n {
					c = km.n - 1
				}
				for dist[c] <= 0 && c > 0 {
					c-- // r fell on a rounding edge: nearest earlier candidate
				}
				clear(cand)
				d := docs[c]
				for p, t := range d.Idx {
					cand[t] = d.Val[p]
				}
				normalize(cand)
				if km.post != nil {
					km.post.lower(trial, dist, d, cand)
				} else {
					forChunks(km.n, km.opt.Workers, func(lo, hi int) {
						for i := lo; i < hi; i++ {
							trial[i] = dist[i]
							if dist[i] > 0 {
								trial[i] = min(dist[i], max(0, 1-docs[i].Dot(cand)))
							}
						}
					})
				}
				var pot float64
				for i, x := range trial {
					if x > 0 {
						pot += x * km.m.W(i)
					}
				}
				if pot < bestPot {
					bestPot, pick = pot, c
					best, trial = trial, best
				}
			}
			chosen[pick] = true
			km.setCentroidDoc(j, pick)
			copy(dist, best)
			continue
		}
		// Every document coincides with a centre: take the first unused.
		for i, d := range dist {
			if d >= 0 && !chosen[i] {
				pick = i
				break
			}
		}
		chosen[pick] = true
		km.setCentroidDoc(j, pick)
		lower(j)
	}
}

// columns lists the rows of a sparse matrix by column (an inverted
// index): the rows having column c are row[start[c]:start[c+1]], in row
// order, with their values in val. Shared by the runners of one KMeans.
type columns struct {
	start []int
	row   []int32
	val   []float64
}

// postingsMaxEntries bounds the entries of columns (12 bytes each, as
// many as the matrix's own): above it, or for rows that fill more than an
// eighth of the columns on average (LSA), k-means++ keeps scoring every
// row in full.
const postingsMaxEntries = 1 << 24

// newColumns returns the inverted index of m, or nil when it would not
// pay (see postingsMaxEntries).
func newColumns(m *Matrix) *columns {
	dim := m.Cols()
	nnz := 0
	for _, d := range m.Docs {
		nnz += len(d.Idx)
	}
	if nnz > postingsMaxEntries || len(m.Docs) > math.MaxInt32 || nnz*8 > len(m.Docs)*dim {
		return nil
	}
	c := &columns{start: make([]int, dim+1), row: make([]int32, nnz), val: make([]float64, nnz)}
	for _, d := range m.Docs {
		for _, t := range d.Idx {
			c.start[t+1]++
		}
	}
	for t := range dim {
		c.start[t+1] += c.start[t]
	}
	next := slices.Clone(c.start[:dim])
	for i, d := range m.Docs {
		for p, t := range d.Idx {
			e := next[t]
			c.row[e], c.val[e] = int32(i), d.Val[p]
			next[t]++
		}
	}
	return c
}

// postings scores one sparse vector against every row through columns,
// with a runner's own scratch.
type postings struct {
	*columns
	acc  []float64 // per row: running dot product, 0 when not seen
	seen []bool
	rows []int32 // the rows seen, in order of first contribution
}

// lower sets trial[i] = min(dist[i], max(0, 1 − x_i·c)) for rows with
// dist[i] > 0 and trial[i] = dist[i] for the others, where c is dense with
// the non-zeros of the sparse vector v at v's columns: what the full loop
// of seed computes. A row that shares no column with v has x_i·c = 0
// exactly (every product is ±0); for the others the products are added in
// column order starting from 0, the order SparseVec.Dot adds them in, and
// Dot's ±0 products for the other columns do not change a sum, so every
// value is the same bits.
func (ps *postings) lower(trial, dist []float64, v SparseVec, c []float64) {
	for i, x := range dist {
		trial[i] = x
		if x > 1 {
			trial[i] = 1
		}
	}
	ps.rows = ps.rows[:0]
	for _, t := range v.Idx {
		ct := c[t]
		lo, hi := ps.start[t], ps.start[t+1]
		rows, vals := ps.row[lo:hi], ps.val[lo:hi]
		for e, i := range rows {
			if !ps.seen[i] {
				ps.seen[i] = true
				ps.rows = append(ps.rows, i)
			}
			ps.acc[i] += vals[e] * ct
		}
	}
	for _, i := range ps.rows {
		if dist[i] > 0 {
			trial[i] = min(dist[i], max(0, 1-ps.acc[i]))
		}
		ps.acc[i], ps.seen[i] = 0, false
	}
}

// assign labels every document with its most similar centroid (ties: lowest
// cluster id) and returns how many labels changed.
//
// Most documents keep their cluster once the centroids settle, and their
// scores for the other clusters need not be computed to know it (the
// bound of Hamerly 2010, "Making k-means even faster", SDM, for the
// cosine): for centroids c and c′ and a row x, |x·c′ − x·c| ≤ ‖x‖·‖c′ − c‖,
// so a score can have risen since the last assignment by at most the row
// norm times its centroid's movement. A document whose score for its own
// cluster, summed exactly as the full loop sums it, exceeds that bound on
// all the others by a margin far above rounding keeps its cluster and
// that score; the others are scored in full. Labels and sims are the same
// bits as when every document is scored in full.
func (km *runner) assign() int {
	k := km.k
	bounded := km.bounded && assignBounds
	if bounded {
		km.drifts()
	}
	copy(km.last, km.cent)
	km.bounded = true
	margin := boundMargin * km.xnorm
	forChunks(km.n, km.opt.Workers, func(lo, hi int) {
		scores := make([]float64, k)
		var ch int32
		for i := lo; i < hi; i++ {
			d := km.m.Docs[i]
			if len(d.Idx) == 0 {
				km.labels[i] = -1
				continue
			}
			if a := km.labels[i]; bounded && a >= 0 {
				u := km.upper[i] + km.drift[a]
				var s float64
				for p, t := range d.Idx {
					s += d.Val[p] * km.centT[int(t)*k+a]
				}
				if s > u+margin {
					km.sims[i], km.upper[i] = s, u
					continue
				}
			}
			scoreAll(d, km.centT, scores)
			bj, bs := 0, scores[0]
			for j := 1; j < k; j++ {
				if scores[j] > bs {
					bj, bs = j, scores[j]
				}
			}
			second := math.Inf(-1)
			for j, v := range scores {
				if j != bj {
					second = max(second, v)
				}
			}
			if km.labels[i] != bj {
				ch++
			}
			km.labels[i], km.sims[i], km.upper[i] = bj, bs, second
		}
		km.changed[lo/chunkSize] = ch
	})
	total := 0
	for _, c := range km.changed {
		total += int(c)
	}
	return total
}

// assignBounds switches the bounds of assign on; tests turn them off to
// compare with every document scored in full.
var assignBounds = true

// boundMargin, times the largest row norm, is how far a document's own
// score must exceed the bound on its other scores for assign to skip them:
// scores and movements carry rounding errors of about 1e-16 per term.
const boundMargin = 1e-9

// drifts sets drift[j] to the largest row norm times the largest movement
// ‖c′ − c‖ since the last assignment of a centroid other than j.
func (km *runner) drifts() {
	m1, m2, at := 0.0, 0.0, -1 // largest and second largest movement
	for j := range km.k {
		var ss float64
		cur, old := km.cent[j*km.dim:(j+1)*km.dim], km.last[j*km.dim:(j+1)*km.dim]
		for t, v := range cur {
			x := v - old[t]
			ss += x * x
		}
		dj := math.Sqrt(ss)
		if math.IsNaN(dj) {
			m1, m2, at = math.NaN(), math.NaN(), -1
			break
		}
		switch {
		case at < 0 || dj > m1:
			m1, m2, at = dj, m1, j
		case dj > m2:
			m2 = dj
		}
	}
	for j := range km.drift {
		d := m1
		if j == at {
			d = m2
		}
		km.drift[j] = d * km.xnorm
	}
}

// scoreAll sets scores[j] to the dot product of d with centroid j of centT
// (dim×k, term-major; k = len(scores)), each summed over d's terms in
// order starting from 0. Blocks of clusters are summed in registers, one
// pass over d's terms per block; each score is the same sequence of
// additions as term by term over all clusters.
func scoreAll(d SparseVec, centT, scores []float64) {
	k := len(scores)
	val := d.Val[:len(d.Idx)]
	j := 0
	for ; j+8 <= k; j += 8 {
		var s0, s1, s2, s3, s4, s5, s6, s7 float64
		for p, t := range d.Idx {
			w := val[p]
			c := centT[int(t)*k+j : int(t)*k+j+8 : int(t)*k+j+8]
			s0 += w * c[0]
			s1 += w * c[1]
			s2 += w * c[2]
			s3 += w * c[3]
			s4 += w * c[4]
			s5 += w * c[5]
			s6 += w * c[6]
			s7 += w * c[7]
		}
		sc := scores[j : j+8 : j+8]
		sc[0], sc[1], sc[2], sc[3], sc[4], sc[5], sc[6], sc[7] = s0, s1, s2, s3, s4, s5, s6, s7
	}
	for ; j+4 <= k; j += 4 {
		var s0, s1, s2, s3 float64
		for p, t := range d.Idx {
			w := val[p]
			c := centT[int(t)*k+j : int(t)*k+j+4 : int(t)*k+j+4]
			s0 += w * c[0]
			s1 += w * c[1]
			s2 += w * c[2]
			s3 += w * c[3]
		}
		sc := scores[j : j+4 : j+4]
		sc[0], sc[1], sc[2], sc[3] = s0, s1, s2, s3
	}
	for ; j+2 <= k; j += 2 {
		var s0, s1 float64
		for p, t := range d.Idx {
			w := val[p]
			c := centT[int(t)*k+j : int(t)*k+j+2 : int(t)*k+j+2]
			s0 += w * c[0]
			s1 += w * c[1]
		}
		scores[j], scores[j+1] = s0, s1
	}
	if j < k {
		var s0 float64
		for p, t := range d.Idx {
			s0 += val[p] * centT[int(t)*k+j]
		}
		scores[j] = s0
	}
}

// fixEmpty re-seeds empty free clusters with the farthest documents.
func (km *runner) fixEmpty() {
	sizes := make([]int, km.k)
	for _, l := range km.labels {
		if l >= 0 {
			sizes[l]++
		}
	}
	for j := len(km.init); j < km.k; j++ {
		if sizes[j] > 0 {
			continue
		}
		far, fs := -1, math.Inf(1)
		for i, l := range km.labels {
			if l >= 0 && sizes[l] > 1 && km.sims[i] < fs {
				far, fs = i, km.sims[i]
			}
		}
		if far < 0 {
			return
		}
		sizes[km.labels[far]]--
		sizes[j] = 1
		km.labels[far] = j
		km.sims[far] = 1            // now its own centroid
		km.upper[far] = math.Inf(1) // its bound was for another cluster
		km.setCentroidDoc(j, far)
	}
}

// update recomputes each non-empty centroid as the normalised sum of its
// documents, summing in document order.
func (km *runner) update() {
	sums := make([]float64, km.k*km.dim)
	sizes := make([]int, km.k)
	for i, d := range km.m.Docs {
		l := km.labels[i]
		if l < 0 {
			continue
		}
		sizes[l]++
		row := sums[l*km.dim : (l+1)*km.dim]
		w := km.m.W(i)
		for p, t := range d.Idx {
			row[t] += d.Val[p] * w
		}
	}
	for j := range km.k {
		row := sums[j*km.dim : (j+1)*km.dim]
		if sizes[j] == 0 || !normalize(row) {
			continue
		}
		km.setCentroid(j, row)
	}
}

// normalize scales v to unit L2 norm in place and reports whether v was
// non-zero.
func normalize(v []float64) bool {
	var ss float64
	for _, x := range v {
		ss += x * x
	}
	if ss == 0 || math.IsNaN(ss) {
		return false
	}
	inv := 1 / math.Sqrt(ss)
	for i := range v {
		v[i] *= inv
	}
	return true
}
