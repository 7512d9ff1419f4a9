package pipeline

import (
	"context"
	"errors"
	"fmt"
	"math"
	"regexp"
	"sort"
	"strconv"
	"strings"

	"golang.org/x/sync/errgroup"

	"surveymine/analysis/stats"
	"surveymine/pipeline/corpus"
	"surveymine/pipeline/table"
)

// CrosstabResults holds the tests of the run, for the report.
type CrosstabResults struct {
	Tables []Crosstab
	MMI    []MMITest
	// WeightedTest names the weighted test behind p_weighted:
	// weightedTestF (default) or weightedTestChi2 (crosstab.weighted_test).
	WeightedTest string
}

// Names of the weighted tests in crosstab_tests.weighted_test.
const (
	weightedTestF    = "rao_scott_f"    // second-order Rao–Scott F (svychisq statistic = "F")
	weightedTestChi2 = "rao_scott_chi2" // first-order Rao–Scott χ² (svychisq statistic = "Chisq")
)

// Crosstab is one analysed table.
type Crosstab struct {
	ID       string   // table id, e.g. "cluster_by_Q1"
	RowVar   string   // "cluster", "category 1 思想认识", "Q5 党建工作制度规定不完善"
	ColVar   string   // attribute question id, e.g. "Q1"
	ColLabel string   // attribute question header
	RowKeys  []string // per row label: cluster number, category id or option text
	Family   string   // cluster, category or option
	Base     string   // who is counted
	Excluded int      // respondents left out, see Note
	Note     string
	Res      stats.Result
	PHolm    float64
	PBH      float64
	// Weighted is the Rao–Scott analysis with the configured weights; nil
	// when no weight column is configured.
	Weighted *stats.WeightedResult
}

// MMITest is a joint test of multiple marginal independence.
type MMITest struct {
	ID       string
	Set      string // "codebook categories" or a multiple-choice question id
	ColVar   string
	Items    []string
	Res      stats.MMIResult
	Excluded int
}

// crosstabStage cross-tabulates clusters, codebook categories and
// multiple-choice options against every attribute.
type crosstabStage struct {
	cfg *Config
	env Env
}

func newCrosstab(cfg *Config, env Env) *crosstabStage { return &crosstabStage{cfg: cfg, env: env} }

func (s *crosstabStage) Name() string { return "crosstab" }

// variable is one categorical variable over respondents. A survey of a
// million respondents crossed in the default plan has dozens of them at
// once, so the per-respondent parts are small: an int32 and a reason code.
type variable struct {
	id     string      // short id used in table ids: cluster, cat1, Q5_3, Q1
	name   string      // readable name for the tables
	labels []string    // ordered values
	keys   []string    // per label: the key joining it to its entity (see cellsTable); nil = the labels
	value  []int32     // per respondent: index into labels, -1 = not counted
	why    *exclusions // why a respondent is not counted
}

// exclusions records why respondents are not counted: per respondent a
// code into a short list of reasons. The variables of one
// multiple-response set share theirs.
type exclusions struct {
	code  []uint16 // per respondent; 0 is "" (counted)
	texts []string // reason of each code
	index map[string]uint16
}

func newExclusions(n int) *exclusions {
	return &exclusions{code: make([]uint16, n), texts: []string{""}, index: map[string]uint16{"": 0}}
}

// set records why respondent r is not counted ("": counted).
func (e *exclusions) set(r int, why string) {
	c, ok := e.index[why]
	if !ok && len(e.texts) >= math.MaxUint16 {
		// The reasons below are a handful per variable; this only
		// keeps the codes in range.
		why = "other reasons"
		c, ok = e.index[why]
	}
	if !ok {
		c = uint16(len(e.texts))
		e.index[why] = c
		e.texts = append(e.texts, why)
	}
	e.code[r] = c
}

// of returns why respondent r is not counted.
func (e *exclusions) of(r int) string { return e.texts[e.code[r]] }

// values returns v's values as ints (the stats package's form).
func (v variable) values() []int {
	out := make([]int, len(v.value))
	for i, x := range v.value {
		out[i] = int(x)
	}
	return out
}

// key returns the join key of label i.
func (v variable) key(i int) string {
	if v.keys != nil {
		return v.keys[i]
	}
	return v.labels[i]
}

