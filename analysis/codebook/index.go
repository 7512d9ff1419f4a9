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
}

// index returns the codebook's alternative index, building it on first
// use. Parse builds it; a Codebook assembled by hand gets it here.
func (cb *Codebook) index() *altIndex {
	cb.indexOnce.Do(func() {
		x := &altIndex{id: map[Alt]int{}, phrases: map[rune][]int{}, terms: map[rune][]int{}}
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
			}
		}
		for _, c := range cb.Categories {
			for _, r := range c.Rules {
				for _, items := range [][]Item{r.All, r.Any, r.Not} {
					for _, it := range items {
						for _, a := range it.Alts {
							add(a)
						}
					}
				}
			}
		}
		cb.idx = x
	})
	return cb.idx
}

// mark sets present[id] for every alternative in byFirst that occurs in s.
func mark(s string, byFirst map[rune][]int, alts []Alt, present []bool) {
	for i, r := range s {
		for _, id := range byFirst[r] {
			if !present[id] && strings.HasPrefix(s[i:], alts[id].Text) {
				present[id] = true
			}
		}
	}
}

// presentPool recycles the per-unit presence flags.
var presentPool sync.Pool
