package codebook

import (
	"cmp"
	"slices"
	"sort"
	"strings"
	"sync"
	"unicode/utf8"

	"surveymine/analysis/segment"
)

// Level is the unit at which Code works.
type Level uint8

// The coding levels.
const (
	LevelUnit     Level = iota // the whole answer or paragraph; rules use their own scope
	LevelSentence              // each sentence on its own: no rule looks beyond a sentence
	LevelClause                // each clause on its own: no rule looks beyond a clause
)

// Hit is one match of one rule in one scope (a clause, a sentence, the unit
// or, for token windows, a sentence).
type Hit struct {
	Category int // category id
	Rule     int // index of the rule in the category's Rules
	// Terms are the alternatives that matched (phrases without "~"),
	// parallel to Spans, in text order.
	Terms []string
	// Spans are the matched character ranges [start, end) in the unit text,
	// counted in runes, sorted by start then end.
	Spans [][2]int
	// Sentence and Clause locate the first span: indexes into
	// Sentences(tokens) and Clauses(tokens) (Clause counts from the start of
	// the unit, not of the sentence). Both are 0 when tokens is empty.
	Sentence int
	Clause   int
}

// Ref returns the rule that made the hit.
func (h Hit) Ref() RuleRef { return RuleRef{Category: h.Category, Rule: h.Rule} }

// RuleRef names one rule: a category id and the rule's index in it.
type RuleRef struct {
	Category int
	Rule     int
}

// Code codes one unit as a whole (LevelUnit). It is CodeAt(LevelUnit, …).
func (cb *Codebook) Code(text string, tokens []segment.Token) []Hit {
	return cb.CodeAt(LevelUnit, text, tokens)
}

// CodeAt codes one unit. text is the unit's normalised text and tokens its
// segmentation: Start and End are rune offsets into text, tokens are in
// order and cover the text. Term rules match tokens only, phrase rules match
// text; with no tokens, only phrases can match and the text is one sentence.
//
// At LevelSentence and LevelClause each sentence or clause is coded on its
// own: a rule's scope is narrowed to it (within: unit or sentence becomes
// the clause at LevelClause), so hits never span two of them.
//
// The result holds one Hit per rule and scope where the rule matched,
// sorted by category (in codebook order), rule, then first span; nil when
// nothing matched. Use Labels for the category ids. CodeAt only reads the
// codebook and is safe for concurrent use.
func (cb *Codebook) CodeAt(level Level, text string, tokens []segment.Token) []Hit {
	return cb.CodeLevels(text, tokens, level)[0]
}

// CodeLevels codes one unit at several levels at once, as CodeAt does for
// each, and returns the hits per level in the order given. The unit is
// prepared, and every term and phrase searched for, only once.
//
// The hits of all levels share three allocations (hits, terms, spans): a
// level with the same hits as an earlier one gets the same slice, and hits
// with the same terms and spans share Terms and Spans. The slices are
// capped, so appending to one never changes another, but they must not be
// changed in place.
func (cb *Codebook) CodeLevels(text string, tokens []segment.Token, levels ...Level) [][]Hit {
	d := newDoc(cb, text, tokens)
	defer d.release()
	for _, level := range levels {
		d.code(level)
		d.levelEnds = append(d.levelEnds, len(d.hits))
	}
	return d.result()
}

// code evaluates every rule of the codebook at one level, appending the
// hits to d.hits.
func (d *doc) code(level Level) {
	if !d.maybeDone {
		// Whether a rule's terms occur at all does not depend on the
		// level: decide it once for every level, and only for the rules
		// gated by an alternative present in the unit.
		d.candidate = resize(d.candidate, len(d.idx.rules))
		clear(d.candidate)
		for _, id := range d.presentIDs {
			for _, i := range d.idx.gated[id] {
				d.candidate[i] = true
			}
		}
		for i, ok := range d.candidate {
			if ok && d.mayMatch(&d.idx.rules[i]) {
				d.maybe = append(d.maybe, int32(i))
			}
		}
		d.maybeDone = true
	}
	for _, i := range d.maybe {
		d.eval(&d.idx.rules[i], level)
	}
}

