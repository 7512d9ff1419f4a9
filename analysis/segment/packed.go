package segment

import (
	"slices"
	"strings"
	"sync"
	"unicode/utf8"

	"surveymine/internal/spill"
)

// Packed holds the tokens of many texts in 16 bytes a token instead of a
// Token's 48: a token is the byte range of its surface form in the text it
// was cut from (which Packed keeps: the unit's own text when folding
// changes nothing), its term as "same as the surface", "none" or an id in
// a table of the other terms (merged synonyms), and its tag and filter.
// Rune offsets are recounted when the tokens are read back. A text whose
// tokens do not lie in order on it, which the segmenter never produces but
// a replayed recording might, keeps its Tokens as they are.
//
// A Packed is filled once (by CutDistinct or ReplayDistinct) and then only
// read; Tokens is safe for concurrent use.
type Packed struct {
	texts  []string     // per item: the folded text its tokens lie on
	toks   [][]packed   // per item
	full   [][]Token    // per item: tokens kept as they are; nil for packed items
	terms  termTable    // terms other than the surface form, shared by items
	arena  *spill.Arena // where the packed tokens live; nil: the heap
	fullMu sync.Mutex
}

// packed is one token of a Packed.
type packed struct {
	off, n uint32 // byte range of the surface form in the item's text
	term   uint32 // termSame, termNone, or termBase + index in the term table
	pos    Tag
	drop   Filter
}

const (
	termSame = iota // the term is the surface form
	termNone        // no term: the token was dropped
	termBase        // first id of the term table
)

// termTable interns the terms that differ from their token's surface form.
type termTable struct {
	mu    sync.RWMutex
	ids   map[string]uint32
	terms []string
}

func (t *termTable) id(term string) uint32 {
	t.mu.RLock()
	id, ok := t.ids[term]
	t.mu.RUnlock()
	if ok {
		return id
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	if id, ok := t.ids[term]; ok {
		return id
	}
	if t.ids == nil {
		t.ids = map[string]uint32{}
	}
	term = strings.Clone(term)
	id = termBase + uint32(len(t.terms))
	t.ids[term] = id
	t.terms = append(t.terms, term)
	return id
}

func (t *termTable) term(id uint32) string {
	t.mu.RLock()
	defer t.mu.RUnlock()
	return t.terms[id-termBase]
}

// newPacked returns a Packed for n items, all without tokens.
func newPacked(n int) *Packed {
	return &Packed{texts: make([]string, n), toks: make([][]packed, n)}
}

// Len returns the number of items.
func (p *Packed) Len() int { return len(p.texts) }

// Tokens appends the tokens of item i to dst[:0] and returns it: the same
// tokens, field for field, that were packed.
func (p *Packed) Tokens(i int, dst []Token) []Token {
	dst = dst[:0]
	if p.full != nil && p.full[i] != nil {
		return append(dst, p.full[i]...)
	}
	text := p.texts[i]
	if cap(dst) < len(p.toks[i]) {
		dst = make([]Token, 0, len(p.toks[i])) // one allocation, not append's doublings
	}
	at, runes := 0, 0 // byte and rune offset reached in text
	for _, k := range p.toks[i] {
		off, end := int(k.off), int(k.off+k.n)
		runes += utf8.RuneCountInString(text[at:off])
		start := runes
		runes += utf8.RuneCountInString(text[off:end])
		at = end
		t := Token{Text: text[off:end], Start: int32(start), End: int32(runes), POS: k.pos, Dropped: k.drop}
		switch k.term {
		case termSame:
			t.Term = t.Text
		case termNone:
		default:
			t.Term = p.terms.term(k.term)
		}
		dst = append(dst, t)
	}
	return dst
}

// Each calls fn with the surface form, term ("" when the token was
// dropped) and tag of every token of item i, in order: what Tokens
// returns without the rune offsets, which it does not count, and without
// building a Token each. Safe for concurrent use, as Tokens.
func (p *Packed) Each(i int, fn func(text, term string, pos Tag)) {
	if p.full != nil && p.full[i] != nil {
		for _, t := range p.full[i] {
			fn(t.Text, t.Term, t.POS)
		}
		return
	}
	text := p.texts[i]
	for _, k := range p.toks[i] {
		surface := text[k.off : k.off+k.n]
		term := ""
		switch k.term {
		case termSame:
			term = surface
		case termNone:
		default:
			term = p.terms.term(k.term)
		}
		fn(surface, term, k.pos)
	}
}

// NumTokens returns the number of tokens of item i.
func (p *Packed) NumTokens(i int) int {
	if p.full != nil && p.full[i] != nil {
		return len(p.full[i])
	}
	return len(p.toks[i])
}

// set packs toks, cut from text (before folding), as item i. Items are
// set from several goroutines, each item once.
func (p *Packed) set(i int, text string, toks []Token) {
	if len(toks) == 0 {
		return
	}
	p.setFolded(i, Fold(text), toks)
}

// setFolded is set for a caller that has Fold(text) at hand.
func (p *Packed) setFolded(i int, folded string, toks []Token) {
	if len(toks) == 0 {
		return
	}
	out := spill.Slice[packed](p.arena, len(toks))
	at, runes := 0, 0
	for j, t := range toks {
		// The surface form is where the previous token ended, or further
		// on (a text the segmenter skipped); its rune offsets must match.
		k := 0 // the common case: the token starts where the last one ended
		if !strings.HasPrefix(folded[at:], t.Text) {
			k = strings.Index(folded[at:], t.Text)
		}
		if k < 0 {
			p.keep(i, toks)
			return
		}
		off := at + k
		runes += utf8.RuneCountInString(folded[at:off])
		start := runes
		runes += utf8.RuneCountInString(t.Text)
		if int32(start) != t.Start || int32(runes) != t.End {
			p.keep(i, toks)
			return
		}
		term := uint32(termNone)
		switch {
		case t.Term == t.Text && t.Term != "":
			term = termSame
		case t.Term != "":
			term = p.terms.id(t.Term)
		}
		out[j] = packed{off: uint32(off), n: uint32(len(t.Text)), term: term, pos: t.POS, drop: t.Dropped}
		at = off + len(t.Text)
	}
	p.texts[i], p.toks[i] = folded, out
}

// keep stores a copy of item i's tokens unpacked (toks is the caller's
// scratch slice, reused for the next item).
func (p *Packed) keep(i int, toks []Token) {
	p.fullMu.Lock()
	defer p.fullMu.Unlock()
	if p.full == nil {
		p.full = make([][]Token, len(p.texts))
	}
	p.full[i] = slices.Clone(toks)
}
