package shard

import (
	"bufio"
	"encoding/binary"
	"errors"
	"fmt"
	"strings"

	"surveymine/analysis/codebook"
	"surveymine/analysis/segment"
)

// The partial file format (version 2), all integers as (u)varints and
// strings as a uvarint length and the bytes:
//
//	magic "surveymine partial 2\n"
//	plan sha256, index, coded (0/1), texts (count)
//	per text, in the worker's order: the record's length in bytes, then
//	  the record: text; when coded, unit hits and sentence hits (count;
//	  per hit: category, rule, terms (count, strings), spans (count,
//	  start/end pairs), sentence, clause); folded text ("" when
//	  segment.Fold leaves it as is); tokens (count; per token: flags, the
//	  gap from the previous token's end to Start, End−Start, tag id,
//	  Dropped filter, then the surface text's byte length when it is the
//	  next piece of the folded text, else the surface text, then the term
//	  when it is neither "" nor the surface text)
//	tag names (count, names): the writer's segment.Tag ids in order
//
// Records carry their length so that the merge can index a partial's
// texts without decoding the rest, and decode one text when the pipeline
// asks for it (reader). Hits come before tokens because the code stage
// asks for the hits alone. Token texts are pieces of the folded text, so
// a decoded token points into the partial's bytes instead of a string of
// its own. Tag ids are interned per process, hence the names: the reader
// maps them to its own ids (the byte-identity test across processes
// caught this: in-process workers share the ids, separate processes do
// not).
const magic = "surveymine partial 2\n"

// token flags
const (
	inline   = 1 << iota // Text is the next len bytes of the folded text
	termSame             // Term == Text
	termLit              // Term is a string of its own
)

// source is what a partial is written from: a worker's distinct texts, in
// order of first occurrence, with their tokens and codebook hits.
type source interface {
	Len() int
	Text(k int) string
	// Tokens appends the tokens of text k to dst[:0].
	Tokens(k int, dst []segment.Token) []segment.Token
	// Hits are nil when the job has no codebook (header.Coded false).
	Hits(k int) (unit, sentence []codebook.Hit)
}

// header is the head of a partial: whose it is.
type header struct {
	PlanSHA256 string
	Index      int
	Coded      bool // a codebook was configured: records hold hits
}

// encoder appends the format's integers and strings to a byte slice.
type encoder struct{ b []byte }

func (e *encoder) uint(x uint64) { e.b = binary.AppendUvarint(e.b, x) }
func (e *encoder) int(x int64)   { e.b = binary.AppendVarint(e.b, x) }
func (e *encoder) str(s string) {
	e.uint(uint64(len(s)))
	e.b = append(e.b, s...)
}

// encode writes the partial of src with header h to w.
func encode(w *bufio.Writer, h header, src source) error {
	e := &encoder{}
	e.str(magic)
	e.str(h.PlanSHA256)
	e.uint(uint64(h.Index))
	coded := uint64(0)
	if h.Coded {
		coded = 1
	}
	e.uint(coded)
	n := src.Len()
	e.uint(uint64(n))
	if _, err := w.Write(e.b); err != nil {
		return err
	}
	var rec encoder
	var toks []segment.Token
	topTag := -1
	for k := 0; k < n; k++ {
		rec.b = rec.b[:0]
		text := src.Text(k)
		rec.str(text)
		if h.Coded {
			unit, sentence := src.Hits(k)
			rec.hits(unit)
			rec.hits(sentence)
		}
		folded := segment.Fold(text)
		if folded == text {
			rec.str("")
		} else {
			rec.str(folded)
		}
		toks = src.Tokens(k, toks)
		rec.uint(uint64(len(toks)))
		pos, end := 0, int32(0)
		for _, t := range toks {
			var flags uint64
			if strings.HasPrefix(folded[pos:], t.Text) {
				flags |= inline
			}
			switch t.Term {
			case "":
			case t.Text:
				flags |= termSame
			default:
				flags |= termLit
			}
			rec.uint(flags)
			rec.int(int64(t.Start - end))
			rec.int(int64(t.End - t.Start))
			rec.uint(uint64(t.POS))
			rec.uint(uint64(t.Dropped))
			if flags&inline != 0 {
				rec.uint(uint64(len(t.Text)))
				pos += len(t.Text)
			} else {
				rec.str(t.Text)
			}
			if flags&termLit != 0 {
				rec.str(t.Term)
			}
			end = t.End
			topTag = max(topTag, int(t.POS))
		}
		e.b = binary.AppendUvarint(e.b[:0], uint64(len(rec.b)))
		if _, err := w.Write(e.b); err != nil {
			return err
		}
		if _, err := w.Write(rec.b); err != nil {
			return err
		}
	}
	e.b = e.b[:0]
	e.uint(uint64(topTag + 1))
	for id := 0; id <= topTag; id++ {
		e.str(segment.Tag(id).String())
	}
	_, err := w.Write(e.b)
	return err
}

