package segment

import (
	"sort"
	"sync"
	"unicode"
	"unicode/utf8"
)

const statShards = 16

// stats accumulates audit counts; each shard has its own mutex so
// concurrent Cut calls rarely wait for each other.
type stats struct {
	mu          sync.Mutex
	tokens      int64
	terms       int64
	dropped     [numFilters]map[string]int64
	singleChars map[string]int64
	// byRune holds the counts of dropped and singleChars for texts of one
	// rune, keyed by rune | kind<<24, kind being the filter or singleKind:
	// an integer key costs less to hash and compare than a string, and
	// most dropped tokens are one character. Audit merges them.
	byRune  map[uint32]int64
	merges  map[[2]string]int64
	lookups int64 // clause cache lookups
	hits    int64 // clause cache hits
}

// flush moves w's cache counters into st; st.mu must be held.
func (st *stats) flush(w *work) {
	st.lookups += w.lookups
	st.hits += w.hits
	w.lookups, w.hits = 0, 0
}

func (st *stats) init() {
	for i := range st.dropped {
		st.dropped[i] = make(map[string]int64)
	}
	st.singleChars = make(map[string]int64)
	st.byRune = make(map[uint32]int64)
	st.merges = make(map[[2]string]int64)
}

// add adds the counts of o to st; st.mu must be held, and o must not
// change meanwhile.
func (st *stats) add(o *stats) {
	st.tokens += o.tokens
	st.terms += o.terms
	st.lookups += o.lookups
	st.hits += o.hits
	for f, m := range o.dropped {
		for w, n := range m {
			st.dropped[f][w] += n
		}
	}
	for w, n := range o.singleChars {
		st.singleChars[w] += n
	}
	for k, n := range o.byRune {
		st.byRune[k] += n
	}
	for k, n := range o.merges {
		st.merges[k] += n
	}
}

// record counts toks n times (n texts cut into the same tokens); st.mu
// must be held.
func (st *stats) record(toks []Token, n int64) {
	st.tokens += int64(len(toks)) * n
	for i := range toks {
		t := &toks[i]
		// One rune, and string(r) gives the text back (not so for a
		// byte that is not UTF-8, which decodes as RuneError of size 1).
		r, size := utf8.DecodeRuneInString(t.Text)
		oneRune := size == len(t.Text) && (r != utf8.RuneError || size == 3)
		if t.Dropped == Keep {
			st.terms += n
		} else if int(t.Dropped) < len(st.dropped) {
			if oneRune {
				st.byRune[uint32(r)|uint32(t.Dropped)<<24] += n
			} else {
				st.dropped[t.Dropped][t.Text] += n
			}
		}
		// utf8.RuneCountInString(t.Text) == 1 is size == len(t.Text) here.
		if t.Dropped != Space && t.Dropped != Punct && oneRune && unicode.IsLetter(r) {
			st.byRune[uint32(r)|singleKind<<24] += n
		}
		if t.Term != "" && t.Term != foldKey(t.Text) {
			st.merges[[2]string{t.Text, t.Term}] += n
		}
	}
}

// singleKind marks single-character counts in stats.byRune.
const singleKind = 0xFF

// Count is a word with the number of times it was seen.
type Count struct {
	Word  string
	Count int64
}

// FilterCount is what one filter dropped: the total number of tokens and
// the distinct words, most frequent first (ties by word).
type FilterCount struct {
	Filter Filter
	Tokens int64
	Words  []Count
}

// Merge is a surface form the synonym map replaced by its canonical term.
type Merge struct {
	Variant   string
	Canonical string
	Count     int64
}

// Audit summarises everything a Segmenter has cut since New: counts are
// cumulative over all Cut and CutAll calls.
type Audit struct {
	Tokens      int64         // tokens produced
	Terms       int64         // tokens kept as analysis terms
	Dropped     []FilterCount // one per filter that dropped anything, in filter order
	SingleChars []Count       // single-letter tokens (kept or dropped), most frequent first
	Merges      []Merge       // synonym merges, most frequent first
	// CacheLookups and CacheHits count clause-cache lookups and hits;
	// both are 0 when the cache is off.
	CacheLookups, CacheHits int64
}

// HitRate returns CacheHits/CacheLookups, or 0 when there were no lookups.
func (a Audit) HitRate() float64 {
	if a.CacheLookups == 0 {
		return 0
	}
	return float64(a.CacheHits) / float64(a.CacheLookups)
}

// Audit returns the counts collected so far. It is safe to call while
// other goroutines cut; the result then reflects completed calls only.
func (s *Segmenter) Audit() Audit {
	var a Audit
	var dropped [numFilters]map[string]int64
	for i := range dropped {
		dropped[i] = make(map[string]int64)
	}
	single := make(map[string]int64)
	merges := make(map[[2]string]int64)
	for i := range s.stats {
		st := &s.stats[i]
		st.mu.Lock()
		a.Tokens += st.tokens
		a.Terms += st.terms
		a.CacheLookups += st.lookups
		a.CacheHits += st.hits
		for f, m := range st.dropped {
			for w, n := range m {
				dropped[f][w] += n
			}
		}
		for w, n := range st.singleChars {
			single[w] += n
		}
		for k, n := range st.byRune {
			w := string(rune(k & (1<<24 - 1)))
			if kind := k >> 24; kind == singleKind {
				single[w] += n
			} else {
				dropped[kind][w] += n
			}
		}
		for k, n := range st.merges {
			merges[k] += n
		}
		st.mu.Unlock()
	}
	for f, m := range dropped {
		if len(m) == 0 {
			continue
		}
		fc := FilterCount{Filter: Filter(f), Words: sortCounts(m)}
		for _, c := range fc.Words {
			fc.Tokens += c.Count
		}
		a.Dropped = append(a.Dropped, fc)
	}
	a.SingleChars = sortCounts(single)
	for k, n := range merges {
		a.Merges = append(a.Merges, Merge{Variant: k[0], Canonical: k[1], Count: n})
	}
	sort.Slice(a.Merges, func(i, j int) bool {
		x, y := a.Merges[i], a.Merges[j]
		if x.Count != y.Count {
			return x.Count > y.Count
		}
		if x.Variant != y.Variant {
			return x.Variant < y.Variant
		}
		return x.Canonical < y.Canonical
	})
	return a
}

func sortCounts(m map[string]int64) []Count {
	out := make([]Count, 0, len(m))
	for w, n := range m {
		out = append(out, Count{w, n})
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].Count != out[j].Count {
			return out[i].Count > out[j].Count
		}
		return out[i].Word < out[j].Word
	})
	return out
}