// result turns the pending hits into Hits, one list per level. A level
// whose hits equal those of an earlier level (a unit of one sentence coded
// as a whole and by sentence) gets the earlier list, and a hit with the
// terms and spans of an earlier one shares its Terms and Spans: the hits
// are kept for a whole run, and most would be stored twice.
func (d *doc) result() [][]Hit {
	nl := len(d.levelEnds)
	out := make([][]Hit, nl)
	if len(d.hits) == 0 {
		return out
	}
	levelStart := func(i int) int {
		if i == 0 {
			return 0
		}
		return d.levelEnds[i-1]
	}
	alias := resize(d.alias, nl) // the earlier level whose hits level i shares, or -1
	owner := resize(d.owner, len(d.hits))
	nHits, nSpans := 0, 0
	for i := range nl {
		lo, hi := levelStart(i), d.levelEnds[i]
		alias[i] = -1
		for j := range i {
			if alias[j] < 0 && d.sameHits(levelStart(j), d.levelEnds[j], lo, hi) {
				alias[i] = j
				break
			}
		}
		if alias[i] >= 0 {
			for h := lo; h < hi; h++ {
				owner[h] = -1
			}
			continue
		}
		nHits += hi - lo
		for h := lo; h < hi; h++ {
			owner[h] = int32(h)
			// Look back only in small units: the search is quadratic.
			for g := 0; g < lo && len(d.hits) <= 64; g++ {
				if owner[g] == int32(g) && d.sameTerms(g, h) {
					owner[h] = int32(g)
					break
				}
			}
			if owner[h] == int32(h) {
				nSpans += int(d.hits[h].n)
			}
		}
	}
	d.alias, d.owner = alias, owner
	hits := make([]Hit, 0, nHits)
	terms := make([]string, 0, nSpans)
	spans := make([][2]int, 0, nSpans)
	at := resize(d.at, len(d.hits)) // index in hits of each pending hit stored
	d.at = at
	for i := range nl {
		lo, hi := levelStart(i), d.levelEnds[i]
		if alias[i] >= 0 {
			out[i] = out[alias[i]]
			continue
		}
		first := len(hits)
		for k := lo; k < hi; k++ {
			p := d.hits[k]
			h := Hit{Category: p.category, Rule: p.rule, Sentence: int(p.sentence), Clause: int(p.clause)}
			if g := owner[k]; g != int32(k) {
				h.Terms, h.Spans = hits[at[g]].Terms, hits[at[g]].Spans
			} else {
				t0 := len(terms)
				for _, id := range d.hitAlts[p.off : p.off+p.n] {
					terms = append(terms, d.idx.alts[id].Text)
				}
				spans = append(spans, d.hitSpans[p.off:p.off+p.n]...)
				h.Terms, h.Spans = terms[t0:len(terms):len(terms)], spans[t0:len(spans):len(spans)]
			}
			at[k] = int32(len(hits))
			hits = append(hits, h)
		}
		if len(hits) > first {
			out[i] = hits[first:len(hits):len(hits)]
		}
	}
	return out
}

// sameHits reports whether the pending hits [a0, a1) and [b0, b1) are the
// same hits.
func (d *doc) sameHits(a0, a1, b0, b1 int) bool {
	if a1-a0 != b1-b0 {
		return false
	}
	for k := range a1 - a0 {
		p, q := &d.hits[a0+k], &d.hits[b0+k]
		if p.category != q.category || p.rule != q.rule || p.sentence != q.sentence || p.clause != q.clause || !d.sameTerms(a0+k, b0+k) {
			return false
		}
	}
	return true
}

// sameTerms reports whether pending hits g and h have the same terms and
// spans.
func (d *doc) sameTerms(g, h int) bool {
	p, q := &d.hits[g], &d.hits[h]
	return p.n == q.n &&
		slices.Equal(d.hitAlts[p.off:p.off+p.n], d.hitAlts[q.off:q.off+q.n]) &&
		slices.Equal(d.hitSpans[p.off:p.off+p.n], d.hitSpans[q.off:q.off+q.n])
}

// Labels returns the distinct category ids of hits, in ascending order. With
// no hits it returns the Other category's id alone, or nil when the codebook
// has no Other category. Callers should not pass units that are blank or
// boilerplate (无, 同上): those say nothing and belong to no category.
func (cb *Codebook) Labels(hits []Hit) []int {
	if len(hits) == 0 {
		if cb.Other != nil {
			return []int{cb.Other.ID}
		}
		return nil
	}
	seen := map[int]bool{}
	var ids []int
	for _, h := range hits {
		if !seen[h.Category] {
			seen[h.Category] = true
			ids = append(ids, h.Category)
		}
	}
	sort.Ints(ids)
	return ids
}