func (e *encoder) hits(hits []codebook.Hit) {
	e.uint(uint64(len(hits)))
	for _, h := range hits {
		e.int(int64(h.Category))
		e.int(int64(h.Rule))
		e.uint(uint64(len(h.Terms)))
		for _, t := range h.Terms {
			e.str(t)
		}
		e.uint(uint64(len(h.Spans)))
		for _, s := range h.Spans {
			e.int(int64(s[0]))
			e.int(int64(s[1]))
		}
		e.int(int64(h.Sentence))
		e.int(int64(h.Clause))
	}
}

// errFormat is a partial that does not decode: truncated or not one.
var errFormat = errors.New("not a partial of this format, or truncated")

type decoder struct {
	s   string // the whole file
	off int
	err error
}

func (d *decoder) fail() {
	if d.err == nil {
		d.err = fmt.Errorf("%w (at byte %d)", errFormat, d.off)
	}
	d.off = len(d.s)
}

func (d *decoder) uint() uint64 {
	var x uint64
	for shift := uint(0); ; shift += 7 {
		if d.off >= len(d.s) || shift > 63 {
			d.fail()
			return 0
		}
		b := d.s[d.off]
		d.off++
		x |= uint64(b&0x7f) << shift
		if b < 0x80 {
			return x
		}
	}
}

func (d *decoder) int() int64 {
	u := d.uint()
	x := int64(u >> 1)
	if u&1 != 0 {
		x = ^x
	}
	return x
}

// count reads a length that must leave at least min bytes per item.
func (d *decoder) count(min int) int {
	n := d.uint()
	if n > uint64(len(d.s)-d.off)/uint64(max(min, 1)) {
		d.fail()
		return 0
	}
	return int(n)
}

func (d *decoder) str() string {
	n := d.count(1)
	s := d.s[d.off : d.off+n]
	d.off += n
	return s
}

// reader is a partial held as its bytes: the merge keeps every worker's
// partial so, and decodes a text's tokens or hits only when the pipeline
// asks for them. It holds no pointers but its one string, so a large
// recording costs the garbage collector nothing to scan.
type reader struct {
	header
	data string
	recs []int         // per text: offset of its record in data
	tags []segment.Tag // the writer's tag id → this process's
}

// openReader checks that data is a whole partial, every record of it
// well-formed, and indexes its records. Errors wrap errFormat.
func openReader(data string) (*reader, error) {
	d := &decoder{s: data}
	if d.str() != magic {
		return nil, errFormat
	}
	r := &reader{data: data, header: header{PlanSHA256: d.str(), Index: int(d.uint()), Coded: d.uint() == 1}}
	r.recs = make([]int, d.count(4))
	topTag := -1
	var scratch []segment.Token
	for k := range r.recs {
		size := d.count(1)
		if d.err != nil {
			break
		}
		r.recs[k] = d.off
		end := d.off + size
		rd := &decoder{s: data[:end], off: d.off}
		text := rd.str()
		if r.Coded {
			rd.hits(false)
			rd.hits(false)
		}
		scratch = rd.tokens(text, scratch, nil)
		if rd.err != nil || rd.off != end {
			d.off = rd.off
			d.fail()
			break
		}
		for _, t := range scratch {
			topTag = max(topTag, int(t.POS))
		}
		d.off = end
	}
	r.tags = make([]segment.Tag, d.count(1))
	for id := range r.tags {
		r.tags[id] = segment.TagOf(d.str())
	}
	if d.err == nil && d.off != len(d.s) {
		d.fail()
	}
	if d.err != nil {
		return nil, d.err
	}
	if topTag >= len(r.tags) {
		return nil, fmt.Errorf("%w: token tag %d has no name", errFormat, topTag)
	}
	return r, nil
}

