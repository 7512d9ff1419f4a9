package codebook

import (
	"bytes"
	"encoding/csv"
	"fmt"
	"io"
	"math"
	"sort"
	"strconv"
	"strings"

	"surveymine/analysis/segment"
)

// GoldSentence is one hand-coded sentence of a gold set.
type GoldSentence struct {
	ID     string
	Split  string // e.g. "dev" (tuned on) or "test" (held out), see the gold set's README; may be ""
	Cats   []int  // gold category ids, ascending; empty for a sentence stating no cause
	Source string // source key, see the gold set's README
	Text   string
	Line   int // 1-based line in the file
}

// ParseGold reads a gold set: tab-separated, with the header
// `id split categories source text`; categories is a comma-separated list
// of category ids, empty for a sentence that states no cause. name is used
// in error messages (`gold.tsv:12: categories: "x" is not an integer`).
func ParseGold(data []byte, name string) ([]GoldSentence, error) {
	r := csv.NewReader(bytes.NewReader(data))
	r.Comma = '\t'
	r.LazyQuotes = true
	r.FieldsPerRecord = 5
	head, err := r.Read()
	if err != nil {
		return nil, fmt.Errorf("%s: header: %w", name, err)
	}
	want := []string{"id", "split", "categories", "source", "text"}
	if strings.Join(head, "\t") != strings.Join(want, "\t") {
		return nil, fmt.Errorf("%s:1: header is %q, want %q", name, strings.Join(head, " "), strings.Join(want, " "))
	}
	var out []GoldSentence
	for {
		rec, err := r.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("%s: %w", name, err)
		}
		line, _ := r.FieldPos(0)
		g := GoldSentence{ID: rec[0], Split: rec[1], Source: rec[3], Text: rec[4], Line: line}
		for _, f := range strings.Split(rec[2], ",") {
			if f = strings.TrimSpace(f); f == "" {
				continue
			}
			id, err := strconv.Atoi(f)
			if err != nil {
				return nil, fmt.Errorf("%s:%d: categories: %q is not an integer", name, line, f)
			}
			g.Cats = append(g.Cats, id)
		}
		sort.Ints(g.Cats)
		if g.Text == "" {
			return nil, fmt.Errorf("%s:%d: text is empty", name, line)
		}
		out = append(out, g)
	}
	return out, nil
}

// Miss is a sentence where the codebook and the gold disagree on one
// category: a false negative (gold only) or a false positive (coded only).
type Miss struct {
	Sentence GoldSentence
	Category int
	FalsePos bool
	Hits     []Hit // the coded hits of the sentence (for false positives)
}

// Evaluation scores a codebook on a gold set at sentence level.
type Evaluation struct {
	N          int         // sentences scored
	Categories []Agreement // per category of the codebook, in codebook order (Other excluded)
	// Micro pools TP, FP and FN over the categories; its Kappa is NaN.
	Micro Agreement
	// MacroF1 is the mean of the categories' F1 over the categories with
	// any gold or predicted sentence (NaN F1s are skipped).
	MacroF1 float64
	Misses  []Miss // in gold order, then category order
}

// Evaluate codes each gold sentence on its own (Fold, then cut, then Code
// at unit level) and compares the categories (without Other) with the
// gold. cut is the segmenter. Only sentences whose Split is in splits are
// scored; no splits means all.
func Evaluate(cb *Codebook, cut func(string) []segment.Token, gold []GoldSentence, splits ...string) Evaluation {
	var ids []int
	for _, c := range cb.Categories {
		ids = append(ids, c.ID)
	}
	var pred, want [][]int
	var ev Evaluation
	var kept []GoldSentence
	var hits [][]Hit
	for _, g := range gold {
		if len(splits) > 0 && !contains(splits, g.Split) {
			continue
		}
		text := segment.Fold(g.Text)
		h := cb.Code(text, cut(text))
		var got []int
		for _, id := range cb.Labels(h) {
			if cb.Other == nil || id != cb.Other.ID {
				got = append(got, id)
			}
		}
		pred, want = append(pred, got), append(want, g.Cats)
		kept, hits = append(kept, g), append(hits, h)
	}
	ev.N = len(kept)
	ev.Categories = Agree(pred, want, ids)
	var tp, fp, fn, n int
	sum := 0.0
	for _, a := range ev.Categories {
		tp, fp, fn = tp+a.TP, fp+a.FP, fn+a.FN
		if !math.IsNaN(a.F1) {
			sum += a.F1
			n++
		}
	}
	ev.Micro = Agreement{Category: -1, TP: tp, FP: fp, FN: fn,
		Precision: ratio(tp, tp+fp), Recall: ratio(tp, tp+fn), F1: ratio(2*tp, 2*tp+fp+fn), Kappa: math.NaN()}
	ev.MacroF1 = math.NaN()
	if n > 0 {
		ev.MacroF1 = sum / float64(n)
	}
	for i, g := range kept {
		for _, c := range ids {
			p, w := has(pred[i], c), has(want[i], c)
			if p != w {
				ev.Misses = append(ev.Misses, Miss{Sentence: g, Category: c, FalsePos: p, Hits: hits[i]})
			}
		}
	}
	return ev
}
