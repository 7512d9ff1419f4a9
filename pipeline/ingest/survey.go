package ingest

import (
	"context"
	"errors"
	"fmt"
	"runtime"
	"slices"
	"strings"
	"unicode/utf8"
	"unsafe"

	"golang.org/x/sync/errgroup"

	"surveymine/pipeline/corpus"
)

// table is a survey file read into memory: its header and every row after
// it, accepted or not.
type table struct {
	file      string // name used in provenance and unit ids
	sheet     string
	headerRow int
	header    []string
	records   []record
}

// plan is one question of a file and the columns it is read from.
type plan struct {
	id      string
	header  string
	kind    corpus.QuestionKind
	cols    []int    // one column, or the one-hot columns of a folded question
	labels  []string // option label per one-hot column
	global  int      // index in Corpus.Questions
	columns []string // header text per column, for provenance

	vals interner             // the question's answer values
	opts map[string][2]uint32 // Multi: value and options codes per answer value, shared by equal answers
}

// row is an accepted survey row.
type row struct {
	rec    *record  // as read: provenance, and the raw bytes for a duplicate-id reject
	fields []string // raw cells
	norm   []string // normalised cells
}

// builder accumulates the corpus over all survey inputs.
type builder struct {
	cfg  *Config
	c    *corpus.Corpus
	keys map[string]int // respondent key → index in c.Respondents

	// qindex and options index c.Questions by id and each question's
	// options, so that wide files and many distinct values stay linear;
	// built on first use.
	qindex  map[string]int
	options []map[string]bool
	ctx     context.Context // addTable returns ctx.Err() soon after it is cancelled; nil = never

	keep    keeper   // the strings the corpus keeps (see keep.go)
	idBuf   []byte   // unitID's buffer
	scratch []string // options of the answer being read
	join    []byte   // their one-hot value
}

