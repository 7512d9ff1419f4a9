package codebook

import (
	"errors"
	"os"
	"strings"
	"sync"
	"testing"
	"unicode/utf8"

	"surveymine/analysis/segment"
)

// FuzzParse: Parse never panics, and fails only with *ParseError values.
func FuzzParse(f *testing.F) {
	f.Add([]byte("name: t\ncategories: [{id: 1, name: c, rules: [{all: [a|~b, c], within: 3, not: d}]}]\n"))
	f.Add([]byte("name: t\nother: {id: 0, name: o}\ncategories:\n  - id: 1\n    name: c\n    rules:\n      - any: [x]\n        within: clause\n"))
	f.Add([]byte("categories: [{id: x, rules: [{not: []}]}]"))
	f.Add([]byte("- [&a b, *a]"))
	f.Fuzz(func(t *testing.T, data []byte) {
		cb, err := Parse(data, "f.yaml")
		if err == nil {
			if cb == nil {
				t.Fatal("Parse returned nil codebook and nil error")
			}
			return
		}
		var pe *ParseError
		if !errors.As(err, &pe) {
			t.Fatalf("Parse error %v is not a *ParseError", err)
		}
	})
}

// runeCut splits text into one token per character, as a stand-in
// segmenter for fuzzing.
func runeCut(text string) []segment.Token {
	var out []segment.Token
	i := 0
	for _, r := range text {
		s := string(r)
		tok := segment.Token{Text: s, Start: int32(i), End: int32(i + 1)}
		if hasContent(s) {
			tok.Term = s
		}
		out = append(out, tok)
		i++
	}
	return out
}

// FuzzCode: coding arbitrary text never panics, spans lie inside the text
// and hits point at existing sentences and clauses.
func FuzzCode(f *testing.F) {
	cb, err := Parse([]byte(`
name: f
categories:
  - id: 1
    name: a
    rules:
      - all: [党建|~党务, 次要]
        within: 2
      - any: [~不完善, 不是]
        not: [而是]
  - id: 2
    name: b
    rules:
      - phrase: [而是, 不]
        within: unit
      - all: [a, b]
        within: clause
`), "f.yaml")
	if err != nil {
		f.Fatal(err)
	}
	f.Add("不是党建次要，而是制度不完善。", 0)
	f.Add("a，b；不 a b\n党务次要", 1)
	f.Add("\xff不", 2)
	f.Fuzz(func(t *testing.T, text string, level int) {
		toks := runeCut(text)
		n := utf8.RuneCountInString(text)
		ns, nc := len(Sentences(toks)), len(Clauses(toks))
		for _, h := range cb.CodeAt(Level(uint(level)%3), text, toks) {
			if len(h.Terms) != len(h.Spans) || len(h.Spans) == 0 {
				t.Fatalf("hit %+v: terms and spans differ", h)
			}
			for _, s := range h.Spans {
				if s[0] < 0 || s[1] > n || s[0] >= s[1] {
					t.Fatalf("hit %+v: span %v outside text of %d runes", h, s, n)
				}
			}
			if h.Sentence >= max(ns, 1) || h.Clause >= max(nc, 1) {
				t.Fatalf("hit %+v: %d sentences, %d clauses", h, ns, nc)
			}
		}
	})
}

// TestCodeConcurrent codes from several goroutines at once; run with -race.
func TestCodeConcurrent(t *testing.T) {
	cb := loadDefault(t)
	text, ts := toks(t, "重 业务 轻 党建 ， 党务 干部 又 多 是 兼职 ， 考核 也 不 挂钩 。")
	want := strings.Join(spans(cb.Code(text, ts)), ";")
	var wg sync.WaitGroup
	errs := make(chan string, 8)
	for g := 0; g < 8; g++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; i < 20; i++ {
				if got := strings.Join(spans(cb.Code(text, ts)), ";"); got != want {
					errs <- got
					return
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for got := range errs {
		t.Errorf("concurrent Code = %q, want %q", got, want)
	}
}

func BenchmarkCode(b *testing.B) {
	cb := mustParseB(b)
	unit := "有些 领导 重 业务 、 轻 党建 ， 党务 干部 不 懂 业务 ， 找 不准 结合点 ， 考核 也 不 挂钩 。 "
	for _, size := range []struct {
		name string
		reps int
	}{{"answer", 1}, {"paragraph", 12}} {
		b.Run(size.name, func(b *testing.B) {
			text, ts := toksB(strings.Repeat(unit, size.reps))
			b.ReportAllocs()
			b.SetBytes(int64(len(text)))
			for i := 0; i < b.N; i++ {
				cb.Code(text, ts)
			}
		})
	}
}

func mustParseB(b *testing.B) *Codebook {
	data, err := os.ReadFile(defaultCodebook)
	if err != nil {
		b.Skip(err)
	}
	cb, err := Parse(data, "liangzhangpi.yaml")
	if err != nil {
		b.Fatal(err)
	}
	return cb
}

// toksB is toks for benchmarks (no dropped or merged words).
func toksB(spec string) (string, []segment.Token) {
	var sb strings.Builder
	var out []segment.Token
	pos := 0
	for _, w := range strings.Fields(spec) {
		n := utf8.RuneCountInString(w)
		tok := segment.Token{Text: w, Start: int32(pos), End: int32(pos + n)}
		if hasContent(w) {
			tok.Term = w
		}
		out = append(out, tok)
		pos += n
		sb.WriteString(w)
	}
	return sb.String(), out
}

// BenchmarkCodeGold codes the gold sentences, segmented by the project
// segmenter, at unit and sentence level as the code stage does: one by one
// (answer) and joined twelve at a time (paragraph). The figure per op is
// the whole gold set.
func BenchmarkCodeGold(b *testing.B) {
	cb := mustParseB(b)
	data, err := os.ReadFile(goldFile)
	if err != nil {
		b.Skip(err)
	}
	gold, err := ParseGold(data, goldFile)
	if err != nil {
		b.Fatal(err)
	}
	seg, err := segment.New(segment.Config{})
	if err != nil {
		b.Fatal(err)
	}
	type unit struct {
		text string
		toks []segment.Token
	}
	for _, size := range []struct {
		name string
		per  int
	}{{"answer", 1}, {"paragraph", 12}} {
		var units []unit
		bytes := 0
		for i := 0; i < len(gold); i += size.per {
			var sb strings.Builder
			for _, g := range gold[i:min(i+size.per, len(gold))] {
				sb.WriteString(g.Text)
			}
			text := segment.Fold(sb.String())
			units = append(units, unit{text, seg.Cut(text)})
			bytes += len(text)
		}
		b.Run(size.name, func(b *testing.B) {
			b.ReportAllocs()
			b.SetBytes(int64(bytes))
			for b.Loop() {
				for _, u := range units {
					cb.CodeLevels(u.text, u.toks, LevelUnit, LevelSentence)
				}
			}
		})
	}
}