// doc is one unit prepared for matching, with the scratch space of
// matching it. Docs are recycled through docPool: every slice is reused
// for the next unit, so coding a unit allocates little beyond its hits.
type doc struct {
	cb     *Codebook
	idx    *altIndex
	text   string
	toks   []segment.Token
	runeAt []int32 // byte offset in text → rune offset (len(text)+1 entries)
	space  []bool  // whether each token is whitespace
	ord    []int32 // ordinal of each token among non-space tokens
	sent   []int32 // sentence index of each token
	clause []int32 // clause index of each token
	nCl    int
	// sents and clauses are the token ranges of Sentences and Clauses;
	// sentRunes the rune ranges of the sentences (the whole text when
	// there are no tokens).
	sents, clauses, sentRunes [][2]int
	// clauseSent is the sentence index of each clause; predStart says
	// whether the clause opens with a predicate (its first content token
	// is a verb, adverb, adjective, preposition or conjunction), i.e. has
	// no subject of its own.
	clauseSent []int32
	predStart  []bool
	// Concatenated surface texts and analysis terms of the non-space
	// tokens, with the token that starts or ends at each byte offset. When
	// every token's term is its text (or empty) the two are the same and
	// only joined[0] is built: nJoined is 1.
	joined  [2]joinedText
	nJoined int
	// contrast holds rune ranges [negator, 而是) whose occurrences are void;
	// effects holds the rune ranges [marker, sentence end) that state an
	// effect (after 导致 …), whose occurrences are void too.
	contrast [][2]int
	effects  [][2]int

	// present says, by alternative id, whether the alternative occurs in
	// the text (phrases) or the joined tokens (terms); presentIDs lists the
	// ids set, so that release clears only those.
	present    []bool
	presentIDs []int32
	// occRange is, for a present alternative, its occurrences
	// occs[occRange[id][0]:occRange[id][1]], or {-1, -1} before they are
	// searched. negs holds the negators before the occurrences (see occ).
	occRange [][2]int32
	occs     []occ
	negs     []int32

	// Rules that may match (see mayMatch), found at the first level coded.
	maybe     []int32
	maybeDone bool
	candidate []bool // by rule: gated by a present alternative

	// Scratch space of eval.
	covered   []uint32 // token index → gen when covered by an occurrence of the rule's items
	gen       uint32
	ents      []entry
	itemStart []int32 // ents[itemStart[k]:itemStart[k+1]] are item k's
	keys      []int32
	found     []int32
	pool      []int32
	spanned   []spanned
	listStart []int32

	// Hits found so far: the terms and spans of hits[i] are
	// hitAlts[off:off+n] and hitSpans[off:off+n]. levelEnds[i] is
	// len(hits) after level i.
	hits      []pending
	hitAlts   []int32
	hitSpans  [][2]int
	levelEnds []int
	// Scratch space of result.
	alias     []int
	owner, at []int32
}

type joinedText struct {
	s       string
	buf     []byte  // s is built here
	startAt []int32 // byte offset → index of the token starting there, or -1
	endAt   []int32 // byte offset → index of the token ending there, or -1
	// startPos and endPos map a byte offset where startAt or endAt is set
	// to the rune offset in the unit text. Offsets inside a compound token
	// (see altIndex.split) are boundaries too, belonging to that token.
	startPos, endPos []int32
}

// occ is one occurrence of an alternative in the unit.
type occ struct {
	alt         int32 // alternative id
	start, end  int32 // runes
	first, last int32 // token indexes; -1 without tokens
	// The negators before the occurrence (token indexes) are
	// doc.negs[negOff:negOff+negN].
	negOff, negN int32
	inTokenNeg   bool
	suppressed   bool
}

// entry is an occurrence (index into doc.occs) of item (index over the
// rule's All, Any and Not items in turn) counted in scope instance inst.
type entry struct {
	item, inst, o int32
}

// spanned is an occurrence (index into doc.occs) with its token span
// [a, b] counted in non-space tokens.
type spanned struct {
	a, b, o int32
}

// pending is a hit before result builds it.
type pending struct {
	category, rule   int
	sentence, clause int32
	off, n           int32
}

// docPool recycles docs with their buffers.
var docPool = sync.Pool{New: func() any { return new(doc) }}

// maxPooledText is the longest unit text (in bytes) whose doc goes back to
// docPool: the buffers of one huge unit are not kept for the small ones.
const maxPooledText = 1 << 16

// resize returns s with length n, reusing its array when large enough. The
// contents are not cleared.
func resize[T any](s []T, n int) []T {
	if cap(s) < n {
		return make([]T, n, n+n/4)
	}
	return s[:n]
}

// release returns d to docPool; d must not be used after.
func (d *doc) release() {
	if len(d.text) > maxPooledText {
		return
	}
	for _, id := range d.presentIDs {
		d.present[id] = false
	}
	d.presentIDs = d.presentIDs[:0]
	d.cb, d.idx, d.text, d.toks = nil, nil, "", nil
	d.joined[0].s, d.joined[1].s = "", ""
	d.contrast, d.effects = d.contrast[:0], d.effects[:0]
	d.occs, d.negs = d.occs[:0], d.negs[:0]
	d.maybe, d.maybeDone = d.maybe[:0], false
	d.hits, d.hitAlts, d.hitSpans, d.levelEnds = d.hits[:0], d.hitAlts[:0], d.hitSpans[:0], d.levelEnds[:0]
	docPool.Put(d)
}