// addTable turns t into questions, respondents, units and rejects. The key
// path (e.g. "surveys[0]") prefixes configuration errors. Rows are counted
// into st.
func (b *builder) addTable(in SurveyInput, key string, t *table, st *corpus.InputStats) error {
	sep := in.Separator
	if sep == "" {
		sep = DefaultSeparator
	}
	headers := make([]headerInfo, len(t.header))
	for i, h := range t.header {
		headers[i] = parseHeader(Normalize(h))
	}
	hdrSrc := corpus.Source{File: t.file, Sheet: t.sheet, Row: t.headerRow}

	// Resolve configured columns.
	forced := make([]int, len(headers)) // 0 detect, else kind+1
	role := make([]string, len(headers))
	var errs []error
	resolve := func(k string, specs []string, f func(i int)) {
		for j, spec := range specs {
			if spec == "" {
				continue
			}
			idx, err := resolveColumns(spec, headers)
			if err != nil {
				kk := k
				if len(specs) > 1 || strings.HasSuffix(k, "s") {
					kk = fmt.Sprintf("%s[%d]", k, j)
				}
				errs = append(errs, fmt.Errorf("%s.%s: %w in %s", key, kk, err, hdrSrc))
				continue
			}
			for _, i := range idx {
				f(i)
			}
		}
	}
	idCol := -1
	resolve("id_column", []string{in.IDColumn}, func(i int) {
		if idCol < 0 {
			idCol = i
		}
	})
	resolve("weight_column", []string{in.WeightColumn}, func(i int) { role[i] = "weight" })
	resolve("truth_column", []string{in.TruthColumn}, func(i int) { role[i] = "truth" })
	resolve("codes_column", []string{in.CodesColumn}, func(i int) { role[i] = "codes" })
	resolve("text_columns", in.TextColumns, func(i int) { forced[i] = int(corpus.OpenText) + 1 })
	resolve("attribute_columns", in.AttributeColumns, func(i int) { forced[i] = int(corpus.Single) + 1 })
	resolve("multi_columns", in.MultiColumns, func(i int) { forced[i] = int(corpus.Multi) + 1 })
	if idCol >= 0 {
		role[idCol] = "id"
	}
	if err := errors.Join(errs...); err != nil {
		return err
	}

	// Split malformed rows off and normalise the good ones.
	rows := make([]row, 0, len(t.records))
	for i, r := range t.records {
		if err := stopped(b.ctx, i); err != nil {
			return err
		}
		st.Read++
		if r.Reason == "" {
			f := r.Fields
			for len(f) > len(headers) && strings.TrimSpace(f[len(f)-1]) == "" {
				f = f[:len(f)-1]
			}
			switch {
			case len(f) > len(headers):
				r.Reason, r.Detail = reasonRagged, fmt.Sprintf("%d fields, header has %d", len(r.Fields), len(headers))
			case len(f) < len(headers) && !(t.sheet != "" || !r.hasRaw()):
				r.Reason, r.Detail = reasonRagged, fmt.Sprintf("%d fields, header has %d", len(r.Fields), len(headers))
			}
			if r.Reason == "" {
				for len(f) < len(headers) { // XLSX and JSONL rows may end early
					f = append(f, "")
				}
				r.Fields = f
			}
		}
		if r.Reason != "" {
			st.Rejected++
			b.c.Rejects = append(b.c.Rejects, r.reject())
			continue
		}
		rows = append(rows, row{rec: &t.records[i], fields: r.Fields})
	}
	// Normalise the cells of the accepted rows on all cores: each row is
	// independent, so the result does not depend on the split.
	normalizeRows := func(lo, hi int) {
		for k := lo; k < hi; k++ {
			// A row whose cells are all normal shares its fields' slice
			// (the usual case: 200 MB less at a million rows).
			fields := rows[k].fields
			var n []string
			for i, f := range fields {
				v := Normalize(f)
				if n == nil {
					if v == f {
						continue
					}
					n = make([]string, len(fields))
					copy(n, fields[:i])
				}
				n[i] = v
			}
			if n == nil {
				n = fields
			}
			rows[k].norm = n
		}
	}
	var g errgroup.Group
	g.SetLimit(runtime.GOMAXPROCS(0))
	const chunk = 4096
	for lo := 0; lo < len(rows); lo += chunk {
		g.Go(func() error { normalizeRows(lo, min(lo+chunk, len(rows))); return nil })
	}
	g.Wait() // the workers return no errors
	if err := stopped(b.ctx, 0); err != nil {
		return err
	}

	// Plan the questions.
	column := func(i int) []string {
		vs := make([]string, len(rows))
		for k, r := range rows {
			vs[k] = r.norm[i]
		}
		return vs
	}
	// Columns of one question number with a sub-label, in order, and
	// whether each holds one-hot cells only (see oneHot): a group is
	// one-hot when all its columns are, so the check costs one pass over
	// each column however wide the question.
	labelled := map[string][]int{}
	pos := make([]int, len(headers)) // index of a labelled column in its list
	for i, h := range headers {
		if h.label != "" && role[i] == "" {
			pos[i] = len(labelled[h.qnum])
			labelled[h.qnum] = append(labelled[h.qnum], i)
		}
	}
	// hotFrom[q][k]: columns labelled[q][k:] are all one-hot.
	hotFrom := map[string][]bool{}
	suffixHot := func(q string, k int) bool {
		hf, ok := hotFrom[q]
		if !ok {
			l := labelled[q]
			hf = make([]bool, len(l)+1)
			hf[len(l)] = true
			for j := len(l) - 1; j >= 0; j-- {
				hf[j] = hf[j+1] && oneHot(l[j:j+1], headers, column)
			}
			hotFrom[q] = hf
		}
		return hf[k]
	}
	var plans []*plan
	used := make([]bool, len(headers))
	for i, h := range headers {
		if used[i] {
			continue
		}
		used[i] = true
		if h.personal && !in.KeepPersonal && role[i] == "" {
			continue
		}
		p := &plan{id: h.text, header: h.text, cols: []int{i}}
		if h.qnum != "" {
			p.id = "Q" + h.qnum
		}
		if h.text == "" {
			p.id = fmt.Sprintf("C%d", i+1) // unnamed column: its 1-based position
		}
		if h.meta || h.personal || role[i] != "" {
			p.kind = corpus.Meta
			plans = append(plans, p)
			continue
		}
		// One-hot group: later columns with the same number and a label.
		if h.label != "" && forced[i] != int(corpus.OpenText)+1 && forced[i] != int(corpus.Single)+1 {
			// The group is i and the later columns of its number, which
			// are all unvisited: a group, once formed, takes them all.
			l := labelled[h.qnum]
			hot := len(l)-pos[i] >= 2 && suffixHot(h.qnum, pos[i])
			if forced[i] == int(corpus.Multi)+1 || hot {
				group := l[pos[i]:]
				p.cols, p.kind = group, corpus.Multi
				p.header = "Q" + h.qnum
				for _, j := range group {
					used[j] = true
					p.labels = append(p.labels, headers[j].label)
				}
				plans = append(plans, p)
				continue
			}
			p.id = "Q" + h.qnum + "_" + h.label
		}
		if forced[i] > 0 {
			p.kind = corpus.QuestionKind(forced[i] - 1)
		} else {
			p.kind = detectKind(h.text, column(i), sep)
		}
		plans = append(plans, p)
	}
	// Make ids unique within the file, saying so: a renamed duplicate
	// header is easy to miss in the outputs.
	seen := map[string]int{}
	firstCol := map[string]int{}
	for _, p := range plans {
		seen[p.id]++
		if n := seen[p.id]; n > 1 {
			renamed := fmt.Sprintf("%s#%d", p.id, n)
			b.c.Warnings = append(b.c.Warnings, fmt.Sprintf("%s: column %d %q has the same question id %q as column %d; it is read as %q",
				hdrSrc, p.cols[0]+1, headers[p.cols[0]].text, p.id, firstCol[p.id]+1, renamed))
			p.id = renamed
		} else {
			firstCol[p.id] = p.cols[0]
		}
		for _, c := range p.cols {
			p.columns = append(p.columns, headers[c].text)
		}
		p.global = b.question(p)
	}

	// Respondents, answers and units. The answers of the file share one
	// array (each respondent's slice is capped, so that padAnswers copies
	// instead of overwriting a neighbour), and the units are counted
	// first, so that neither grows by doubling.
	for _, p := range plans {
		if p.kind == corpus.OpenText {
			p.vals.maxLen = internOpenMax
		}
	}
	nq := len(b.c.Questions)
	answers := b.c.Respondents.NewAnswers(len(rows) * nq)
	for k := range answers {
		answers[k].Missing = corpus.Unanswered
	}
	b.c.Respondents.Grow(len(rows))
	b.c.Units.Grow(countUnits(plans, rows))
	var idPlan *plan
	for _, p := range plans {
		if p.cols[0] == idCol {
			idPlan = p
		}
	}
	for i := range rows {
		if err := stopped(b.ctx, i); err != nil {
			return err
		}
		// Take the row out of the table as it is used, so that the
		// collector frees the parsed cells while the corpus grows
		// (the ingest peak 280 MB lower at a million rows).
		r, rec := rows[i], *rows[i].rec
		rows[i], *rows[i].rec = row{}, record{}
		src := rec.Src.Source()
		resp := corpus.Respondent{Src: rec.Src}
		if idCol >= 0 {
			if idPlan != nil {
				// The same kept string as the id column's answer.
				resp.ID = b.c.Pool.Value(idPlan.vals.code(&b.c.Pool, r.norm[idCol]))
			} else {
				resp.ID = b.keep.copy(r.norm[idCol])
			}
		}
		if resp.ID != "" {
			if prev, dup := b.keys[resp.ID]; dup {
				msg := fmt.Sprintf("respondent id %q also at %s", resp.ID, b.c.Respondents.Src(prev))
				if b.cfg.DuplicateIDs != "warn" {
					st.Rejected++
					b.c.Rejects = append(b.c.Rejects, corpus.Reject{Src: src, Reason: reasonDuplicateID, Detail: msg, Raw: rec.raw()})
					continue
				}
				b.c.Warnings = append(b.c.Warnings, fmt.Sprintf("%s: duplicate %s", src, msg))
			} else {
				resp.Key = resp.ID
			}
		}
		if resp.Key == "" {
			resp.Key = b.keep.unitID(src, "", "", 0)
		}
		ri := b.c.Respondents.Len()
		resp.Answers, answers = answers[:nq:nq], answers[nq:]
		for _, p := range plans {
			resp.Answers[p.global] = b.answer(p, ri, src, r.fields, r.norm, sep)
		}
		if _, dup := b.keys[resp.Key]; !dup {
			b.keys[resp.Key] = ri
		}
		if resp.ID != "" {
			if _, dup := b.keys[resp.ID]; !dup {
				b.keys[resp.ID] = ri
			}
		}
		b.c.Respondents.Append(resp)
		st.Accepted++
	}
	return nil
}

