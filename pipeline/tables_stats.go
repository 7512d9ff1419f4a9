package pipeline

import (
	"math"

	"surveymine/analysis/segment"
	"surveymine/analysis/stats"
	"surveymine/pipeline/corpus"
	"surveymine/pipeline/table"
)

// frequencyTable counts the answers of every closed question: per option
// the count, percent of respondents who answered, percent of all
// respondents and (multiple choice) percent of mentions. Missing kinds are
// rows of their own so nothing drops out of the totals.
func frequencyTable(c *corpus.Corpus) *table.Table {
	t := table.New("frequencies", "Frequency table of every closed question. pct_respondents is over respondents who answered (base_n); pct_all over all respondents; pct_mentions over all options chosen (multiple choice only). Missing kinds are rows with is_missing = true.")
	var qid, kind, opt []string
	var count, base []int64
	var pctR, pctAll, pctM []float64
	var miss []bool
	nAll := c.Respondents.Len()
	for qi, q := range c.Questions {
		if q.Kind != corpus.Single && q.Kind != corpus.Multi {
			continue
		}
		counts := map[string]int{}
		order := append([]string{}, q.Options...)
		inOrder := make(map[string]bool, len(order))
		for _, o := range order {
			inOrder[o] = true
		}
		missing := map[corpus.Missing]int{}
		answered, mentions := 0, 0
		for _, r := range c.Respondents.All() {
			a := r.Answers[qi]
			if a.Missing != corpus.Answered {
				missing[a.Missing]++
				continue
			}
			answered++
			vals := c.Options(a)
			if q.Kind == corpus.Single {
				vals = []string{c.Value(a)}
			}
			for _, v := range vals {
				if !inOrder[v] {
					inOrder[v] = true
					order = append(order, v)
				}
				counts[v]++
				mentions++
			}
		}
		for _, o := range order {
			qid, kind, opt = append(qid, questionColumn(q)), append(kind, q.Kind.String()), append(opt, o)
			n := counts[o]
			count, base, miss = append(count, int64(n)), append(base, int64(answered)), append(miss, false)
			pctR = append(pctR, pct(n, answered))
			pctAll = append(pctAll, pct(n, nAll))
			if q.Kind == corpus.Multi {
				pctM = append(pctM, pct(n, mentions))
			} else {
				pctM = append(pctM, math.NaN())
			}
		}
		for _, m := range []corpus.Missing{corpus.Skipped, corpus.LeftEmpty, corpus.Unanswered} {
			if missing[m] == 0 {
				continue
			}
			qid, kind, opt = append(qid, questionColumn(q)), append(kind, q.Kind.String()), append(opt, missingLabel(m))
			count, base, miss = append(count, int64(missing[m])), append(base, int64(answered)), append(miss, true)
			pctR, pctAll, pctM = append(pctR, math.NaN()), append(pctAll, pct(missing[m], nAll)), append(pctM, math.NaN())
		}
	}
	t.AddCategory("question", "question id", qid)
	t.AddCategory("kind", "single or multi", kind)
	t.AddString("option", "option, or a missing kind: (跳过) skipped, (空) left empty, (未答) blank", opt)
	t.AddBool("is_missing", "the row counts a kind of missing answer", miss)
	t.AddInt("count", "respondents choosing the option (or with that missing kind)", count)
	t.AddInt("base_n", "respondents who answered the question", base)
	t.AddFloat("pct_respondents", "percent of base_n; null for missing rows", pctR)
	t.AddFloat("pct_all", "percent of all respondents", pctAll)
	t.AddFloat("pct_mentions", "percent of all options chosen (multiple choice); null for single choice", pctM)
	return t
}

func pct(n, d int) float64 {
	if d == 0 {
		return math.NaN()
	}
	return 100 * float64(n) / float64(d)
}

// keynessTop bounds the over- and under-used terms listed per attribute value.
const keynessTop = 15

