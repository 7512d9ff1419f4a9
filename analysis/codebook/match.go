package codebook

import (
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
func (cb *Codebook) CodeLevels(text string, tokens []segment.Token, levels ...Level) [][]Hit {
	d := newDoc(cb, text, tokens)
	defer d.release()
	out := make([][]Hit, len(levels))
	for i, level := range levels {
		out[i] = d.code(level)
	}
	return out
}

// code evaluates every rule of the codebook at one level.
func (d *doc) code(level Level) []Hit {
	cb := d.cb
	var hits []Hit
	for _, c := range cb.Categories {
		for ri := range c.Rules {
			for _, h := range d.eval(&c.Rules[ri], level) {
				h.Category, h.Rule = c.ID, ri
				hits = append(hits, h)
			}
		}
	}
	return hits
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

// cachePool recycles the per-unit occurrence caches: a codebook has
// hundreds of alternatives, and growing a fresh map for every unit was the
// largest cost of coding.
var cachePool = sync.Pool{New: func() any { return make(map[Alt][]occ, 512) }}

// release returns the unit's cache to the pool; d must not be used after.
func (d *doc) release() {
	clear(d.cache)
	cachePool.Put(d.cache)
	d.cache = nil
	p := d.present
	clear(p)
	presentPool.Put(&p)
	d.present = nil
}

// doc is one unit prepared for matching.
type doc struct {
	cb     *Codebook
	text   string
	runeAt []int // byte offset in text → rune offset (len(text)+1 entries)
	toks   []segment.Token
	ord    []int // ordinal of each token among non-space tokens
	sent   []int // sentence index of each token
	clause []int // clause index of each token
	nSent  int
	nCl    int
	// clauseSent is the sentence index of each clause; predStart says
	// whether the clause opens with a predicate (its first content token
	// is a verb, adverb, adjective, preposition or conjunction), i.e. has
	// no subject of its own.
	clauseSent []int
	predStart  []bool
	// Concatenated surface texts and analysis terms of the non-space
	// tokens, with the token that starts or ends at each byte offset.
	joined [2]joinedText
	// contrast holds rune ranges [negator, 而是) whose occurrences are void;
	// effects holds the rune ranges [marker, sentence end) that state an
	// effect (after 导致 …), whose occurrences are void too.
	contrast [][2]int
	effects  [][2]int
	negators map[string]bool
	cache    map[Alt][]occ
	idx      *altIndex
	present  []bool // by alternative id: occurs in the text (phrases) or the joined tokens (terms)
}

type joinedText struct {
	s       string
	startAt []int32 // byte offset → index of the token starting there, or -1
	endAt   []int32 // byte offset → index of the token ending there, or -1
	// startPos and endPos map a byte offset where startAt or endAt is set
	// to the rune offset in the unit text. Offsets inside a compound token
	// (see altIndex.split) are boundaries too, belonging to that token.
	startPos, endPos []int32
}

// occ is one occurrence of an alternative in the unit.
type occ struct {
	alt         string
	start, end  int // runes
	first, last int // token indexes; -1 without tokens
	negs        []int
	inTokenNeg  bool
	suppressed  bool
}

func newDoc(cb *Codebook, text string, tokens []segment.Token) *doc {
	d := &doc{cb: cb, text: text, toks: tokens, cache: cachePool.Get().(map[Alt][]occ)}
	d.runeAt = make([]int, len(text)+1)
	r := 0
	for i := 0; i < len(text); r++ {
		// Decode as range does, so invalid bytes count as one rune each.
		_, size := utf8.DecodeRuneInString(text[i:])
		for k := 0; k < size; k++ {
			d.runeAt[i+k] = r
		}
		i += size
	}
	d.runeAt[len(text)] = r
	d.negators = make(map[string]bool, len(cb.Negators))
	for _, n := range cb.Negators {
		d.negators[n] = true
	}
	d.ord = make([]int, len(tokens))
	n := 0
	for i, t := range tokens {
		d.ord[i] = n
		if !isSpace(t.Text) {
			n++
		}
	}
	d.sent, d.nSent = index(Sentences(tokens), len(tokens))
	d.clause, d.nCl = index(Clauses(tokens), len(tokens))
	d.clauseSent = make([]int, d.nCl)
	d.predStart = make([]bool, d.nCl)
	seenCl := make([]bool, d.nCl)
	for i, t := range tokens {
		c := d.clause[i]
		d.clauseSent[c] = d.sent[i]
		if !seenCl[c] && hasContent(t.Text) {
			seenCl[c] = true
			d.predStart[c] = predicatePOS(t.POS.String())
		}
	}
	for k := range d.joined {
		var b strings.Builder
		for _, t := range tokens {
			if isSpace(t.Text) {
				continue
			}
			if k == 1 && t.Term != "" {
				b.WriteString(t.Term)
			} else {
				b.WriteString(t.Text)
			}
		}
		j := joinedText{s: b.String(), startAt: make([]int32, b.Len()+1), endAt: make([]int32, b.Len()+1), startPos: make([]int32, b.Len()+1), endPos: make([]int32, b.Len()+1)}
		for i := range j.startAt {
			j.startAt[i], j.endAt[i] = -1, -1
		}
		off := 0
		for i, t := range tokens {
			if isSpace(t.Text) {
				continue
			}
			s := t.Text
			if k == 1 && t.Term != "" {
				s = t.Term
			}
			j.startAt[off], j.startPos[off] = int32(i), t.Start
			if s == t.Text {
				// A compound of codebook terms gets inner boundaries.
				for _, c := range cb.index().split(s) {
					j.startAt[off+c], j.endAt[off+c] = int32(i), int32(i)
					r := t.Start + int32(utf8.RuneCountInString(s[:c]))
					j.startPos[off+c], j.endPos[off+c] = r, r
				}
			}
			off += len(s)
			j.endAt[off], j.endPos[off] = int32(i), t.End
		}
		d.joined[k] = j
	}
	d.idx = cb.index()
	if p, ok := presentPool.Get().(*[]bool); ok && cap(*p) >= len(d.idx.alts) {
		d.present = (*p)[:len(d.idx.alts)]
	} else {
		d.present = make([]bool, len(d.idx.alts))
	}
	mark(d.text, d.idx.phrases, d.idx.alts, d.present)
	for _, j := range d.joined {
		mark(j.s, d.idx.terms, d.idx.alts, d.present)
	}
	d.findContrasts()
	d.findEffects()
	return d
}

func index(ranges [][2]int, n int) ([]int, int) {
	idx := make([]int, n)
	for k, r := range ranges {
		for i := r[0]; i < r[1]; i++ {
			idx[i] = k
		}
	}
	return idx, len(ranges)
}

var (
	contrastNegators = []string{"不是", "并非", "并不是", "不在于", "并不在于"}
	contrastMarkers  = []string{"而是", "而在于"}
)

// findContrasts marks 不是A而是B: in each sentence, from the last contrast
// negator before a 而是 up to the 而是.
func (d *doc) findContrasts() {
	ranges := [][2]int{{0, utf8.RuneCountInString(d.text)}}
	if len(d.toks) > 0 {
		ranges = ranges[:0]
		for _, s := range Sentences(d.toks) {
			a, b := RuneRange(d.toks, s)
			ranges = append(ranges, [2]int{a, b})
		}
	}
	negs := d.positions(contrastNegators)
	marks := d.positions(contrastMarkers)
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
	ranges := d.sentenceRanges()
	reopen := d.positionsEnd(effectReopeners)
	for _, m := range d.positionsEnd(d.cb.EffectMarkers) {
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

// sentenceRanges returns the rune ranges of the sentences (the whole text
// when there are no tokens).
func (d *doc) sentenceRanges() [][2]int {
	if len(d.toks) == 0 {
		return [][2]int{{0, utf8.RuneCountInString(d.text)}}
	}
	var out [][2]int
	for _, s := range Sentences(d.toks) {
		a, b := RuneRange(d.toks, s)
		out = append(out, [2]int{a, b})
	}
	return out
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
			out = append(out, [3]int{d.runeAt[b], d.runeAt[b+len(s)], b + len(s)})
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
			out = append(out, d.runeAt[from+i])
			from += i + len(s)
		}
	}
	sort.Ints(out)
	return out
}

// tokenAt returns the index of the token containing rune offset pos, or -1.
func (d *doc) tokenAt(pos int) int {
	i := sort.Search(len(d.toks), func(i int) bool { return int(d.toks[i].Start) > pos }) - 1
	if i < 0 {
		return -1
	}
	return i
}

// occurrences finds (and caches) every occurrence of an alternative, with
// the negators before it.
func (d *doc) occurrences(a Alt) []occ {
	id, indexed := d.idx.id[a]
	if indexed {
		// Most alternatives do not occur in most units: the presence
		// flags from newDoc say so without a search or a cache entry.
		if !d.present[id] {
			return nil
		}
		if o, ok := d.cache[a]; ok {
			return o
		}
	} else {
		if o, ok := d.cache[a]; ok || a.Text == "" {
			return o
		}
		if !d.mayContain(a) {
			d.cache[a] = nil
			return nil
		}
	}
	var out []occ
	var seen map[[2]int]bool // spans in out, once there are many
	add := func(o occ) {
		if seen == nil && len(out) >= 16 {
			seen = make(map[[2]int]bool, 2*len(out))
			for _, p := range out {
				seen[[2]int{p.start, p.end}] = true
			}
		}
		if seen != nil {
			if seen[[2]int{o.start, o.end}] {
				return
			}
			seen[[2]int{o.start, o.end}] = true
		} else {
			for _, p := range out { // few occurrences: a scan beats a map
				if p.start == o.start && p.end == o.end {
					return
				}
			}
		}
		o.alt = a.Text
		d.annotate(&o)
		out = append(out, o)
	}
	if a.Phrase {
		for from := 0; from < len(d.text); {
			i := strings.Index(d.text[from:], a.Text)
			if i < 0 {
				break
			}
			b := from + i
			o := occ{start: d.runeAt[b], end: d.runeAt[b+len(a.Text)], first: -1, last: -1}
			if len(d.toks) > 0 {
				o.first = max(d.tokenAt(o.start), 0)
				o.last = max(d.tokenAt(o.end-1), o.first)
			}
			add(o)
			_, size := utf8.DecodeRuneInString(d.text[b:])
			from = b + size
		}
	} else {
		for _, j := range d.joined {
			for from := 0; from < len(j.s); {
				i := strings.Index(j.s[from:], a.Text)
				if i < 0 {
					break
				}
				b := from + i
				e := b + len(a.Text)
				f, l := int(j.startAt[b]), int(j.endAt[e])
				if f >= 0 && l >= 0 {
					add(occ{start: int(j.startPos[b]), end: int(j.endPos[e]), first: f, last: l})
				}
				_, size := utf8.DecodeRuneInString(j.s[b:])
				from = b + size
			}
		}
	}
	sort.Slice(out, func(i, k int) bool {
		if out[i].start != out[k].start {
			return out[i].start < out[k].start
		}
		return out[i].end < out[k].end
	})
	d.cache[a] = out
	return out
}

// mayContain reports whether a's text occurs at all where occurrences
// looks for it: in the text for a phrase, in the joined token texts or
// terms for a term.
func (d *doc) mayContain(a Alt) bool {
	if id, ok := d.idx.id[a]; ok {
		return d.present[id]
	}
	if a.Phrase {
		return strings.Contains(d.text, a.Text)
	}
	for _, j := range d.joined {
		if strings.Contains(j.s, a.Text) {
			return true
		}
	}
	return false
}

// annotate records the negators before an occurrence and whether it lies
// inside a 不是…而是 contrast.
func (d *doc) annotate(o *occ) {
	for _, c := range d.contrast {
		if o.start >= c[0] && o.start < c[1] {
			o.suppressed = true
		}
	}
	for _, c := range d.effects {
		if o.start >= c[0] && o.start < c[1] {
			o.suppressed = true
		}
	}
	if o.first < 0 {
		return
	}
	t := d.toks[o.first]
	if o.start > int(t.Start) {
		// The occurrence starts inside a token: look at the token's part
		// before it.
		prefix := []rune(t.Text)
		if k := o.start - int(t.Start); k <= len(prefix) {
			p := string(prefix[:k])
			for n := range d.negators {
				if strings.HasSuffix(p, n) {
					o.inTokenNeg = true
					break
				}
			}
		}
	}
	cl := d.clause[o.first]
	counted := 0
	for i := o.first - 1; i >= 0 && d.clause[i] == cl && counted < d.cb.NegationWindow; i-- {
		if isSpace(d.toks[i].Text) {
			continue
		}
		counted++
		if d.negators[d.toks[i].Text] {
			o.negs = append(o.negs, i)
		}
	}
}

// eval returns the hits of one rule (Category and Rule left unset).
func (d *doc) eval(r *Rule, level Level) []Hit {
	if !d.mayMatch(r) {
		return nil
	}
	// Tokens covered by any occurrence of the rule's own items: negators
	// there are part of what the rule looks for.
	covered := map[int]bool{}
	groups := [][]Item{r.All, r.Any, r.Not}
	for _, g := range groups {
		for _, it := range g {
			for _, a := range it.Alts {
				for _, o := range d.occurrences(a) {
					for i := o.first; i >= 0 && i <= o.last; i++ {
						covered[i] = true
					}
				}
			}
		}
	}
	valid := func(o occ) bool {
		if r.IgnoreNegation {
			return true
		}
		if o.suppressed || o.inTokenNeg {
			return false
		}
		for _, n := range o.negs {
			if !covered[n] {
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
	inst := func(o occ) int {
		if o.first < 0 {
			return 0
		}
		switch scope {
		case ScopeClause:
			return d.clause[o.first]
		case ScopeSentence:
			return d.sent[o.first]
		}
		return 0
	}
	// Subject carry-over: in a clause-scoped rule (not at LevelClause),
	// every All item but the last may stand in the previous clause of the
	// same sentence when the clause opens with a predicate, as in 党务干部
	// 对党务知识学习不深入，投入党建工作精力不足 (but not 党建重要，业务次要).
	carry := scope == ScopeClause && level != LevelClause && len(r.All) > 1
	// Valid occurrences per item and instance.
	collect := func(items []Item, carryItems int) []map[int][]occ {
		out := make([]map[int][]occ, len(items))
		for k, it := range items {
			out[k] = map[int][]occ{}
			for _, a := range it.Alts {
				for _, o := range d.occurrences(a) {
					if !valid(o) {
						continue
					}
					i := inst(o)
					out[k][i] = append(out[k][i], o)
					if k < carryItems && i+1 < d.nCl && d.clauseSent[i+1] == d.clauseSent[i] && d.predStart[i+1] {
						out[k][i+1] = append(out[k][i+1], o)
					}
				}
			}
		}
		return out
	}
	carryItems := 0
	if carry {
		carryItems = len(r.All) - 1
	}
	all, anyOf, not := collect(r.All, carryItems), collect(r.Any, 0), collect(r.Not, 0)
	// Candidate instances: those where the first positive item occurs.
	cand := map[int]bool{}
	first := all
	if len(first) == 0 {
		first = anyOf
	}
	for _, m := range first {
		for k := range m {
			cand[k] = true
		}
	}
	keys := make([]int, 0, len(cand))
	for k := range cand {
		keys = append(keys, k)
	}
	sort.Ints(keys)
	var hits []Hit
	for _, k := range keys {
		var found []occ
		ok := true
		for _, m := range all {
			if len(m[k]) == 0 {
				ok = false
				break
			}
			found = append(found, m[k]...)
		}
		if !ok {
			continue
		}
		anyFound := 0
		for _, m := range anyOf {
			anyFound += len(m[k])
			found = append(found, m[k]...)
		}
		if len(anyOf) > 0 && anyFound == 0 {
			continue
		}
		blocked := false
		for _, m := range not {
			if len(m[k]) > 0 {
				blocked = true
			}
		}
		if blocked {
			continue
		}
		if window > 0 {
			found = d.windows(window, all, anyOf, k)
			if len(found) == 0 {
				continue
			}
		}
		hits = append(hits, d.hit(found))
	}
	return hits
}

// mayMatch reports whether every All item and, when there are Any items,
// one of them occurs at all in the unit (negated or not). Most rules fail
// this cheap test on most units, which spares building their scopes.
func (d *doc) mayMatch(r *Rule) bool {
	occurs := func(it Item) bool {
		for _, a := range it.Alts {
			if len(d.occurrences(a)) > 0 {
				return true
			}
		}
		return false
	}
	for _, it := range r.All {
		if !occurs(it) {
			return false
		}
	}
	if len(r.Any) == 0 {
		return len(r.All) > 0
	}
	for _, it := range r.Any {
		if occurs(it) {
			return true
		}
	}
	return false
}

// windows returns the occurrences (of instance k) that lie in some window of
// n tokens holding every All item and, if there are Any items, one of them.
func (d *doc) windows(n int, all, anyOf []map[int][]occ, k int) []occ {
	span := func(o occ) (int, int) {
		if o.first < 0 {
			return 0, 0
		}
		return d.ord[o.first], d.ord[o.last]
	}
	// spanned is a list of occurrences sorted (stably) by span start, so
	// that the occurrences inside a window are found by binary search:
	// scanning them all for every candidate window was quadratic in a
	// long unit.
	type spanned struct {
		a, b int
		o    occ
	}
	sorted := func(list []occ) []spanned {
		out := make([]spanned, len(list))
		for i, o := range list {
			a, b := span(o)
			out[i] = spanned{a, b, o}
		}
		sort.SliceStable(out, func(i, j int) bool { return out[i].a < out[j].a })
		return out
	}
	// inside calls f with each occurrence of list within [lo, hi], in
	// list order, until f returns false.
	inside := func(list []spanned, lo, hi int, f func(o occ) bool) {
		i := sort.Search(len(list), func(i int) bool { return list[i].a >= lo })
		for ; i < len(list) && list[i].a <= hi; i++ {
			if list[i].b <= hi && !f(list[i].o) {
				return
			}
		}
	}
	var pool []occ
	for _, g := range [][]map[int][]occ{all, anyOf} {
		for _, m := range g {
			pool = append(pool, m[k]...)
		}
	}
	sortedPool := sorted(pool)
	allS := make([][]spanned, len(all))
	for i, m := range all {
		allS[i] = sorted(m[k])
	}
	anyS := make([][]spanned, len(anyOf))
	for i, m := range anyOf {
		anyS[i] = sorted(m[k])
	}
	has := func(list []spanned, lo, hi int) bool {
		found := false
		inside(list, lo, hi, func(occ) bool { found = true; return false })
		return found
	}
	var out []occ
	for _, c := range pool {
		lo, _ := span(c)
		hi := lo + n - 1
		ok := true
		for _, l := range allS {
			if !has(l, lo, hi) {
				ok = false
				break
			}
		}
		if ok && len(anyS) > 0 {
			ok = false
			for _, l := range anyS {
				if has(l, lo, hi) {
					ok = true
					break
				}
			}
		}
		if !ok {
			continue
		}
		inside(sortedPool, lo, hi, func(o occ) bool { out = append(out, o); return true })
	}
	return out
}

// hit builds a Hit from occurrences, dropping repeated spans.
func (d *doc) hit(found []occ) Hit {
	sort.SliceStable(found, func(i, k int) bool {
		if found[i].start != found[k].start {
			return found[i].start < found[k].start
		}
		return found[i].end < found[k].end
	})
	var h Hit
	for i, o := range found {
		if i > 0 && o.start == found[i-1].start && o.end == found[i-1].end {
			continue
		}
		h.Terms = append(h.Terms, o.alt)
		h.Spans = append(h.Spans, [2]int{o.start, o.end})
	}
	if f := found[0].first; f >= 0 {
		h.Sentence, h.Clause = d.sent[f], d.clause[f]
	}
	return h
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
