package pipeline

import (
	"context"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"unicode"

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
}

// clusterStage runs TF-IDF and spherical k-means over the open answers.
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
)

func (s *clusterStage) Run(ctx context.Context, in *Dataset) (*Dataset, error) {
	c := in.Corpus
	cc := s.cfg.Cluster
	res := &Clustering{Cluster: make([]int, len(c.Units)), Reason: make([]string, len(c.Units))}
	var docUnits []int // corpus unit index of each clustered document
	var docs [][]string
	for i, u := range c.Units {
		res.Cluster[i] = -1
		if u.Kind != corpus.OpenAnswer {
			continue
		}
		res.Cluster[i] = Unclassified
		if u.Missing != corpus.Answered {
			res.Reason[i] = reasonMissing
			continue
		}
		terms := termsOf(in.Tokens[i])
		if len(terms) == 0 {
			res.Reason[i] = reasonNoContent
			continue
		}
		docUnits = append(docUnits, i)
		docs = append(docs, terms)
	}
	out := in.clone()
	out.Groups = res
	if len(docs) < 2 {
		s.env.Log.Warn("too few open answers with content to cluster", "answers", len(docs))
		for _, ui := range docUnits {
			res.Reason[ui] = reasonNoContent
		}
		out.Tables = append(out.Tables, clustersTable(res, c, nil), clusterTermsTable(res))
		return out, nil
	}

	m, empty, err := cluster.TFIDF(docs, cluster.TFIDFOptions{MinDF: cc.MinDF, MaxDF: cc.MaxDF})
	if err != nil {
		return nil, fmt.Errorf("tf-idf: %w", err)
	}
	for _, d := range empty {
		res.Reason[docUnits[d]] = reasonRareTerms
	}
	space := m
	if cc.LSA > 0 {
		if space, err = cluster.LSAContext(ctx, m, cc.LSA, s.cfg.seed()); err != nil {
			return nil, fmt.Errorf("lsa: %w", err)
		}
	}
	opt := cluster.KMeansOptions{K: cc.K, Restarts: cc.Restarts, Seed: s.cfg.seed(), Workers: s.cfg.workers()}
	var catOfInit []int
	if cc.Guided && in.Coding != nil {
		opt.Init, catOfInit, err = guidedInit(space, docUnits, in.Coding)
		if err != nil {
			return nil, err
		}
		extra := cc.Extra
		if extra == 0 {
			extra = 2
		}
		opt.K = len(opt.Init) + extra
	}
	var km *cluster.Result
	if opt.K == 0 {
		kmin, kmax := cc.KMin, cc.KMax
		if kmin == 0 {
			kmin = 4
		}
		if kmax == 0 {
			kmax = 12
		}
		kmax = min(kmax, len(docs)-len(empty)-1)
		kmin = min(kmin, kmax)
		if kmin < 2 {
			return nil, fmt.Errorf("only %d answers with content: too few to choose k", len(docs)-len(empty))
		}
		sw, err := cluster.Sweep(ctx, space, cluster.SweepOptions{KMin: kmin, KMax: kmax, KMeans: opt})
		if err != nil {
			return nil, err
		}
		km = sw.Result
		out.Tables = append(out.Tables, sweepTable(sw))
		out.Facts["cluster_k_chosen"] = sw.K
	} else {
		if opt.K > len(docs)-len(empty) {
			return nil, &ConfigError{File: s.cfg.File, Key: "cluster.k", Msg: fmt.Sprintf("k = %d but only %d answers have content terms", opt.K, len(docs)-len(empty))}
		}
		km, err = cluster.KMeans(ctx, space, opt)
		if err != nil {
			return nil, err
		}
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}

	// Renumber clusters by size (largest first, ties by k-means id) as 1..K.
	k := len(km.Sizes)
	order := make([]int, k)
	for i := range order {
		order[i] = i
	}
	sort.SliceStable(order, func(a, b int) bool { return km.Sizes[order[a]] > km.Sizes[order[b]] })
	newID := make([]int, k)
	for rank, old := range order {
		newID[old] = rank + 1
	}
	labels := make([]int, len(km.Labels))
	for d, l := range km.Labels {
		labels[d] = -1
		if l >= 0 {
			labels[d] = newID[l] - 1
			res.Cluster[docUnits[d]] = newID[l]
		}
	}
	res.K = k
	// Ask for more exemplars than shown and keep the first distinct texts:
	// survey answers repeat, and five copies of 制度不完善 explain nothing.
	res.Desc = cluster.Describe(m, docs, labels, cluster.DescribeOptions{Exemplars: 4 * exemplarsShown})
	res.Labels = make([]string, k)
	res.Origin = make([]int, k)
	for i := range res.Origin {
		res.Origin[i] = -1
	}
	for old, o := range km.Origin {
		if o >= 0 && catOfInit != nil {
			res.Origin[newID[old]-1] = catOfInit[o]
		}
	}
	for i, d := range res.Desc {
		res.Labels[i] = d.Label
		// Exemplars are document indices; keep distinct texts as corpus
		// unit indices.
		seen := map[string]bool{}
		var ex []int
		for _, e := range d.Exemplars {
			ui := docUnits[e]
			if key := normalizedForDedup(c.Units[ui].Text); !seen[key] && len(ex) < exemplarsShown {
				seen[key] = true
				ex = append(ex, ui)
			}
		}
		res.Desc[i].Exemplars = ex
	}
	out.Facts["cluster_k"] = k
	out.Facts["cluster_objective"] = km.Objective
	out.Facts["cluster_vocabulary"] = len(m.Vocab)
	out.Tables = append(out.Tables, clustersTable(res, c, in.Coding), clusterTermsTable(res))
	if q := qualityTable(res, c, s.cfg, in.Coding); q != nil {
		out.Tables = append(out.Tables, q)
	}
	return out, nil
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
// one clustered answer, in category order.
func guidedInit(m *cluster.Matrix, docUnits []int, cod *Coding) ([][]float64, []int, error) {
	byCat := map[int][]int{}
	for d, ui := range docUnits {
		if len(m.Docs[d].Idx) == 0 {
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
		if cl == Unclassified && c.Units[i].Kind == corpus.OpenAnswer {
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
	for i, d := range res.Desc {
		r := i + 1
		ids[r], sizes[r], labels[r] = int64(r), int64(d.Size), d.Label
		terms[r] = make([]string, len(d.Terms))
		for j, tm := range d.Terms {
			terms[r][j] = tm.Term
		}
		exIDs[r], exTexts[r] = make([]string, len(d.Exemplars)), make([]string, len(d.Exemplars))
		for j, ui := range d.Exemplars {
			exIDs[r][j], exTexts[r][j] = c.Units[ui].ID, c.Units[ui].Text
		}
		nearShare[r] = nan()
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

// sweepTable records the automatic choice of k.
func sweepTable(sw *cluster.SweepResult) *table.Table {
	t := table.New("k_sweep", "Evaluation of each number of clusters tried when cluster.k = 0: silhouette (cosine) on a seeded sample, stability (mean pairwise adjusted Rand index across seeds) and the k-means objective.")
	n := len(sw.Rows)
	ks := make([]int64, n)
	sil, stab, obj := make([]float64, n), make([]float64, n), make([]float64, n)
	chosen := make([]bool, n)
	for i, r := range sw.Rows {
		ks[i], sil[i], stab[i], obj[i], chosen[i] = int64(r.K), r.Silhouette, r.Stability, r.Objective, r.K == sw.K
	}
	t.AddInt("k", "number of clusters", ks)
	t.AddFloat("silhouette", "mean cosine silhouette on the sample", sil)
	t.AddFloat("stability", "mean pairwise adjusted Rand index of runs with different seeds", stab)
	t.AddFloat("objective", "spherical k-means objective Σ(1 − cos) on all answers", obj)
	t.AddBool("chosen", "the k used: the most stable-enough k with the highest silhouette", chosen)
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
		g, ok := truth[i]
		if !ok {
			continue
		}
		pred = append(pred, cl)
		gold = append(gold, g)
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

// truthLabels maps corpus unit index → ground-truth label (as an int id
// in first-seen order of the label values) for open answers whose
// respondent has a truth value; nil when no truth column is configured.
func truthLabels(c *corpus.Corpus, cfg *Config) map[int]int {
	qi := -1
	for _, s := range cfg.Inputs.Surveys {
		if s.TruthColumn != "" {
			qi = findQuestion(c, s.TruthColumn)
		}
	}
	if qi < 0 {
		return nil
	}
	ids := map[string]int{}
	out := map[int]int{}
	for i, u := range c.Units {
		if u.Kind != corpus.OpenAnswer || u.Respondent < 0 {
			continue
		}
		a := c.Respondents[u.Respondent].Answers[qi]
		if a.Missing != corpus.Answered || a.Value == "" {
			continue
		}
		id, ok := ids[a.Value]
		if !ok {
			id = len(ids)
			ids[a.Value] = id
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
