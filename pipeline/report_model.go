package pipeline

import (
	"fmt"
	"math"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"slices"
	"sort"
	"strconv"
	"strings"

	"surveymine/analysis/cluster"
	"surveymine/analysis/segment"
	"surveymine/pipeline/corpus"
	"surveymine/pipeline/report"
	"surveymine/pipeline/table"
)

// buildReportModel collects what report.html and report.md show from the
// final dataset: input accounting, closed-question frequencies,
// respondent-level codebook categories, clusters, cross-tab panels with
// their tests, claims found in reports and the methods. Parts the run did
// not produce (no codebook, nothing clustered, no attributes) are left
// nil or empty. It holds no timestamps, so the report is reproducible.
func buildReportModel(d *Dataset, cfg *Config, env Env) *report.Model {
	m := &report.Model{Version: env.Version}
	c := d.Corpus
	if c == nil {
		c = &corpus.Corpus{}
	}
	m.Overview = reportOverview(c)
	m.Overview.Privacy = privacySentence(d.Facts["privacy"])
	m.Questions = reportQuestions(c)
	if d.Coding != nil {
		m.Codebook = reportCodebook(c, d.Coding)
	}
	if g := d.Groups; g != nil && (g.K > 0 || (g.Status == StatusTooFew && slices.Contains(g.Cluster, Unclassified))) {
		m.Clusters = reportClusters(c, g, d.Coding)
	}
	if d.Tests != nil {
		m.Crosstabs = reportCrosstabs(c, d)
		m.MMI = reportMMI(d.Tests)
	}
	m.Claims = reportClaims(c, m.Questions)
	m.Methods = reportMethods(d, cfg)
	return m
}

func reportOverview(c *corpus.Corpus) report.Overview {
	o := report.Overview{Respondents: c.Respondents.Len(), Units: c.Units.Len(), Rejects: len(c.Rejects),
		Warnings: append([]string(nil), c.Warnings...)}
	for _, in := range c.Inputs {
		o.Inputs = append(o.Inputs, report.Input{File: in.File, Format: in.Format, Encoding: in.Encoding,
			Read: in.Read, Accepted: in.Accepted, Rejected: in.Rejected})
	}
	for _, u := range c.Units.All() {
		switch u.Kind {
		case corpus.OpenAnswer:
			o.OpenAnswers++
			if u.Missing == corpus.Answered {
				o.Answered++
			}
		case corpus.ReportParagraph, corpus.ReportSentence, corpus.ReportPoint:
			o.ReportUnits++
		}
	}
	reasons := map[string]int{}
	for _, r := range c.Rejects {
		reasons[r.Reason]++
	}
	for k, n := range reasons {
		o.RejectReasons = append(o.RejectReasons, report.Count{Label: k, N: n})
	}
	sortCounts(o.RejectReasons)
	return o
}

// sortCounts orders counts by N descending, then label.
func sortCounts(cs []report.Count) {
	sort.Slice(cs, func(i, j int) bool {
		if cs[i].N != cs[j].N {
			return cs[i].N > cs[j].N
		}
		return cs[i].Label < cs[j].Label
	})
}

// reportQuestions counts the options of every closed question over the
// respondents who answered it, options in survey order followed by values
// not among the declared options in first-seen order.
func reportQuestions(c *corpus.Corpus) []report.Question {
	var out []report.Question
	for qi, q := range c.Questions {
		if q.Kind != corpus.Single && q.Kind != corpus.Multi {
			continue
		}
		order := append([]string(nil), q.Options...)
		counts := map[string]int{}
		rq := report.Question{ID: q.ID, Header: q.Header, Multi: q.Kind == corpus.Multi}
		for _, r := range c.Respondents.All() {
			a := r.Answers[qi]
			if a.Missing != corpus.Answered {
				rq.Missing++
				continue
			}
			rq.Base++
			vals := c.Options(a)
			if q.Kind == corpus.Single {
				vals = []string{c.Value(a)}
			}
			for _, v := range vals {
				if _, ok := counts[v]; !ok && !slices.Contains(order, v) {
					order = append(order, v)
				}
				counts[v]++
			}
		}
		for _, o := range order {
			rq.Options = append(rq.Options, report.Option{Label: o, N: counts[o], Pct: pct(counts[o], rq.Base)})
		}
		out = append(out, rq)
	}
	return out
}

