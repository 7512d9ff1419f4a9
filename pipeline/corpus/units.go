package corpus

import (
	"iter"
	"strings"
	"unsafe"

	"surveymine/internal/spill"
)

// Units holds the corpus's text units as fixed-size records without Go
// pointers: strings are references into a Store, the few distinct
// questions, files, sheets, columns and heading paths are dictionary
// codes. A million answers cost 84 bytes each instead of a 192-byte Unit
// and, with an arena (UseArena), none of it is in the Go heap: the
// records, like the text, live in the spill arena, and the collector
// never scans them.
//
// At returns a unit as a Unit value; its strings point into the store and
// stay valid as long as the corpus does. The zero value is an empty table
// that keeps its data in the heap.
type Units struct {
	arena *spill.Arena
	recs  []unitRec
	text  *Store
	names *dictionary // question ids, files, sheets, column headers
	heads *headings
}

// unitRec is one Unit without pointers (see Units).
type unitRec struct {
	id, raw, text                          ref
	question, file, sheet, column, heading uint32
	row, article, paragraph, start, end    int32
	respondent                             int32
	kind                                   UnitKind
	missing                                Missing
	inCauses                               bool
}

// NewUnits returns a table of us, kept in the heap (for tests and small
// corpora built by hand).
func NewUnits(us ...Unit) Units {
	var t Units
	t.Grow(len(us))
	for _, u := range us {
		t.Append(u)
	}
	return t
}

// UseArena makes t keep its records and text in a (see package spill).
// Call it before the first Append.
func (t *Units) UseArena(a *spill.Arena) {
	t.arena = a
	t.init()
	t.text.arena = a
}

func (t *Units) init() {
	if t.text == nil {
		t.text = &Store{arena: t.arena}
		t.names = &dictionary{}
		t.heads = &headings{}
	}
}

// Len returns the number of units.
func (t *Units) Len() int { return len(t.recs) }

// Grow makes room for n more units without reallocating.
func (t *Units) Grow(n int) {
	if n <= cap(t.recs)-len(t.recs) {
		return
	}
	t.realloc(len(t.recs) + n)
}

// realloc moves the records to an array of capacity n. In an arena the
// old array is left behind (an arena never frees); growth by doubling
// bounds that to the final size.
func (t *Units) realloc(n int) {
	recs := spill.Slice[unitRec](t.arena, n)[:len(t.recs)]
	copy(recs, t.recs)
	t.recs = recs
}

// Append adds u, copying its strings into the table's store.
func (t *Units) Append(u Unit) {
	t.init()
	if len(t.recs) == cap(t.recs) {
		t.realloc(max(2*cap(t.recs), 256))
	}
	t.recs = append(t.recs, t.record(u, nil))
}

// Set replaces unit i with u. Strings of u that are unit i's own (the
// same bytes, as At returned them) are not copied again.
func (t *Units) Set(i int, u Unit) {
	old := t.recs[i]
	t.recs[i] = t.record(u, &old)
}

// record encodes u; strings identical to those of old are kept by
// reference.
func (t *Units) record(u Unit, old *unitRec) unitRec {
	keep := func(s string, r ref) ref {
		if old != nil && t.text.same(r, s) {
			return r
		}
		return t.text.ref(s)
	}
	var id, text ref
	if old != nil {
		id, text = keep(u.ID, old.id), keep(u.Text, old.text)
	} else {
		id, text = t.text.ref(u.ID), t.text.ref(u.Text)
	}
	raw := text // usual: normalising changed nothing
	switch {
	case u.Raw == u.Text:
	case old != nil:
		raw = keep(u.Raw, old.raw)
	default:
		raw = t.text.ref(u.Raw)
	}
	return unitRec{
		id: id, raw: raw, text: text,
		question: t.names.code(u.Question), file: t.names.code(u.Src.File),
		sheet: t.names.code(u.Src.Sheet), column: t.names.code(u.Src.Column),
		heading: t.heads.code(u.Src.Heading),
		row:     int32(u.Src.Row), article: int32(u.Src.Article), paragraph: int32(u.Src.Paragraph),
		start: int32(u.Src.Start), end: int32(u.Src.End), respondent: int32(u.Respondent),
		kind: u.Kind, missing: u.Missing, inCauses: u.InCauses,
	}
}

// At returns unit i.
func (t *Units) At(i int) Unit {
	r := &t.recs[i]
	return Unit{
		ID: t.text.str(r.id), Question: t.names.str(r.question),
		Src: Source{
			File: t.names.str(r.file), Sheet: t.names.str(r.sheet), Row: int(r.row),
			Column: t.names.str(r.column), Article: int(r.article), Heading: t.heads.path(r.heading),
			Paragraph: int(r.paragraph), Start: int(r.start), End: int(r.end),
		},
		Raw: t.text.str(r.raw), Text: t.text.str(r.text), Respondent: int(r.respondent),
		Kind: r.kind, Missing: r.missing, InCauses: r.inCauses,
	}
}

// Text returns the normalised text of unit i (At(i).Text without the
// rest).
func (t *Units) Text(i int) string { return t.text.str(t.recs[i].text) }