// internOpenMax is the longest open answer that is interned: the answers
// that repeat are short (无, 同上, 不清楚).
const internOpenMax = 48

// countUnits returns an upper bound of the units that plans yield for
// rows (see answer).
func countUnits(plans []*plan, rows []row) int {
	n := 0
	for _, r := range rows {
		cells := r.norm
		for _, p := range plans {
			switch {
			case p.kind == corpus.OpenText:
				n++
			case p.kind == corpus.Single && strings.Contains(cells[p.cols[0]], "〖"):
				n++
			case p.kind == corpus.Multi && len(p.labels) == 0:
				n += strings.Count(cells[p.cols[0]], "〖")
			case p.kind == corpus.Multi:
				for _, c := range p.cols {
					if v := cells[c]; v != "0" && v != "1" && missing(v) == corpus.Answered {
						n++
					}
				}
			}
		}
	}
	return n
}

// question returns the global index of p's question, adding it when new.
func (b *builder) question(p *plan) int {
	if b.qindex == nil {
		b.qindex = make(map[string]int, len(b.c.Questions))
		for i, q := range b.c.Questions {
			if _, dup := b.qindex[q.ID]; !dup {
				b.qindex[q.ID] = i
			}
		}
	}
	if i, ok := b.qindex[p.id]; ok {
		return i
	}
	b.qindex[p.id] = len(b.c.Questions)
	b.c.Questions = append(b.c.Questions, corpus.Question{ID: p.id, Header: p.header, Kind: p.kind})
	if p.kind == corpus.Multi {
		for _, l := range p.labels {
			b.addOption(len(b.c.Questions)-1, otherOption(l))
		}
	}
	return len(b.c.Questions) - 1
}