// reportCodebook counts, per category, the respondents who named it in any
// open answer, over the respondents with an open answer with content. The
// 其他 category comes last.
func reportCodebook(c *corpus.Corpus, cod *Coding) *report.Codebook {
	cb := &report.Codebook{Name: cod.Book.Name, Version: cod.Book.Version}
	named := map[int]map[int]bool{} // respondent → categories
	for ui, u := range c.Units.All() {
		if u.Kind != corpus.OpenAnswer || u.Respondent < 0 || len(cod.UnitCats[ui]) == 0 {
			continue
		}
		if named[u.Respondent] == nil {
			named[u.Respondent] = map[int]bool{}
		}
		for _, cat := range cod.UnitCats[ui] {
			named[u.Respondent][cat] = true
		}
	}
	cb.Base = len(named)
	ids := cod.CategoryIDs()
	var other *report.Category
	for _, id := range ids {
		n := 0
		for _, cats := range named {
			if cats[id] {
				n++
			}
		}
		item := report.Category{ID: id, Name: cod.CategoryName(id), Other: id == OtherCategory, N: n, Pct: pct(n, cb.Base)}
		if cat := cod.Book.Category(id); cat != nil {
			item.Description = strings.TrimSpace(cat.Description)
		}
		if item.Other {
			other = &item
			continue
		}
		cb.Items = append(cb.Items, item)
	}
	if other != nil {
		cb.Items = append(cb.Items, *other)
	}
	return cb
}

func reportClusters(c *corpus.Corpus, g *Clustering, cod *Coding) *report.Clusters {
	rc := &report.Clusters{K: g.K, Method: g.Method, Status: g.Status, StatusDetail: g.StatusDetail, StabilityB: g.StabilityB}
	for ui, u := range c.Units.All() {
		if u.Kind != corpus.OpenAnswer || u.Missing != corpus.Answered {
			continue
		}
		rc.Answered++
		if g.Cluster[ui] >= 1 {
			rc.Clustered++
		}
	}
	rc.Unclassified = rc.Answered - rc.Clustered
	for i, d := range g.Desc {
		cl := report.Cluster{ID: i + 1, Label: d.Label, Size: d.Size, Pct: pct(d.Size, rc.Clustered), NearestPct: math.NaN(), Stability: math.NaN()}
		if i < len(g.Stability) {
			cl.Stability = g.Stability[i]
			cl.Unstable = cl.Stability < cluster.UnstableBelow
		}
		for _, t := range d.Terms {
			cl.Terms = append(cl.Terms, t.Term)
		}
		for _, ui := range d.Exemplars {
			if text := c.Units.Text(ui); !slices.Contains(cl.Exemplars, text) {
				cl.Exemplars = append(cl.Exemplars, text) // identical answers are shown once
			}
		}
		if cod != nil {
			name, share := cod.dominant(g, i+1)
			if name != "" {
				cl.Nearest, cl.NearestPct = name, 100*share
			}
		}
		rc.Items = append(rc.Items, cl)
	}
	return rc
}