// ID returns the id of unit i.
func (t *Units) ID(i int) string { return t.text.str(t.recs[i].id) }

// Kind returns the kind of unit i.
func (t *Units) Kind(i int) UnitKind { return t.recs[i].kind }

// Missing returns why unit i is empty (Answered when it is not).
func (t *Units) Missing(i int) Missing { return t.recs[i].missing }

// Respondent returns the respondent index of unit i (-1 for report units).
func (t *Units) Respondent(i int) int { return int(t.recs[i].respondent) }

// Question returns the question id of unit i.
func (t *Units) Question(i int) string { return t.names.str(t.recs[i].question) }

// All yields every unit with its index, in order.
func (t *Units) All() iter.Seq2[int, Unit] {
	return func(yield func(int, Unit) bool) {
		for i := range t.recs {
			if !yield(i, t.At(i)) {
				return
			}
		}
	}
}

// Select returns the units for which keep is true, in order, sharing the
// store and dictionaries of t (the text is not copied).
func (t *Units) Select(keep func(i int) bool) Units {
	s := Units{arena: t.arena, text: t.text, names: t.names, heads: t.heads}
	n := 0
	for i := range t.recs {
		if keep(i) {
			n++
		}
	}
	s.recs = spill.Slice[unitRec](t.arena, n)[:0]
	for i := range t.recs {
		if keep(i) {
			s.recs = append(s.recs, t.recs[i])
		}
	}
	return s
}

// storeBlock is the size of the blocks a Store copies strings into;
// longer strings than a quarter of it get a block of their own.
const storeBlock = 64 << 10

// Store keeps strings back to back in blocks, from a spill arena or the
// heap, and names each by a ref: a block index, an offset and a length,
// twelve bytes without a pointer. It never frees: the blocks live as long
// as the store (with an arena, as the process). The zero value keeps its
// blocks in the heap.
type Store struct {
	arena  *spill.Arena
	blocks [][]byte
	fill   []byte // the block being filled, blocks[fillAt]
	fillAt uint32
	used   int // bytes used of fill
}

// ref names a string in a Store; the zero ref is "".
type ref struct{ block, off, n uint32 }

// ref copies s into the store.
func (s *Store) ref(str string) ref {
	if str == "" {
		return ref{}
	}
	n := len(str)
	if n > storeBlock/4 {
		// A block of its own; the block being filled stays open.
		b := s.arena.Alloc(n)
		copy(b, str)
		s.blocks = append(s.blocks, b)
		return ref{block: uint32(len(s.blocks) - 1), n: uint32(n)}
	}
	if s.fill == nil || storeBlock-s.used < n {
		s.blocks = append(s.blocks, s.arena.Alloc(storeBlock))
		s.fill, s.fillAt, s.used = s.blocks[len(s.blocks)-1], uint32(len(s.blocks)-1), 0
	}
	copy(s.fill[s.used:], str)
	r := ref{block: s.fillAt, off: uint32(s.used), n: uint32(n)}
	s.used += n
	return r
}

// str returns the string r names.
func (s *Store) str(r ref) string {
	if r.n == 0 {
		return ""
	}
	return unsafe.String(&s.blocks[r.block][r.off], int(r.n))
}

// same reports whether str is the very string r names (same bytes in
// memory), so that it need not be copied again.
func (s *Store) same(r ref, str string) bool {
	if r.n == 0 || len(str) == 0 {
		return r.n == 0 && len(str) == 0
	}
	return int(r.n) == len(str) && unsafe.StringData(str) == &s.blocks[r.block][r.off]
}

// dictionary gives each distinct short string a code; 0 is "".
type dictionary struct {
	list  []string
	index map[string]uint32
}

func (d *dictionary) code(s string) uint32 {
	if s == "" {
		return 0
	}
	if c, ok := d.index[s]; ok {
		return c
	}
	if d.index == nil {
		d.index = map[string]uint32{}
	}
	s = strings.Clone(s)
	d.list = append(d.list, s)
	c := uint32(len(d.list))
	d.index[s] = c
	return c
}

func (d *dictionary) str(c uint32) string {
	if c == 0 {
		return ""
	}
	return d.list[c-1]
}

// headings gives each distinct heading path a code; 0 is none. Units
// with the same path share one slice (copy it before changing it).
type headings struct {
	list  [][]string
	index map[string]uint32
}

func (h *headings) code(path []string) uint32 {
	if len(path) == 0 {
		return 0
	}
	key := strings.Join(path, "\x00")
	if c, ok := h.index[key]; ok {
		return c
	}
	if h.index == nil {
		h.index = map[string]uint32{}
	}
	h.list = append(h.list, slicesClone(path))
	c := uint32(len(h.list))
	h.index[key] = c
	return c
}

func (h *headings) path(c uint32) []string {
	if c == 0 {
		return nil
	}
	return h.list[c-1]
}

func slicesClone(p []string) []string {
	out := make([]string, len(p))
	for i, s := range p {
		out[i] = strings.Clone(s)
	}
	return out
}
