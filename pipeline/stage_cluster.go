package pipeline

import (
	"context"
	"errors"
	"fmt"
	"math"
	"slices"
	"sort"
	"strconv"
	"strings"
	"unicode"

	"golang.org/x/sync/errgroup"

	"surveymine/analysis/cluster"
	"surveymine/analysis/segment"
	"surveymine/pipeline/corpus"
	"surveymine/pipeline/table"
)

// Unclassified is the cluster number of open answers that were not
// clustered (missing answers, answers with no content terms).
const Unclassified = 0

// Clustering is the result of the cluster stage. Clusters are numbered
// 1..K by size, largest first; 0 is the unclassified group.
type Clustering struct {
	K       int
	Cluster []int    // per corpus unit: 1..K, Unclassified, or -1 when the unit is not an open answer
	Reason  []string // per corpus unit: why it is unclassified; "" otherwise
	Labels  []string // per cluster 1..K (index k-1): short phrase label
	Desc    []cluster.Description
	Origin  []int // per cluster 1..K: codebook category id that seeded it, or -1

	Status       string    // StatusOK or StatusTooFew
	StatusDetail string    // the numbers behind a status other than ok
	Method       string    // method that produced the clusters: kmeans, lsa, gsdmm or btm
	Stability    []float64 // per cluster 1..K: mean best-match Jaccard across resamples; NaN when off
	StabilityB   int       // resamples behind Stability; 0 when off
	Collocations []cluster.Collocation
}

// clusterStage clusters the open answers with the configured method
// (auto: the best of kmeans, gsdmm and lsa by a label-free criterion),
// measures each cluster's stability and describes the clusters.
type clusterStage struct {
	cfg *Config
	env Env
}

func newCluster(cfg *Config, env Env) *clusterStage { return &clusterStage{cfg: cfg, env: env} }

func (s *clusterStage) Name() string { return "cluster" }

// Reasons a unit is not clustered.
const (
	reasonMissing   = "missing answer"
	reasonNoContent = "no content terms"
	reasonRareTerms = "no term above the document-frequency limits"
	reasonTooFew    = "too few answers to cluster"
)

// Clustering statuses.
const (
	StatusOK     = "ok"
	StatusTooFew = "too_few_answers"
)