// reportCrosstabs arranges the cross-tabs of the run into panels per
// attribute: one stacked panel per open question (its clusters), one
// grouped panel for the codebook categories, one grouped panel per
// multiple-choice question (its options). Tables are found by the ids the
// crosstab stage gives them.
func reportCrosstabs(c *corpus.Corpus, d *Dataset) []report.Attribute {
	res := d.Tests
	byID := map[string]*Crosstab{}
	var attrs []string
	title := map[string]string{}
	for i := range res.Tables {
		x := &res.Tables[i]
		byID[x.ID] = x
		if _, ok := title[x.ColVar]; !ok {
			attrs = append(attrs, x.ColVar)
			title[x.ColVar] = x.ColLabel
		}
	}
	var open, multi []corpus.Question
	for _, q := range c.Questions {
		switch q.Kind {
		case corpus.OpenText:
			open = append(open, q)
		case corpus.Multi:
			if len(q.Options) > 0 {
				multi = append(multi, q)
			}
		}
	}
	var out []report.Attribute
	for _, a := range attrs {
		ra := report.Attribute{ID: a, Title: title[a]}
		for _, q := range open {
			x := byID["cluster_"+questionColumn(q)+"_by_"+a]
			if x == nil {
				continue
			}
			p := report.Panel{Kind: report.Stacked, Title: "开放题聚类", RowTitle: "聚类"}
			subject := "开放题回答的聚类"
			if len(open) > 1 {
				p.Title = questionColumn(q) + " 开放题聚类"
				subject = questionColumn(q) + " 回答的聚类"
			}
			stackedPanel(&p, x)
			p.Tests = []report.Test{reportTest(x, subject)}
			ra.Panels = append(ra.Panels, p)
		}
		if d.Coding != nil {
			p := report.Panel{Kind: report.Grouped, Title: "原因类别", RowTitle: "原因类别"}
			ids := d.Coding.CategoryIDs()
			if len(ids) > 1 && ids[0] == OtherCategory {
				ids = append(ids[1:], OtherCategory) // 其他 last, as in the codebook section
			}
			var xs []*Crosstab
			var rows, subjects []string
			for _, id := range ids {
				if x := byID["cat"+strconv.Itoa(id)+"_by_"+a]; x != nil {
					name := d.Coding.CategoryName(id)
					xs, rows, subjects = append(xs, x), append(rows, name), append(subjects, "是否提及"+quoteCN(name))
				}
			}
			if len(xs) > 0 {
				groupedPanel(&p, xs, rows, subjects)
				ra.Panels = append(ra.Panels, p)
			}
		}
		for _, q := range multi {
			qc := questionColumn(q)
			p := report.Panel{Kind: report.Grouped, Title: q.Header, RowTitle: "选项"}
			var xs []*Crosstab
			var rows, subjects []string
			for i, o := range q.Options {
				if x := byID[fmt.Sprintf("%s_%d_by_%s", qc, i+1, a)]; x != nil {
					xs, rows, subjects = append(xs, x), append(rows, o), append(subjects, "是否选择"+quoteCN(o))
				}
			}
			if len(xs) > 0 {
				groupedPanel(&p, xs, rows, subjects)
				ra.Panels = append(ra.Panels, p)
			}
		}
		if len(ra.Panels) > 0 {
			out = append(out, ra)
		}
	}
	return out
}

// quoteCN puts s in Chinese double quotes, its own double quotes made single.
func quoteCN(s string) string {
	return "“" + strings.NewReplacer("“", "‘", "”", "’").Replace(s) + "”"
}

// stackedPanel fills rows, columns, column shares and residuals from one
// table: each column (attribute value) is split into the rows.
func stackedPanel(p *report.Panel, x *Crosstab) {
	p.Rows = append([]string(nil), x.Res.Rows...)
	p.Cols = append([]string(nil), x.Res.Cols...)
	p.Share, p.Resid = nanGrid(len(p.Rows), len(p.Cols)), nanGrid(len(p.Rows), len(p.Cols))
	rowAt, colAt := firstIndex(p.Rows), firstIndex(p.Cols)
	for _, cell := range x.Res.Cells {
		i, ok1 := rowAt[cell.RowLabel]
		j, ok2 := colAt[cell.ColLabel]
		if ok1 && ok2 {
			p.Share[i][j], p.Resid[i][j] = cell.ColPct, cell.AdjResid
		}
	}
}

// groupedPanel fills a panel from several yes/no tables (first row label
// "named" or "chosen"): per table one row holding, per attribute value,
// the share saying yes and the residual of that cell. Columns are the
// union of the tables' columns in first-seen order.
func groupedPanel(p *report.Panel, xs []*Crosstab, rows, subjects []string) {
	p.Rows = rows
	colAt := map[string]int{}
	for _, x := range xs {
		for _, col := range x.Res.Cols {
			if _, ok := colAt[col]; !ok {
				colAt[col] = len(p.Cols)
				p.Cols = append(p.Cols, col)
			}
		}
	}
	p.Share, p.Resid = nanGrid(len(rows), len(p.Cols)), nanGrid(len(rows), len(p.Cols))
	for i, x := range xs {
		for _, col := range x.Res.Cols {
			p.Share[i][colAt[col]] = 0 // nobody said yes unless a cell says so
		}
		for _, cell := range x.Res.Cells {
			if cell.Row != 0 {
				continue
			}
			j := colAt[cell.ColLabel]
			p.Share[i][j], p.Resid[i][j] = cell.ColPct, cell.AdjResid
		}
		p.Tests = append(p.Tests, reportTest(x, subjects[i]))
	}
}

