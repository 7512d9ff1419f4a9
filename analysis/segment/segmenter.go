package segment

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"unicode"
	"unicode/utf8"

	"golang.org/x/sync/errgroup"

	"surveymine/internal/spill"
)

// Config selects the dictionary additions and token filters of a
// Segmenter. The zero value gives the defaults: the gse dictionary plus the
// domain lexicon, our generic and survey-boilerplate stopword lists, the
// punctuation, number and single-character filters with the default
// keep-list, the default synonym map, and a clause cache of
// DefaultCacheSize entries.
type Config struct {
	// UserEntries are added to the dictionary and win over both the gse
	// dictionary and the domain lexicon (frequency and part of speech).
	// Frequencies below 2 are raised to 2, gse's minimum.
	UserEntries []Entry
	// NoDomainLexicon leaves out DomainLexicon.
	NoDomainLexicon bool

	// UserStopwords are dropped with filter UserStop.
	UserStopwords []string
	// NoGenericStopwords turns off GenericStopwords.
	NoGenericStopwords bool
	// NoBoilerplate turns off BoilerplateWords.
	NoBoilerplate bool
	// KeepPunct keeps punctuation and symbols as terms.
	KeepPunct bool
	// KeepNumbers keeps numbers (digits, Chinese numerals, percentages).
	KeepNumbers bool
	// KeepAllSingleChars turns the single-character filter off.
	KeepAllSingleChars bool
	// KeepSingleChars are single characters kept as terms; nil means
	// DefaultKeepSingleChars, an empty non-nil slice keeps none.
	KeepSingleChars []string
	// DropPOS lists part-of-speech tags (exact, e.g. "uj", "x") whose
	// tokens are dropped with filter POS.
	DropPOS []string

	// Synonyms maps variant → canonical term and is applied on top of the
	// default map (a variant here overrides the default's canonical).
	// Chains through the default map are followed (a → b here and b → c
	// there give a → c); a cycle is an error from New.
	// Variants of two or more characters are added to the dictionary so
	// they come out of the segmenter whole.
	Synonyms map[string]string
	// NoDefaultSynonyms leaves out DefaultSynonyms.
	NoDefaultSynonyms bool

	// Masks are placeholders that replaced redacted text, such as
	// "[手机号]" or "[姓名]". Each occurrence becomes one token, dropped
	// with filter Masked, so masks neither split into words nor become
	// terms. Every mask must start with a punctuation character.
	Masks []string

	// CacheSize bounds the clause cache in entries; 0 means
	// DefaultCacheSize, a negative value turns the cache off.
	CacheSize int

	// Spill, when set, holds the packed tokens that CutDistinct and
	// ReplayDistinct return out of the Go heap (see package spill); nil
	// keeps them in the heap.
	Spill *spill.Arena
}

// DefaultCacheSize is the clause cache size when Config.CacheSize is 0.
const DefaultCacheSize = 1 << 16

// maxCachedClause is the longest clause, in bytes, kept in the cache:
// longer clauses rarely repeat.
const maxCachedClause = 96

// Segmenter cuts Chinese text into tokens and analysis terms. It is built
// once by New and safe for concurrent use by any number of goroutines.
type Segmenter struct {
	lex *lexicon

	// words holds what the stopword lists, the keep-list and the
	// synonym map say about a folded word, so that a token costs one
	// lookup, not one per list.
	words      map[string]wordInfo
	wordFirst  runeSet   // the first runes of the keys of words
	singleChar bool      // the single-character filter is on
	dropPOS    [256]bool // indexed by Tag
	keepPunct  bool
	keepNum    bool
	masks      []string // Config.Masks, longest first

	cache *clauseCache
	spill *spill.Arena // Config.Spill
	stats [statShards]stats
	next  atomic.Uint32
}

