package shard

import "hash/maphash"

// textRef is a text's place in a recording: its partial (worker index) in
// the high 32 bits and its position in that partial in the low 32, plus
// one, so that 0 is "none".
type textRef uint64

func ref(part, k int) textRef { return textRef(uint64(part)<<32|uint64(k)) + 1 }

func (t textRef) part() (part, k int) { t--; return int(t >> 32), int(uint32(t)) }

// textIndex maps texts to their place in a recording by open addressing
// on a 64-bit hash of the text. It holds no strings: a slot's text is
// read back from the partial through the caller's textOf, to tell texts
// with the same hash apart. A Go map[string]uint64 keyed by every
// distinct text held one pointer per text for the garbage collector to
// scan on every cycle of the merge.
type textIndex struct {
	seed maphash.Seed
	hash []uint64  // per slot: the text's hash
	at   []textRef // per slot: the text's place; 0 for an empty slot
}

// init makes room for n texts.
func (x *textIndex) init(n int) {
	size := 16
	for size < 2*n {
		size *= 2
	}
	x.seed = maphash.MakeSeed()
	x.hash, x.at = make([]uint64, size), make([]textRef, size)
}

// slot returns the slot that holds text, or the empty slot where it
// belongs, and the text's hash.
func (x *textIndex) slot(text string, textOf func(textRef) string) (int, uint64) {
	h := maphash.String(x.seed, text)
	mask := uint64(len(x.at) - 1)
	for i := h & mask; ; i = (i + 1) & mask {
		if x.at[i] == 0 || (x.hash[i] == h && textOf(x.at[i]) == text) {
			return int(i), h
		}
	}
}

// add records text at its place unless the index has it already (the
// first worker that has a text is the one replayed). At most the n of
// init texts may be added.
func (x *textIndex) add(text string, at textRef, textOf func(textRef) string) {
	i, h := x.slot(text, textOf)
	if x.at[i] == 0 {
		x.hash[i], x.at[i] = h, at
	}
}

// get returns the place of text.
func (x *textIndex) get(text string, textOf func(textRef) string) (textRef, bool) {
	if len(x.at) == 0 {
		return 0, false
	}
	i, _ := x.slot(text, textOf)
	return x.at[i], x.at[i] != 0
}
