package shard

import (
	"bufio"
	"bytes"
	"errors"
	"reflect"
	"testing"

	"surveymine/analysis/codebook"
	"surveymine/analysis/segment"
)

// partial is a worker's partial held in memory, for tests: what encode
// writes and decode reads back.
type partial struct {
	header
	texts        []string
	tokens       [][]segment.Token
	hits         [][]codebook.Hit
	sentenceHits [][]codebook.Hit
}

func (p *partial) Len() int          { return len(p.texts) }
func (p *partial) Text(k int) string { return p.texts[k] }
func (p *partial) Tokens(k int, dst []segment.Token) []segment.Token {
	return append(dst[:0], p.tokens[k]...)
}
func (p *partial) Hits(k int) (unit, sentence []codebook.Hit) {
	return p.hits[k], p.sentenceHits[k]
}

// decode reads a whole partial back into memory.
func decode(data string) (*partial, error) {
	r, err := openReader(data)
	if err != nil {
		return nil, err
	}
	p := &partial{header: r.header}
	for k := range r.recs {
		p.texts = append(p.texts, r.text(k))
		p.tokens = append(p.tokens, r.appendTokens(k, nil))
		u, s := r.hits(k)
		p.hits, p.sentenceHits = append(p.hits, u), append(p.sentenceHits, s)
	}
	return p, nil
}

// samplePartial segments a few texts with the real segmenter, including
// ones that Fold changes (traditional characters, full-width letters), a
// synonym merge, a mask and an empty text.
func samplePartial(t testing.TB) *partial {
	t.Helper()
	seg, err := segment.New(segment.Config{Masks: []string{"[手机号]"}})
	if err != nil {
		t.Fatal(err)
	}
	texts := []string{"党建工作与业务工作“两张皮”，考核不科学。", "", "同上", "黨建與業務脫節，ＡＢＣ考核", "电话[手机号]，请联系", "形式主义、官僚主义"}
	p := &partial{header: header{PlanSHA256: "abc", Index: 3, Coded: true}, texts: texts}
	for i, text := range texts {
		toks := seg.Cut(text)
		if len(toks) == 0 {
			toks = nil
		}
		p.tokens = append(p.tokens, toks)
		var hits []codebook.Hit
		if i%2 == 0 && text != "" {
			hits = []codebook.Hit{{Category: 5, Rule: 1, Terms: []string{"考核", "不科学"}, Spans: [][2]int{{12, 14}, {14, 17}}, Sentence: 1, Clause: -1}}
		}
		p.hits = append(p.hits, hits)
		p.sentenceHits = append(p.sentenceHits, nil)
	}
	return p
}

func encoded(t testing.TB, p *partial) []byte {
	t.Helper()
	var buf bytes.Buffer
	w := bufio.NewWriter(&buf)
	if err := encode(w, p.header, p); err != nil {
		t.Fatal(err)
	}
	if err := w.Flush(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func TestCodecRoundTrip(t *testing.T) {
	want := samplePartial(t)
	data := encoded(t, want)
	got, err := decode(string(data))
	if err != nil {
		t.Fatalf("decode(encode(p)) = %v", err)
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("decode(encode(p)) = %+v, want %+v", got, want)
	}
	for _, n := range []int{0, 1, len(data) / 2, len(data) - 1} {
		if _, err := decode(string(data[:n])); !errors.Is(err, errFormat) {
			t.Errorf("decode(first %d of %d bytes) = %v, want errFormat", n, len(data), err)
		}
	}
	if _, err := decode(string(data) + "x"); !errors.Is(err, errFormat) {
		t.Errorf("decode with a trailing byte = %v, want errFormat", err)
	}
}

// FuzzDecode: any bytes decode to a partial or errFormat, never a panic.
func FuzzDecode(f *testing.F) {
	f.Add(encoded(f, samplePartial(f)))
	f.Add([]byte(magic))
	f.Fuzz(func(t *testing.T, data []byte) {
		p, err := decode(string(data))
		if err != nil && !errors.Is(err, errFormat) {
			t.Fatalf("decode = %v, want errFormat", err)
		}
		if err == nil && len(p.tokens) != len(p.texts) {
			t.Fatalf("decode: %d token lists for %d texts", len(p.tokens), len(p.texts))
		}
	})
}

// TestCodecUnnamedTag: a token whose tag id the partial does not name is
// errFormat when the partial is opened, not when the merge reaches it.
func TestCodecUnnamedTag(t *testing.T) {
	p := samplePartial(t)
	data := encoded(t, p)
	top := -1
	for _, ts := range p.tokens {
		for _, tok := range ts {
			top = max(top, int(tok.POS))
		}
	}
	e := &encoder{}
	e.uint(uint64(top + 1))
	for id := 0; id <= top; id++ {
		e.str(segment.Tag(id).String())
	}
	if !bytes.HasSuffix(data, e.b) {
		t.Fatalf("encode(p) does not end with the tag names %q", e.b)
	}
	bad := append(append([]byte(nil), data[:len(data)-len(e.b)]...), 0) // no names
	if _, err := openReader(string(bad)); !errors.Is(err, errFormat) {
		t.Errorf("openReader(partial without tag names) = %v, want errFormat", err)
	}
}