func newDoc(cb *Codebook, text string, tokens []segment.Token) *doc {
	d := docPool.Get().(*doc)
	d.cb, d.idx, d.text, d.toks = cb, cb.index(), text, tokens
	d.runeAt = resize(d.runeAt, len(text)+1)
	r := int32(0)
	for i := 0; i < len(text); r++ {
		// Decode as range does, so invalid bytes count as one rune each.
		_, size := utf8.DecodeRuneInString(text[i:])
		for k := 0; k < size; k++ {
			d.runeAt[i+k] = r
		}
		i += size
	}
	d.runeAt[len(text)] = r
	n := len(tokens)
	d.space = resize(d.space, n)
	d.ord = resize(d.ord, n)
	ord := int32(0)
	merged := false // some token's term differs from its text
	for i, t := range tokens {
		sp := isSpace(t.Text)
		d.space[i], d.ord[i] = sp, ord
		if !sp {
			ord++
			merged = merged || (t.Term != "" && t.Term != t.Text)
		}
	}
	d.sents = appendSplit(d.sents[:0], tokens, false)
	d.clauses = appendSplit(d.clauses[:0], tokens, true)
	d.sent = indexRanges(d.sent, d.sents, n)
	d.clause = indexRanges(d.clause, d.clauses, n)
	d.nCl = len(d.clauses)
	d.clauseSent = resize(d.clauseSent, d.nCl)
	d.predStart = resize(d.predStart, d.nCl)
	clear(d.predStart)
	seen := int32(-1) // clauses before this one have had their first content token
	for i, t := range tokens {
		c := d.clause[i]
		d.clauseSent[c] = d.sent[i]
		if c > seen && hasContent(t.Text) {
			seen = c
			d.predStart[c] = predicatePOS(t.POS.String())
		}
	}
	d.sentRunes = d.sentRunes[:0]
	if n == 0 {
		d.sentRunes = append(d.sentRunes, [2]int{0, int(r)})
	}
	for _, s := range d.sents {
		a, b := RuneRange(tokens, s)
		d.sentRunes = append(d.sentRunes, [2]int{a, b})
	}
	d.nJoined = 1
	if merged {
		d.nJoined = 2
	}
	for k := range d.nJoined {
		d.join(k)
	}
	d.present = resize(d.present, len(d.idx.alts))
	d.occRange = resize(d.occRange, len(d.idx.alts))
	d.mark(d.text, d.idx.phrases)
	for k := range d.nJoined {
		d.mark(d.joined[k].s, d.idx.terms)
	}
	d.findContrasts()
	d.findEffects()
	return d
}

// join builds d.joined[k]: the surface texts (k = 0) or analysis terms
// (k = 1) of the non-space tokens.
func (d *doc) join(k int) {
	j := &d.joined[k]
	j.buf = j.buf[:0]
	for i, t := range d.toks {
		if d.space[i] {
			continue
		}
		if k == 1 && t.Term != "" {
			j.buf = append(j.buf, t.Term...)
		} else {
			j.buf = append(j.buf, t.Text...)
		}
	}
	j.s = string(j.buf)
	m := len(j.s) + 1
	j.startAt, j.endAt = resize(j.startAt, m), resize(j.endAt, m)
	j.startPos, j.endPos = resize(j.startPos, m), resize(j.endPos, m)
	for i := range j.startAt {
		j.startAt[i], j.endAt[i] = -1, -1
	}
	off := 0
	for i, t := range d.toks {
		if d.space[i] {
			continue
		}
		s := t.Text
		if k == 1 && t.Term != "" {
			s = t.Term
		}
		j.startAt[off], j.startPos[off] = int32(i), t.Start
		if s == t.Text {
			// A compound of codebook terms gets inner boundaries.
			for _, c := range d.idx.split(s) {
				j.startAt[off+c], j.endAt[off+c] = int32(i), int32(i)
				r := t.Start + int32(utf8.RuneCountInString(s[:c]))
				j.startPos[off+c], j.endPos[off+c] = r, r
			}
		}
		off += len(s)
		j.endAt[off], j.endPos[off] = int32(i), t.End
	}
}

// indexRanges returns, in buf resized to n, the index of the range of
// ranges holding each position.
func indexRanges(buf []int32, ranges [][2]int, n int) []int32 {
	idx := resize(buf, n)
	clear(idx)
	for k, r := range ranges {
		for i := r[0]; i < r[1]; i++ {
			idx[i] = int32(k)
		}
	}
	return idx
}

// mark sets present[id] for every alternative in byFirst that occurs in s.
func (d *doc) mark(s string, byFirst map[rune][]int) {
	alts := d.idx.alts
	for i, r := range s {
		for _, id := range byFirst[r] {
			if !d.present[id] && strings.HasPrefix(s[i:], alts[id].Text) {
				d.present[id] = true
				d.presentIDs = append(d.presentIDs, int32(id))
				d.occRange[id] = [2]int32{-1, -1}
			}
		}
	}
}

var (
	contrastNegators = []string{"不是", "并非", "并不是", "不在于", "并不在于"}
	contrastMarkers  = []string{"而是", "而在于"}
)

// findContrasts marks 不是A而是B: in each sentence, from the last contrast
// negator before a 而是 up to the 而是.
func (d *doc) findContrasts() {
	marks := d.positions(contrastMarkers)
	if len(marks) == 0 {
		return
	}
	ranges := d.sentRunes
	negs := d.positions(contrastNegators)
	// Sentences are ascending and disjoint, negs sorted: each marker costs
	// two binary searches, so a long unit with many 不是…而是 stays
	// n log n.
	used := map[int]bool{}
	for _, m := range marks {
		sr, ok := containing(ranges, m)
		if !ok {
			continue
		}
		best := -1
		if i := sort.SearchInts(negs, m); i > 0 && negs[i-1] >= sr[0] {
			best = negs[i-1]
		}
		// A negator already used by an earlier 而是 is not reused.
		if best >= 0 && !used[best] {
			used[best] = true
			d.contrast = append(d.contrast, [2]int{best, m})
		}
	}
}

