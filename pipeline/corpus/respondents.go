package corpus

import (
	"iter"
	"unsafe"

	"surveymine/internal/spill"
)

// Respondents holds the corpus's respondents as fixed-size records without
// Go pointers, like Units: key and id as references into a Store, file and
// sheet as dictionary codes, and each respondent's answers as a stretch of
// one of the answer arrays (NewAnswers). With an arena (Corpus.UseArena)
// none of it is in the Go heap. At returns a Respondent whose Answers
// slice writes through to the table (Corpus.SetOptions). The zero value is
// an empty table that keeps its data in the heap.
type Respondents struct {
	arena   *spill.Arena
	recs    []respRec
	text    *Store
	names   *dictionary
	answers [][]Answer // the answer arrays; a record names one by index
}

// respRec is one Respondent without pointers (see Respondents).
type respRec struct {
	key, id     ref
	file, sheet uint32
	row         int32
	chunk, off  uint32 // answers: answers[chunk][off : off+n]
	n           uint32
}

func (t *Respondents) init() {
	if t.text == nil {
		t.text = &Store{arena: t.arena}
		t.names = &dictionary{}
	}
}

// UseArena makes t keep its records, strings and answers in a. Call it
// before the first Append.
func (t *Respondents) UseArena(a *spill.Arena) {
	t.arena = a
	t.init()
	t.text.arena = a
}

// NewAnswers returns an array of n answers, from the table's arena when it
// has one, for respondents about to be appended: the answers of a
// respondent that lie in it are kept in place, not copied.
func (t *Respondents) NewAnswers(n int) []Answer {
	a := spill.Slice[Answer](t.arena, n)
	t.answers = append(t.answers, a)
	return a
}

// Len returns the number of respondents.
func (t *Respondents) Len() int { return len(t.recs) }

// Grow makes room for n more respondents without reallocating.
func (t *Respondents) Grow(n int) {
	if n > cap(t.recs)-len(t.recs) {
		t.realloc(len(t.recs) + n)
	}
}

func (t *Respondents) realloc(n int) {
	recs := spill.Slice[respRec](t.arena, n)[:len(t.recs)]
	copy(recs, t.recs)
	t.recs = recs
}

// Append adds r, copying its strings into the table's store. Its answers
// are kept in place when they lie in an array from NewAnswers, else
// copied.
func (t *Respondents) Append(r Respondent) {
	t.init()
	if len(t.recs) == cap(t.recs) {
		t.realloc(max(2*cap(t.recs), 256))
	}
	rec := respRec{key: t.text.ref(r.Key), id: t.text.ref(r.ID),
		file: t.names.code(r.Src.File), sheet: t.names.code(r.Src.Sheet), row: int32(r.Src.Row)}
	if r.ID == r.Key {
		rec.id = rec.key
	}
	rec.chunk, rec.off, rec.n = t.place(r.Answers)
	t.recs = append(t.recs, rec)
}

// place returns where answers lie among the table's answer arrays,
// copying them into a new one when they lie in none.
func (t *Respondents) place(answers []Answer) (chunk, off, n uint32) {
	if len(answers) == 0 {
		return 0, 0, 0
	}
	p := uintptr(unsafe.Pointer(&answers[0]))
	size := unsafe.Sizeof(Answer{})
	// The array being filled is the last one: look there first.
	for k := len(t.answers) - 1; k >= 0; k-- {
		a := t.answers[k]
		if len(a) == 0 {
			continue
		}
		lo := uintptr(unsafe.Pointer(&a[0]))
		if p >= lo && p < lo+uintptr(len(a))*size {
			i := (p - lo) / size
			if int(i)+len(answers) <= len(a) {
				return uint32(k), uint32(i), uint32(len(answers))
			}
		}
	}
	a := t.NewAnswers(len(answers))
	copy(a, answers)
	return uint32(len(t.answers) - 1), 0, uint32(len(answers))
}

// At returns respondent i; its Answers alias the table's.
func (t *Respondents) At(i int) Respondent {
	r := &t.recs[i]
	return Respondent{Key: t.text.str(r.key), ID: t.text.str(r.id), Src: t.Src(i), Answers: t.Answers(i)}
}

// Key returns the key of respondent i.
func (t *Respondents) Key(i int) string { return t.text.str(t.recs[i].key) }

// ID returns the id of respondent i ("" when none is configured).
func (t *Respondents) ID(i int) string { return t.text.str(t.recs[i].id) }

// Src returns where respondent i was read.
func (t *Respondents) Src(i int) RowSource {
	r := &t.recs[i]
	return RowSource{File: t.names.str(r.file), Sheet: t.names.str(r.sheet), Row: int(r.row)}
}

// Answers returns the answers of respondent i, parallel to
// Corpus.Questions. Changing them changes the table.
func (t *Respondents) Answers(i int) []Answer {
	r := &t.recs[i]
	if r.n == 0 {
		return nil
	}
	return t.answers[r.chunk][r.off : r.off+r.n : r.off+r.n]
}

// SetAnswers makes a the answers of respondent i (kept in place when it
// lies in an array from NewAnswers, else copied).
func (t *Respondents) SetAnswers(i int, a []Answer) {
	r := &t.recs[i]
	r.chunk, r.off, r.n = t.place(a)
}

// SetKey sets the key and id of respondent i.
func (t *Respondents) SetKey(i int, key, id string) {
	r := &t.recs[i]
	r.key, r.id = t.text.ref(key), t.text.ref(id)
	if key == id {
		r.id = r.key
	}
}

// All yields every respondent with its index, in order.
func (t *Respondents) All() iter.Seq2[int, Respondent] {
	return func(yield func(int, Respondent) bool) {
		for i := range t.recs {
			if !yield(i, t.At(i)) {
				return
			}
		}
	}
}
