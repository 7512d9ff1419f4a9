package pipeline

import (
	"context"
	"fmt"
	"sort"
	"strconv"
	"strings"

	"golang.org/x/sync/errgroup"

	"surveymine/analysis/codebook"
	"surveymine/analysis/segment"
	"surveymine/pipeline/corpus"
	"surveymine/pipeline/table"
)

// OtherCategory is the category id of units with content that no rule
// codes (其他).
const OtherCategory = 0

// Coding is the result of the code stage.
type Coding struct {
	Book *codebook.Codebook
	// Source says which codebook file or built-in codebook Book is.
	Source *CodebookSource
	// Hits are per corpus unit, coded as a whole; SentenceHits the hits
	// with every sentence coded on its own. Both are nil after a run has
	// written the codes table early (see codeStage.writingTo).
	Hits         [][]codebook.Hit
	SentenceHits [][]codebook.Hit
	// UnitCats holds per corpus unit the distinct category ids it was
	// coded with, ascending; [OtherCategory] for a unit with content terms
	// that no rule codes; nil for a missing answer or a unit without
	// content terms.
	UnitCats [][]int
}

// CategoryIDs returns every category id including OtherCategory, ascending.
func (c *Coding) CategoryIDs() []int {
	ids := []int{OtherCategory}
	for _, cat := range c.Book.Categories {
		if cat.ID != OtherCategory {
			ids = append(ids, cat.ID)
		}
	}
	sort.Ints(ids)
	return ids
}

// CategoryName returns the name of a category id ("其他" for OtherCategory
// when the codebook declares none).
func (c *Coding) CategoryName(id int) string {
	if cat := c.Book.Category(id); cat != nil {
		return cat.Name
	}
	if id == OtherCategory {
		return "其他"
	}
	return strconv.Itoa(id)
}

// dominant returns the category coded most often among the answers of
// cluster cl (1-based), and the share of the cluster's answers it codes.
func (c *Coding) dominant(res *Clustering, cl int) (string, float64) {
	counts := map[int]int{}
	size := 0
	for ui, k := range res.Cluster {
		if k != cl {
			continue
		}
		size++
		for _, cat := range c.UnitCats[ui] {
			counts[cat]++
		}
	}
	best, bestN := -1, 0
	for cat, n := range counts {
		if n > bestN || (n == bestN && cat < best) {
			best, bestN = cat, n
		}
	}
	if best < 0 || size == 0 {
		return "", nan()
	}
	return c.CategoryName(best), float64(bestN) / float64(size)
}

// codeStage codes every text unit with the codebook.
type codeStage struct {
	cfg  *Config
	env  Env
	book *codebook.Codebook // nil: no codebook configured
	src  *CodebookSource    // where book came from
	out  *outputs           // when set, the codes table is written here at once
}

// writingTo makes the stage write the codes table into out as soon as it
// is built and drop the hits behind it (they are the stage's largest
// result and no later stage needs them). A nil out keeps the hits.
func (s *codeStage) writingTo(out *outputs) *codeStage {
	s.out = out
	return s
}

// LoadCodebook reads and parses the codebook the config names: a file, or
// a codebook built into the binary (builtin:NAME). It returns nil, nil when
// none is configured; errors are *ConfigError.
func LoadCodebook(cfg *Config) (*codebook.Codebook, error) {
	cb, _, err := loadCodebook(cfg)
	return cb, err
}

func newCode(cfg *Config, env Env, book *codebook.Codebook, src *CodebookSource) *codeStage {
	return &codeStage{cfg: cfg, env: env, book: book, src: src}
}

func (s *codeStage) Name() string { return "code" }