// findEffects marks, in each sentence, the stretch from an effect marker
// (导致 …) to the sentence end, or to the end of a following 原因是 /
// 在于, after which a cause is named again.
func (d *doc) findEffects() {
	if len(d.cb.EffectMarkers) == 0 {
		return
	}
	markers := d.positionsEnd(d.cb.EffectMarkers)
	if len(markers) == 0 {
		return
	}
	ranges := d.sentRunes
	reopen := d.positionsEnd(effectReopeners)
	for _, m := range markers {
		sr, ok := containing(ranges, m[0])
		if !ok {
			continue
		}
		if next, _ := utf8.DecodeRuneInString(d.text[m[2]:]); next == '的' {
			continue // 是由A导致的: A is the cause
		}
		end := sr[1]
		for _, r := range reopen {
			if r[0] >= m[1] && r[1] <= end {
				end = r[1]
				break
			}
		}
		d.effects = append(d.effects, [2]int{m[0], end})
	}
}

// positionsEnd returns, for every occurrence of any of the strings, its
// rune start, rune end and byte end, sorted by start (longest first on a
// tie, so that a longer marker wins over its prefix).
func (d *doc) positionsEnd(list []string) [][3]int {
	var out [][3]int
	for _, s := range list {
		for from := 0; ; {
			i := strings.Index(d.text[from:], s)
			if i < 0 {
				break
			}
			b := from + i
			out = append(out, [3]int{int(d.runeAt[b]), int(d.runeAt[b+len(s)]), b + len(s)})
			from = b + len(s)
		}
	}
	sort.Slice(out, func(i, k int) bool {
		if out[i][0] != out[k][0] {
			return out[i][0] < out[k][0]
		}
		return out[i][1] > out[k][1]
	})
	return out
}

// containing returns the range of the sorted, disjoint ranges that holds
// pos.
func containing(ranges [][2]int, pos int) ([2]int, bool) {
	i := sort.Search(len(ranges), func(i int) bool { return ranges[i][1] > pos })
	if i < len(ranges) && pos >= ranges[i][0] {
		return ranges[i], true
	}
	return [2]int{}, false
}

// positions returns the rune offsets where any of the strings occurs.
func (d *doc) positions(list []string) []int {
	var out []int
	for _, s := range list {
		for from := 0; ; {
			i := strings.Index(d.text[from:], s)
			if i < 0 {
				break
			}
			out = append(out, int(d.runeAt[from+i]))
			from += i + len(s)
		}
	}
	sort.Ints(out)
	return out
}

// tokenAt returns the index of the token containing rune offset pos, or -1.
func (d *doc) tokenAt(pos int32) int32 {
	i := sort.Search(len(d.toks), func(i int) bool { return d.toks[i].Start > pos }) - 1
	if i < 0 {
		return -1
	}
	return int32(i)
}

// occurrences returns every occurrence of alternative id (-1: none),
// sorted by start then end, with the negators before it. They are
// searched on first use and kept for the rest of the unit.
func (d *doc) occurrences(id int32) []occ {
	if id < 0 || !d.present[id] {
		// Most alternatives do not occur in most units: the presence
		// flags from newDoc say so without a search.
		return nil
	}
	r := d.occRange[id]
	if r[0] < 0 {
		r = d.search(id)
		d.occRange[id] = r
	}
	return d.occs[r[0]:r[1]]
}

// search appends the occurrences of alternative id to d.occs and returns
// their range there.
func (d *doc) search(id int32) [2]int32 {
	a := d.idx.alts[id]
	start := len(d.occs)
	if a.Phrase {
		for from := 0; from < len(d.text); {
			i := strings.Index(d.text[from:], a.Text)
			if i < 0 {
				break
			}
			b := from + i
			o := occ{alt: id, start: d.runeAt[b], end: d.runeAt[b+len(a.Text)], first: -1, last: -1}
			if len(d.toks) > 0 {
				o.first = max(d.tokenAt(o.start), 0)
				o.last = max(d.tokenAt(o.end-1), o.first)
			}
			d.occs = append(d.occs, o)
			_, size := utf8.DecodeRuneInString(d.text[b:])
			from = b + size
		}
	} else {
		for k := range d.nJoined {
			j := &d.joined[k]
			s := j.s
			for from := 0; from < len(s); {
				i := strings.Index(s[from:], a.Text)
				if i < 0 {
					break
				}
				b := from + i
				e := b + len(a.Text)
				if f, l := j.startAt[b], j.endAt[e]; f >= 0 && l >= 0 {
					d.occs = append(d.occs, occ{alt: id, start: j.startPos[b], end: j.endPos[e], first: f, last: l})
				}
				_, size := utf8.DecodeRuneInString(s[b:])
				from = b + size
			}
		}
	}
	// Sort, keeping the first found of equal spans (the surface text
	// before the terms), and drop the repeats.
	list := d.occs[start:]
	slices.SortStableFunc(list, func(x, y occ) int {
		if c := cmp.Compare(x.start, y.start); c != 0 {
			return c
		}
		return cmp.Compare(x.end, y.end)
	})
	n := 0
	for i, o := range list {
		if i > 0 && o.start == list[n-1].start && o.end == list[n-1].end {
			continue
		}
		list[n] = o
		n++
	}
	d.occs = d.occs[:start+n]
	for i := start; i < len(d.occs); i++ {
		d.annotate(&d.occs[i])
	}
	return [2]int32{int32(start), int32(len(d.occs))}
}

