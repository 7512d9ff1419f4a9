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
	p := &partial{PlanSHA256: "abc", Index: 3, Coded: true, Texts: texts}
	for i, text := range texts {
		toks := seg.Cut(text)
		if len(toks) == 0 {
			toks = nil
		}
		p.Tokens = append(p.Tokens, toks)
		var hits []codebook.Hit
		if i%2 == 0 && text != "" {
			hits = []codebook.Hit{{Category: 5, Rule: 1, Terms: []string{"考核", "不科学"}, Spans: [][2]int{{12, 14}, {14, 17}}, Sentence: 1, Clause: -1}}
		}
		p.Hits = append(p.Hits, hits)
		p.SentenceHits = append(p.SentenceHits, nil)
	}
	p.Tags = tagNames(p.Tokens)
	return p
}

func encoded(t testing.TB, p *partial) []byte {
	t.Helper()
	var buf bytes.Buffer
	w := bufio.NewWriter(&buf)
	if err := encode(w, p); err != nil {
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
		if err == nil && len(p.Tokens) != len(p.Texts) {
			t.Fatalf("decode: %d token lists for %d texts", len(p.Tokens), len(p.Texts))
		}
	})
}