// text returns text k.
func (r *reader) text(k int) string {
	d := &decoder{s: r.data, off: r.recs[k]}
	return d.str()
}

// appendTokens appends the tokens of text k to dst[:0], tags mapped to
// this process's ids; their strings share the partial's memory.
func (r *reader) appendTokens(k int, dst []segment.Token) []segment.Token {
	d := &decoder{s: r.data, off: r.recs[k]}
	text := d.str()
	if r.Coded {
		d.hits(false)
		d.hits(false)
	}
	return d.tokens(text, dst, r.tags)
}

// hits returns the unit- and sentence-level hits of text k; their term
// strings share the partial's memory.
func (r *reader) hits(k int) (unit, sentence []codebook.Hit) {
	if !r.Coded {
		return nil, nil
	}
	d := &decoder{s: r.data, off: r.recs[k]}
	d.str()
	return d.hits(true), d.hits(true)
}

// tokens reads the folded text of text and the tokens, appending them
// to dst[:0]; tags, when not nil, maps the tag ids. A nil dst is
// allocated at the tokens' count.
func (d *decoder) tokens(text string, dst []segment.Token, tags []segment.Tag) []segment.Token {
	folded := d.str()
	if folded == "" {
		folded = text
	}
	k := d.count(6)
	if dst == nil && k > 0 {
		dst = make([]segment.Token, 0, k)
	}
	dst = dst[:0]
	pos, end := 0, int32(0)
	for j := 0; j < k && d.err == nil; j++ {
		var t segment.Token
		flags := d.uint()
		t.Start = end + int32(d.int())
		t.End = t.Start + int32(d.int())
		t.POS = segment.Tag(d.uint())
		if tags != nil {
			if int(t.POS) >= len(tags) {
				d.fail()
				break
			}
			t.POS = tags[t.POS]
		}
		t.Dropped = segment.Filter(d.uint())
		if flags&inline != 0 {
			l := d.uint()
			if l > uint64(len(folded)-pos) {
				d.fail()
				break
			}
			t.Text = folded[pos : pos+int(l)]
			pos += int(l)
		} else {
			t.Text = d.str()
		}
		switch {
		case flags&termSame != 0:
			t.Term = t.Text
		case flags&termLit != 0:
			t.Term = d.str()
		}
		end = t.End
		dst = append(dst, t)
	}
	return dst
}

func (d *decoder) hits(keep bool) []codebook.Hit {
	n := d.count(6)
	if n == 0 {
		return nil
	}
	var hits []codebook.Hit
	if keep {
		hits = make([]codebook.Hit, n)
	}
	var h codebook.Hit
	for i := 0; i < n && d.err == nil; i++ {
		h.Category = int(d.int())
		h.Rule = int(d.int())
		h.Terms, h.Spans = nil, nil
		if k := d.count(1); k > 0 {
			if keep {
				h.Terms = make([]string, k)
			}
			for j := 0; j < k; j++ {
				s := d.str()
				if keep {
					h.Terms[j] = s
				}
			}
		}
		if k := d.count(2); k > 0 {
			if keep {
				h.Spans = make([][2]int, k)
			}
			for j := 0; j < k; j++ {
				s := [2]int{int(d.int()), int(d.int())}
				if keep {
					h.Spans[j] = s
				}
			}
		}
		h.Sentence = int(d.int())
		h.Clause = int(d.int())
		if keep {
			hits[i] = h
		}
	}
	return hits
}