// keynessTable lists, for every value of every attribute, the terms of the
// open answers most over- and under-used against the other respondents.
func keynessTable(c *corpus.Corpus, d *Dataset, attrs []variable) *table.Table {
	t := table.New("keyness", "For each attribute value, the terms of the open answers most over- and under-used by those respondents against all others: log-likelihood G² (Dunning 1993), log ratio (Hardie 2014), Benjamini–Hochberg adjusted p over the terms tested for that value. Terms with a combined frequency below 5 are not tested.")
	var attr, val, term, dir []string
	var rank []int64
	var tgt, ref, tgt10k, ref10k, g2, p, padj, lr []float64
	for _, a := range attrs {
		// Term counts per attribute value over the open answers, and in
		// total; the reference of a value is the total minus its own.
		byValue := make([]map[string]float64, len(a.labels))
		for i := range byValue {
			byValue[i] = map[string]float64{}
		}
		all := map[string]float64{}
		var toks []segment.Token
		for ui, u := range c.Units.All() {
			if u.Kind != corpus.OpenAnswer || u.Respondent < 0 {
				continue
			}
			v := a.value[u.Respondent]
			if v < 0 {
				continue
			}
			toks = d.Tokens(ui, toks)
			for _, tok := range toks {
				if tok.Term != "" {
					byValue[v][tok.Term]++
					all[tok.Term]++
				}
			}
		}
		for li, label := range a.labels {
			target := byValue[li]
			reference := make(map[string]float64, len(all))
			for w, n := range all {
				if r := n - target[w]; r > 0 {
					reference[w] = r
				}
			}
			kt := stats.Keyness(target, reference, stats.KeynessOptions{})
			over, under := 0, 0
			for _, k := range kt {
				d := "over"
				if !k.Overuse {
					d = "under"
				}
				if (k.Overuse && over == keynessTop) || (!k.Overuse && under == keynessTop) {
					continue
				}
				r := over + 1
				if k.Overuse {
					over++
				} else {
					under++
					r = under
				}
				attr, val, term, dir, rank = append(attr, a.id), append(val, label), append(term, k.Term), append(dir, d), append(rank, int64(r))
				tgt, ref, tgt10k, ref10k = append(tgt, k.Target), append(ref, k.Reference), append(tgt10k, k.TargetPer10k), append(ref10k, k.ReferencePer10k)
				g2, p, padj, lr = append(g2, k.G2), append(p, k.P), append(padj, k.PAdj), append(lr, k.LogRatio)
			}
		}
	}
	t.AddCategory("attribute", "attribute question id", attr)
	t.AddCategory("value", "attribute value whose respondents are the target corpus", val)
	t.AddCategory("direction", "over: used more by the target group; under: used less", dir)
	t.AddInt("rank", "rank within value and direction by G²", rank)
	t.AddString("term", "analysis term", term)
	t.AddFloat("target", "occurrences in the target group's answers", tgt)
	t.AddFloat("reference", "occurrences in all other answers", ref)
	t.AddFloat("target_per10k", "occurrences per 10,000 terms in the target group", tgt10k)
	t.AddFloat("reference_per10k", "occurrences per 10,000 terms in the rest", ref10k)
	t.AddFloat("g2", "log-likelihood G² of the term × group 2×2 table", g2)
	t.AddFloat("p", "upper-tail χ²(1) p-value of G²", p)
	t.AddFloat("p_adj", "Benjamini–Hochberg adjusted p over the terms tested for this value", padj)
	t.AddFloat("log_ratio", "log2 of the ratio of relative frequencies (Hardie 2014)", lr)
	return t
}

// cooccurrenceTable is the codebook category × category edge list over
// respondents (categories named in any of their open answers).
func cooccurrenceTable(c *corpus.Corpus, cod *Coding) (*table.Table, error) {
	cats := cod.CategoryIDs()
	pos := map[int]int{}
	for i, id := range cats {
		pos[id] = i
	}
	labels := make([][]int, c.Respondents.Len())
	for ui, u := range c.Units.All() {
		if u.Kind != corpus.OpenAnswer || u.Respondent < 0 {
			continue
		}
		for _, cat := range cod.UnitCats[ui] {
			labels[u.Respondent] = append(labels[u.Respondent], pos[cat])
		}
	}
	edges, err := stats.Cooccurrence(labels, len(cats))
	if err != nil {
		return nil, err
	}
	t := table.New("cooccurrence", "Codebook category pairs named by the same respondent, as an edge table for network tools: counts over respondents and Jaccard similarity.")
	n := len(edges)
	a, b, an, bn := make([]int64, n), make([]int64, n), make([]string, n), make([]string, n)
	cnt, ca, cb := make([]int64, n), make([]int64, n), make([]int64, n)
	jac := make([]float64, n)
	for i, e := range edges {
		a[i], b[i] = int64(cats[e.A]), int64(cats[e.B])
		an[i], bn[i] = cod.CategoryName(cats[e.A]), cod.CategoryName(cats[e.B])
		cnt[i], ca[i], cb[i], jac[i] = int64(e.Count), int64(e.CountA), int64(e.CountB), e.Jaccard
	}
	t.AddInt("category_a", "codebook category id (source)", a)
	t.AddCategory("name_a", "its name", an)
	t.AddInt("category_b", "codebook category id (target)", b)
	t.AddCategory("name_b", "its name", bn)
	t.AddInt("count", "respondents naming both", cnt)
	t.AddInt("count_a", "respondents naming category_a", ca)
	t.AddInt("count_b", "respondents naming category_b", cb)
	t.AddFloat("jaccard", "count / (count_a + count_b − count)", jac)
	return t, nil
}