func (s *codeStage) Run(ctx context.Context, in *Dataset) (*Dataset, error) {
	if s.book == nil {
		return in.clone(), nil
	}
	units := &in.Corpus.Units
	cod := &Coding{Book: s.book, Source: s.src, Hits: make([][]codebook.Hit, units.Len()),
		SentenceHits: make([][]codebook.Hit, units.Len()), UnitCats: make([][]int, units.Len())}
	// Survey answers repeat a lot (同上, stock phrases): code each distinct
	// text once (the segment stage grouped them). Tokens are a function of
	// the text, so the hits are too.
	distinct := in.Texts.First
	s.env.Progress.Total(len(distinct))
	const chunk = 512
	g, gctx := errgroup.WithContext(ctx)
	g.SetLimit(s.cfg.workers())
	for lo := 0; lo < len(distinct); lo += chunk {
		hi := min(lo+chunk, len(distinct))
		g.Go(func() error {
			if err := gctx.Err(); err != nil {
				return err
			}
			var toks []segment.Token // unpacked tokens of the text at hand
			for k, i := range distinct[lo:hi] {
				if k%64 == 63 {
					if err := gctx.Err(); err != nil {
						return err
					}
				}
				if rp := s.env.Replay; rp != nil {
					var ok bool
					if cod.Hits[i], cod.SentenceHits[i], ok = rp.Hits(units.Text(i)); !ok {
						return fmt.Errorf("unit %s: codebook hits %w", units.ID(i), ErrNotRecorded)
					}
				} else {
					toks = in.Tokens(i, toks)
					h := s.book.CodeLevels(segment.Fold(units.Text(i)), toks, codebook.LevelUnit, codebook.LevelSentence)
					cod.Hits[i], cod.SentenceHits[i] = h[0], h[1]
				}
				cod.UnitCats[i] = unitCategories(units.At(i), cod.Hits[i], in.hasTerms(i))
			}
			s.env.Progress.Add(hi - lo)
			return nil
		})
	}
	if err := g.Wait(); err != nil {
		return nil, err
	}
	// The first unit of each distinct text has its categories (above);
	// the others share its hits, and its categories when both are
	// answered.
	for i, u := range units.All() {
		j := distinct[in.Texts.Of[i]]
		if j == i {
			continue
		}
		cod.Hits[i], cod.SentenceHits[i] = cod.Hits[j], cod.SentenceHits[j]
		if u.Missing == corpus.Answered && units.Missing(j) == corpus.Answered {
			cod.UnitCats[i] = cod.UnitCats[j]
			continue
		}
		cod.UnitCats[i] = unitCategories(u, cod.Hits[i], in.hasTerms(i))
	}
	out := in.clone()
	out.Coding = cod
	out.Facts["code_distinct_texts"] = len(distinct)
	codes := codesTable(in.Corpus, cod)
	out.Tables = append(out.Tables, codes, respondentCodesTable(in.Corpus, cod))
	if t := agreementTable(in.Corpus, s.cfg, cod); t != nil {
		out.Tables = append(out.Tables, t)
	}
	written, err := s.out.writeEarly(ctx, codes)
	if err != nil {
		return nil, err
	}
	if written {
		cod.Hits, cod.SentenceHits = nil, nil
	}
	return out, nil
}

// unitCategories returns the distinct categories of a unit's hits, or
// [OtherCategory] when it has content terms (hasTerms, called only then)
// but no hit.
func unitCategories(u corpus.Unit, hits []codebook.Hit, hasTerms func() bool) []int {
	if u.Missing != corpus.Answered {
		return nil
	}
	var cats []int
	for _, h := range hits {
		if !containsInt(cats, h.Category) {
			cats = append(cats, h.Category)
		}
	}
	if len(cats) == 0 {
		if !hasTerms() {
			return nil
		}
		return []int{OtherCategory}
	}
	sort.Ints(cats)
	return cats
}

func containsInt(list []int, x int) bool {
	for _, v := range list {
		if v == x {
			return true
		}
	}
	return false
}

// hasTerms returns a function reporting whether corpus unit u has an
// analysis term (a token with a Term), reading its packed tokens without
// unpacking them.
func (d *Dataset) hasTerms(u int) func() bool {
	return func() bool {
		found := false
		d.Cuts.Each(int(d.Texts.Of[u]), func(_, term string, _ segment.Tag) {
			found = found || term != ""
		})
		return found
	}
}