// New builds a Segmenter. The first call in a process loads the shared gse
// dictionary (about 0.35 s, 53 MiB peak); later calls only build the small
// overlay. It returns an error when a user entry or synonym is not a
// usable word, or when synonyms form a cycle.
func New(cfg Config) (*Segmenter, error) {
	over := newDict(1024)
	if !cfg.NoDomainLexicon {
		for _, e := range DomainLexicon() {
			over.add(e.Word, e.Freq, e.POS, true)
		}
	}

	syn := make(map[string]string)
	if !cfg.NoDefaultSynonyms {
		for v, c := range DefaultSynonyms() {
			syn[v] = c
		}
	}
	for v, c := range cfg.Synonyms {
		v, c = strings.TrimSpace(v), strings.TrimSpace(c)
		if v == "" || c == "" {
			return nil, fmt.Errorf("synonym %q → %q: empty term", v, c)
		}
		syn[foldKey(v)] = foldKey(c)
	}
	if err := resolveChains(syn); err != nil {
		return nil, err
	}
	b := base()
	for _, v := range sortedKeys(syn) {
		// Variants must come out whole to be merged; give unknown ones a
		// modest frequency so they do not override general words.
		if utf8.RuneCountInString(v) < 2 {
			continue
		}
		if _, _, ok, _ := b.lookup(v); ok {
			continue
		}
		if _, _, ok, _ := over.lookup(v); ok {
			continue
		}
		over.add(v, DefaultFreq/2, "n", false)
	}
	for i, e := range cfg.UserEntries {
		w := strings.TrimSpace(e.Word)
		if w == "" || strings.ContainsFunc(w, isBreak) {
			return nil, fmt.Errorf("user entry %d: word %q is empty or contains space or punctuation", i+1, e.Word)
		}
		over.add(w, max(e.Freq, minFreq), e.POS, true)
	}

	var masks []string
	for _, m := range cfg.Masks {
		if r, _ := utf8.DecodeRuneInString(m); m == "" || !isBreak(r) {
			return nil, fmt.Errorf("mask %q must start with punctuation", m)
		}
		masks = append(masks, m)
	}
	sort.SliceStable(masks, func(i, j int) bool { return len(masks[i]) > len(masks[j]) })
	s := &Segmenter{
		masks:     masks,
		lex:       newLexicon(b, over),
		words:     make(map[string]wordInfo),
		keepPunct: cfg.KeepPunct,
		keepNum:   cfg.KeepNumbers,
		spill:     cfg.Spill,
	}
	// Lists in filter order: a word on several is dropped by the first.
	var stop [3][]string
	if !cfg.NoGenericStopwords {
		stop[0] = GenericStopwords()
	}
	if !cfg.NoBoilerplate {
		stop[1] = BoilerplateWords()
	}
	stop[2] = cfg.UserStopwords
	for i := len(stop) - 1; i >= 0; i-- {
		s.mark(stop[i], func(w *wordInfo) { w.stop = uint8(i) + 1 })
	}
	if !cfg.KeepAllSingleChars {
		keep := cfg.KeepSingleChars
		if keep == nil {
			keep = DefaultKeepSingleChars()
		}
		s.singleChar = true
		s.mark(keep, func(w *wordInfo) { w.keep = true })
	}
	for v, c := range syn {
		w := s.words[v]
		w.syn, w.hasSyn = c, true
		s.words[v] = w
	}
	for _, p := range cfg.DropPOS {
		s.dropPOS[posID(strings.TrimSpace(p))] = true
	}
	for k := range s.words {
		r, _ := utf8.DecodeRuneInString(k)
		s.wordFirst.add(r)
	}
	size := cfg.CacheSize
	if size == 0 {
		size = DefaultCacheSize
	}
	if size > 0 {
		s.cache = newClauseCache(size)
	}
	for i := range s.stats {
		s.stats[i].init()
	}
	return s, nil
}

// resolveChains rewrites syn so every variant maps to a term that is not
// itself a variant (a user map may point into the default one). It returns
// an error for a cycle.
func resolveChains(syn map[string]string) error {
	for _, v := range sortedKeys(syn) {
		c := syn[v]
		for steps := 0; ; steps++ {
			next, ok := syn[c]
			if !ok {
				break
			}
			if next == c || steps > len(syn) {
				return fmt.Errorf("synonym %q: cycle through %q", v, c)
			}
			c = next
		}
		if c == v {
			return fmt.Errorf("synonym %q: cycle back to itself", v)
		}
		syn[v] = c
	}
	return nil
}

// wordInfo is what the configured lists say about one folded word.
type wordInfo struct {
	stop   uint8  // 1 + index of the first stopword list (generic, boilerplate, user) holding the word; 0 if none
	keep   bool   // on the single-character keep-list
	hasSyn bool   // a synonym variant, with canonical term syn
	syn    string // the canonical term
}

