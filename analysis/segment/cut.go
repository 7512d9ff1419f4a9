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
		r, size := utf8.DecodeRuneInString(s[i:])
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

// segment cuts key (a clause with ASCII folded; len(js) must be at least
// len(us)) into pieces with gse's shortest-path algorithm (segmenter.go,
// segmentWords, normal mode): each word costs log2(total/freq), a
// character starting no word costs 32, the path with the least total cost
// wins and ties keep the earlier candidate. The float32 arithmetic and
// update order are gse's, so results are identical for the same
// dictionary.
func (l *lexicon) segment(key string, us []unit, js []jumper, out []piece) []piece {
	n := len(us)
	if n == 0 {
		return out
	}
	if len(js) < n {
		panic("segment: jumper buffer shorter than the clause")
	}
	js = js[:n]
	clear(js)
	for cur := 0; cur < n; cur++ {
		var baseD float32
		if cur > 0 {
			baseD = js[cur-1].minDistance
		}
		first := 0 // length of the shortest word starting here, 0 if none
		limit := min(n, cur+l.maxUnits)
		var bn, on uint32
		bok, ook := true, true
		for j := cur; j < limit && (bok || ook); j++ {
			u := us[j]
			var bs, os edgeSlot
			if bok {
				if u.r >= 0 {
					bs = l.base.step(bn, u.r)
				} else {
					bs, _ = l.base.walk(bn, key[u.start:u.end])
				}
				bn, bok = bs.child, bs.child != 0
			}
			if ook {
				if u.r >= 0 {
					os = l.over.step(on, u.r)
				} else {
					os, _ = l.over.walk(on, key[u.start:u.end])
				}
				on, ook = os.child, os.child != 0
			}
			// Overlay words win; os and bs are zero when their walk ended.
			e := os
			if !e.word() {
				e = bs
			}
			if e.word() {
				if first == 0 {
					first = j - cur + 1
				}
				update(&js[j], baseD+(l.logTotal-e.log2Freq), j-cur+1, e.pos())
			}
		}
		if first != 1 {
			update(&js[cur], baseD+pseudoDistance, 1, 0)
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

func update(j *jumper, d float32, length int, pos uint8) {
	if j.minDistance == 0 || j.minDistance > d {
		j.minDistance, j.length, j.pos = d, length, pos
	}
}