// codesTable has one row per codebook hit: unit, category, the rule, the
// matched terms and their character spans.
func codesTable(c *corpus.Corpus, cod *Coding) *table.Table {
	t := table.New("codes", "One row per codebook hit at two levels: level unit codes the whole answer or paragraph (rules see across sentences as their within: allows), level sentence codes each sentence on its own. Each hit names the unit, the category, the rule that matched, the sentence and clause of its first match, and the matched terms with their character spans (rune offsets into the unit's text, end exclusive).")
	// The table is a view of the hits: one (unit, hit) reference per row,
	// every cell produced while writing.
	type ref struct {
		unit int32
		hit  int32 // index into Hits[unit], or -1-index into SentenceHits[unit]
	}
	n := 0
	for ui := range c.Units.Len() {
		n += len(cod.Hits[ui]) + len(cod.SentenceHits[ui])
	}
	rows := make([]ref, 0, n)
	for ui := range c.Units.Len() {
		for k := range cod.Hits[ui] {
			rows = append(rows, ref{int32(ui), int32(k)})
		}
		for k := range cod.SentenceHits[ui] {
			rows = append(rows, ref{int32(ui), int32(-1 - k)})
		}
	}
	hit := func(i int) *codebook.Hit {
		r := rows[i]
		if r.hit >= 0 {
			return &cod.Hits[r.unit][r.hit]
		}
		return &cod.SentenceHits[r.unit][-1-r.hit]
	}
	unitStr := func(f func(u *corpus.Unit) string) func(int) table.Cell {
		return func(i int) table.Cell { u := c.Units.At(int(rows[i].unit)); return table.Cell{Str: f(&u)} }
	}
	hitInt := func(f func(h *codebook.Hit) int) func(int) table.Cell {
		return func(i int) table.Cell { return table.Cell{Int: int64(f(hit(i)))} }
	}
	t.AddFunc("level", "unit (the whole answer or paragraph) or sentence (each sentence coded on its own)", table.Category, n, func(i int) table.Cell {
		if rows[i].hit >= 0 {
			return table.Cell{Str: "unit"}
		}
		return table.Cell{Str: "sentence"}
	})
	t.AddFunc("unit_id", "text unit id (joins documents.unit_id)", table.String, n, unitStr(func(u *corpus.Unit) string { return u.ID }))
	t.AddFunc("respondent", "respondent key (joins respondents.respondent); empty for report units", table.String, n, unitStr(func(u *corpus.Unit) string { return respondentKey(c, *u) }))
	t.AddFunc("kind", "unit kind: answer, other_text, paragraph, sentence, point", table.Category, n, unitStr(func(u *corpus.Unit) string { return u.Kind.String() }))
	t.AddFunc("category", "codebook category id", table.Int, n, hitInt(func(h *codebook.Hit) int { return h.Category }))
	t.AddFunc("category_name", "codebook category name", table.Category, n, func(i int) table.Cell {
		return table.Cell{Str: cod.CategoryName(hit(i).Category)}
	})
	t.AddFunc("rule", "1-based index of the matching rule within the category", table.Int, n, hitInt(func(h *codebook.Hit) int { return h.Rule + 1 }))
	t.AddFunc("sentence", "1-based sentence of the unit the hit is in", table.Int, n, hitInt(func(h *codebook.Hit) int { return h.Sentence + 1 }))
	t.AddFunc("clause", "1-based clause of the unit the hit is in", table.Int, n, hitInt(func(h *codebook.Hit) int { return h.Clause + 1 }))
	t.AddListFunc("terms", "the matched terms or phrases", n, func(i int) []string { return hit(i).Terms })
	t.AddListFunc("spans", "character spans start-end of the matched terms, in the same order", n, func(i int) []string {
		h := hit(i)
		sp := make([]string, len(h.Spans))
		for k, s := range h.Spans {
			sp[k] = strconv.Itoa(s[0]) + "-" + strconv.Itoa(s[1])
		}
		return sp
	})
	return t
}

func respondentKey(c *corpus.Corpus, u corpus.Unit) string {
	if u.Respondent < 0 {
		return ""
	}
	return c.Respondents.Key(u.Respondent)
}