// annotate records the negators before an occurrence and whether it lies
// inside a 不是…而是 contrast.
func (d *doc) annotate(o *occ) {
	for _, c := range d.contrast {
		if int(o.start) >= c[0] && int(o.start) < c[1] {
			o.suppressed = true
		}
	}
	for _, c := range d.effects {
		if int(o.start) >= c[0] && int(o.start) < c[1] {
			o.suppressed = true
		}
	}
	if o.first < 0 {
		return
	}
	t := d.toks[o.first]
	if o.start > t.Start {
		// The occurrence starts inside a token: look at the token's part
		// before it.
		o.inTokenNeg = d.endsWithNegator(t.Text, int(o.start-t.Start))
	}
	cl := d.clause[o.first]
	counted := 0
	o.negOff = int32(len(d.negs))
	for i := int(o.first) - 1; i >= 0 && d.clause[i] == cl && counted < d.cb.NegationWindow; i-- {
		if d.space[i] {
			continue
		}
		counted++
		if d.idx.negators[d.toks[i].Text] {
			d.negs = append(d.negs, int32(i))
		}
	}
	o.negN = int32(len(d.negs)) - o.negOff
}

// endsWithNegator reports whether the first k runes of s end with a
// negator; false when s has fewer than k runes.
func (d *doc) endsWithNegator(s string, k int) bool {
	var p string
	if utf8.ValidString(s) {
		b := 0
		for ; k > 0 && b < len(s); k-- {
			_, size := utf8.DecodeRuneInString(s[b:])
			b += size
		}
		if k > 0 {
			return false
		}
		p = s[:b]
	} else {
		// Invalid bytes become U+FFFD, as in a conversion to []rune.
		rs := []rune(s)
		if k > len(rs) {
			return false
		}
		p = string(rs[:k])
	}
	for _, n := range d.cb.Negators {
		if strings.HasSuffix(p, n) {
			return true
		}
	}
	return false
}

// mayMatch reports whether every All item and, when there are Any items,
// one of them occurs at all in the unit (negated or not). Most rules fail
// this cheap test on most units, which spares building their scopes.
func (d *doc) mayMatch(r *compiledRule) bool {
	for _, it := range r.all {
		if !d.occurs(it) {
			return false
		}
	}
	if len(r.anyOf) == 0 {
		return len(r.all) > 0
	}
	for _, it := range r.anyOf {
		if d.occurs(it) {
			return true
		}
	}
	return false
}

// occurs reports whether an alternative of an item occurs.
func (d *doc) occurs(item []int32) bool {
	for _, id := range item {
		if len(d.occurrences(id)) > 0 {
			return true
		}
	}
	return false
}

// item returns the alternative ids of item k of r, counting over All, Any
// and Not in turn.
func (r *compiledRule) item(k int) []int32 {
	if k < len(r.all) {
		return r.all[k]
	}
	if k -= len(r.all); k < len(r.anyOf) {
		return r.anyOf[k]
	}
	return r.not[k-len(r.anyOf)]
}