// mark applies set to the entry of each word of list (trimmed, folded;
// blank words are ignored).
func (s *Segmenter) mark(list []string, set func(*wordInfo)) {
	for _, w := range list {
		if w = strings.TrimSpace(w); w != "" {
			k := foldKey(w)
			info := s.words[k]
			set(&info)
			s.words[k] = info
		}
	}
}

// isBreak reports whether r ends a clause: whitespace and punctuation never
// occur inside a dictionary word (TestBaseDictionary checks the gse
// dictionary; New rejects user entries with them), so clauses can be cut
// independently and cached with the same result as cutting the whole text.
// '&' and '#' are exceptions: gse has "at&t" and "c#".
func isBreak(r rune) bool {
	return unicode.IsSpace(r) || unicode.IsPunct(r) && r != '&' && r != '#'
}

// asciiBreak[c] is isBreak(rune(c)) for ASCII c.
var asciiBreak = func() (t [utf8.RuneSelf]bool) {
	for c := range t {
		t[c] = isBreak(rune(c))
	}
	return t
}()

// indexBreak is strings.IndexFunc(s, isBreak) with fast paths for ASCII
// and the CJK Unified Ideographs block, which has no breaks.
func indexBreak(s string) int {
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if asciiBreak[c] {
				return i
			}
			i++
			continue
		}
		r, size := decodeRune(s, i)
		if (r < 0x4E00 || r > 0x9FFF) && isBreak(r) {
			return i
		}
		i += size
	}
	return -1
}

// Cut segments text and applies the filters. Every rune of text belongs to
// exactly one token, in order; dropped tokens (stopwords, negations,
// punctuation, …) stay in the slice with Term "". Cut returns nil for "".
// Traditional characters are folded to simplified first (Fold), so
// Token.Text is the folded text; offsets are the same in the original.
// It is safe for concurrent use.
func (s *Segmenter) Cut(text string) []Token {
	st := &s.stats[s.next.Add(1)%statShards]
	w := getWork(nil)
	toks := s.cut(text, w, nil)
	st.mu.Lock()
	st.record(toks, 1)
	st.flush(w)
	st.mu.Unlock()
	putWork(w)
	return toks
}

// work is per-goroutine scratch space.
type work struct {
	units         []unit
	scratch       scratch
	pieces        []piece
	lookups, hits int64 // clause cache, flushed into stats

	// ctx, when not nil, stops cut part-way through a long text once it is
	// cancelled (checked every 1024 clauses); the caller then discards the
	// tokens and returns ctx.Err().
	ctx     context.Context
	clauses int

	folded string // Fold of the text cut last
}

// works recycles work values, whose scratch is some 30 kB, between calls:
// some callers Cut one short text at a time.
var works = sync.Pool{New: func() any { return new(work) }}

// getWork returns a work with no counts, for ctx (which may be nil).
func getWork(ctx context.Context) *work {
	w := works.Get().(*work)
	w.ctx, w.clauses, w.lookups, w.hits = ctx, 0, 0, 0
	return w
}

func putWork(w *work) {
	w.ctx, w.folded = nil, ""
	works.Put(w)
}

func (s *Segmenter) cut(text string, w *work, out []Token) []Token {
	w.folded = text // Fold("") == ""
	if text == "" {
		return out
	}
	text = Fold(text)
	w.folded = text
	runeOff := 0
	for len(text) > 0 {
		if w.clauses++; w.ctx != nil && w.clauses%1024 == 0 && w.ctx.Err() != nil {
			return out
		}
		// A clause is a maximal run without breaks; each break rune is a
		// token of its own (gse never joins it with a neighbour).
		i := indexBreak(text)
		if i != 0 {
			clause := text
			if i > 0 {
				clause = text[:i]
			}
			out, runeOff = s.cutClause(clause, w, out, runeOff)
			text = text[len(clause):]
			continue
		}
		if m := s.maskAt(text); m != "" {
			n := utf8.RuneCountInString(m)
			out = append(out, Token{Text: m, POS: TagOf("x"), Start: int32(runeOff), End: int32(runeOff + n), Dropped: Masked})
			runeOff += n
			text = text[len(m):]
			continue
		}
		_, size := utf8.DecodeRuneInString(text)
		out = append(out, s.finish(Token{Text: text[:size], Start: int32(runeOff), End: int32(runeOff + 1)}))
		runeOff++
		text = text[size:]
	}
	return out
}