// respondentCodesTable has one row per respondent and category they named
// in any open answer: the respondent-level coding.
func respondentCodesTable(c *corpus.Corpus, cod *Coding) *table.Table {
	t := table.New("respondent_codes", "Respondent-level coding: one row per respondent and codebook category named in any of their open answers (category 0 其他: an answer with content that no rule codes). Respondents without an answer with content have no rows.")
	type key struct{ r, cat int32 }
	units := map[key]int{}
	for ui, u := range c.Units.All() {
		if u.Kind != corpus.OpenAnswer || u.Respondent < 0 {
			continue
		}
		for _, cat := range cod.UnitCats[ui] {
			units[key{int32(u.Respondent), int32(cat)}]++
		}
	}
	keys := make([]key, 0, len(units))
	for k := range units {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool {
		if keys[i].r != keys[j].r {
			return keys[i].r < keys[j].r
		}
		return keys[i].cat < keys[j].cat
	})
	n := len(keys)
	cnt := make([]int32, n)
	for i, k := range keys {
		cnt[i] = int32(units[k])
	}
	t.AddFunc("respondent", "respondent key", table.String, n, func(i int) table.Cell {
		return table.Cell{Str: c.Respondents.Key(int(keys[i].r))}
	})
	t.AddFunc("category", "codebook category id", table.Int, n, func(i int) table.Cell {
		return table.Cell{Int: int64(keys[i].cat)}
	})
	t.AddFunc("category_name", "codebook category name", table.Category, n, func(i int) table.Cell {
		return table.Cell{Str: cod.CategoryName(int(keys[i].cat))}
	})
	t.AddFunc("units", "open answers of the respondent coded with the category", table.Int, n, func(i int) table.Cell {
		return table.Cell{Int: int64(cnt[i])}
	})
	return t
}

// agreementTable compares respondent-level codes with human codes (the
// codes column) and with the ground-truth column, per category.
func agreementTable(c *corpus.Corpus, cfg *Config, cod *Coding) *table.Table {
	type source struct{ name, column string }
	var sources []source
	for _, s := range cfg.Inputs.Surveys {
		if s.CodesColumn != "" {
			sources = append(sources, source{"codes_column", s.CodesColumn})
		}
		if s.TruthColumn != "" {
			sources = append(sources, source{"truth_column", s.TruthColumn})
		}
	}
	if len(sources) == 0 {
		return nil
	}
	cats := cod.CategoryIDs()
	var src, name []string
	var cat, tp, fp, fn, tn []int64
	var prec, rec, f1, kappa []float64
	for _, so := range sources {
		qi := findQuestion(c, so.column)
		if qi < 0 {
			continue
		}
		var pred, gold [][]int
		for ui, u := range c.Units.All() {
			if u.Kind != corpus.OpenAnswer || u.Respondent < 0 || cod.UnitCats[ui] == nil {
				continue
			}
			a := c.Respondents.Answers(u.Respondent)[qi]
			if a.Missing != corpus.Answered {
				continue
			}
			g := parseCodes(c.Value(a))
			if g == nil {
				continue
			}
			pred = append(pred, cod.UnitCats[ui])
			gold = append(gold, g)
		}
		if len(pred) == 0 {
			continue
		}
		for _, ag := range codebook.Agree(pred, gold, cats) {
			src, name = append(src, so.name), append(name, cod.CategoryName(ag.Category))
			cat = append(cat, int64(ag.Category))
			tp, fp, fn, tn = append(tp, int64(ag.TP)), append(fp, int64(ag.FP)), append(fn, int64(ag.FN)), append(tn, int64(ag.TN))
			prec, rec, f1, kappa = append(prec, ag.Precision), append(rec, ag.Recall), append(f1, ag.F1), append(kappa, ag.Kappa)
		}
	}
	if len(src) == 0 {
		return nil
	}
	t := table.New("codebook_agreement", "Per-category agreement of the codebook's answer-level codes with human codes (codes_column) or the ground truth (truth_column): presence vs absence over the answers that have both.")
	t.AddCategory("source", "codes_column or truth_column", src)
	t.AddInt("category", "codebook category id", cat)
	t.AddCategory("category_name", "codebook category name", name)
	t.AddInt("tp", "coded and in the reference", tp)
	t.AddInt("fp", "coded, not in the reference", fp)
	t.AddInt("fn", "in the reference, not coded", fn)
	t.AddInt("tn", "neither", tn)
	t.AddFloat("precision", "tp / (tp + fp)", prec)
	t.AddFloat("recall", "tp / (tp + fn)", rec)
	t.AddFloat("f1", "harmonic mean of precision and recall", f1)
	t.AddFloat("kappa", "Cohen's kappa of presence vs absence", kappa)
	return t
}

// parseCodes reads a cell of category ids separated by ┋ , ; or spaces.
func parseCodes(s string) []int {
	f := strings.FieldsFunc(s, func(r rune) bool {
		return r == '┋' || r == ',' || r == ';' || r == ' ' || r == '，' || r == '；' || r == '|'
	})
	var out []int
	for _, x := range f {
		if n, err := strconv.Atoi(strings.TrimSpace(x)); err == nil {
			out = append(out, n)
		}
	}
	return out
}