// eval appends the hits of one rule to d.hits.
func (d *doc) eval(cr *compiledRule, level Level) {
	r := cr.rule
	// Search every item now: d.occs does not grow below.
	for k := range cr.nItems {
		for _, id := range cr.item(k) {
			d.occurrences(id)
		}
	}
	// Tokens covered by any occurrence of the rule's own items: negators
	// there are part of what the rule looks for. Marked on first need.
	coveredDone := false
	valid := func(o *occ) bool {
		if r.IgnoreNegation {
			return true
		}
		if o.suppressed || o.inTokenNeg {
			return false
		}
		if o.negN > 0 && !coveredDone {
			d.markCovered(cr)
			coveredDone = true
		}
		for _, n := range d.negs[o.negOff : o.negOff+o.negN] {
			if d.covered[n] != d.gen {
				return false
			}
		}
		return true
	}
	// Scope instances: which index an occurrence belongs to.
	scope := r.Within.Scope
	window := 0
	if scope == ScopeTokens {
		window, scope = r.Within.Tokens, ScopeSentence
	}
	switch {
	case level == LevelClause:
		scope = ScopeClause
	case level == LevelSentence && scope == ScopeUnit:
		scope = ScopeSentence
	}
	// Subject carry-over: in a clause-scoped rule (not at LevelClause),
	// every All item but the last may stand in the previous clause of the
	// same sentence when the clause opens with a predicate, as in 党务干部
	// 对党务知识学习不深入，投入党建工作精力不足 (but not 党建重要，业务次要).
	carryItems := 0
	if scope == ScopeClause && level != LevelClause && len(cr.all) > 1 {
		carryItems = len(cr.all) - 1
	}
	// Valid occurrences per item and instance, sorted by item then
	// instance, keeping the order found within each.
	d.ents = d.ents[:0]
	for k := range cr.nItems {
		for _, id := range cr.item(k) {
			occs := d.occurrences(id)
			for oi := range occs {
				o := &occs[oi]
				if !valid(o) {
					continue
				}
				i := int32(0)
				if o.first >= 0 {
					switch scope {
					case ScopeClause:
						i = d.clause[o.first]
					case ScopeSentence:
						i = d.sent[o.first]
					}
				}
				at := d.occRange[id][0] + int32(oi)
				d.ents = append(d.ents, entry{int32(k), i, at})
				if k < carryItems && int(i)+1 < d.nCl && d.clauseSent[i+1] == d.clauseSent[i] && d.predStart[i+1] {
					d.ents = append(d.ents, entry{int32(k), i + 1, at})
				}
			}
		}
	}
	slices.SortStableFunc(d.ents, func(x, y entry) int {
		if c := cmp.Compare(x.item, y.item); c != 0 {
			return c
		}
		return cmp.Compare(x.inst, y.inst)
	})
	d.itemStart = resize(d.itemStart, cr.nItems+1)
	e := 0
	for k := range cr.nItems + 1 {
		for e < len(d.ents) && int(d.ents[e].item) < k {
			e++
		}
		d.itemStart[k] = int32(e)
	}
	// Candidate instances: those where the first positive item occurs
	// (for All items, the first one: every one must occur).
	d.keys = d.keys[:0]
	firstItems := 1
	if len(cr.all) == 0 {
		firstItems = len(cr.anyOf)
	}
	for _, en := range d.ents[:d.itemStart[firstItems]] {
		d.keys = append(d.keys, en.inst)
	}
	if firstItems > 1 {
		slices.Sort(d.keys)
	}
	d.keys = slices.Compact(d.keys)
	for _, k := range d.keys {
		found := d.found[:0]
		ok := true
		for it := range len(cr.all) {
			es := d.instance(it, k)
			if len(es) == 0 {
				ok = false
				break
			}
			for _, en := range es {
				found = append(found, en.o)
			}
		}
		if !ok {
			continue
		}
		anyFound := 0
		for it := len(cr.all); it < cr.allAndAny; it++ {
			es := d.instance(it, k)
			anyFound += len(es)
			for _, en := range es {
				found = append(found, en.o)
			}
		}
		if len(cr.anyOf) > 0 && anyFound == 0 {
			continue
		}
		// A not item blocks the instance where it occurs and, when an
		// item was carried over from the previous clause, that clause too:
		// the carried words and what excludes them belong together
		// (考核评价机制单一，缺乏互动 is an assessment mechanism).
		carried := false
		for it := range carryItems {
			own := false
			for _, en := range d.instance(it, k) {
				if o := &d.occs[en.o]; o.first < 0 || d.clause[o.first] == k {
					own = true
					break
				}
			}
			if !own {
				carried = true // item it stands only in the previous clause
				break
			}
		}
		blocked := false
		for it := cr.allAndAny; it < cr.nItems; it++ {
			if len(d.instance(it, k)) > 0 || carried && len(d.instance(it, k-1)) > 0 {
				blocked = true
			}
		}
		if blocked {
			continue
		}
		if window > 0 {
			found = d.windows(window, cr, k, found[:0])
			if len(found) == 0 {
				d.found = found
				continue
			}
		}
		d.found = found
		d.addHit(cr, found)
	}
}

// instance returns the entries of item k in scope instance inst.
func (d *doc) instance(k int, inst int32) []entry {
	es := d.ents[d.itemStart[k]:d.itemStart[k+1]]
	lo, _ := slices.BinarySearchFunc(es, inst, func(e entry, t int32) int { return cmp.Compare(e.inst, t) })
	hi := lo
	for hi < len(es) && es[hi].inst == inst {
		hi++
	}
	return es[lo:hi]
}

// markCovered marks (with d.gen) the tokens covered by an occurrence of
// any item of r.
func (d *doc) markCovered(r *compiledRule) {
	d.covered = resize(d.covered, len(d.toks))
	d.gen++
	if d.gen == 0 {
		clear(d.covered)
		d.gen = 1
	}
	for k := range r.nItems {
		for _, id := range r.item(k) {
			for _, o := range d.occurrences(id) {
				for i := o.first; i >= 0 && i <= o.last; i++ {
					d.covered[i] = d.gen
				}
			}
		}
	}
}

