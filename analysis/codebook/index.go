package codebook

import (
	"strings"
	"sync"
	"unicode/utf8"
)

// altIndex numbers the distinct alternatives of a codebook and groups them
// by their first rune, so that one pass over a unit's text finds which
// alternatives occur in it at all (most do not), instead of one substring
// search per alternative.
type altIndex struct {
	id      map[Alt]int
	alts    []Alt
	phrases map[rune][]int // phrase alternatives by first rune
	terms   map[rune][]int // term alternatives by first rune
	termSet map[string]bool
	// rules holds every rule of the categories, in codebook order, with
	// its items as alternative ids, so that matching looks nothing up by
	// text.
	rules []compiledRule
	// gated lists by alternative id the rules (indexes into rules) that
	// cannot match unless it occurs: those whose first All item, or when
	// they have no All item one of whose Any items, holds it.
	gated [][]int32
	// negators is Codebook.Negators as a set.
	negators map[string]bool
	// compounds caches split: token text → inner boundaries (nil: not a
	// compound of terms).
	compounds sync.Map
}

// compiledRule is a Rule with its items as lists of alternative ids (in
// the order written, repeats kept).
type compiledRule struct {
	rule      *Rule
	category  int // category id
	index     int // index of the rule in the category
	all       [][]int32
	anyOf     [][]int32
	not       [][]int32
	nItems    int // len(all)+len(anyOf)+len(not)
	allAndAny int // len(all)+len(anyOf)
}

// index returns the codebook's alternative index, building it on first
// use. Parse builds it; a Codebook assembled by hand gets it here.
func (cb *Codebook) index() *altIndex {
	cb.indexOnce.Do(func() {
		x := &altIndex{id: map[Alt]int{}, phrases: map[rune][]int{}, terms: map[rune][]int{}, termSet: map[string]bool{},
			negators: make(map[string]bool, len(cb.Negators))}
		for _, n := range cb.Negators {
			x.negators[n] = true
		}
		add := func(a Alt) {
			if _, ok := x.id[a]; ok || a.Text == "" {
				return
			}
			id := len(x.alts)
			x.id[a] = id
			x.alts = append(x.alts, a)
			r, _ := utf8.DecodeRuneInString(a.Text)
			if a.Phrase {
				x.phrases[r] = append(x.phrases[r], id)
			} else {
				x.terms[r] = append(x.terms[r], id)
				x.termSet[a.Text] = true
			}
		}
		// ids returns the items as alternative ids; an alternative with
		// no text never occurs and gets -1.
		ids := func(items []Item) [][]int32 {
			out := make([][]int32, len(items))
			for k, it := range items {
				out[k] = make([]int32, len(it.Alts))
				for j, a := range it.Alts {
					add(a)
					id, ok := x.id[a]
					if !ok {
						id = -1
					}
					out[k][j] = int32(id)
				}
			}
			return out
		}
		for ci := range cb.Categories {
			c := &cb.Categories[ci]
			for ri := range c.Rules {
				r := &c.Rules[ri]
				cr := compiledRule{rule: r, category: c.ID, index: ri, all: ids(r.All), anyOf: ids(r.Any), not: ids(r.Not)}
				cr.allAndAny = len(cr.all) + len(cr.anyOf)
				cr.nItems = cr.allAndAny + len(cr.not)
				x.rules = append(x.rules, cr)
			}
		}
		x.gated = make([][]int32, len(x.alts))
		for i, r := range x.rules {
			gate := r.anyOf
			if len(r.all) > 0 {
				gate = r.all[:1]
			}
			for _, it := range gate {
				for _, id := range it {
					if id < 0 {
						continue
					}
					if g := x.gated[id]; len(g) == 0 || g[len(g)-1] != int32(i) {
						x.gated[id] = append(g, int32(i))
					}
				}
			}
		}
		cb.idx = x
	})
	return cb.idx
}

// split returns the byte offsets inside word where it divides into two or
// more pieces that are each a term alternative of the codebook, or nil
// when it does not divide so. A dictionary word such as 重业务轻党建 that
// is nothing but codebook terms (重业务 + 轻党建) is read as those terms:
// the segmenter's lexicon must never hide what the rules look for. Of
// several divisions the one with the fewest pieces wins, then the one
// whose first piece is longest, so the result does not depend on map order.
func (x *altIndex) split(word string) []int {
	if utf8.RuneCountInString(word) < 2 || len(x.termSet) == 0 || !x.startsWithShorterTerm(word) {
		return nil
	}
	if v, ok := x.compounds.Load(word); ok {
		return v.([]int)
	}
	// best[i]: fewest pieces covering word[i:], with the next cut.
	n := len(word)
	pieces := make([]int, n+1)
	next := make([]int, n+1)
	for i := range pieces {
		pieces[i] = -1
	}
	pieces[n] = 0
	for i := n - 1; i >= 0; i-- {
		if !utf8.RuneStart(word[i]) {
			continue
		}
		for j := n; j > i; j-- {
			if pieces[j] < 0 || (j < n && !utf8.RuneStart(word[j])) || !x.termSet[word[i:j]] {
				continue
			}
			if pieces[i] < 0 || pieces[j]+1 < pieces[i] {
				pieces[i], next[i] = pieces[j]+1, j
			}
		}
	}
	var cuts []int
	if pieces[0] >= 2 {
		for i := next[0]; i < n; i = next[i] {
			cuts = append(cuts, i)
		}
	}
	x.compounds.Store(word, cuts)
	return cuts
}

// startsWithShorterTerm reports whether word starts with a term
// alternative shorter than itself, which every division into terms needs.
// Most tokens fail this, and split then returns before touching (and
// growing) the cache of compounds.
func (x *altIndex) startsWithShorterTerm(word string) bool {
	r, _ := utf8.DecodeRuneInString(word)
	for _, id := range x.terms[r] {
		if t := x.alts[id].Text; len(t) < len(word) && strings.HasPrefix(word, t) {
			return true
		}
	}
	return false
}