func (s *crosstabStage) Run(ctx context.Context, in *Dataset) (*Dataset, error) {
	c := in.Corpus
	opt := stats.Options{MonteCarloB: s.cfg.Crosstab.MonteCarloB, Seed: s.cfg.seed(), Ctx: ctx}
	if opt.MonteCarloB == 0 {
		opt.MonteCarloB = 9999
	}
	attrs := s.attributes(c)
	weights, err := s.weights(c)
	if err != nil {
		return nil, err
	}
	plans, err := s.plan(c, in, attrs)
	if err != nil {
		return nil, err
	}
	// The tables are independent: analyse them on all workers, each result
	// in its own slot, so the order (and every figure) does not depend on
	// scheduling. A survey with thousands of columns gives thousands of
	// tables, each with a confidence interval found by root search.
	res := &CrosstabResults{WeightedTest: weightedTestF}
	if s.cfg.Crosstab.WeightedTest == "chisq" {
		res.WeightedTest = weightedTestChi2
	}
	type job struct {
		row, col *variable
		set      *multiSet
	}
	var tableJobs, mmiJobs []job
	for pi := range plans {
		p := &plans[pi]
		for ri := range p.rows {
			tableJobs = append(tableJobs, job{row: &p.rows[ri], col: &p.col})
		}
		for si := range p.sets {
			mmiJobs = append(mmiJobs, job{set: &p.sets[si], col: &p.col})
		}
	}
	res.Tables = make([]Crosstab, len(tableJobs))
	res.MMI = make([]MMITest, len(mmiJobs))
	g, gctx := errgroup.WithContext(ctx)
	g.SetLimit(s.cfg.workers())
	for i, j := range tableJobs {
		g.Go(func() error {
			if err := gctx.Err(); err != nil {
				return err
			}
			x := crosstab(*j.row, *j.col, opt)
			if err := gctx.Err(); err != nil {
				return err // a Monte Carlo test stopped half-way
			}
			if weights != nil {
				w := stats.RaoScott(stats.Responses{Row: j.row.values(), Col: j.col.values(), Weight: weights, NRows: len(j.row.labels), NCols: len(j.col.labels)})
				x.Weighted = &w
			}
			res.Tables[i] = x
			return nil
		})
	}
	for i, j := range mmiJobs {
		g.Go(func() error {
			if err := gctx.Err(); err != nil {
				return err
			}
			res.MMI[i] = mmiTest(*j.set, *j.col, opt)
			return nil
		})
	}
	if err := g.Wait(); err != nil {
		return nil, err
	}
	// Multiple testing over the family of table tests in this run.
	ps := make([]float64, len(res.Tables))
	for i, t := range res.Tables {
		ps[i] = t.Res.P
	}
	holm, bh := stats.Holm(ps), stats.BH(ps)
	for i := range res.Tables {
		res.Tables[i].PHolm, res.Tables[i].PBH = holm[i], bh[i]
	}
	out := in.clone()
	out.Tests = res
	out.Tables = append(out.Tables, cellsTable(res), testsTable(res), mmiTable(res), frequencyTable(c))
	if in.Coding != nil {
		if t, err := cooccurrenceTable(c, in.Coding); err != nil {
			return nil, err
		} else {
			out.Tables = append(out.Tables, t)
		}
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	out.Tables = append(out.Tables, keynessTable(c, in, attrs))
	return out, nil
}

// attributes returns the configured attribute questions as variables.
func (s *crosstabStage) attributes(c *corpus.Corpus) []variable {
	exclude := s.cfg.Crosstab.Missing == "exclude"
	var out []variable
	seen := map[int]bool{}
	for _, in := range s.cfg.Inputs.Surveys {
		for _, name := range in.AttributeColumns {
			for _, qi := range matchQuestions(c, name) {
				if seen[qi] || c.Questions[qi].Kind == corpus.OpenText {
					continue
				}
				seen[qi] = true
				out = append(out, attributeVariable(c, qi, exclude))
			}
		}
	}
	return out
}

// plan is one column variable with the row variables tabulated against it.
type plan struct {
	col  variable
	rows []variable
	sets []multiSet
}

// plan turns crosstab.tables into row and column variables. Without
// tables, every cause variable (clusters, codebook categories, the options
// of every multiple-choice question, every other single-choice question)
// is crossed with every attribute.
func (s *crosstabStage) plan(c *corpus.Corpus, in *Dataset, attrs []variable) ([]plan, error) {
	exclude := s.cfg.Crosstab.Missing == "exclude"
	isAttr := map[string]bool{}
	for _, a := range attrs {
		isAttr[a.id] = true
	}
	// rowsFor returns the row variables (and multiple-response sets) of a
	// rows spec: clusters, categories or a question.
	rowsFor := func(spec string, key string) ([]variable, []multiSet, error) {
		switch strings.ToLower(spec) {
		case "clusters":
			return clusterVariables(c, in.Groups, ""), nil, nil
		case "categories":
			if in.Coding == nil {
				return nil, nil, &ConfigError{File: s.cfg.File, Key: key, Msg: "categories need codebook.path"}
			}
			v, set := categoryVariables(c, in.Coding)
			return v, []multiSet{*set}, nil
		}
		qis := matchQuestions(c, spec)
		if len(qis) == 0 {
			return nil, nil, &ConfigError{File: s.cfg.File, Key: key, Msg: fmt.Sprintf("no question matches %q (want clusters, categories, a header, a number or /regex/)", spec)}
		}
		var vars []variable
		var sets []multiSet
		for _, qi := range qis {
			switch c.Questions[qi].Kind {
			case corpus.Multi:
				v, set := optionVariables(c, qi)
				vars, sets = append(vars, v...), append(sets, set)
			case corpus.OpenText:
				vars = append(vars, clusterVariables(c, in.Groups, c.Questions[qi].ID)...)
			default:
				vars = append(vars, attributeVariable(c, qi, exclude))
			}
		}
		return vars, sets, nil
	}
	if len(s.cfg.Crosstab.Tables) == 0 {
		var rows []variable
		var sets []multiSet
		rows = append(rows, clusterVariables(c, in.Groups, "")...)
		if in.Coding != nil {
			v, set := categoryVariables(c, in.Coding)
			rows, sets = append(rows, v...), append(sets, *set)
		}
		for qi, q := range c.Questions {
			switch {
			case q.Kind == corpus.Multi && len(q.Options) > 0:
				v, set := optionVariables(c, qi)
				rows, sets = append(rows, v...), append(sets, set)
			case q.Kind == corpus.Single && !isAttr[questionColumn(q)] && !s.isSpecialColumn(q):
				rows = append(rows, attributeVariable(c, qi, exclude))
			}
		}
		plans := make([]plan, len(attrs))
		for i, a := range attrs {
			plans[i] = plan{col: a, rows: rows, sets: sets}
		}
		return plans, nil
	}
	var plans []plan
	for i, t := range s.cfg.Crosstab.Tables {
		key := fmt.Sprintf("crosstab.tables[%d]", i)
		rows, sets, err := rowsFor(t.Rows, key+".rows")
		if err != nil {
			return nil, err
		}
		qis := matchQuestions(c, t.Cols)
		if len(qis) == 0 {
			return nil, &ConfigError{File: s.cfg.File, Key: key + ".cols", Msg: fmt.Sprintf("no question matches %q", t.Cols)}
		}
		for _, qi := range qis {
			if k := c.Questions[qi].Kind; k == corpus.OpenText || k == corpus.Multi {
				return nil, &ConfigError{File: s.cfg.File, Key: key + ".cols", Msg: fmt.Sprintf("%q is a %s question; columns must be single-choice", t.Cols, k)}
			}
			plans = append(plans, plan{col: attributeVariable(c, qi, exclude), rows: rows, sets: sets})
		}
	}
	return plans, nil
}

// isSpecialColumn reports whether q is the weight, truth or codes column,
// which are not survey questions to cross-tabulate.
func (s *crosstabStage) isSpecialColumn(q corpus.Question) bool {
	for _, in := range s.cfg.Inputs.Surveys {
		for _, name := range []string{in.WeightColumn, in.TruthColumn, in.CodesColumn} {
			if name != "" && (name == q.Header || name == q.ID) {
				return true
			}
		}
	}
	return false
}

// weights reads the configured weight column: one non-negative number per
// respondent; nil without a weight column. A missing weight counts as 0
// (the respondent is left out of weighted figures); a cell that is not a
// number is an input error naming file, row and column.
func (s *crosstabStage) weights(c *corpus.Corpus) ([]float64, error) {
	qi := -1
	for _, in := range s.cfg.Inputs.Surveys {
		if in.WeightColumn != "" {
			qi = findQuestion(c, in.WeightColumn)
		}
	}
	if qi < 0 {
		return nil, nil
	}
	w := make([]float64, c.Respondents.Len())
	var errs []error
	for r, resp := range c.Respondents.All() {
		a := resp.Answers[qi]
		if a.Missing != corpus.Answered || strings.TrimSpace(c.Value(a)) == "" {
			continue
		}
		v, err := strconv.ParseFloat(strings.TrimSpace(c.Value(a)), 64)
		if err != nil || v < 0 || math.IsInf(v, 0) || math.IsNaN(v) {
			if len(errs) < 20 {
				src := resp.Src.Source()
				errs = append(errs, &corpus.InputError{Src: src, Column: c.Questions[qi].Header, Err: fmt.Errorf("weight %q is not a non-negative number", c.Value(a))})
			}
			continue
		}
		w[r] = v
	}
	if len(errs) > 0 {
		return nil, errors.Join(errs...)
	}
	return w, nil
}

// matchQuestions resolves a column name from the config (header text,
// question number, "Qn" or /regex/) to question indices.
func matchQuestions(c *corpus.Corpus, name string) []int {
	if len(name) > 2 && strings.HasPrefix(name, "/") && strings.HasSuffix(name, "/") {
		re, err := regexp.Compile(name[1 : len(name)-1])
		if err != nil {
			return nil
		}
		var out []int
		for i, q := range c.Questions {
			if re.MatchString(q.Header) {
				out = append(out, i)
			}
		}
		return out
	}
	if qi := findQuestion(c, name); qi >= 0 {
		return []int{qi}
	}
	return nil
}

func attributeVariable(c *corpus.Corpus, qi int, exclude bool) variable {
	q := c.Questions[qi]
	v := variable{id: questionColumn(q), name: q.Header, value: make([]int32, c.Respondents.Len()), why: newExclusions(c.Respondents.Len())}
	idx := map[string]int{}
	for _, o := range q.Options {
		idx[o] = len(v.labels)
		v.labels = append(v.labels, o)
	}
	for r, resp := range c.Respondents.All() {
		a := resp.Answers[qi]
		label := c.Value(a)
		if a.Missing != corpus.Answered {
			if exclude {
				v.value[r] = -1
				v.why.set(r, "missing "+v.id+" "+missingLabel(a.Missing))
				continue
			}
			label = missingLabel(a.Missing)
		}
		i, ok := idx[label]
		if !ok {
			i = len(v.labels)
			idx[label] = i
			v.labels = append(v.labels, label)
		}
		v.value[r] = int32(i)
	}
	return v
}

// clusterVariables gives, per open-ended question, each respondent's
// cluster; respondents without a clustered answer are not counted.
func clusterVariables(c *corpus.Corpus, g *Clustering, only string) []variable {
	if g == nil || g.K == 0 {
		return nil
	}
	var out []variable
	for _, q := range c.Questions {
		if q.Kind != corpus.OpenText || (only != "" && q.ID != only) {
			continue
		}
		v := variable{id: "cluster_" + questionColumn(q), name: "cluster of " + questionColumn(q), value: make([]int32, c.Respondents.Len()), why: newExclusions(c.Respondents.Len())}
		for k := 1; k <= g.K; k++ {
			v.labels = append(v.labels, fmt.Sprintf("%d %s", k, g.Labels[k-1]))
			v.keys = append(v.keys, strconv.Itoa(k))
		}
		noAnswer := "no answer to " + questionColumn(q)
		for r := range v.value {
			v.value[r] = -1
			v.why.set(r, noAnswer)
		}
		for ui, u := range c.Units.All() {
			if u.Kind != corpus.OpenAnswer || u.Respondent < 0 || u.Question != q.ID {
				continue
			}
			switch cl := g.Cluster[ui]; {
			case cl >= 1:
				v.value[u.Respondent] = int32(cl - 1)
				v.why.set(u.Respondent, "")
			case u.Missing != corpus.Answered:
				v.why.set(u.Respondent, "answer "+missingLabel(u.Missing))
			default:
				v.why.set(u.Respondent, "answer unclassified: "+g.Reason[ui])
			}
		}
		out = append(out, v)
	}
	return out
}

// multiSet is a multiple-response set for the joint MMI test.
type multiSet struct {
	id, name string
	items    []string
	named    []bool // per respondent, len(items) flags; see row
	counted  []bool // per respondent
	why      *exclusions
}

// row returns respondent r's flags, nil when r is not counted.
func (s *multiSet) row(r int) []bool {
	if !s.counted[r] {
		return nil
	}
	k := len(s.items)
	return s.named[r*k : (r+1)*k : (r+1)*k]
}

// categoryVariables gives, per codebook category, whether each respondent
// named it in any open answer (named / not named). Respondents without an
// answer with content are not counted: the base is respondents who
// answered.
func categoryVariables(c *corpus.Corpus, cod *Coding) ([]variable, *multiSet) {
	cats := cod.CategoryIDs()
	n := c.Respondents.Len()
	set := &multiSet{id: "categories", name: "codebook categories", named: make([]bool, n*len(cats)), counted: make([]bool, n), why: newExclusions(n)}
	for _, id := range cats {
		set.items = append(set.items, strconv.Itoa(id)+" "+cod.CategoryName(id))
	}
	for r := range n {
		set.why.set(r, "no open answer")
	}
	pos := map[int]int{}
	for i, id := range cats {
		pos[id] = i
	}
	for ui, u := range c.Units.All() {
		if u.Kind != corpus.OpenAnswer || u.Respondent < 0 {
			continue
		}
		if u.Missing != corpus.Answered {
			if !set.counted[u.Respondent] {
				set.why.set(u.Respondent, "open answer "+missingLabel(u.Missing))
			}
			continue
		}
		if len(cod.UnitCats[ui]) == 0 {
			if !set.counted[u.Respondent] {
				set.why.set(u.Respondent, "open answer without content terms")
			}
			continue
		}
		if !set.counted[u.Respondent] {
			set.counted[u.Respondent] = true
			set.why.set(u.Respondent, "")
		}
		row := set.row(u.Respondent)
		for _, cat := range cod.UnitCats[ui] {
			row[pos[cat]] = true
		}
	}
	var out []variable
	for i, id := range cats {
		v := variable{id: "cat" + strconv.Itoa(id), name: "category " + strconv.Itoa(id) + " " + cod.CategoryName(id),
			labels: []string{"named", "not named"}, keys: []string{strconv.Itoa(id), strconv.Itoa(id)}, value: make([]int32, n), why: set.why}
		for r := range n {
			switch row := set.row(r); {
			case row == nil:
				v.value[r] = -1
			case row[i]:
				v.value[r] = 0
			default:
				v.value[r] = 1
			}
		}
		out = append(out, v)
	}
	return out, set
}

// optionVariables gives, per option of multiple-choice question qi,
// whether each respondent chose it; respondents who did not answer the
// question are not counted. The set is for the joint MMI test.
func optionVariables(c *corpus.Corpus, qi int) ([]variable, multiSet) {
	var vars []variable
	n := c.Respondents.Len()
	q := c.Questions[qi]
	qid := questionColumn(q)
	set := multiSet{id: qid, name: q.Header, items: q.Options, named: make([]bool, n*len(q.Options)), counted: make([]bool, n), why: newExclusions(n)}
	pos := make(map[string]int, len(q.Options)) // a scan per choice is quadratic in a wide one-hot question
	for i := len(q.Options) - 1; i >= 0; i-- {
		pos[q.Options[i]] = i
	}
	for r, resp := range c.Respondents.All() {
		a := resp.Answers[qi]
		if a.Missing != corpus.Answered {
			set.why.set(r, qid+" "+missingLabel(a.Missing))
			continue
		}
		set.counted[r] = true
		row := set.row(r)
		for _, o := range c.Options(a) {
			if i, ok := pos[o]; ok {
				row[i] = true
			}
		}
	}
	for i, o := range q.Options {
		v := variable{id: fmt.Sprintf("%s_%d", qid, i+1), name: qid + " " + o, labels: []string{"chosen", "not chosen"}, keys: []string{o, o}, value: make([]int32, n), why: set.why}
		for r := range n {
			switch row := set.row(r); {
			case row == nil:
				v.value[r] = -1
			case row[i]:
				v.value[r] = 0
			default:
				v.value[r] = 1
			}
		}
		vars = append(vars, v)
	}
	return vars, set
}

func indexOf(list []string, s string) int {
	for i, x := range list {
		if x == s {
			return i
		}
	}
	return -1
}

// crosstab counts row × col over respondents counted in both and analyses
// the table.
func crosstab(row, col variable, opt stats.Options) Crosstab {
	counts := make([][]float64, len(row.labels))
	for i := range counts {
		counts[i] = make([]float64, len(col.labels))
	}
	excluded := map[string]int{}
	nExcl := 0
	for r := range row.value {
		a, b := row.value[r], col.value[r]
		if a < 0 || b < 0 {
			nExcl++
			w := row.why.of(r)
			if a >= 0 {
				w = col.why.of(r)
			}
			excluded[w]++
			continue
		}
		counts[a][b]++
	}
	family := "question"
	switch {
	case strings.HasPrefix(row.id, "cluster"):
		family = "cluster"
	case strings.HasPrefix(row.id, "cat"):
		family = "category"
	case len(row.labels) == 2 && row.labels[0] == "chosen":
		family = "option"
	}
	keys := make([]string, len(row.labels))
	for i := range keys {
		keys[i] = row.key(i)
	}
	return Crosstab{
		RowKeys: keys,
		ID:      row.id + "_by_" + col.id, RowVar: row.name, ColVar: col.id, ColLabel: col.name, Family: family,
		Base: "respondents", Excluded: nExcl, Note: exclusionNote(excluded),
		Res: stats.Analyze(stats.Table{Rows: row.labels, Cols: col.labels, Counts: counts}, opt),
	}
}

// exclusionNote lists why respondents were left out, most common first.
func exclusionNote(m map[string]int) string {
	type kv struct {
		k string
		n int
	}
	var list []kv
	for k, n := range m {
		list = append(list, kv{k, n})
	}
	sort.Slice(list, func(i, j int) bool {
		if list[i].n != list[j].n {
			return list[i].n > list[j].n
		}
		return list[i].k < list[j].k
	})
	parts := make([]string, len(list))
	for i, e := range list {
		parts[i] = fmt.Sprintf("%d %s", e.n, e.k)
	}
	return strings.Join(parts, "; ")
}

func mmiTest(set multiSet, col variable, opt stats.Options) MMITest {
	n := len(set.counted)
	named := make([][]bool, 0, n)
	group := make([]int, 0, n)
	excl := 0
	for r := range n {
		row := set.row(r)
		if row == nil || col.value[r] < 0 {
			excl++
			continue
		}
		named = append(named, row)
		group = append(group, int(col.value[r]))
	}
	return MMITest{ID: set.id + "_by_" + col.id, Set: set.name, ColVar: col.id, Items: set.items,
		Res: stats.MMI(named, group, len(col.labels), opt), Excluded: excl}
}

func nan() float64 { return math.NaN() }

// cellsTable writes every cell of every cross-tab in long format.
func cellsTable(res *CrosstabResults) *table.Table {
	t := table.New("crosstab_cells", "Every cell of every cross-tab in long format. Percentages are 0–100. adj_resid is Haberman's adjusted standardized residual; sig95/sig99 flag |z| ≥ 1.96 / 2.58.")
	var id, rv, rval, rkey, cv, cval []string
	var count []int64
	var rowPct, colPct, totPct, exp, resid, wRowPct []float64
	var s95, s99 []bool
	for _, x := range res.Tables {
		for _, c := range x.Res.Cells {
			id, rv, rval, cv, cval = append(id, x.ID), append(rv, x.RowVar), append(rval, c.RowLabel), append(cv, x.ColVar), append(cval, c.ColLabel)
			rkey = append(rkey, x.RowKeys[c.Row])
			count = append(count, int64(math.Round(c.Count)))
			rowPct, colPct, totPct = append(rowPct, c.RowPct), append(colPct, c.ColPct), append(totPct, c.TotalPct)
			exp, resid = append(exp, c.Expected), append(resid, c.AdjResid)
			s95, s99 = append(s95, c.Sig95), append(s99, c.Sig99)
			wRowPct = append(wRowPct, weightedRowPct(x.Weighted, c.Row, c.Col))
		}
	}
	t.AddCategory("table", "cross-tab id: <row variable>_by_<attribute>", id)
	t.AddCategory("row_var", "row variable: a cluster of an open question, a codebook category or a multiple-choice option", rv)
	t.AddCategory("row_value", "row value", rval)
	t.AddCategory("row_key", "joins the row to its entity: the cluster number (clusters.cluster) for cluster rows, the category id (codes.category) for category rows, the option text for option rows, the value otherwise", rkey)
	t.AddCategory("col_var", "column variable: the attribute question id", cv)
	t.AddCategory("col_value", "attribute value; (跳过)/(空)/(未答) are missing kinds", cval)
	t.AddInt("count", "respondents in the cell", count)
	t.AddFloat("row_pct", "percent of the row total", rowPct)
	t.AddFloat("col_pct", "percent of the column total", colPct)
	t.AddFloat("total_pct", "percent of the table total", totPct)
	t.AddFloat("expected", "count expected under independence", exp)
	t.AddFloat("adj_resid", "adjusted standardized residual (Haberman 1973)", resid)
	t.AddBool("sig95", "|adj_resid| ≥ 1.96", s95)
	t.AddBool("sig99", "|adj_resid| ≥ 2.58", s99)
	t.AddFloat("weighted_row_pct", "weighted percent of the row total (weight column); null without weights", wRowPct)
	return t
}

// weightedRowPct looks up the weighted row percentage of original cell
// (row, col) in a Rao–Scott result, which indexes kept rows and columns.
func weightedRowPct(w *stats.WeightedResult, row, col int) float64 {
	if w == nil || w.Status != stats.StatusOK {
		return math.NaN()
	}
	a, b := indexOfInt(w.Rows, row), indexOfInt(w.Cols, col)
	if a < 0 || b < 0 {
		return math.NaN()
	}
	return w.RowPct[a][b]
}

func indexOfInt(list []int, x int) int {
	for i, v := range list {
		if v == x {
			return i
		}
	}
	return -1
}

// testsTable writes one row per cross-tab with its test statistics.
func testsTable(res *CrosstabResults) *table.Table {
	t := table.New("crosstab_tests", "One row per cross-tab: n, Pearson chi-square, likelihood-ratio G², degrees of freedom, p-values, Cramér's V (raw and bias-corrected, with a 95% CI), expected-count diagnostics, the test used and why, Holm / Benjamini–Hochberg adjusted p-values over all tests of the run, and, with a weight column, the first- and second-order Rao–Scott tests (as R's survey::svychisq).")
	n := len(res.Tables)
	ids, rv, cv, fam, base, note, status, detail, test, reason := make([]string, n), make([]string, n), make([]string, n), make([]string, n), make([]string, n), make([]string, n), make([]string, n), make([]string, n), make([]string, n), make([]string, n)
	nn, excl, df, mc := make([]int64, n), make([]int64, n), make([]int64, n), make([]int64, n)
	f := func() []float64 { return make([]float64, n) }
	chi2, pchi, g2, pg2, v, vc, vlo, vhi, sh5, minE, p, ph, pbh := f(), f(), f(), f(), f(), f(), f(), f(), f(), f(), f(), f(), f()
	wP, wX2, rsChi2, rsP, rsDeff, rsF, rsDF1, rsDF2, rsPF := f(), f(), f(), f(), f(), f(), f(), f(), f()
	rsStatus, wTest := make([]string, n), make([]string, n)
	for i, x := range res.Tables {
		r := x.Res
		ids[i], rv[i], cv[i], fam[i], base[i], note[i] = x.ID, x.RowVar, x.ColVar, x.Family, x.Base, x.Note
		status[i], detail[i], test[i], reason[i] = r.Status, r.StatusDetail, r.Test, r.TestReason
		nn[i], excl[i], df[i], mc[i] = int64(math.Round(r.N)), int64(x.Excluded), int64(r.DF), int64(r.MonteCarloB)
		chi2[i], pchi[i], g2[i], pg2[i] = r.Chi2, r.PChi2, r.G2, r.PG2
		v[i], vc[i], vlo[i], vhi[i] = r.CramersV, r.CramersVCorrected, r.VLow, r.VHigh
		sh5[i], minE[i], p[i], ph[i], pbh[i] = r.ShareExpectedBelow5, r.MinExpected, r.P, x.PHolm, x.PBH
		for _, col := range [][]float64{wP, wX2, rsChi2, rsP, rsDeff, rsF, rsDF1, rsDF2, rsPF} {
			col[i] = nan()
		}
		if w := x.Weighted; w != nil {
			rsStatus[i], wTest[i] = w.Status, res.WeightedTest
			if w.Status == stats.StatusOK {
				wX2[i], rsChi2[i], rsP[i], rsDeff[i] = w.Chi2, w.Chi2RS, w.PChi2RS, w.MeanDeff
				rsF[i], rsDF1[i], rsDF2[i], rsPF[i] = w.F, w.DF1, w.DF2, w.PF
				wP[i] = w.PF
				if res.WeightedTest == weightedTestChi2 {
					wP[i] = w.PChi2RS
				}
			}
		}
	}
	t.AddCategory("table", "cross-tab id", ids)
	t.AddCategory("row_var", "row variable", rv)
	t.AddCategory("col_var", "attribute question id", cv)
	t.AddCategory("family", "cluster, category or option", fam)
	t.AddCategory("base", "what is counted", base)
	t.AddInt("n", "respondents in the table", nn)
	t.AddInt("excluded", "respondents left out of the table (see excluded_note)", excl)
	t.AddString("excluded_note", "why respondents were left out, with counts", note)
	t.AddCategory("status", "ok, or why no test was possible: empty, single_observation, degenerate_1xK", status)
	t.AddString("status_detail", "explanation of the status", detail)
	t.AddFloat("chi2", "Pearson chi-square, no continuity correction", chi2)
	t.AddInt("df", "degrees of freedom (R−1)(C−1) after dropping empty rows and columns", df)
	t.AddFloat("p_chi2", "asymptotic p-value of chi2", pchi)
	t.AddFloat("g2", "likelihood-ratio statistic G²", g2)
	t.AddFloat("p_g2", "asymptotic p-value of G²", pg2)
	t.AddFloat("cramers_v", "Cramér's V", v)
	t.AddFloat("cramers_v_corrected", "bias-corrected Cramér's V (Bergsma 2013)", vc)
	t.AddFloat("v_ci_low", "lower bound of the 95% CI of V (noncentral chi-square inversion)", vlo)
	t.AddFloat("v_ci_high", "upper bound of the 95% CI of V", vhi)
	t.AddFloat("share_expected_below5", "share of cells with expected count < 5", sh5)
	t.AddFloat("min_expected", "smallest expected count", minE)
	t.AddCategory("test", "test behind p: pearson_chi2, fisher_exact or monte_carlo_chi2", test)
	t.AddString("test_reason", "why that test was used", reason)
	t.AddInt("monte_carlo_b", "random tables drawn by the Monte Carlo test; 0 otherwise", mc)
	t.AddFloat("p", "p-value of the test used", p)
	t.AddFloat("p_holm", "Holm-adjusted p over all cross-tab tests of the run", ph)
	t.AddFloat("p_bh", "Benjamini–Hochberg adjusted p over all cross-tab tests of the run", pbh)
	t.AddCategory("weighted_status", "status of the weighted (Rao–Scott) tests; empty without a weight column", rsStatus)
	t.AddCategory("weighted_test", "weighted test behind p_weighted: rao_scott_f (default) or rao_scott_chi2 (crosstab.weighted_test); empty without a weight column", wTest)
	t.AddFloat("p_weighted", "p-value of weighted_test", wP)
	t.AddFloat("chi2_weighted", "Pearson X² on the weighted cell shares scaled to n (the X-squared R's svychisq(statistic = \"Chisq\") prints)", wX2)
	t.AddFloat("chi2_rao_scott", "first-order Rao–Scott corrected chi-square chi2_weighted / mean_deff (Rao & Scott 1981, 1984)", rsChi2)
	t.AddFloat("p_rao_scott", "p-value of chi2_rao_scott on df degrees of freedom, as R's svychisq(statistic = \"Chisq\")", rsP)
	t.AddFloat("mean_deff", "mean generalised design effect δ̄ = tr(Δ)/df the first-order correction divides by", rsDeff)
	t.AddFloat("f_rao_scott", "second-order Rao–Scott F = chi2_weighted / tr(Δ)", rsF)
	t.AddFloat("df1_rao_scott", "numerator degrees of freedom of f_rao_scott, tr(Δ)²/tr(Δ²) (Satterthwaite)", rsDF1)
	t.AddFloat("df2_rao_scott", "denominator degrees of freedom of f_rao_scott, df1_rao_scott × (n − 1), n counting respondents with a positive weight", rsDF2)
	t.AddFloat("p_f_rao_scott", "p-value of f_rao_scott, as R's svychisq (statistic = \"F\", its default)", rsPF)
	return t
}

// mmiTable writes the joint multiple-response tests.
func mmiTable(res *CrosstabResults) *table.Table {
	t := table.New("mmi_tests", "Joint tests of multiple marginal independence (Bilder & Loughin 2004) between a multiple-response set (codebook categories named, or options chosen) and an attribute. Base: respondents, not mentions.")
	n := len(res.MMI)
	ids, set, cv, status, detail := make([]string, n), make([]string, n), make([]string, n), make([]string, n), make([]string, n)
	items := make([][]string, n)
	nn, excl := make([]int64, n), make([]int64, n)
	f := func() []float64 { return make([]float64, n) }
	x2s, pb, x2rs, dfrs, prs, pperm := f(), f(), f(), f(), f(), f()
	for i, m := range res.MMI {
		ids[i], set[i], cv[i], status[i], detail[i] = m.ID, m.Set, m.ColVar, m.Res.Status, m.Res.StatusDetail
		items[i] = m.Items
		nn[i], excl[i] = int64(m.Res.N), int64(m.Excluded)
		x2s[i], pb[i], x2rs[i], dfrs[i], prs[i], pperm[i] = m.Res.X2S, m.Res.PBonferroni, m.Res.X2RS2, m.Res.DFRS2, m.Res.PRS2, m.Res.PPerm
	}
	t.AddCategory("test", "test id: <set>_by_<attribute>", ids)
	t.AddString("set", "the multiple-response set", set)
	t.AddCategory("col_var", "attribute question id", cv)
	t.AddList("items", "the items of the set", items)
	t.AddInt("n", "respondents tested", nn)
	t.AddInt("excluded", "respondents left out (no answer to the set or missing attribute)", excl)
	t.AddCategory("status", "ok or why no test was possible", status)
	t.AddString("status_detail", "explanation of the status", detail)
	t.AddFloat("x2_s", "sum of the per-item Pearson statistics", x2s)
	t.AddFloat("p_bonferroni", "Bonferroni-adjusted minimum per-item p", pb)
	t.AddFloat("x2_rs2", "second-order Rao–Scott adjusted statistic", x2rs)
	t.AddFloat("df_rs2", "its (fractional) degrees of freedom", dfrs)
	t.AddFloat("p_rs2", "p-value of the second-order Rao–Scott test", prs)
	t.AddFloat("p_perm", "permutation p-value", pperm)
	return t
}
