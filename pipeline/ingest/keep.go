package ingest

import (
	"strconv"
	"unsafe"

	"surveymine/internal/spill"
	"surveymine/pipeline/corpus"
)

// The corpus outlives the parsed file: the rows, their cells and the
// file's bytes are dropped once a table is added, and only the strings
// the corpus points to stay. Those strings are kept here so that each
// costs its bytes and little more:
//
//   - a keeper copies them back to back into blocks of keepBlock bytes
//     (a cell built on its own costs a heap object rounded up to a size
//     class, often with the spare capacity of the builder that made it);
//   - an interner makes equal values of one column share one copy
//     (choice answers, attributes and short meta values repeat).

// keepBlock is the size of the blocks a keeper copies strings into.
// Strings longer than a quarter of it get their own copy.
const keepBlock = 64 << 10

// keeper copies strings into shared blocks. Its blocks come from its
// arena: with a spill arena (a run) the kept text lives in a mapped file
// and not in the Go heap; with none, in the heap. The zero value is ready
// (heap blocks).
type keeper struct {
	arena *spill.Arena
	block []byte // the current block; its first used bytes are handed out
	used  int
}

// bytes returns n bytes to copy a string into, from the current block
// when it fits there.
func (k *keeper) bytes(n int) []byte {
	if n > keepBlock/4 {
		return k.arena.Alloc(n)
	}
	if len(k.block)-k.used < n {
		k.block, k.used = k.arena.Alloc(keepBlock), 0
	}
	b := k.block[k.used : k.used+n : k.used+n]
	k.used += n
	return b
}

// copy returns a copy of s. The bytes behind it are never written again,
// so the string is immutable like any other.
func (k *keeper) copy(s string) string {
	if s == "" {
		return ""
	}
	b := k.bytes(len(s))
	copy(b, s)
	return unsafe.String(unsafe.SliceData(b), len(b))
}

// unitID returns the id of a survey unit: "file:row" or
// "file[sheet]:row", ":" and the question id q, then suffix and, when
// n > 1, n; e.g. "wave3.csv:17:Q5:other2". q == "" gives "file:row", the
// key of a respondent without an id.
func (k *keeper) unitID(src corpus.Source, q, suffix string, n int) string {
	var buf [96]byte
	b := appendUnitID(buf[:0], src, q, suffix, n)
	return k.copy(unsafe.String(unsafe.SliceData(b), len(b)))
}

// appendUnitID appends the id that unitID returns to b.
func appendUnitID(b []byte, src corpus.Source, q, suffix string, n int) []byte {
	b = append(b, src.File...)
	if src.Sheet != "" {
		b = append(b, '[')
		b = append(b, src.Sheet...)
		b = append(b, ']')
	}
	b = append(b, ':')
	b = strconv.AppendInt(b, int64(src.Row), 10)
	if q != "" {
		b = append(b, ':')
		b = append(b, q...)
	}
	b = append(b, suffix...)
	if n > 1 {
		b = strconv.AppendInt(b, int64(n), 10)
	}
	return b
}

// Interning stops for a column whose values mostly differ: after
// internProbe distinct values, if fewer lookups than that found a value
// already seen; and no column holds more than internMax distinct values.
const (
	internProbe = 4096
	internMax   = 1 << 16
)

// interner shares the equal values of one column: it gives each value a
// code in the corpus's answer pool, equal values one code and one kept
// copy. The zero value is ready.
type interner struct {
	seen     map[string]uint32
	hits     int
	off      bool
	last     string // the value coded last: equal neighbours cost no lookup
	lastCode uint32
	maxLen   int // longest value interned; 0 means any
}

// code returns the pool code of s (copied into the pool), sharing the code
// and copy of an equal value when there is one.
func (in *interner) code(pool *corpus.AnswerPool, s string) uint32 {
	if s == "" {
		return 0
	}
	if s == in.last {
		return in.lastCode
	}
	if in.off || (in.maxLen > 0 && len(s) > in.maxLen) {
		return pool.AddValue(s)
	}
	if c, ok := in.seen[s]; ok {
		in.hits++
		in.last, in.lastCode = pool.Value(c), c
		return c
	}
	c := pool.AddValue(s)
	v := pool.Value(c)
	in.last, in.lastCode = v, c
	switch {
	case in.seen == nil:
		in.seen = map[string]uint32{}
	case len(in.seen) >= internProbe && in.hits < internProbe:
		in.off, in.seen = true, nil // mostly distinct: copying is cheaper
		return c
	case len(in.seen) >= internMax:
		return c
	}
	in.seen[v] = c
	return c
}
