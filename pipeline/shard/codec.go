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

// The partial file format (version 1), all integers as (u)varints and
// strings as a uvarint length and the bytes:
//
//	magic "surveymine partial 1\n"
//	plan sha256, index, coded (0/1), tag names (count, names), texts (count)
//	per text: text; folded text ("" when segment.Fold leaves it as is);
//	  tokens (count; per token: flags, the gap from the previous token's
//	  end to Start, End−Start, POS id, Dropped filter, then the surface
//	  text's byte length when it is the next piece of the folded text, else
//	  the surface text, then the term when it is neither "" nor the surface
//	  text); when coded, unit hits and sentence hits (count; per hit:
//	  category, rule, terms (count, strings), spans (count, start/end pairs),
//	  sentence, clause)
//
// Token texts are pieces of the folded text, so the decoder slices them out
// of one string instead of allocating one per token: a partial decodes
// with a handful of allocations per text.
const magic = "surveymine partial 1\n"

// token flags
const (
	inline   = 1 << iota // Text is the next len bytes of the folded text
	termSame             // Term == Text
	termLit              // Term is a string of its own
)

type encoder struct {
	w   *bufio.Writer
	buf [binary.MaxVarintLen64]byte
	err error
}

func (e *encoder) uint(x uint64) {
	if e.err == nil {
		_, e.err = e.w.Write(e.buf[:binary.PutUvarint(e.buf[:], x)])
	}
}

func (e *encoder) int(x int64) {
	if e.err == nil {
		_, e.err = e.w.Write(e.buf[:binary.PutVarint(e.buf[:], x)])
	}
}

func (e *encoder) str(s string) {
	e.uint(uint64(len(s)))
	if e.err == nil {
		_, e.err = e.w.WriteString(s)
	}
}

// encode writes p in the partial format.
func encode(w *bufio.Writer, p *partial) error {
	e := &encoder{w: w}
	e.str(magic)
	e.str(p.PlanSHA256)
	e.uint(uint64(p.Index))
	coded := uint64(0)
	if p.Coded {
		coded = 1
	}
	e.uint(coded)
	e.uint(uint64(len(p.Tags)))
	for _, t := range p.Tags {
		e.str(t)
	}
	e.uint(uint64(len(p.Texts)))
	for i, text := range p.Texts {
		e.str(text)
		folded := segment.Fold(text)
		if folded == text {
			e.str("")
		} else {
			e.str(folded)
		}
		toks := p.Tokens[i]
		e.uint(uint64(len(toks)))
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
			e.uint(flags)
			e.int(int64(t.Start - end))
			e.int(int64(t.End - t.Start))
			e.uint(uint64(t.POS))
			e.uint(uint64(t.Dropped))
			if flags&inline != 0 {
				e.uint(uint64(len(t.Text)))
				pos += len(t.Text)
			} else {
				e.str(t.Text)
			}
			if flags&termLit != 0 {
				e.str(t.Term)
			}
			end = t.End
		}
		if p.Coded {
			encodeHits(e, p.Hits[i])
			encodeHits(e, p.SentenceHits[i])
		}
	}
	return e.err
}

func encodeHits(e *encoder, hits []codebook.Hit) {
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

// decode reads a partial from data, the whole file. Strings in the result
// share data's memory.
func decode(data string) (*partial, error) {
	d := &decoder{s: data}
	if d.str() != magic {
		return nil, errFormat
	}
	p := &partial{PlanSHA256: d.str(), Index: int(d.uint()), Coded: d.uint() == 1}
	p.Tags = make([]string, d.count(1))
	for i := range p.Tags {
		p.Tags[i] = d.str()
	}
	n := d.count(3)
	p.Texts = make([]string, n)
	p.Tokens = make([][]segment.Token, n)
	if p.Coded {
		p.Hits, p.SentenceHits = make([][]codebook.Hit, n), make([][]codebook.Hit, n)
	}
	for i := 0; i < n && d.err == nil; i++ {
		text := d.str()
		folded := d.str()
		if folded == "" {
			folded = text
		}
		p.Texts[i] = text
		if k := d.count(6); k > 0 {
			toks := make([]segment.Token, k)
			pos, end := 0, int32(0)
			for j := range toks {
				t := &toks[j]
				flags := d.uint()
				t.Start = end + int32(d.int())
				t.End = t.Start + int32(d.int())
				t.POS = segment.Tag(d.uint())
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
			}
			p.Tokens[i] = toks
		}
		if p.Coded {
			p.Hits[i] = decodeHits(d)
			p.SentenceHits[i] = decodeHits(d)
		}
	}
	if d.err == nil && d.off != len(d.s) {
		d.fail()
	}
	if d.err != nil {
		return nil, d.err
	}
	return p, nil
}

func decodeHits(d *decoder) []codebook.Hit {
	n := d.count(6)
	if n == 0 {
		return nil
	}
	hits := make([]codebook.Hit, n)
	for i := range hits {
		h := &hits[i]
		h.Category = int(d.int())
		h.Rule = int(d.int())
		if k := d.count(1); k > 0 {
			h.Terms = make([]string, k)
			for j := range h.Terms {
				h.Terms[j] = d.str()
			}
		}
		if k := d.count(2); k > 0 {
			h.Spans = make([][2]int, k)
			for j := range h.Spans {
				h.Spans[j] = [2]int{int(d.int()), int(d.int())}
			}
		}
		h.Sentence = int(d.int())
		h.Clause = int(d.int())
	}
	return hits
}
