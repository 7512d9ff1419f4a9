package segment

import (
	"math"
	"unicode"
	"unicode/utf8"
)

// unit is a byte range of a clause that gse treats as one character: a
// single rune, or a run of Latin letters and digits (runes of at most two
// UTF-8 bytes), as in gse's SplitTextToWords with default options. r is
// the rune of a single-rune unit and -1 for a longer one.
type unit struct {
	start, end int
	r          rune
}

func appendUnits(out []unit, s string) []unit {
	runStart := -1
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			// ASCII: letters and digits join a run, anything else is a unit.
			if 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' {
				if runStart < 0 {
					runStart = i
				}
			} else {
				out = closeRun(out, s, runStart, i)
				runStart = -1
				out = append(out, unit{i, i + 1, rune(c)})
			}
			i++
			continue
		}
		r, size := decodeRune(s, i)
		if size <= 2 && (unicode.IsLetter(r) || unicode.IsNumber(r)) {
			if runStart < 0 {
				runStart = i
			}
		} else {
			out = closeRun(out, s, runStart, i)
			runStart = -1
			out = append(out, unit{i, i + size, r})
		}
		i += size
	}
	return closeRun(out, s, runStart, len(s))
}

// closeRun appends the run of letters and digits s[start:end], if start
// is not negative, as one unit.
func closeRun(out []unit, s string, start, end int) []unit {
	if start < 0 {
		return out
	}
	r, size := utf8.DecodeRuneInString(s[start:end])
	if start+size != end {
		r = -1
	}
	return append(out, unit{start, end, r})
}

// unitEnd returns the end of the unit of s starting at byte i (i < len(s)),
// with the same rules as appendUnits.
func unitEnd(s string, i int) int {
	r, size := utf8.DecodeRuneInString(s[i:])
	if !(size <= 2 && (unicode.IsLetter(r) || unicode.IsNumber(r))) {
		return i + size
	}
	for i += size; i < len(s); i += size {
		r, size = utf8.DecodeRuneInString(s[i:])
		if !(size <= 2 && (unicode.IsLetter(r) || unicode.IsNumber(r))) {
			break
		}
	}
	return i
}

// piece is one segment of a clause: units [first, last] and its entry.
type piece struct {
	start, end int // byte range in the clause
	pos        uint8
}

// jumper records the best path ending at a unit (gse's jumper).
type jumper struct {
	minDistance float32
	length      int // units in the token ending here
	pos         uint8
}

// lexicon is the dictionary a Segmenter matches against: the shared gse
// base plus its own overlay (domain lexicon, synonym variants, user
// entries), whose words take precedence.
type lexicon struct {
	base, over *dict
	logTotal   float32
	maxUnits   int
}

// Overlay words are weighted against the base total only: adding them to
// the total (as gse's AddToken does) would lengthen every path a little and
// change how general text is cut, which the overlay must not do.
func newLexicon(b, over *dict) *lexicon {
	return &lexicon{
		base: b, over: over,
		logTotal: float32(math.Log2(b.totalFreq)),
		maxUnits: max(b.maxUnits, over.maxUnits),
	}
}

// find looks key up in the overlay, then in the base (tests and Splits).
func (l *lexicon) find(key string) (e entry, word, more bool) {
	if s, ok := l.over.walk(0, key); ok {
		if s.word() {
			return s.entry(), true, true
		}
		more = true
	}
	if s, ok := l.base.walk(0, key); ok {
		return s.entry(), s.word(), true
	}
	return entry{}, false, more
}

// scratch is the memory segment reuses from one clause to the next.
type scratch struct {
	js    []jumper
	node  []uint32 // per start of the block: the base node its walk reached
	count []int32  // per start of the block: its words in words
	words []match  // per start of the block, stride lexicon.maxUnits: base words starting there, shortest first
	live  []int32  // starts whose base walk goes on
	sink  uint64   // keeps touch's loads from being optimised away
}

// match is a base dictionary word found at a start: the unit it ends at
// and its weight and tag.
type match struct {
	end      int32
	log2Freq float32
	pos      uint8
}

// block is how many starts baseWords handles at once: it bounds the
// scratch memory for long clauses (words holds block×maxUnits matches).
const block = 128

