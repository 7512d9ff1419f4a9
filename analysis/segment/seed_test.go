package segment

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

// seedText returns the shared real research-report compilation, or skips.
func seedText(t *testing.T) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("..", "..", "..", "shared", "seeds", "000_31acb1911a78a401.txt"))
	if err != nil {
		t.Skipf("seed document not available: %v", err)
	}
	return string(b)
}

// On a real 63 kB report, line by line, the bare segmenter is gse.
func TestSeedAgreesWithGSE(t *testing.T) {
	text := seedText(t)
	g := plain(t)
	bare := mustNew(t, Config{NoDomainLexicon: true, NoDefaultSynonyms: true})
	bad := 0
	for _, line := range strings.Split(text, "\n") {
		want := g.Cut(line)
		got := lower(texts(bare.Cut(line)))
		if len(want) == 0 && len(got) == 0 {
			continue
		}
		if !reflect.DeepEqual(got, want) {
			if bad++; bad <= 5 {
				t.Errorf("bare Cut(%q) = %v, gse %v", line, got, want)
			}
		}
	}
	if bad > 0 {
		t.Errorf("%d lines differ from gse", bad)
	}
}

// In the real report, domain terms come out whole: every occurrence of the
// term is a token, except inside a longer lexicon word containing it.
func TestSeedDomainTerms(t *testing.T) {
	text := seedText(t)
	s := defaultSegmenter(t)
	toks := s.Cut(text)
	checkSpans(t, text, toks)
	count := map[string]int{}
	for _, tk := range toks {
		count[tk.Text]++
	}
	lex := DomainLexicon()
	for _, term := range []string{"两张皮", "一岗双责", "三会一课", "党务干部", "支部书记", "中心工作", "结合点", "形式主义", "党风廉政建设", "考核评价"} {
		occ := strings.Count(text, term)
		inside := 0
		for _, e := range lex {
			if e.Word != term && strings.Contains(e.Word, term) {
				inside += count[e.Word]
			}
		}
		if occ == 0 {
			continue
		}
		if got := count[term] + inside; got < occ*9/10 {
			t.Errorf("%q: %d whole tokens (+%d inside longer lexicon words) of %d occurrences", term, count[term], inside, occ)
		}
	}
}