// maskAt returns the mask that text starts with, or "".
func (s *Segmenter) maskAt(text string) string {
	for _, m := range s.masks {
		if strings.HasPrefix(text, m) {
			return m
		}
	}
	return ""
}

func (s *Segmenter) cutClause(clause string, w *work, out []Token, runeOff int) ([]Token, int) {
	if s.cache != nil && len(clause) <= maxCachedClause {
		w.lookups++
		if cached, ok := s.cache.get(clause); ok {
			w.hits++
			for _, t := range cached {
				t.Start += int32(runeOff)
				t.End += int32(runeOff)
				out = append(out, t)
			}
			return out, runeOff + int(cached[len(cached)-1].End)
		}
	}
	k := len(out)
	key := foldKey(clause)
	w.units = appendUnits(w.units[:0], key)
	w.pieces = s.lex.segment(key, w.units, &w.scratch, w.pieces[:0])
	off := runeOff
	for _, p := range w.pieces {
		text := clause[p.start:p.end]
		n := utf8.RuneCountInString(text)
		out = append(out, s.finish(Token{Text: text, POS: Tag(p.pos), Start: int32(off), End: int32(off + n)}))
		off += n
	}
	if s.cache != nil && len(clause) <= maxCachedClause {
		c := make([]Token, len(out)-k)
		copy(c, out[k:])
		for i := range c {
			c[i].Start -= int32(runeOff)
			c[i].End -= int32(runeOff)
		}
		s.cache.put(clause, c)
	}
	return out, off
}

// finish applies the filters and the synonym map to t.
func (s *Segmenter) finish(t Token) Token {
	text := t.Text
	cls := classify(text)
	switch {
	case cls&clsSpace != 0:
		t.Dropped = Space
		return t
	case !s.keepPunct && cls&clsPunct != 0:
		t.Dropped = Punct
		return t
	case !s.keepNum && cls&clsNumber != 0:
		t.Dropped = Number
		return t
	}
	key := foldKey(text)
	var info wordInfo
	if r, _ := decodeRune(key, 0); s.wordFirst.has(r) { // most tokens are on no list
		info = s.words[key]
	}
	if info.stop > 0 {
		t.Dropped = Stopword + Filter(info.stop-1)
		return t
	}
	if s.singleChar && !info.keep {
		if r, size := utf8.DecodeRuneInString(text); size == len(text) && unicode.IsLetter(r) {
			t.Dropped = SingleChar
			return t
		}
	}
	if s.dropPOS[t.POS] {
		t.Dropped = POS
		return t
	}
	t.Term = key
	if info.hasSyn {
		t.Term = info.syn
	}
	return t
}

// runeSet is a set of runes below setRunes, which holds every rune of
// the CJK Unified Ideographs and all before them, with the runes above
// always reported present: a filter that is exact where text mostly is.
type runeSet [setRunes / 64]uint64

const setRunes = 0xA000

func (rs *runeSet) add(r rune) {
	if uint(r) < setRunes {
		rs[r/64] |= 1 << (r % 64)
	}
}

// has reports whether r may be in the set: false is certain.
func (rs *runeSet) has(r rune) bool {
	return uint(r) >= setRunes || rs[r/64]&(1<<(r%64)) != 0
}

// decodeRune is utf8.DecodeRuneInString(s[i:]) with the common three-byte
// forms (lead bytes E1–EC and EE–EF, whose second byte may be any
// continuation byte; the CJK block is E4–E9) decoded inline.
func decodeRune(s string, i int) (rune, int) {
	if c := s[i]; c < utf8.RuneSelf {
		return rune(c), 1
	} else if 0xE1 <= c && c <= 0xEF && c != 0xED && i+2 < len(s) {
		if c1, c2 := s[i+1], s[i+2]; c1&0xC0 == 0x80 && c2&0xC0 == 0x80 {
			return rune(c&0x0F)<<12 | rune(c1&0x3F)<<6 | rune(c2&0x3F), 3
		}
	}
	return utf8.DecodeRuneInString(s[i:])
}

// The classes of a token's text that the space, punct and number filters
// drop (classify).
const (
	clsSpace  = 1 << iota // every rune is white space
	clsPunct              // every rune is punctuation or a symbol
	clsNumber             // digits and Chinese numerals, possibly with . % ％ , + -
)