// segment cuts key (a clause with ASCII folded, split into units us) into
// pieces with gse's shortest-path algorithm (segmenter.go, segmentWords,
// normal mode): each word costs log2(total/freq), a character starting no
// word costs 32, the path with the least total cost wins and ties keep the
// earlier candidate. The float32 arithmetic and update order are gse's,
// so results are identical for the same dictionary.
//
// The base dictionary words starting at each unit are found first, for a
// block of starts at a time and breadth first (baseWords); the path is
// then computed start by start, in gse's order, walking the small overlay
// as it goes.
func (l *lexicon) segment(key string, us []unit, sc *scratch, out []piece) []piece {
	n := len(us)
	if n == 0 {
		return out
	}
	stride := l.maxUnits
	if len(sc.js) < n {
		sc.js = make([]jumper, max(n, 64))
	}
	if len(sc.count) < block {
		sc.node = make([]uint32, block)
		sc.count = make([]int32, block)
		sc.live = make([]int32, 0, block)
	}
	if len(sc.words) < block*stride {
		sc.words = make([]match, block*stride)
	}
	js := sc.js[:n]
	clear(js)
	for b := 0; b < n; b += block {
		e := min(n, b+block)
		l.baseWords(key, us, b, e, sc)
		for cur := b; cur < e; cur++ {
			var baseD float32
			if cur > 0 {
				baseD = js[cur-1].minDistance
			}
			first := 0 // length of the shortest word starting here, 0 if none
			limit := min(n, cur+stride)
			k := cur - b
			row := sc.words[k*stride : k*stride+int(sc.count[k])]
			var on uint32
			ook := true
			for j := cur; j < limit && (len(row) > 0 || ook); j++ {
				word := false
				var log2Freq float32
				var pos uint8
				if ook {
					os := l.over.stepUnit(on, key, us[j])
					on, ook = os.child, os.child != 0
					if os.word() { // overlay words win
						word, log2Freq, pos = true, os.log2Freq, os.pos()
					}
				}
				if len(row) > 0 && int(row[0].end) == j {
					if !word {
						word, log2Freq, pos = true, row[0].log2Freq, row[0].pos
					}
					row = row[1:]
				}
				if word {
					if first == 0 {
						first = j - cur + 1
					}
					update(&js[j], baseD+(l.logTotal-log2Freq), j-cur+1, pos)
				}
			}
			if first != 1 {
				update(&js[cur], baseD+pseudoDistance, 1, 0)
			}
		}
	}
	k := len(out)
	for i := n - 1; i >= 0; {
		loc := i - js[i].length + 1
		out = append(out, piece{start: us[loc].start, end: us[i].end, pos: js[i].pos})
		i = loc - 1
	}
	for a, b := k, len(out)-1; a < b; a, b = a+1, b-1 {
		out[a], out[b] = out[b], out[a]
	}
	return out
}

// baseWords finds the base dictionary words starting at units b..e-1 (at
// most block of them) and stores them in sc.words and sc.count, shortest
// first. The walks from all starts advance together, one unit per round:
// in each round every live walk first touches the slot it will probe, so
// that their cache misses (the trie is tens of megabytes, and a step is
// one random access) overlap instead of waiting for each other.
func (l *lexicon) baseWords(key string, us []unit, b, e int, sc *scratch) {
	d, stride, n := l.base, l.maxUnits, len(us)
	live := sc.live[:0]
	for i := b; i < e; i++ {
		k := i - b
		sc.count[k] = 0
		s := d.stepUnit(0, key, us[i])
		if s.child == 0 {
			continue
		}
		if s.word() {
			sc.words[k*stride] = match{end: int32(i), log2Freq: s.log2Freq, pos: s.pos()}
			sc.count[k] = 1
		}
		sc.node[k] = s.child
		live = append(live, int32(i))
	}
	for depth := 1; len(live) > 0; depth++ {
		var sink uint64
		for _, i := range live {
			if j := int(i) + depth; j < n && us[j].r >= 0 {
				sink += d.touch(sc.node[int(i)-b], us[j].r)
			}
		}
		sc.sink += sink
		kept := live[:0]
		for _, i := range live {
			j := int(i) + depth
			if j >= n || depth >= stride {
				continue
			}
			k := int(i) - b
			s := d.stepUnit(sc.node[k], key, us[j])
			if s.child == 0 {
				continue
			}
			if s.word() {
				sc.words[k*stride+int(sc.count[k])] = match{end: int32(j), log2Freq: s.log2Freq, pos: s.pos()}
				sc.count[k]++
			}
			sc.node[k] = s.child
			kept = append(kept, i)
		}
		live = kept
	}
	sc.live = live
}

func update(j *jumper, d float32, length int, pos uint8) {
	if j.minDistance == 0 || j.minDistance > d {
		j.minDistance, j.length, j.pos = d, length, pos
	}
}