// span returns the token span of occurrence oi counted in non-space
// tokens (0, 0 without tokens).
func (d *doc) span(oi int32) (int32, int32) {
	o := &d.occs[oi]
	if o.first < 0 {
		return 0, 0
	}
	return d.ord[o.first], d.ord[o.last]
}

// windows appends to out the occurrences (of instance k) that lie in some
// window of n tokens holding every All item and, if there are Any items,
// one of them, and returns out.
func (d *doc) windows(n int, r *compiledRule, k int32, out []int32) []int32 {
	// The occurrences of each item, and all of them (the pool), are sorted
	// (stably) by span start, so that the occurrences inside a window are
	// found by binary search: scanning them all for every candidate window
	// was quadratic in a long unit. d.spanned holds the list of each item
	// (listStart[i] to listStart[i+1]), then the pool.
	d.pool = d.pool[:0]
	d.spanned = d.spanned[:0]
	d.listStart = resize(d.listStart, r.allAndAny+2)
	for it := range r.allAndAny {
		d.listStart[it] = int32(len(d.spanned))
		for _, en := range d.instance(it, k) {
			d.pool = append(d.pool, en.o)
			a, b := d.span(en.o)
			d.spanned = append(d.spanned, spanned{a, b, en.o})
		}
	}
	d.listStart[r.allAndAny] = int32(len(d.spanned))
	for _, o := range d.pool {
		a, b := d.span(o)
		d.spanned = append(d.spanned, spanned{a, b, o})
	}
	d.listStart[r.allAndAny+1] = int32(len(d.spanned))
	byStart := func(x, y spanned) int { return cmp.Compare(x.a, y.a) }
	for it := range r.allAndAny + 1 {
		slices.SortStableFunc(d.spanned[d.listStart[it]:d.listStart[it+1]], byStart)
	}
	list := func(it int) []spanned { return d.spanned[d.listStart[it]:d.listStart[it+1]] }
	sortedPool := list(r.allAndAny)
	for _, c := range d.pool {
		a, _ := d.span(c)
		lo, hi := int(a), int(a)+n-1
		ok := true
		for it := range len(r.all) {
			if !hasWithin(list(it), lo, hi) {
				ok = false
				break
			}
		}
		if ok && len(r.anyOf) > 0 {
			ok = false
			for it := len(r.all); it < r.allAndAny; it++ {
				if hasWithin(list(it), lo, hi) {
					ok = true
					break
				}
			}
		}
		if !ok {
			continue
		}
		for i := firstFrom(sortedPool, lo); i < len(sortedPool) && int(sortedPool[i].a) <= hi; i++ {
			if int(sortedPool[i].b) <= hi {
				out = append(out, sortedPool[i].o)
			}
		}
	}
	return out
}

// firstFrom returns the index of the first element of list (sorted by a)
// with a >= lo.
func firstFrom(list []spanned, lo int) int {
	return sort.Search(len(list), func(i int) bool { return int(list[i].a) >= lo })
}

// hasWithin reports whether an occurrence of list lies within [lo, hi].
func hasWithin(list []spanned, lo, hi int) bool {
	for i := firstFrom(list, lo); i < len(list) && int(list[i].a) <= hi; i++ {
		if int(list[i].b) <= hi {
			return true
		}
	}
	return false
}

// addHit appends the hit of rule r made of the occurrences found (indexes
// into d.occs), sorting them and dropping repeated spans.
func (d *doc) addHit(r *compiledRule, found []int32) {
	slices.SortStableFunc(found, func(x, y int32) int {
		ox, oy := &d.occs[x], &d.occs[y]
		if c := cmp.Compare(ox.start, oy.start); c != 0 {
			return c
		}
		return cmp.Compare(ox.end, oy.end)
	})
	p := pending{category: r.category, rule: r.index, off: int32(len(d.hitAlts))}
	for i, oi := range found {
		o := &d.occs[oi]
		if i > 0 {
			if prev := &d.occs[found[i-1]]; o.start == prev.start && o.end == prev.end {
				continue
			}
		}
		d.hitAlts = append(d.hitAlts, o.alt)
		d.hitSpans = append(d.hitSpans, [2]int{int(o.start), int(o.end)})
	}
	p.n = int32(len(d.hitAlts)) - p.off
	if f := d.occs[found[0]].first; f >= 0 {
		p.sentence, p.clause = d.sent[f], d.clause[f]
	}
	d.hits = append(d.hits, p)
}

// predicatePOS reports whether a part-of-speech tag (gse / ICTCLAS style)
// marks a word that opens a predicate rather than a subject: verbs (v…),
// adverbs (d), adjectives (a…), prepositions (p) and conjunctions (c);
// not vn or an (考核, 监督: nouns that can be subjects).
func predicatePOS(pos string) bool {
	if pos == "" || pos == "vn" || pos == "an" { // verbal and adjectival nouns are nouns
		return false
	}
	switch pos[0] {
	case 'v', 'd', 'a', 'p', 'c':
		return true
	}
	return false
}