// classify returns the classes of s (not ""), in one pass:
//   - clsSpace: every rune is unicode.IsSpace;
//   - clsPunct: every rune is unicode.IsPunct or unicode.IsSymbol;
//   - clsNumber: every rune is unicode.IsNumber, one of chineseNumerals,
//     or one of . % ％ , + -, and at least one is of the first two kinds.
//
// ASCII and the CJK Unified Ideographs take table look-ups instead of
// the unicode package's range tables.
func classify(s string) uint8 {
	var cls uint8 = clsSpace | clsPunct | clsNumber
	digit := false
	for _, r := range s {
		switch {
		case r < utf8.RuneSelf:
			a := asciiClass[r]
			cls &= a | clsDigitOnly
			if a&clsDigitOnly != 0 {
				digit = true
			}
		case cjkFirst <= r && r <= cjkLast:
			cls &^= clsSpace | clsPunct
			if numeralBits[(r-cjkFirst)/64]&(1<<((r-cjkFirst)%64)) != 0 {
				digit = true
			} else {
				cls &^= clsNumber
			}
		default:
			if !unicode.IsSpace(r) {
				cls &^= clsSpace
			}
			if !unicode.IsPunct(r) && !unicode.IsSymbol(r) {
				cls &^= clsPunct
			}
			switch {
			case unicode.IsNumber(r) || strings.ContainsRune(chineseNumerals, r):
				digit = true
			case r == '％':
			default:
				cls &^= clsNumber
			}
		}
		if cls == 0 {
			return 0
		}
	}
	if !digit {
		cls &^= clsNumber
	}
	return cls
}

// clsDigitOnly marks, in asciiClass, a digit (which keeps clsNumber and
// counts as one); the separators . % , + - keep clsNumber only.
const clsDigitOnly = 1 << 7

const cjkFirst, cjkLast = 0x4E00, 0x9FFF

// asciiClass[c] is the classes a text made of c alone would have, with
// clsDigitOnly for digits; numeralBits marks the chineseNumerals among the
// CJK Unified Ideographs. Both are computed from the definitions above.
var (
	asciiClass = func() (t [utf8.RuneSelf]uint8) {
		for c := range t {
			r := rune(c)
			if unicode.IsSpace(r) {
				t[c] |= clsSpace
			}
			if unicode.IsPunct(r) || unicode.IsSymbol(r) {
				t[c] |= clsPunct
			}
			switch {
			case unicode.IsNumber(r) || strings.ContainsRune(chineseNumerals, r):
				t[c] |= clsNumber | clsDigitOnly
			case r == '.' || r == '%' || r == ',' || r == '+' || r == '-':
				t[c] |= clsNumber
			}
		}
		return t
	}()
	numeralBits = func() (b [(cjkLast - cjkFirst + 64) / 64]uint64) {
		for _, r := range chineseNumerals {
			if cjkFirst <= r && r <= cjkLast {
				b[(r-cjkFirst)/64] |= 1 << ((r - cjkFirst) % 64)
			}
		}
		return b
	}()
)

// chineseNumerals are the characters of Chinese numbers; a token made only
// of them (and digits) is a number.
const chineseNumerals = "零〇一二三四五六七八九十百千万亿两壹贰叁肆伍陆柒捌玖拾佰仟半几"