func (b *builder) addOption(q int, opt string) {
	if opt == "" {
		return
	}
	for len(b.options) < len(b.c.Questions) {
		b.options = append(b.options, nil)
	}
	seen := b.options[q]
	if seen == nil {
		seen = make(map[string]bool, len(b.c.Questions[q].Options)+1)
		for _, o := range b.c.Questions[q].Options {
			seen[o] = true
		}
		b.options[q] = seen
	}
	if seen[opt] {
		return
	}
	seen[opt] = true
	b.c.Questions[q].Options = append(b.c.Questions[q].Options, opt)
}

// missing classifies a normalised cell.
func missing(s string) corpus.Missing {
	switch s {
	case "":
		return corpus.Unanswered
	case "(跳过)", "（跳过）":
		return corpus.Skipped
	case "(空)", "（空）":
		return corpus.LeftEmpty
	}
	return corpus.Answered
}

// splitOther splits "其他〖free text〗" into the option "其他" and the free
// text; ok is false when the cell has no 〖…〗.
func splitOther(s string) (option, text string, ok bool) {
	i := strings.Index(s, "〖")
	if i < 0 {
		return s, "", false
	}
	j := strings.LastIndex(s, "〗")
	if j < i {
		j = len(s)
	}
	return strings.TrimSpace(s[:i]), strings.TrimSpace(s[i+len("〖") : j]), true
}

// otherOption drops a "〖…〗" part from an option label.
func otherOption(s string) string {
	o, _, _ := splitOther(s)
	return o
}