// firstIndex maps each label to its first position in labels.
func firstIndex(labels []string) map[string]int {
	m := make(map[string]int, len(labels))
	for i := len(labels) - 1; i >= 0; i-- {
		m[labels[i]] = i
	}
	return m
}

func nanGrid(r, c int) [][]float64 {
	g := make([][]float64, r)
	for i := range g {
		g[i] = make([]float64, c)
		for j := range g[i] {
			g[i][j] = math.NaN()
		}
	}
	return g
}

func reportTest(x *Crosstab, subject string) report.Test {
	r := x.Res
	return report.Test{
		ID: x.ID, Attribute: x.ColLabel, Subject: subject, N: int(math.Round(r.N)), Excluded: x.Excluded, ExcludedNote: x.Note,
		Status: r.Status, StatusDetail: r.StatusDetail, Method: r.Test, MethodReason: r.TestReason, MonteCarloB: r.MonteCarloB,
		Chi2: r.Chi2, DF: r.DF, P: r.P, V: r.CramersV, MinDim: min(len(r.Rows), len(r.Cols)), PHolm: x.PHolm, PBH: x.PBH,
	}
}

func reportMMI(res *CrosstabResults) []report.MMITest {
	title := map[string]string{}
	for _, x := range res.Tables {
		title[x.ColVar] = x.ColLabel
	}
	var out []report.MMITest
	for _, t := range res.MMI {
		set := t.Set
		if set == "codebook categories" {
			set = "开放题原因类别"
		}
		attr := title[t.ColVar]
		if attr == "" {
			attr = t.ColVar
		}
		r := t.Res
		out = append(out, report.MMITest{ID: t.ID, Set: set, Attribute: attr, Items: len(t.Items), N: r.N,
			Status: r.Status, StatusDetail: r.StatusDetail, X2S: r.X2S, X2RS2: r.X2RS2, DFRS2: r.DFRS2, PRS2: r.PRS2, PBonferroni: r.PBonferroni})
	}
	return out
}

// reportClaims lists the claims found in reports, each with the figure of
// the same option in this survey when a closed question has it.
func reportClaims(c *corpus.Corpus, qs []report.Question) []report.Claim {
	var out []report.Claim
	for _, cl := range c.Claims {
		src := cl.Src.String()
		if len(cl.Src.Heading) > 0 {
			src += "（" + strings.Join(cl.Src.Heading, " > ") + "）"
		}
		rc := report.Claim{Source: src, Text: cl.Text, Claimed: cl.Claimed, Count: cl.Count, Pct: cl.Percent,
			Placeholder: cl.Placeholder, SurveyN: -1, SurveyPct: math.NaN()}
		if cl.Placeholder {
			rc.Count, rc.Pct = -1, math.NaN()
		}
	find:
		for _, q := range qs {
			for _, o := range q.Options {
				if sameOption(o.Label, cl.Claimed) {
					rc.SurveyN, rc.SurveyPct = o.N, o.Pct
					break find
				}
			}
		}
		out = append(out, rc)
	}
	return out
}

// sameOption compares an option with a claimed option, ignoring surrounding
// space and the kind of quotes (reports often write the option's “…” as ‘…’).
func sameOption(a, b string) bool {
	r := strings.NewReplacer("“", `"`, "”", `"`, "‘", `"`, "’", `"`, "'", `"`)
	return r.Replace(strings.TrimSpace(a)) == r.Replace(strings.TrimSpace(b))
}

// reportLibraries are the libraries whose versions the report names.
var reportLibraries = []string{"github.com/go-ego/gse", "gonum.org/v1/gonum", "github.com/apache/arrow-go/v18", "github.com/parquet-go/parquet-go", "github.com/xuri/excelize/v2"}