// CutAll cuts texts on up to workers goroutines (values below 1 mean 1)
// and returns one token slice per text, in input order; the result does
// not depend on workers. Each distinct text is cut once and texts that are
// equal share one token slice (survey answers repeat: 同上, 无, a sentence
// pasted by a whole office), so callers must not modify the tokens; the
// slices have no spare capacity, so an append copies. The audit counts
// every text, repeated ones included. It stops early and returns
// ctx.Err() when ctx is cancelled. Memory beyond the result is an index
// of the distinct texts and a few kilobytes per worker.
func (s *Segmenter) CutAll(ctx context.Context, texts []string, workers int) ([][]Token, error) {
	r, distinct, err := group(ctx, texts)
	if err != nil {
		return nil, err
	}
	cuts := make([][]Token, len(distinct))
	err = s.cutChunks(ctx, len(distinct), workers, func(ctx context.Context, lo, hi int, w *work, st *stats) error {
		// The tokens of a chunk's texts are cut straight into shared
		// arrays, each text's slice clipped to its length.
		var slab []Token
		for i := lo; i < hi; i++ {
			if i%32 == 0 {
				if err := ctx.Err(); err != nil {
					return err
				}
			}
			if cap(slab)-len(slab) < 64 {
				slab = make([]Token, 0, 4096)
			}
			free := slab[len(slab):]
			toks := s.cut(distinct[i], w, free)
			if len(toks) > 0 {
				cuts[i] = toks[:len(toks):len(toks)]
				if cap(toks) == cap(free) { // still in slab; else append moved it out
					slab = slab[:len(slab)+len(toks)]
				}
			}
			st.record(cuts[i], int64(r.Count[i]))
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	out := make([][]Token, len(texts))
	for i, d := range r.Of {
		out[i] = cuts[d]
	}
	return out, nil
}

// Distinct is the result of CutDistinct: the tokens of each distinct text,
// in order of first occurrence, and which distinct text each input is.
type Distinct struct {
	Cuts  *Packed // the tokens per distinct text, packed (Cuts.Tokens reads them)
	Count []int   // how many inputs have the distinct text
	Of    []int32 // per input text: its distinct text's index in Cuts
}

// CutDistinct cuts each distinct text of texts once, on up to workers
// goroutines, and tells which distinct text each input is. The result
// does not depend on workers. The audit counts every input text.
func (s *Segmenter) CutDistinct(ctx context.Context, texts []string, workers int) (Distinct, error) {
	r, distinct, err := group(ctx, texts)
	if err != nil {
		return Distinct{}, err
	}
	r.Cuts = newPacked(len(distinct))
	r.Cuts.arena = s.spill
	err = s.cutChunks(ctx, len(distinct), workers, func(ctx context.Context, lo, hi int, w *work, st *stats) error {
		var toks []Token
		// Cut each text into a per-worker scratch slice and pack it:
		// the packed tokens are all that stays.
		for i := lo; i < hi; i++ {
			if i%32 == 0 {
				if err := ctx.Err(); err != nil {
					return err
				}
			}
			toks = s.cut(distinct[i], w, toks[:0])
			r.Cuts.setFolded(i, w.folded, toks)
			st.record(toks, int64(r.Count[i]))
		}
		return nil
	})
	if err != nil {
		return Distinct{}, err
	}
	return r, nil
}

// cutChunks calls cut for chunks of 256 of n distinct texts, lo to hi, on
// up to workers goroutines (values below 1 mean 1), each call with a work
// (whose clause cache counts it then adds to the audit) and audit counts
// that no other goroutine touches meanwhile, so cut records without
// locking. There are as many of those as goroutines, and they are added
// to the Segmenter's audit at the end (also after an error): counting
// into a few maps that stay in the cache, instead of a shard per chunk,
// costs less, and Audit never sees half a call. The first error cancels
// the other chunks and is returned; so is ctx.Err() when ctx is cancelled.
func (s *Segmenter) cutChunks(ctx context.Context, n, workers int, cut func(ctx context.Context, lo, hi int, w *work, st *stats) error) error {
	const chunk = 256
	workers = max(1, min(workers, (n+chunk-1)/chunk))
	free := make(chan *stats, workers)
	locals := make([]*stats, workers)
	for i := range locals {
		locals[i] = new(stats)
		locals[i].init()
		free <- locals[i]
	}
	g, gctx := errgroup.WithContext(ctx)
	g.SetLimit(workers)
	for lo := 0; lo < n; lo += chunk {
		if gctx.Err() != nil {
			break
		}
		hi := min(lo+chunk, n)
		g.Go(func() error {
			st := <-free // never waits: at most workers chunks run at once
			defer func() { free <- st }()
			w := getWork(gctx)
			defer putWork(w)
			err := cut(gctx, lo, hi, w, st)
			st.flush(w)
			return err
		})
	}
	err := g.Wait()
	st := &s.stats[s.next.Add(1)%statShards]
	st.mu.Lock()
	for _, l := range locals {
		st.add(l)
	}
	st.mu.Unlock()
	if err != nil {
		return err
	}
	return ctx.Err()
}

// group numbers the distinct texts of texts by first occurrence: r.Of and
// r.Count are filled (r.Cuts is left to the caller); distinct lists the
// texts.
func group(ctx context.Context, texts []string) (r Distinct, distinct []string, err error) {
	first := make(map[string]int32, len(texts)/2+1)
	r = Distinct{Of: make([]int32, len(texts))}
	for i, t := range texts {
		if i%4096 == 0 {
			if err := ctx.Err(); err != nil {
				return Distinct{}, nil, err
			}
		}
		d, ok := first[t]
		if !ok {
			d = int32(len(distinct))
			first[t] = d
			distinct = append(distinct, t)
			r.Count = append(r.Count, 0)
		}
		r.Of[i] = d
		r.Count[d]++
	}
	return r, distinct, nil
}

// Recorded looks up the tokens of a text that a Segmenter with the same
// configuration cut before (in another process, say) and appends them to
// dst[:0]; ok is false when the text is unknown. ReplayDistinct calls it
// from several goroutines at once, each with a dst of its own that it
// reuses for the next text.
type Recorded func(text string, dst []Token) (toks []Token, ok bool)

// ErrNotRecorded is returned by ReplayDistinct for a text that rec does
// not know.
var ErrNotRecorded = errors.New("text was not recorded")

// ReplayDistinct is CutDistinct with every distinct text's tokens taken
// from rec instead of cut, on up to workers goroutines (values below 1
// mean 1): the grouping, the result and the audit counts are those
// CutDistinct would give, provided rec returns what this Segmenter's Cut
// returns (a shard worker's recording, say), and none of them depends on
// workers. No clause cache lookups are counted. A text rec does not know
// is an error that wraps ErrNotRecorded and quotes the first characters
// of the first such text in order of first occurrence.
func (s *Segmenter) ReplayDistinct(ctx context.Context, texts []string, rec Recorded, workers int) (Distinct, error) {
	workers = max(workers, 1)
	r, distinct, err := group(ctx, texts)
	if err != nil {
		return Distinct{}, err
	}
	r.Cuts = newPacked(len(distinct))
	r.Cuts.arena = s.spill
	// Chunks do not cancel each other when a text is missing, so that
	// the error names the first missing text whatever the scheduling.
	const chunk = 1024
	missing := make([]int, (len(distinct)+chunk-1)/chunk) // per chunk: 1 + its first missing text, 0 if none
	var g errgroup.Group
	g.SetLimit(workers)
	for c := range missing {
		lo, hi := c*chunk, min((c+1)*chunk, len(distinct))
		g.Go(func() error {
			if err := ctx.Err(); err != nil {
				return err
			}
			st := &s.stats[s.next.Add(1)%statShards]
			var toks []Token // reused: set copies what it keeps
			for i := lo; i < hi; i++ {
				var ok bool
				toks, ok = rec(distinct[i], toks)
				if !ok {
					missing[c] = 1 + i
					return nil
				}
				r.Cuts.set(i, distinct[i], toks)
				st.mu.Lock()
				st.record(toks, int64(r.Count[i]))
				st.mu.Unlock()
			}
			return nil
		})
	}
	if err := g.Wait(); err != nil {
		return Distinct{}, err
	}
	for _, m := range missing {
		if m > 0 {
			return Distinct{}, fmt.Errorf("%w: %q", ErrNotRecorded, preview(distinct[m-1], 40))
		}
	}
	if err := ctx.Err(); err != nil {
		return Distinct{}, err
	}
	return r, nil
}

// preview returns the first n characters of s, with "…" when cut.
func preview(s string, n int) string {
	for i := range s {
		if n == 0 {
			return s[:i] + "…"
		}
		n--
	}
	return s
}

// Terms returns the analysis terms of tokens (those with Term != ""), in
// order. It returns nil when there are none.
func Terms(tokens []Token) []string {
	var out []string
	for _, t := range tokens {
		if t.Term != "" {
			out = append(out, t.Term)
		}
	}
	return out
}

// Split is a term the segmenter does not keep whole, with the pieces it
// cuts it into.
type Split struct {
	Term   string
	Pieces []string
}

// Splits segments each term on its own and returns, in input order, those
// that do not come out as a single token. Empty terms are ignored.
func (s *Segmenter) Splits(terms []string) []Split {
	var out []Split
	w := getWork(nil)
	defer putWork(w)
	for _, term := range terms {
		term = strings.TrimSpace(term)
		if term == "" {
			continue
		}
		toks := s.cut(term, w, nil)
		if len(toks) == 1 {
			continue
		}
		sp := Split{Term: term}
		for _, t := range toks {
			sp.Pieces = append(sp.Pieces, t.Text)
		}
		out = append(out, sp)
	}
	return out
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
