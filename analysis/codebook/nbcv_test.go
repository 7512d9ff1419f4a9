package codebook

import (
	"flag"
	"math"
	"slices"
	"sort"
	"testing"

	"surveymine/analysis/segment"
)

var nbCV = flag.Bool("nbcv", false, "run the naive-Bayes cross-validation experiment of the gold README (slow)")

// nbModel is a multinomial naive Bayes classifier for one category against
// the rest (McCallum and Nigam 1998, "A comparison of event models for
// naive Bayes text classification"): P(c|d) ∝ P(c) Π_w P(w|c)^n(w,d), with
// Laplace smoothing P(w|c) = (n(w,c)+1)/(n(c)+|V|).
type nbModel struct {
	prior [2]float64            // log P(absent), log P(present)
	logp  [2]map[string]float64 // log P(w|class)
	unk   [2]float64            // log P(w|class) of a word not seen in the class
}

func trainNB(docs [][]string, labels []bool) nbModel {
	var m nbModel
	counts := [2]map[string]int{{}, {}}
	total := [2]int{}
	ndoc := [2]int{}
	vocab := map[string]bool{}
	for i, d := range docs {
		c := 0
		if labels[i] {
			c = 1
		}
		ndoc[c]++
		for _, w := range d {
			counts[c][w]++
			total[c]++
			vocab[w] = true
		}
	}
	v := float64(len(vocab))
	for c := range 2 {
		m.prior[c] = math.Log((float64(ndoc[c]) + 1) / (float64(len(docs)) + 2))
		m.logp[c] = map[string]float64{}
		for w, n := range counts[c] {
			m.logp[c][w] = math.Log((float64(n) + 1) / (float64(total[c]) + v))
		}
		m.unk[c] = math.Log(1 / (float64(total[c]) + v))
	}
	return m
}

// posterior returns P(present | d).
func (m nbModel) posterior(d []string) float64 {
	var s [2]float64
	for c := range 2 {
		s[c] = m.prior[c]
		for _, w := range d {
			if p, ok := m.logp[c][w]; ok {
				s[c] += p
			} else {
				s[c] += m.unk[c]
			}
		}
	}
	return 1 / (1 + math.Exp(s[0]-s[1]))
}

// TestNaiveBayesCV is the experiment reported in the gold README ("A
// supervised fallback"): leave-one-source-out cross-validation of a
// per-category naive Bayes over the project segmenter's terms, alone and
// added to the rules, on every split but holdout4. Run with -nbcv.
func TestNaiveBayesCV(t *testing.T) {
	if !*nbCV {
		t.Skip("run with -nbcv")
	}
	cb := loadDefault(t)
	cut := projectCut(t)
	var gold []GoldSentence
	for _, g := range loadGold(t) {
		if g.Split != "holdout4" {
			gold = append(gold, g)
		}
	}
	docs := make([][]string, len(gold))
	rules := make([][]int, len(gold))
	for i, g := range gold {
		text := segment.Fold(g.Text)
		toks := cut(text)
		for _, tk := range toks {
			if tk.Term != "" {
				docs[i] = append(docs[i], tk.Term)
			}
		}
		for _, id := range cb.Labels(cb.Code(text, toks)) {
			if id != 0 {
				rules[i] = append(rules[i], id)
			}
		}
	}
	var sources []string
	for _, g := range gold {
		if !slices.Contains(sources, g.Source) {
			sources = append(sources, g.Source)
		}
	}
	sort.Strings(sources)
	var cats []int
	for _, c := range cb.Categories {
		cats = append(cats, c.ID)
	}
	// post[i][k]: posterior of category cats[k] for sentence i, from a model
	// trained without sentence i's source.
	post := make([][]float64, len(gold))
	for i := range post {
		post[i] = make([]float64, len(cats))
	}
	for _, src := range sources {
		var trD [][]string
		var te []int
		for i, g := range gold {
			if g.Source == src {
				te = append(te, i)
			} else {
				trD = append(trD, docs[i])
			}
		}
		for k, c := range cats {
			var lab []bool
			for _, g := range gold {
				if g.Source != src {
					lab = append(lab, has(g.Cats, c))
				}
			}
			m := trainNB(trD, lab)
			for _, i := range te {
				post[i][k] = m.posterior(docs[i])
			}
		}
	}
	score := func(name string, split string, pred func(i int) []int) {
		var p, w [][]int
		for i, g := range gold {
			if split != "" && g.Split != split {
				continue
			}
			p, w = append(p, pred(i)), append(w, g.Cats)
		}
		tp, fp, fn := 0, 0, 0
		for _, a := range Agree(p, w, cats) {
			tp, fp, fn = tp+a.TP, fp+a.FP, fn+a.FN
		}
		t.Logf("%-9s %-28s P %.3f R %.3f F1 %.3f (tp %d fp %d fn %d)", split, name,
			ratio(tp, tp+fp), ratio(tp, tp+fn), ratio(2*tp, 2*tp+fp+fn), tp, fp, fn)
	}
	nb := func(th float64) func(int) []int {
		return func(i int) []int {
			var out []int
			for k, c := range cats {
				if post[i][k] >= th {
					out = append(out, c)
				}
			}
			return out
		}
	}
	union := func(th float64, onlyEmpty bool) func(int) []int {
		return func(i int) []int {
			out := slices.Clone(rules[i])
			if onlyEmpty && len(out) > 0 {
				return out
			}
			for _, c := range nb(th)(i) {
				if !slices.Contains(out, c) {
					out = append(out, c)
				}
			}
			slices.Sort(out)
			return out
		}
	}
	for _, split := range []string{"", "test", "holdout3", "dev4"} {
		score("rules", split, func(i int) []int { return rules[i] })
		for _, th := range []float64{0.5, 0.9, 0.99} {
			score("nb ≥"+ftoa(th), split, nb(th))
			score("rules ∪ nb ≥"+ftoa(th), split, union(th, false))
			score("rules, else nb ≥"+ftoa(th), split, union(th, true))
		}
	}
}

func ftoa(x float64) string {
	switch x {
	case 0.5:
		return "0.5"
	case 0.9:
		return "0.9"
	}
	return "0.99"
}