func reportMethods(d *Dataset, cfg *Config) report.Methods {
	m := report.Methods{Seed: cfg.seed(), Go: runtime.Version()}
	if bi, ok := debug.ReadBuildInfo(); ok {
		for _, want := range reportLibraries {
			for _, dep := range bi.Deps {
				if dep.Path == want {
					m.Libraries = append(m.Libraries, report.Library{Name: dep.Path, Version: dep.Version})
				}
			}
		}
	}
	if cfg.Codebook.Path != "" {
		m.Codebook = filepath.Base(cfg.Codebook.Path)
	}
	s := &m.Segmentation
	s.Lexicon = len(segment.DomainLexicon())
	s.UserDicts, s.Stopwords = len(cfg.Segment.UserDicts), len(cfg.Segment.Stopwords)
	if d.Coding != nil {
		s.CodebookTerm = len(codebookTerms(d.Coding.Book))
	}
	// The cache hit rate varies between runs; the report stays the same.
	s.CacheHitRate = math.NaN()
	if t := findTable(d.Tables, "segmentation_audit"); t != nil {
		readAudit(s, t)
	}

	cc := cfg.Cluster
	cl := &m.Clustering
	cl.Auto = cc.K == 0 && !cc.Guided
	cl.KMin, cl.KMax = cmp0(cc.KMin, 4), cmp0(cc.KMax, 12)
	cl.Restarts = cmp0(cc.Restarts, 10)
	cl.MinDF, cl.MaxDF = cc.MinDF, cc.MaxDF
	if cl.MinDF == 0 {
		cl.MinDF = 2
	}
	if cl.MaxDF == 0 {
		cl.MaxDF = 0.95
	}
	cl.LSA, cl.Guided, cl.Seed = cc.LSA, cc.Guided, cfg.seed()
	cl.Weighting = cmpStr(cc.Weighting, "tfidf")
	if cfg.clusterMethod() == "auto" {
		cl.Selection = "auto"
	}
	if cl.Guided {
		cl.Extra = cmp0(cc.Extra, 2)
	}
	if d.Groups != nil {
		cl.K = d.Groups.K
		cl.Method = d.Groups.Method
		cl.Colls = len(d.Groups.Collocations)
		cl.Chars = d.Facts["cluster_gsdmm_terms"] == GSDMMWordsChars
	}
	if v, ok := d.Facts["cluster_vocabulary"].(int); ok {
		cl.Vocabulary = v
	}
	if v, ok := d.Facts["cluster_method_runner_up"].(string); ok {
		cl.RunnerUp = v
		cl.Margin, _ = d.Facts["cluster_method_margin"].(float64)
		cl.Close = cl.Margin < closeMargin
	}

	m.Tests.MonteCarloB = cmp0(cfg.Crosstab.MonteCarloB, 9999)
	m.Tests.Missing = cfg.Crosstab.Missing
	if m.Tests.Missing == "" {
		m.Tests.Missing = "category"
	}
	if d.Tests != nil {
		m.Tests.Tests = len(d.Tests.Tables)
	}
	return m
}

// cmp0 returns v, or def when v is 0.
func cmp0(v, def int) int {
	if v == 0 {
		return def
	}
	return v
}

func findTable(ts []*table.Table, name string) *table.Table {
	for _, t := range ts {
		if t.Name == name {
			return t
		}
	}
	return nil
}

// readAudit takes the totals, per-filter drops, synonym merges and split
// terms from the segmentation audit table (see auditTable).
func readAudit(s *report.Segmentation, t *table.Table) {
	sec, item, detail, count := t.Column("section"), t.Column("item"), t.Column("detail"), t.Column("count")
	if sec == nil || item == nil || detail == nil || count == nil {
		return
	}
	for i := range t.NumRows() {
		n := count.Ints[i]
		switch sec.Strings[i] {
		case "totals":
			switch item.Strings[i] {
			case "tokens":
				s.Tokens = n
			case "terms":
				s.Terms = n
			}
		case "filter_dropped":
			if detail.Strings[i] == "all tokens dropped by the filter" {
				s.Dropped = append(s.Dropped, report.Count{Label: item.Strings[i], N: int(n)})
			}
		case "synonym_merge":
			s.Merges += n
		case "split_term":
			s.SplitTerms++
		}
	}
}