// answer reads p's cells of one row, adding units for open text and
// 其他〖…〗 free text. The strings it keeps come from b.keep, equal
// answers to one question sharing theirs.
func (b *builder) answer(p *plan, ri int, src corpus.Source, raw, norm []string, sep string) corpus.Answer {
	c := p.cols[0]
	usrc := src
	usrc.Column = p.columns[0]
	if p.kind == corpus.Multi && len(p.labels) > 0 {
		return b.oneHotAnswer(p, ri, src, raw, norm)
	}
	code := p.vals.code(&b.c.Pool, norm[c])
	v := b.c.Pool.Value(code)
	m := missing(v)
	switch p.kind {
	case corpus.Meta, corpus.Single:
		if m == corpus.Answered && p.kind == corpus.Single {
			if opt, text, ok := splitOther(v); ok {
				code = p.vals.code(&b.c.Pool, opt)
				b.otherUnit(b.unitID(src, p.id, ":other", 0), ri, p.id, usrc, raw[c], text)
			}
			b.addOption(p.global, b.c.Pool.Value(code))
		}
		return corpus.MakeAnswer(m, code, 0)
	case corpus.OpenText:
		u := corpus.Unit{ID: b.unitID(src, p.id, "", 0), Kind: corpus.OpenAnswer, Respondent: ri, Question: p.id, Src: usrc,
			Raw: raw[c], Text: v, Missing: m}
		if m != corpus.Answered {
			u.Text = ""
		}
		b.c.Units.Append(u)
		return corpus.MakeAnswer(m, code, 0)
	}
	// Multi, options joined by sep.
	if m != corpus.Answered {
		return corpus.MakeAnswer(m, code, 0)
	}
	if codes, ok := p.opts[v]; ok {
		// The same answer as an earlier row, which added the options
		// and had no 其他 text (see below).
		return corpus.MakeAnswer(m, codes[0], codes[1])
	}
	others := 0
	b.scratch = b.scratch[:0]
	for part := range strings.SplitSeq(v, sep) {
		part = strings.TrimSpace(part)
		if part == "" {
			continue
		}
		opt, text, ok := splitOther(part)
		if ok {
			others++
			b.otherUnit(b.unitID(src, p.id, ":other", others), ri, p.id, usrc, raw[c], text)
		}
		if opt == "" {
			continue
		}
		b.scratch = append(b.scratch, opt)
		b.addOption(p.global, opt)
	}
	var opts uint32
	if len(b.scratch) > 0 {
		opts = b.c.Pool.AddOptions(slices.Clone(b.scratch))
	}
	if others == 0 && len(p.opts) < internMax {
		if p.opts == nil {
			p.opts = map[string][2]uint32{}
		}
		p.opts[v] = [2]uint32{code, opts}
	}
	return corpus.MakeAnswer(m, code, opts)
}

// oneHotAnswer folds the 0/1 columns of p into one answer. All cells
// (跳过) → Skipped, all blank → Unanswered, any (空) or all 0 → LeftEmpty.
// A non-0/1 text in an option column (其他 with its free text) chooses the
// option and becomes an OtherText unit.
func (b *builder) oneHotAnswer(p *plan, ri int, src corpus.Source, raw, norm []string) corpus.Answer {
	var counts [corpus.Unanswered + 1]int
	zeros := 0
	b.scratch = b.scratch[:0]
	for k, c := range p.cols {
		v := norm[c]
		m := missing(v)
		if m != corpus.Answered {
			counts[m]++
			continue
		}
		if v == "0" {
			zeros++
			continue
		}
		opt := otherOption(p.labels[k])
		b.scratch = append(b.scratch, opt)
		if v != "1" {
			text := v
			if _, t, ok := splitOther(v); ok {
				text = t
			}
			usrc := src
			usrc.Column = p.columns[k]
			b.otherUnit(b.unitID(src, p.id, ":other", 0), ri, p.id, usrc, raw[c], text)
		}
	}
	switch {
	case len(b.scratch) > 0:
		b.join = b.join[:0]
		for i, o := range b.scratch {
			if i > 0 {
				b.join = append(b.join, DefaultSeparator...)
			}
			b.join = append(b.join, o...)
		}
		code := p.vals.code(&b.c.Pool, string(b.join))
		codes, ok := p.opts[string(b.join)]
		if !ok || codes[1] == 0 || !slices.Equal(b.c.Pool.Options(codes[1]), b.scratch) {
			codes = [2]uint32{code, b.c.Pool.AddOptions(slices.Clone(b.scratch))}
			if !ok && len(p.opts) < internMax {
				if p.opts == nil {
					p.opts = map[string][2]uint32{}
				}
				p.opts[string(b.join)] = codes
			}
		}
		return corpus.MakeAnswer(corpus.Answered, code, codes[1])
	case counts[corpus.Skipped] == len(p.cols):
		return corpus.MakeAnswer(corpus.Skipped, 0, 0)
	case counts[corpus.Unanswered] == len(p.cols):
		return corpus.MakeAnswer(corpus.Unanswered, 0, 0)
	}
	return corpus.MakeAnswer(corpus.LeftEmpty, 0, 0)
}