func (s *clusterStage) Run(ctx context.Context, in *Dataset) (*Dataset, error) {
	c := in.Corpus
	cc := s.cfg.Cluster
	res := &Clustering{Cluster: make([]int, c.Units.Len()), Reason: make([]string, c.Units.Len()), Status: StatusOK}
	// One document per distinct answer text, with the number of answers
	// that have it: every method clusters the documents weighted by
	// their counts (cluster.Matrix.Weight), which is clustering every
	// answer with equal answers kept together, at the cost of the
	// distinct texts (docs/clustering.md §13).
	rows := newDocRows(c.Units.Len(), len(in.Texts.First))
	var docs [][]string
	var toks []segment.Token
	for i, u := range c.Units.All() {
		res.Cluster[i] = -1
		if u.Kind != corpus.OpenAnswer {
			continue
		}
		res.Cluster[i] = Unclassified
		if u.Missing != corpus.Answered {
			res.Reason[i] = reasonMissing
			continue
		}
		text := in.Texts.Of[i]
		d := rows.ofText[text]
		if d == unseen {
			toks = in.Cuts.Tokens(int(text), toks)
			d = -1
			if terms := termsWithGaps(toks); len(terms) > 0 {
				d = int32(len(docs))
				docs = append(docs, terms)
				rows.first = append(rows.first, i)
				rows.counts = append(rows.counts, 0)
			}
			rows.ofText[text] = d
		}
		if d < 0 {
			res.Reason[i] = reasonNoContent
			continue
		}
		rows.of[i] = d
		rows.counts[d]++
		rows.answers++
	}
	rows.ofText = nil
	out := in.clone()
	out.Groups = res
	method := s.cfg.clusterMethod()
	out.Facts["cluster_method"] = method
	out.Facts["cluster_weighting"] = cmpStr(cc.Weighting, "tfidf")
	out.Facts["cluster_collocations"] = cmpStr(cc.Collocations, "none")

	var colls []cluster.Collocation
	if cc.Collocations == "pmi" {
		docs, colls = cluster.Collocations(docs, cluster.CollocationOptions{Counts: rows.counts})
	} else {
		for i, d := range docs {
			docs[i] = slices.DeleteFunc(d, func(t string) bool { return t == "" })
		}
	}
	res.Collocations = colls
	out.Facts["cluster_collocations_merged"] = len(colls)

	need := 2
	if cc.K > 0 {
		need = cc.K
	} else if !cc.Guided {
		need = cmp0(cc.KMin, 4) + 1
	}
	tooFew := func(content int, why string) (*Dataset, error) {
		res.Status = StatusTooFew
		res.StatusDetail = fmt.Sprintf("%d answers with content terms (%d answered), at least %d needed: %s", content, rows.answers, need, why)
		s.env.Log.Warn("too few answers to cluster", "answers", rows.answers, "with_terms", content, "needed", need)
		for ui, d := range rows.of {
			if d >= 0 {
				res.Reason[ui] = reasonTooFew
			}
		}
		out.Facts["cluster_status"] = res.Status
		out.Facts["cluster_status_detail"] = res.StatusDetail
		out.Tables = append(out.Tables, clustersTable(res, c, nil), clusterTermsTable(res))
		return out, nil
	}
	if rows.answers < need {
		return tooFew(rows.answers, "too few answers")
	}
	// GSDMM's words+chars bags have their own vocabulary: they are built
	// beside the TF-IDF matrix, on another core.
	var charBags chan bagsResult
	if (method == "gsdmm" || method == "auto") && cc.GSDMMTerms != GSDMMWords {
		charBags = make(chan bagsResult, 1)
		go func() {
			var r bagsResult
			r.bags, r.terms, r.err = s.bags(nil, docs, rows.counts)
			charBags <- r
		}()
	}
	m, empty, err := cluster.TFIDF(docs, cluster.TFIDFOptions{MinDF: cc.MinDF, MaxDF: cc.MaxDF, Weighting: cluster.Weighting(cc.Weighting), Counts: rows.counts})
	if errors.Is(err, cluster.ErrNoTerms) {
		return tooFew(0, "no term occurs in enough answers (min_df) without occurring in almost all (max_df)")
	}
	if errors.Is(err, cluster.ErrDFLimits) {
		return tooFew(0, err.Error())
	}
	if err != nil {
		return nil, fmt.Errorf("tf-idf: %w", err)
	}
	content := rows.answers
	for _, d := range empty {
		content -= int(rows.counts[d])
	}
	if len(empty) > 0 {
		isEmpty := make([]bool, len(docs))
		for _, d := range empty {
			isEmpty[d] = true
		}
		for ui, d := range rows.of {
			if d >= 0 && isEmpty[d] {
				res.Reason[ui] = reasonRareTerms
			}
		}
	}
	if content < need || distinctRows(m) < 2 {
		return tooFew(content, "fewer distinct answers than clusters")
	}
	data := &cluster.Data{TFIDF: m}
	if method == "lsa" || (method == "auto" && cc.LSA > 0) {
		if data.LSA, err = cluster.LSAContext(ctx, m, cmp0(cc.LSA, 100), s.cfg.seed()); err != nil {
			return nil, fmt.Errorf("lsa: %w", err)
		}
	}
	if method == "gsdmm" || method == "auto" {
		if charBags != nil {
			r := <-charBags
			data.Bags, data.BagTerms, err = r.bags, r.terms, r.err
		} else {
			data.Bags, data.BagTerms, err = s.bags(m, docs, rows.counts)
		}
		if err != nil {
			return nil, fmt.Errorf("gsdmm terms: %w", err)
		}
		out.Facts["cluster_gsdmm_terms"] = cmpStr(cc.GSDMMTerms, GSDMMWordsChars)
	}
	if err := ctx.Err(); err != nil {
		return nil, err // the representations above do not look at ctx
	}
	if method == "btm" {
		data.Seqs = cluster.Seqs(m, docs)
	}
	kmo := cluster.KMeansOptions{Restarts: cc.Restarts, Seed: s.cfg.seed(), Workers: s.cfg.workers()}
	gso := cluster.GSDMMOptions{Chains: cc.GSDMMChains}

	var labels0 []int // chosen clustering, labels per document (−1 = none)
	var pending chan resamplesResult
	var fit cluster.FitOptions
	var catOfInit []int
	var kmOrigin []int
	var objective float64
	if cc.Guided && in.Coding != nil {
		space := m
		if data.LSA != nil {
			space = data.LSA
		}
		kmo.Init, catOfInit, err = guidedInit(space, rows.of, in.Coding)
		if err != nil {
			return nil, err
		}
		kmo.K = len(kmo.Init) + cmp0(cc.Extra, 2)
		if kmo.K > content {
			return tooFew(content, "fewer answers than guided clusters")
		}
		km, err := cluster.KMeans(ctx, space, kmo)
		if err != nil {
			return nil, err
		}
		labels0, kmOrigin, objective = km.Labels, km.Origin, km.Objective
		fit = cluster.FitOptions{Method: cluster.Method(method), K: kmo.K, KMeans: kmo}
		fit.KMeans.Init = nil
		out.Facts["cluster_method_used"] = method
	} else {
		sel, err := s.choose(ctx, data, docs, method, kmo, gso, content, c, rows)
		if err != nil {
			return nil, err
		}
		labels0, fit, objective, pending = sel.labels, sel.fit, sel.objective, sel.resamples
		out.Tables = append(out.Tables, sel.table)
		out.Facts["cluster_method_used"] = string(sel.fit.Method)
		if cc.K == 0 || method == "auto" {
			out.Facts["cluster_k_chosen"] = sel.k
		}
		if sel.runnerUp != "" && !math.IsNaN(sel.margin) && !math.IsInf(sel.margin, 0) {
			out.Facts["cluster_method_runner_up"] = sel.runnerUp
			out.Facts["cluster_method_margin"] = sel.margin
			if sel.margin < closeMargin {
				s.env.Log.Warn("the clustering methods are nearly tied on the criterion: compare with cluster.method set to the runner-up", "chosen", string(sel.fit.Method), "runner_up", sel.runnerUp, "margin", sel.margin)
			}
		}
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	sizes := map[int]int{}
	for d, l := range labels0 {
		if l >= 0 {
			sizes[l] += int(rows.counts[d])
		}
	}
	// Renumber the non-empty clusters by size (largest first, ties by the
	// method's id) as 1..K.
	var order []int
	for l := range sizes {
		order = append(order, l)
	}
	sort.Ints(order)
	sort.SliceStable(order, func(a, b int) bool { return sizes[order[a]] > sizes[order[b]] })
	newID := map[int]int{}
	for rank, old := range order {
		newID[old] = rank + 1
	}
	k := len(order)
	labels := make([]int, len(labels0))
	for d, l := range labels0 {
		labels[d] = -1
		if l >= 0 {
			labels[d] = newID[l] - 1
		}
	}
	for ui, d := range rows.of {
		if d >= 0 && labels[d] >= 0 {
			res.Cluster[ui] = labels[d] + 1
		}
	}
	res.K = k
	res.Method = string(fit.Method)
	// Documents are distinct texts already; ask for more exemplars than
	// shown and keep those that differ beyond punctuation and spaces.
	// (Described before the stability resamples are awaited: they may
	// still be running.)
	res.Desc = cluster.Describe(m, docs, labels, cluster.DescribeOptions{Exemplars: 4 * exemplarsShown})
	// Per-cluster stability (Hennig 2007) across resamples.
	res.Stability = make([]float64, k)
	for i := range res.Stability {
		res.Stability[i] = nan()
	}
	if cc.Stability >= 0 {
		var st []float64
		if pending != nil {
			r := <-pending
			err = r.err
			if err == nil {
				st = cluster.ClusterJaccard(labels, k, r.rs)
			}
		} else {
			st, _, err = cluster.Stability(ctx, data, fit, labels, k, s.stabilityOptions())
		}
		if err != nil {
			return nil, fmt.Errorf("stability: %w", err)
		}
		res.Stability = st
		res.StabilityB = cmp0(cc.Stability, cluster.DefaultStabilityB)
	}
	res.Labels = make([]string, k)
	res.Origin = make([]int, k)
	for i := range res.Origin {
		res.Origin[i] = -1
	}
	for old, o := range kmOrigin {
		if o >= 0 && catOfInit != nil {
			if id, ok := newID[old]; ok {
				res.Origin[id-1] = catOfInit[o]
			}
		}
	}
	for i, d := range res.Desc {
		res.Labels[i] = d.Label
		// Exemplars are document indices; keep distinct texts as corpus
		// unit indices (the first answer with the text).
		seen := map[string]bool{}
		var ex []int
		for _, e := range d.Exemplars {
			ui := rows.first[e]
			if key := normalizedForDedup(c.Units.Text(ui)); !seen[key] && len(ex) < exemplarsShown {
				seen[key] = true
				ex = append(ex, ui)
			}
		}
		res.Desc[i].Exemplars = ex
	}
	unstable := 0
	for _, v := range res.Stability {
		if v < cluster.UnstableBelow {
			unstable++
		}
	}
	out.Facts["cluster_status"] = res.Status
	out.Facts["cluster_k"] = k
	out.Facts["cluster_objective"] = objective
	out.Facts["cluster_vocabulary"] = len(m.Vocab)
	out.Facts["cluster_distinct_texts"] = len(docs)
	out.Facts["cluster_unstable"] = unstable
	out.Facts["cluster_stability_resamples"] = res.StabilityB
	out.Tables = append(out.Tables, clustersTable(res, c, in.Coding), clusterTermsTable(res))
	if q := qualityTable(res, c, s.cfg, in.Coding); q != nil {
		out.Tables = append(out.Tables, q)
	}
	return out, nil
}

// docRows maps the clustered answers to the documents of the cluster
// stage: one per distinct answer text with content terms.
type docRows struct {
	of      []int32 // per corpus unit: its document, or −1
	first   []int   // per document: the first unit with its text
	counts  []int32 // per document: the answers with its text
	answers int     // answers with a document (Σ counts)
	ofText  []int32 // while building: per distinct text, its document, −1 or unseen
}

const unseen = -2

func newDocRows(units, texts int) *docRows {
	r := &docRows{of: make([]int32, units), ofText: make([]int32, texts)}
	for i := range r.of {
		r.of[i] = -1
	}
	for i := range r.ofText {
		r.ofText[i] = unseen
	}
	return r
}

// expandDocs repeats each of docs as many times as its weight says (nil:
// docs itself): the answers a weighted sample stands for.
func expandDocs(docs [][]string, w []int32) [][]string {
	if w == nil {
		return docs
	}
	var out [][]string
	for i, d := range docs {
		for range w[i] {
			out = append(out, d)
		}
	}
	return out
}

// distinctRows counts the distinct non-empty rows of m (up to 2: it only
// tells whether there is anything to separate).
func distinctRows(m *cluster.Matrix) int {
	var first *cluster.SparseVec
	for i := range m.Docs {
		d := &m.Docs[i]
		if len(d.Idx) == 0 {
			continue
		}
		if first == nil {
			first = d
			continue
		}
		if !slices.Equal(first.Idx, d.Idx) || !slices.Equal(first.Val, d.Val) {
			return 2
		}
	}
	if first == nil {
		return 0
	}
	return 1
}

func cmpStr(v, def string) string {
	if v == "" {
		return def
	}
	return v
}

// clusterMethod resolves cluster.method: "" is auto, except that a
// configuration from before methods existed (lsa > 0, or guided) keeps
// its meaning.
func (c *Config) clusterMethod() string {
	cc := c.Cluster
	switch {
	case cc.Method != "" && cc.Method != "auto":
		return cc.Method
	case cc.Guided && cc.LSA > 0:
		return "lsa"
	case cc.Guided:
		return "kmeans"
	case cc.Method == "" && cc.LSA > 0:
		return "lsa"
	}
	return "auto"
}

// exemplarsShown is the number of exemplar answers listed per cluster.
const exemplarsShown = 5

// normalizedForDedup folds the differences that do not make two answers
// different quotes: punctuation, spaces and repeated end marks.
func normalizedForDedup(s string) string {
	return strings.Map(func(r rune) rune {
		if unicode.IsPunct(r) || unicode.IsSpace(r) || unicode.IsSymbol(r) {
			return -1
		}
		return r
	}, s)
}

// termsWithGaps returns the analysis terms of a token sequence with an
// empty string wherever two kept terms are not adjacent in the text (a
// dropped token or a gap lies between them), for cluster.Collocations.
func termsWithGaps(toks []segment.Token) []string {
	// Counted first: one list per distinct answer is kept for the whole
	// stage, and append's spare capacity was a third of it.
	n, end := 0, int32(-1)
	for _, t := range toks {
		if t.Term == "" {
			continue
		}
		if n > 0 && t.Start != end {
			n++
		}
		n++
		end = t.End
	}
	if n == 0 {
		return nil
	}
	out := make([]string, 0, n)
	end = -1
	for _, t := range toks {
		if t.Term == "" {
			continue
		}
		if len(out) > 0 && t.Start != end {
			out = append(out, "")
		}
		out = append(out, t.Term)
		end = t.End
	}
	return out
}

// termsOf returns the analysis terms of a token sequence.
func termsOf(toks []segment.Token) []string {
	var out []string
	for _, t := range toks {
		if t.Term != "" {
			out = append(out, t.Term)
		}
	}
	return out
}

// guidedInit seeds one centroid per codebook category that coded at least
// one clustered answer, in category order: the mean row of the answers it
// coded (docOf: each unit's document, −1 for none).
func guidedInit(m *cluster.Matrix, docOf []int32, cod *Coding) ([][]float64, []int, error) {
	byCat := map[int][]int{}
	for ui, d32 := range docOf {
		d := int(d32)
		if d < 0 || len(m.Docs[d].Idx) == 0 {
			continue
		}
		for _, cat := range cod.UnitCats[ui] {
			if cat != OtherCategory {
				byCat[cat] = append(byCat[cat], d)
			}
		}
	}
	var cats []int
	for cat := range byCat {
		cats = append(cats, cat)
	}
	sort.Ints(cats)
	groups := make([][]int, len(cats))
	for i, cat := range cats {
		groups[i] = byCat[cat]
	}
	init, err := cluster.SeedFromDocs(m, groups)
	if err != nil {
		return nil, nil, fmt.Errorf("guided clustering: %w", err)
	}
	return init, cats, nil
}

// clustersTable describes every cluster, the unclassified group first.
func clustersTable(res *Clustering, c *corpus.Corpus, cod *Coding) *table.Table {
	t := table.New("clusters", "One row per cluster of open answers (1..K, largest first) plus cluster 0, the unclassified answers.")
	total, uncl := 0, 0
	for i, cl := range res.Cluster {
		if cl >= 0 {
			total++
		}
		if cl == Unclassified && c.Units.Kind(i) == corpus.OpenAnswer {
			uncl++
		}
	}
	n := res.K + 1
	ids, sizes := make([]int64, n), make([]int64, n)
	shares := make([]float64, n)
	labels, nearest, origin := make([]string, n), make([]string, n), make([]string, n)
	nearShare := make([]float64, n)
	terms, exIDs, exTexts := make([][]string, n), make([][]string, n), make([][]string, n)
	labels[0] = "(未分类)"
	sizes[0] = int64(uncl)
	nearShare[0] = nan()
	terms[0], exIDs[0], exTexts[0] = []string{}, []string{}, []string{}
	stab := make([]float64, n)
	status := make([]string, n)
	stab[0] = nan()
	status[0] = "unclassified"
	if res.Status != StatusOK {
		status[0] = res.Status + ": " + res.StatusDetail
	}
	for i, d := range res.Desc {
		r := i + 1
		ids[r], sizes[r], labels[r] = int64(r), int64(d.Size), d.Label
		terms[r] = make([]string, len(d.Terms))
		for j, tm := range d.Terms {
			terms[r][j] = tm.Term
		}
		exIDs[r], exTexts[r] = make([]string, len(d.Exemplars)), make([]string, len(d.Exemplars))
		for j, ui := range d.Exemplars {
			exIDs[r][j], exTexts[r][j] = c.Units.ID(ui), c.Units.Text(ui)
		}
		nearShare[r] = nan()
		stab[r], status[r] = nan(), "stable"
		if i < len(res.Stability) {
			stab[r] = res.Stability[i]
			switch {
			case math.IsNaN(stab[r]):
				status[r] = "not_assessed"
			case stab[r] < cluster.UnstableBelow:
				status[r] = "unstable"
			}
		}
		if res.Origin != nil && res.Origin[i] >= 0 && cod != nil {
			origin[r] = cod.CategoryName(res.Origin[i])
		}
		if cod != nil {
			nearest[r], nearShare[r] = cod.dominant(res, r)
		}
	}
	for r := range n {
		if total > 0 {
			shares[r] = float64(sizes[r]) / float64(total)
		}
	}
	t.AddInt("cluster", "cluster number: 1..K by size, 0 = unclassified", ids)
	t.AddString("label", "short phrase label: the top distinctive terms joined with 、", labels)
	t.AddInt("size", "open answers in the cluster", sizes)
	t.AddFloat("share", "size / all open answers (unclassified included)", shares)
	t.AddList("top_terms", "distinctive terms, most distinctive first (weighted log-odds, Monroe et al. 2008)", terms)
	t.AddString("nearest_category", "codebook category coded most often among the cluster's answers", nearest)
	t.AddFloat("nearest_category_share", "share of the cluster's answers coded with nearest_category", nearShare)
	t.AddString("seeded_by", "codebook category whose answers seeded the cluster (guided mode); empty for free clusters", origin)
	t.AddFloat("stability", "mean Jaccard of the cluster with its best match when the clustering is redone on resamples (Hennig 2007); below 0.6 = unstable; empty when not assessed", stab)
	t.AddString("status", "stable, unstable (stability < 0.6) or not_assessed; for cluster 0: unclassified, or too_few_answers with the numbers when nothing could be clustered", status)
	t.AddList("exemplar_units", "unit ids of the answers closest to the cluster centre", exIDs)
	t.AddList("exemplars", "text of the answers closest to the cluster centre", exTexts)
	return t
}

// clusterTermsTable lists the distinctive terms of every cluster with scores.
func clusterTermsTable(res *Clustering) *table.Table {
	t := table.New("cluster_terms", "Distinctive terms of each cluster against the other clusters: weighted log-odds z-scores with an informative Dirichlet prior (Monroe, Colaresi & Quinn 2008).")
	var cl, rank, count []int64
	var term []string
	var score []float64
	for i, d := range res.Desc {
		for j, tm := range d.Terms {
			cl = append(cl, int64(i+1))
			rank = append(rank, int64(j+1))
			term = append(term, tm.Term)
			score = append(score, tm.Score)
			count = append(count, int64(tm.Count))
		}
	}
	t.AddInt("cluster", "cluster number", cl)
	t.AddInt("rank", "1 = most distinctive", rank)
	t.AddString("term", "analysis term", term)
	t.AddFloat("score", "z-score of the weighted log-odds ratio, cluster vs the rest", score)
	t.AddInt("count", "occurrences of the term in the cluster's answers", count)
	return t
}

// sweepTable records every candidate method × k of the sweep.
func sweepTable(rows []sweepRow, best, docs int) *table.Table {
	t := table.New("k_sweep", "One row per candidate clustering (method × k) tried on a seeded sample of at most 10,000 answers, with the label-free criteria the choice is made on; see docs/clustering.md.")
	n := len(rows)
	meth := make([]string, n)
	ks, kf := make([]int64, n), make([]int64, n)
	coh, cohMean, sil, stab, obj, crit, nmi := make([]float64, n), make([]float64, n), make([]float64, n), make([]float64, n), make([]float64, n), make([]float64, n), make([]float64, n)
	chosen := make([]bool, n)
	for i, r := range rows {
		meth[i], ks[i], kf[i] = r.method, int64(r.kAsked), int64(r.k)
		coh[i], cohMean[i], sil[i], stab[i], obj[i], nmi[i] = r.coherence, r.coherenceMean, r.silhouette, r.stability, r.objective, r.nmi
		crit[i], chosen[i] = criterion(r), i == best
	}
	t.AddString("method", "kmeans (TF-IDF spherical k-means), lsa (LSA + k-means), gsdmm (Dirichlet multinomial mixture) or btm (biterm topic model)", meth)
	t.AddInt("k", "number of clusters asked for (gsdmm: the largest number)", ks)
	t.AddInt("clusters", "non-empty clusters found", kf)
	t.AddFloat("coherence", "size-weighted mean NPMI of the pairs of each cluster's top 10 distinctive terms, over the answers themselves (-1..1)", coh)
	t.AddFloat("coherence_mean", "the same coherence averaged over the fit and its 3 stability resamples' fits (each resample's clusters described on its own answers)", cohMean)
	t.AddFloat("stability", "size-weighted mean per-cluster stability (best-match Jaccard, Hennig 2007) over 3 resamples (0..1)", stab)
	nst := make([]float64, n)
	for i, r := range rows {
		nst[i] = r.nullStability
	}
	t.AddFloat("stability_null", "the same stability for the same method and k on the sample with its terms shuffled across answers (a null reference without cluster structure); empty with a single method", nst)
	t.AddFloat("silhouette", "mean cosine silhouette on a seeded sample of 1000 of those answers", sil)
	t.AddFloat("objective", "spherical k-means loss Σ(1 − cos) to the cluster means, over the sample", obj)
	t.AddInt("answers", "answers the candidate was fitted on (the sample)", repeatInt(int64(docs), n))
	t.AddFloat("criterion", "coherence_mean + 0.5 × (stability − stability_null), or + 0.5 × stability when stability_null is empty; the method with the highest mean over its k is used, with its k of highest coherence_mean", crit)
	t.AddFloat("nmi", "NMI against the truth column over every answer whose text is in the sample (only when one is configured; never used for the choice)", nmi)
	t.AddBool("chosen", "the candidate used", chosen)
	return t
}

// qualityTable compares clusters (and codebook codes) with a ground-truth
// label column when one is configured.
func qualityTable(res *Clustering, c *corpus.Corpus, cfg *Config, cod *Coding) *table.Table {
	truth := truthLabels(c, cfg)
	if truth == nil {
		return nil
	}
	var pred, gold []int
	for i, cl := range res.Cluster {
		if cl < 1 {
			continue
		}
		if g := truth[i]; g >= 0 {
			pred = append(pred, cl)
			gold = append(gold, int(g))
		}
	}
	if len(pred) == 0 {
		return nil
	}
	t := table.New("cluster_quality", "Agreement of the clusters with the configured ground-truth label column, over the clustered answers that have a label.")
	t.AddString("metric", "nmi (arithmetic normalisation), ari (adjusted Rand index) or purity", []string{"nmi", "ari", "purity"})
	t.AddFloat("value", "the metric's value", []float64{cluster.NMI(pred, gold), cluster.ARI(pred, gold), cluster.Purity(pred, gold)})
	t.AddInt("n", "answers compared", []int64{int64(len(pred)), int64(len(pred)), int64(len(pred))})
	return t
}

// truthLabels returns per corpus unit its ground-truth label (an id in
// first-seen order of the label values) for open answers whose respondent
// has a truth value, -1 for the other units; nil when no truth column is
// configured.
func truthLabels(c *corpus.Corpus, cfg *Config) []int32 {
	qi := -1
	for _, s := range cfg.Inputs.Surveys {
		if s.TruthColumn != "" {
			qi = findQuestion(c, s.TruthColumn)
		}
	}
	if qi < 0 {
		return nil
	}
	ids := map[string]int32{}
	out := make([]int32, c.Units.Len())
	for i := range out {
		out[i] = -1
		r := c.Units.Respondent(i)
		if c.Units.Kind(i) != corpus.OpenAnswer || r < 0 {
			continue
		}
		a := c.Respondents.Answers(r)[qi]
		v := c.Value(a)
		if a.Missing != corpus.Answered || v == "" {
			continue
		}
		id, ok := ids[v]
		if !ok {
			id = int32(len(ids))
			ids[v] = id
		}
		out[i] = id
	}
	return out
}

// findQuestion finds a question by header text, id ("Q5") or number ("5").
func findQuestion(c *corpus.Corpus, name string) int {
	for i, q := range c.Questions {
		if q.Header == name || q.ID == name {
			return i
		}
	}
	if _, err := strconv.Atoi(name); err == nil {
		return c.Question("Q" + name)
	}
	return -1
}

// selection is the clustering chosen among the candidates of a sweep.
type selection struct {
	labels    []int
	fit       cluster.FitOptions
	k         int
	objective float64
	table     *table.Table
	resamples chan resamplesResult // the stability resamples, being fitted; nil when off
	runnerUp  string               // the method with the next highest mean criterion; "" with one method
	margin    float64              // mean criterion of the chosen method minus the runner-up's
}

// resamplesResult is what cluster.Resamples returns.
type resamplesResult struct {
	rs  []cluster.Resample
	err error
}

// stabilityOptions are those of the reported per-cluster stability.
func (s *clusterStage) stabilityOptions() cluster.StabilityOptions {
	return cluster.StabilityOptions{B: s.cfg.Cluster.Stability, Seed: s.cfg.seed(), Restarts: cluster.StabilityRestarts, Chains: cluster.StabilityChains}
}

// sweepRow is one candidate (method × k) of the sweep.
type sweepRow struct {
	method        string
	kAsked, k     int
	coherence     float64 // of the fit on the sample (reported)
	coherenceMean float64 // averaged with the stability resamples' fits: chooses method and k
	silhouette    float64
	stability     float64
	nullStability float64
	objective     float64
	nmi           float64
	labels        []int
}

// choose runs every candidate method × k and keeps the one with the
// highest criterion (see docs/clustering.md §5): mean NPMI coherence of the
// clusters' distinctive terms plus their size-weighted stability above
// the same candidate's stability on the null reference.
func (s *clusterStage) choose(ctx context.Context, data *cluster.Data, docs [][]string, method string, kmo cluster.KMeansOptions, gso cluster.GSDMMOptions, content int, c *corpus.Corpus, dr *docRows) (*selection, error) {
	cc := s.cfg.Cluster
	methods := []string{method}
	if method == "auto" {
		methods = []string{"kmeans", "gsdmm"}
		if data.LSA != nil {
			methods = append(methods, "lsa")
		}
	}
	ks := []int{cc.K}
	if cc.K == 0 {
		kmin, kmax := cmp0(cc.KMin, 4), cmp0(cc.KMax, 12)
		kmax = min(kmax, content-1)
		kmin = min(kmin, kmax)
		ks = ks[:0]
		for k := kmin; k <= kmax; k++ {
			ks = append(ks, k)
		}
	}
	var cand []int
	for i, d := range data.TFIDF.Docs {
		if len(d.Idx) > 0 {
			cand = append(cand, i)
		}
	}
	// Candidates are compared on a seeded sample of at most sweepDocs
	// answers (all of them in smaller surveys; a distinct text drawn as
	// often as its answers were); the chosen one is then fitted on every
	// answer (GSDMM: the sample's clustering extended, extendSample).
	pick, pickN := cluster.SampleCopies(cand, dr.counts, sweepDocs, s.cfg.seed())
	sampled := 0
	for _, n := range pickN {
		sampled += int(n)
	}
	sd, sdocs := data, docs
	if sampled < content {
		sd = data.Subset(pick, pickN)
		sdocs = make([][]string, len(pick))
		for p, i := range pick {
			sdocs[p] = docs[i]
		}
	}
	// truth scores a candidate on the answers whose text is in the sample.
	var truth func(labels []int) float64
	if tl := truthLabels(c, s.cfg); tl != nil {
		pos := make(map[int32]int, len(pick)) // document → its row in sd
		for p, i := range pick {
			pos[int32(i)] = p
			if sd == data {
				pos[int32(i)] = i
			}
		}
		truth = func(labels []int) float64 {
			var pr, g []int
			for ui, d := range dr.of {
				p, ok := pos[d]
				if !ok || d < 0 || labels[p] < 0 {
					continue
				}
				if gl := tl[ui]; gl >= 0 {
					pr, g = append(pr, labels[p]), append(g, int(gl))
				}
			}
			if len(pr) == 0 {
				return nan()
			}
			return cluster.NMI(pr, g)
		}
	}
	// The silhouette's answers: positions in the sample, a text listed
	// once per sampled answer.
	silIdx := make([]int, len(pick))
	for p := range silIdx {
		silIdx[p] = p
	}
	silIdx = cluster.SampleIndices(cluster.ExpandCopies(silIdx, pickN), sweepSilhouette, s.cfg.seed())
	// With more than one method, each candidate's stability is read
	// against the same procedure's stability on a null reference: the
	// sample with its term occurrences shuffled across answers
	// (docs/clustering.md §5).
	var nd *cluster.Data
	if len(methods) > 1 {
		var err error
		if nd, err = s.nullData(ctx, sd, expandDocs(sdocs, sd.TFIDF.Weight)); err != nil {
			return nil, err
		}
	}
	rows, err := s.sweep(ctx, sd, nd, sdocs, methods, ks, kmo, gso, silIdx, truth)
	if err != nil {
		return nil, err
	}
	for _, r := range rows {
		if math.IsNaN(r.nullStability) {
			for i := range rows {
				rows[i].nullStability = nan()
			}
			break
		}
	}
	best := pickCandidate(rows)
	b := rows[best]
	sel := &selection{labels: b.labels, k: b.k, objective: b.objective,
		fit: cluster.FitOptions{Method: cluster.Method(b.method), K: b.kAsked, KMeans: kmo, GSDMM: gso}}
	sel.runnerUp, sel.margin = runnerUp(rows, b.method)
	// What the chosen method does not read is dropped before the fit on
	// all answers and the stability resamples: when k-means wins, GSDMM's
	// bags of every distinct answer (160 MB at a million answers).
	if sel.fit.Method != cluster.MethodGSDMM {
		data.Bags, data.BagTerms = nil, 0
	}
	if sel.fit.Method != cluster.MethodLSA {
		data.LSA = nil
	}
	wasSampled := sd != data
	sd = nil // its bags share the arrays of data's
	if s.cfg.Cluster.Stability >= 0 {
		// The stability resamples do not depend on the clustering of all
		// answers: they are fitted while it is.
		sel.resamples = make(chan resamplesResult, 1)
		go func() {
			rs, err := cluster.Resamples(ctx, data, sel.fit, s.stabilityOptions())
			sel.resamples <- resamplesResult{rs, err}
		}()
	}
	if wasSampled {
		refit := sel.fit
		if refit.Method == cluster.MethodGSDMM {
			refit.GSDMM = extendSample(gso, b.labels, pick, len(docs))
		}
		labels, _, err := cluster.Fit(ctx, data, refit)
		if err != nil {
			return nil, fmt.Errorf("%s, k = %d: %w", b.method, b.kAsked, err)
		}
		sel.labels = labels
		sel.objective = cluster.SphericalObjective(data.TFIDF, labels)
	}
	sel.table = sweepTable(rows, best, sampled)
	return sel, nil
}

// sweep fits and scores every candidate method × k on the sample sd (and
// its null reference nd, nil for none), in the order of the rows returned.
//
// A candidate's fit, its stability resamples, and its fit and resamples on
// the null reference do not depend on each other (a resample depends only
// on its seed), so all of them, for every candidate, are run as separate
// tasks, up to the configured workers at a time, each with its own
// parallel steps inside; the scores that combine them (stability,
// coherence, silhouette) follow as a second set of tasks. On two cores
// this fills the gaps that one candidate at a time left (a sampler chain
// or resample running alone, the single-threaded coherence), and every
// result is the one of the sequential loop: each task is a function of
// its inputs and seeds only, and the first error is reported in candidate
// order as before.
func (s *clusterStage) sweep(ctx context.Context, sd, nd *cluster.Data, sdocs [][]string, methods []string, ks []int, kmo cluster.KMeansOptions, gso cluster.GSDMMOptions, silIdx []int, truth func([]int) float64) ([]sweepRow, error) {
	type cand struct {
		fit                cluster.FitOptions
		labels, nullLabels []int
		rs, nullRs         []cluster.Resample
		fitErr, rsErr      error
		nullFitErr         error
		nullRsErr          error
		row                sweepRow
	}
	var cands []*cand
	for _, meth := range methods {
		for _, k := range ks {
			cands = append(cands, &cand{fit: cluster.FitOptions{Method: cluster.Method(meth), K: k, KMeans: kmo, GSDMM: gso}})
		}
	}
	var g errgroup.Group
	g.SetLimit(s.cfg.workers())
	for _, c := range cands {
		g.Go(func() error {
			c.labels, _, c.fitErr = cluster.Fit(ctx, sd, c.fit)
			return nil
		})
		g.Go(func() error {
			c.rs, c.rsErr = s.sweepResamples(ctx, sd, c.fit)
			return nil
		})
		if nd != nil {
			g.Go(func() error {
				c.nullLabels, _, c.nullFitErr = cluster.Fit(ctx, nd, c.fit)
				return nil
			})
			g.Go(func() error {
				c.nullRs, c.nullRsErr = s.sweepResamples(ctx, nd, c.fit)
				return nil
			})
		}
	}
	g.Wait()
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	for _, c := range cands {
		meth, k := string(c.fit.Method), c.fit.K
		if c.fitErr != nil {
			return nil, fmt.Errorf("%s, k = %d: %w", meth, k, c.fitErr)
		}
		if c.rsErr != nil {
			return nil, fmt.Errorf("%s, k = %d: %w", meth, k, c.rsErr)
		}
	}
	for _, c := range cands {
		g.Go(func() error {
			r := sweepRow{method: string(c.fit.Method), kAsked: c.fit.K, labels: c.labels, nmi: nan()}
			r.stability = sweepJaccard(sd, c.labels, c.rs)
			r.coherence, r.coherenceMean, r.k = sweepCoherence(sd, sdocs, c.labels, c.rs)
			r.silhouette = cluster.SilhouetteOn(sd.TFIDF, c.labels, silIdx)
			r.objective = cluster.SphericalObjective(sd.TFIDF, c.labels)
			r.nullStability = nan()
			if nd != nil && c.nullFitErr == nil && c.nullRsErr == nil {
				// A method that cannot fit the null reference (too few answers
				// keep terms there) leaves it out for all candidates (choose).
				r.nullStability = sweepJaccard(nd, c.nullLabels, c.nullRs)
			}
			if truth != nil {
				r.nmi = truth(c.labels)
			}
			c.row = r
			return nil
		})
	}
	g.Wait()
	rows := make([]sweepRow, len(cands))
	for i, c := range cands {
		rows[i] = c.row
	}
	return rows, nil
}

// extendSample returns the options of GSDMM o that extend the sweep
// sample's clustering labels (of the documents pick, out of n) to all n
// documents: one chain starts from the sample's clusters, places the other
// documents one at a time where they are most probable, and runs
// gsdmmExtendIters sampling sweeps and the usual greedy sweeps over all
// documents. The sample's clustering is already the best of o.Chains chains;
// running all chains again from random starts on every answer took 14 of
// the 25 million document visits of a 100,000-answer run without giving
// better clusters on toutiao (docs/clustering.md §9).
func extendSample(o cluster.GSDMMOptions, labels, pick []int, n int) cluster.GSDMMOptions {
	init := make([]int, n)
	for i := range init {
		init[i] = -1
	}
	for p, d := range pick {
		init[d] = labels[p]
	}
	o.Init, o.Chains, o.Iters = init, 1, gsdmmExtendIters
	return o
}

// gsdmmExtendIters is the number of sampling sweeps of extendSample; on
// toutiao more sweeps over all answers gave higher NMI (0, 5 and 10 at
// seed 1: 0.454, 0.465, 0.475; docs/clustering.md §9).
const gsdmmExtendIters = 10

// bagsResult is what bags returns.
type bagsResult struct {
	bags  []cluster.Bag
	terms int
	err   error
}

// bags returns GSDMM's term counts of docs (whose TF-IDF matrix is m;
// counts: the answers each stands for, nil for one each) and the size of
// their vocabulary (0: m's), as cluster.gsdmm_terms asks. With words+chars
// m is not used (it may be nil).
func (s *clusterStage) bags(m *cluster.Matrix, docs [][]string, counts []int32) ([]cluster.Bag, int, error) {
	cc := s.cfg.Cluster
	if cc.GSDMMTerms == GSDMMWords {
		return cluster.Bags(m, docs), 0, nil
	}
	return cluster.BagDataWithChars(docs, cluster.TFIDFOptions{MinDF: cc.MinDF, MaxDF: cc.MaxDF, Counts: counts})
}

// nullData returns the null reference of the sweep sample sd (term lists
// sdocs): the terms shuffled across answers (cluster.PermuteTerms), weighted
// and reduced as the sample is. It returns nil, and no error, when the
// shuffled terms leave nothing to cluster (then the raw stabilities are
// compared).
func (s *clusterStage) nullData(ctx context.Context, sd *cluster.Data, sdocs [][]string) (*cluster.Data, error) {
	cc := s.cfg.Cluster
	ndocs := cluster.PermuteTerms(sdocs, s.cfg.seed())
	nm, empty, err := cluster.TFIDF(ndocs, cluster.TFIDFOptions{MinDF: cc.MinDF, MaxDF: cc.MaxDF, Weighting: cluster.Weighting(cc.Weighting)})
	if err != nil || len(ndocs)-len(empty) < len(sdocs)/2 || distinctRows(nm) < 2 {
		return nil, nil // no null reference: the raw stabilities are compared
	}
	nd := &cluster.Data{TFIDF: nm}
	if sd.Bags != nil {
		if nd.Bags, nd.BagTerms, err = s.bags(nm, ndocs, nil); err != nil {
			return nil, nil // as above: the raw stabilities are compared
		}
	}
	if sd.LSA != nil {
		if nd.LSA, err = cluster.LSAContext(ctx, nm, cmp0(cc.LSA, 100), s.cfg.seed()); err != nil {
			return nil, fmt.Errorf("lsa of the null reference: %w", err)
		}
	}
	return nd, nil
}

// sweepResamples returns the sweep's stability resamples of d by fit
// (they do not depend on the clustering they are compared with).
func (s *clusterStage) sweepResamples(ctx context.Context, d *cluster.Data, fit cluster.FitOptions) ([]cluster.Resample, error) {
	return cluster.Resamples(ctx, d, fit, cluster.StabilityOptions{B: sweepStabilityB, Sample: sweepStabilitySample, Seed: s.cfg.seed() + 1000, Restarts: cluster.StabilityRestarts, Chains: cluster.StabilityChains})
}

// sweepJaccard returns the size-weighted mean per-cluster stability of
// the clustering labels of d against the resamples rs.
func sweepJaccard(d *cluster.Data, labels []int, rs []cluster.Resample) float64 {
	k := 0
	for _, l := range labels {
		k = max(k, l+1)
	}
	sizes := make([]int, k)
	for i, l := range labels {
		if l >= 0 {
			sizes[l] += int(d.TFIDF.W(i))
		}
	}
	return weightedMean(cluster.ClusterJaccard(labels, k, rs), sizes)
}

// sweepCoherence returns the NPMI coherence (over the sample d) of the
// distinctive terms of the candidate's clusters on the sample (labels),
// the same averaged over that fit and its stability resamples' fits rs,
// and the number of non-empty clusters of labels. One fit's top terms vary
// with its local optimum, and the average of 1 + B fits varies less
// between seeds, so the choice is made on it (docs/clustering.md §5).
func sweepCoherence(d *cluster.Data, docs [][]string, labels []int, rs []cluster.Resample) (float64, float64, int) {
	one := func(m *cluster.Matrix, docs [][]string, labels []int) (float64, int) {
		desc := cluster.Describe(m, docs, labels, cluster.DescribeOptions{Exemplars: 1})
		terms := make([][]string, len(desc))
		sizes := make([]int, len(desc))
		k := 0
		for i, c := range desc {
			sizes[i] = c.Size
			if c.Size > 0 {
				k++
			}
			for _, t := range c.Terms {
				terms[i] = append(terms[i], t.Term)
			}
		}
		return cluster.Coherence(d.TFIDF, terms, sizes), k
	}
	coh, k := one(d.TFIDF, docs, labels)
	sum, n := coh, 1
	for _, r := range rs {
		sub := d.Subset(r.Idx, r.Weight)
		subDocs := make([][]string, len(r.Idx))
		for p, i := range r.Idx {
			subDocs[p] = docs[i]
		}
		if c, _ := one(sub.TFIDF, subDocs, r.Labels); !math.IsNaN(c) {
			sum += c
			n++
		}
	}
	return coh, sum / float64(n), k
}

// Sweep sizes: each candidate is fitted on at most sweepDocs answers, its
// silhouette computed on sweepSilhouette of them, its stability from
// sweepStabilityB resamples (the chosen clustering gets cluster.stability
// resamples of all answers).
const (
	sweepDocs            = 10000
	sweepSilhouette      = 1000
	sweepStabilityB      = 3
	sweepStabilitySample = 2000
	// stabilityWeight is the weight of the stability in criterion.
	stabilityWeight = 0.5
)

// pickCandidate chooses among the sweep rows in two steps: the method with
// the highest mean criterion over its k (one k's value is noisy, and the
// stability falls with k, so the methods are compared over the same
// range), then within that method the k with the highest coherence.
// Ties go to the method tried first and the smaller k.
func pickCandidate(rows []sweepRow) int {
	var methods []string
	sum := map[string]float64{}
	cnt := map[string]int{}
	for _, r := range rows {
		if cnt[r.method] == 0 {
			methods = append(methods, r.method)
		}
		cnt[r.method]++
		sum[r.method] += criterion(r)
	}
	bestM := ""
	for _, m := range methods {
		if bestM == "" || sum[m]/float64(cnt[m]) > sum[bestM]/float64(cnt[bestM]) {
			bestM = m
		}
	}
	best := -1
	for i, r := range rows {
		if r.method != bestM {
			continue
		}
		c := r.coherenceMean
		if math.IsNaN(c) {
			c = math.Inf(-1)
		}
		if best < 0 || c > coherenceOrInf(rows[best]) {
			best = i
		}
	}
	return best
}

// runnerUp returns the method, other than chosen, with the highest mean
// criterion over its k, and how far the chosen method's mean is above it
// ("" and NaN when only one method was tried).
func runnerUp(rows []sweepRow, chosen string) (string, float64) {
	sum := map[string]float64{}
	cnt := map[string]int{}
	var methods []string
	for _, r := range rows {
		if cnt[r.method] == 0 {
			methods = append(methods, r.method)
		}
		cnt[r.method]++
		sum[r.method] += criterion(r)
	}
	mean := func(m string) float64 { return sum[m] / float64(cnt[m]) }
	second := ""
	for _, m := range methods {
		if m != chosen && (second == "" || mean(m) > mean(second)) {
			second = m
		}
	}
	if second == "" {
		return "", nan()
	}
	return second, mean(chosen) - mean(second)
}

// closeMargin is the criterion margin below which the choice of method is
// reported as a near tie: across seeds 1–4 one method's criterion moved by
// up to 0.05 on the labelled sets and the synthetic sample
// (docs/clustering.md §5).
const closeMargin = 0.05

func coherenceOrInf(r sweepRow) float64 {
	if math.IsNaN(r.coherenceMean) {
		return math.Inf(-1)
	}
	return r.coherenceMean
}

// criterion is the label-free score the methods are compared on (NaN ranks
// last): mean coherence + ½·(stability − stability on the null reference),
// or mean coherence + ½·stability without a null reference (docs/clustering.md §5
// says why, and how it tracks NMI on the labelled sets in
// docs/BENCHMARKS.md).
func criterion(r sweepRow) float64 {
	v := r.coherenceMean + stabilityWeight*excessStability(r)
	if math.IsNaN(v) {
		return math.Inf(-1)
	}
	return v
}

// excessStability is the candidate's stability minus the stability the
// same method and k reach on the null reference (Lange et al. 2004), or the
// stability itself when there is no null reference.
func excessStability(r sweepRow) float64 {
	if math.IsNaN(r.nullStability) {
		return r.stability
	}
	return r.stability - r.nullStability
}

func weightedMean(x []float64, w []int) float64 {
	var s, ws float64
	for i, v := range x {
		if !math.IsNaN(v) && w[i] > 0 {
			s += v * float64(w[i])
			ws += float64(w[i])
		}
	}
	if ws == 0 {
		return nan()
	}
	return s / ws
}

func repeatInt(v int64, n int) []int64 {
	out := make([]int64, n)
	for i := range out {
		out[i] = v
	}
	return out
}
