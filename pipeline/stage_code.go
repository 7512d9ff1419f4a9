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
	Hits   [][]codebook.Hit // per corpus unit, coded as a whole
	// SentenceHits are the hits with every sentence coded on its own.
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
	units := in.Corpus.Units
	cod := &Coding{Book: s.book, Source: s.src, Hits: make([][]codebook.Hit, len(units)),
		SentenceHits: make([][]codebook.Hit, len(units)), UnitCats: make([][]int, len(units))}
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
			for k, i := range distinct[lo:hi] {
				if k%64 == 63 {
					if err := gctx.Err(); err != nil {
						return err
					}
				}
				if rp := s.env.Replay; rp != nil {
					var ok bool
					if cod.Hits[i], cod.SentenceHits[i], ok = rp.Hits(units[i].Text); !ok {
						return fmt.Errorf("unit %s: codebook hits %w", units[i].ID, ErrNotRecorded)
					}
					continue
				}
				h := s.book.CodeLevels(segment.Fold(units[i].Text), in.Tokens[i], codebook.LevelUnit, codebook.LevelSentence)
				cod.Hits[i], cod.SentenceHits[i] = h[0], h[1]
			}
			s.env.Progress.Add(hi - lo)
			return nil
		})
	}
	if err := g.Wait(); err != nil {
		return nil, err
	}
	for i, u := range units {
		j := distinct[in.Texts.Of[i]]
		if j != i {
			cod.Hits[i], cod.SentenceHits[i] = cod.Hits[j], cod.SentenceHits[j]
		}
		// Answered units with the same text share one category list.
		if u.Missing == corpus.Answered && j != i && units[j].Missing == corpus.Answered {
			cod.UnitCats[i] = cod.UnitCats[j]
			continue
		}
		cod.UnitCats[i] = unitCategories(u, in.Tokens[i], cod.Hits[i])
	}
	out := in.clone()
	out.Coding = cod
	out.Facts["code_distinct_texts"] = len(distinct)
	out.Tables = append(out.Tables, codesTable(in.Corpus, cod), respondentCodesTable(in.Corpus, cod))
	if t := agreementTable(in.Corpus, s.cfg, cod); t != nil {
		out.Tables = append(out.Tables, t)
	}
	return out, nil
}

// unitCategories returns the distinct categories of a unit's hits, or
// [OtherCategory] when it has content terms but no hit.
func unitCategories(u corpus.Unit, toks []segment.Token, hits []codebook.Hit) []int {
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
		if len(termsOf(toks)) == 0 {
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

// codesTable has one row per codebook hit: unit, category, the rule, the
// matched terms and their character spans.
func codesTable(c *corpus.Corpus, cod *Coding) *table.Table {
	t := table.New("codes", "One row per codebook hit at two levels: level unit codes the whole answer or paragraph (rules see across sentences as their within: allows), level sentence codes each sentence on its own. Each hit names the unit, the category, the rule that matched, the sentence and clause of its first match, and the matched terms with their character spans (rune offsets into the unit's text, end exclusive).")
	// The columns are sized up front: there is a row per hit of every
	// unit, often a million, and growing ten columns by appending copied
	// them again and again.
	n := 0
	for ui := range c.Units {
		n += len(cod.Hits[ui]) + len(cod.SentenceHits[ui])
	}
	var unit, resp, kind, name, level []string
	var cat, rule, sent, clause []int64
	var hits []*codebook.Hit // row → hit; the lists are produced while writing
	if n > 0 {
		unit, resp, kind, name, level = make([]string, 0, n), make([]string, 0, n), make([]string, 0, n), make([]string, 0, n), make([]string, 0, n)
		cat, rule, sent, clause = make([]int64, 0, n), make([]int64, 0, n), make([]int64, 0, n), make([]int64, 0, n)
		hits = make([]*codebook.Hit, 0, n)
	}
	for ui := range c.Units {
		for li, hs := range [][]codebook.Hit{cod.Hits[ui], cod.SentenceHits[ui]} {
			u := c.Units[ui]
			for k := range hs {
				h := &hs[k]
				level = append(level, [...]string{"unit", "sentence"}[li])
				unit, resp, kind = append(unit, u.ID), append(resp, respondentKey(c, u)), append(kind, u.Kind.String())
				cat, name = append(cat, int64(h.Category)), append(name, cod.CategoryName(h.Category))
				rule, sent, clause = append(rule, int64(h.Rule+1)), append(sent, int64(h.Sentence+1)), append(clause, int64(h.Clause+1))
				hits = append(hits, h)
			}
		}
	}
	t.AddCategory("level", "unit (the whole answer or paragraph) or sentence (each sentence coded on its own)", level)
	t.AddString("unit_id", "text unit id (joins documents.unit_id)", unit)
	t.AddString("respondent", "respondent key (joins respondents.respondent); empty for report units", resp)
	t.AddCategory("kind", "unit kind: answer, other_text, paragraph, sentence, point", kind)
	t.AddInt("category", "codebook category id", cat)
	t.AddCategory("category_name", "codebook category name", name)
	t.AddInt("rule", "1-based index of the matching rule within the category", rule)
	t.AddInt("sentence", "1-based sentence of the unit the hit is in", sent)
	t.AddInt("clause", "1-based clause of the unit the hit is in", clause)
	t.AddListFunc("terms", "the matched terms or phrases", len(hits), func(i int) []string { return hits[i].Terms })
	t.AddListFunc("spans", "character spans start-end of the matched terms, in the same order", len(hits), func(i int) []string {
		sp := make([]string, len(hits[i].Spans))
		for k, s := range hits[i].Spans {
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
	return c.Respondents[u.Respondent].Key
}

// respondentCodesTable has one row per respondent and category they named
// in any open answer: the respondent-level coding.
func respondentCodesTable(c *corpus.Corpus, cod *Coding) *table.Table {
	t := table.New("respondent_codes", "Respondent-level coding: one row per respondent and codebook category named in any of their open answers (category 0 其他: an answer with content that no rule codes). Respondents without an answer with content have no rows.")
	type key struct{ r, cat int }
	units := map[key]int{}
	for ui, u := range c.Units {
		if u.Kind != corpus.OpenAnswer || u.Respondent < 0 {
			continue
		}
		for _, cat := range cod.UnitCats[ui] {
			units[key{u.Respondent, cat}]++
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
	resp, name := make([]string, n), make([]string, n)
	cat, cnt := make([]int64, n), make([]int64, n)
	for i, k := range keys {
		resp[i], cat[i], name[i], cnt[i] = c.Respondents[k.r].Key, int64(k.cat), cod.CategoryName(k.cat), int64(units[k])
	}
	t.AddString("respondent", "respondent key", resp)
	t.AddInt("category", "codebook category id", cat)
	t.AddCategory("category_name", "codebook category name", name)
	t.AddInt("units", "open answers of the respondent coded with the category", cnt)
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
		for ui, u := range c.Units {
			if u.Kind != corpus.OpenAnswer || u.Respondent < 0 || cod.UnitCats[ui] == nil {
				continue
			}
			a := c.Respondents[u.Respondent].Answers[qi]
			if a.Missing != corpus.Answered {
				continue
			}
			g := parseCodes(a.Value)
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