// unitID returns the id of a survey unit (see keeper.unitID) in a
// buffer that the next call reuses: units copy their strings into the
// corpus's store as they are appended.
func (b *builder) unitID(src corpus.Source, q, suffix string, n int) string {
	b.idBuf = appendUnitID(b.idBuf[:0], src, q, suffix, n)
	return unsafe.String(unsafe.SliceData(b.idBuf), len(b.idBuf))
}

func (b *builder) otherUnit(id string, ri int, q string, src corpus.Source, raw, text string) {
	b.c.Units.Append(corpus.Unit{ID: id, Kind: corpus.OtherText, Respondent: ri, Question: q,
		Src: src, Raw: raw, Text: text, Missing: missingText(text)})
}

func missingText(s string) corpus.Missing {
	if s == "" {
		return corpus.LeftEmpty
	}
	return corpus.Answered
}

// oneHot reports whether every cell of the group's columns is 0, 1, blank,
// (跳过) or (空); columns whose label starts with 其他 may also hold text.
func oneHot(group []int, headers []headerInfo, column func(int) []string) bool {
	for _, c := range group {
		other := strings.HasPrefix(headers[c].label, "其他") || strings.HasPrefix(headers[c].label, "其它")
		for _, v := range column(c) {
			if v == "0" || v == "1" || missing(v) != corpus.Answered || other {
				continue
			}
			return false
		}
	}
	return true
}

var (
	multiHints = []string{"多选", "[多选题]", "可多选"}
	textHints  = []string{"请结合", "谈谈", "请简述", "请简要", "请说明", "请描述", "请列举", "填空", "简答", "意见和建议", "您的建议", "请写出"}
)

// detectKind guesses the kind of an unconfigured question column from its
// header and its normalised cells: Multi when the header says 多选 or a cell
// holds the separator; OpenText when the header asks for free text and
// answers average at least 4 runes, or when at least 80% of the answers
// are distinct and they average at least 10 runes; Single otherwise.
func detectKind(header string, vals []string, sep string) corpus.QuestionKind {
	for _, h := range multiHints {
		if strings.Contains(header, h) {
			return corpus.Multi
		}
	}
	n, runes := 0, 0
	distinct := map[string]bool{}
	for _, v := range vals {
		if missing(v) != corpus.Answered {
			continue
		}
		if strings.Contains(v, sep) {
			return corpus.Multi
		}
		n++
		runes += utf8.RuneCountInString(v)
		distinct[v] = true
	}
	hint := false
	for _, h := range textHints {
		if strings.Contains(header, h) {
			hint = true
		}
	}
	if n == 0 {
		if hint {
			return corpus.OpenText
		}
		return corpus.Single
	}
	mean := float64(runes) / float64(n)
	if (hint && mean >= 4) || (float64(len(distinct)) >= 0.8*float64(n) && mean >= 10) {
		return corpus.OpenText
	}
	return corpus.Single
}

// padAnswers extends every respondent's answers to len(c.Questions); the
// added answers are Unanswered (the question was not in that file). The
// extended answers share one new array, each respondent's slice capped.
func padAnswers(c *corpus.Corpus) {
	nq := len(c.Questions)
	short := 0
	for _, r := range c.Respondents.All() {
		if len(r.Answers) < nq {
			short++
		}
	}
	if short == 0 {
		return
	}
	all := c.Respondents.NewAnswers(short * nq)
	for i := range c.Respondents.Len() {
		old := c.Respondents.Answers(i)
		if len(old) == nq {
			continue
		}
		a := all[:nq:nq]
		all = all[nq:]
		for k := copy(a, old); k < nq; k++ {
			a[k].Missing = corpus.Unanswered
		}
		c.Respondents.SetAnswers(i, a)
	}
}
