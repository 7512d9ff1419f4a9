package segment

import (
	"context"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
)

// sharedStopwords returns the words present in all four stopword lists in
// /work/shared/data/stopwords (widely used third-party lists, read only to
// check our own list's coverage; never copied).
func sharedStopwords(t *testing.T) map[string]bool {
	t.Helper()
	dir := filepath.Join("..", "..", "..", "shared", "data", "stopwords")
	var common map[string]bool
	for _, f := range []string{"cn_stopwords.txt", "hit_stopwords.txt", "baidu_stopwords.txt", "scu_stopwords.txt"} {
		data, err := os.ReadFile(filepath.Join(dir, f))
		if err != nil {
			t.Skipf("shared stopword lists not available: %v", err)
		}
		set := map[string]bool{}
		for _, w := range ParseWordList(strings.NewReader(string(data))) {
			set[w] = true
		}
		if common == nil {
			common = set
			continue
		}
		for w := range common {
			if !set[w] {
				delete(common, w)
			}
		}
	}
	return common
}

// Of the token occurrences in generated survey answers that all four
// shared lists call stopwords, ours (generic + boilerplate) must drop at
// least 90 %.
func TestStopwordCoverage(t *testing.T) {
	common := sharedStopwords(t)
	s := defaultSegmenter(t)
	out, err := s.CutAll(context.Background(), surveyTexts(t, 5000), 2)
	if err != nil {
		t.Fatal(err)
	}
	kept := map[string]int{}
	total, dropped := 0, 0
	for _, toks := range out {
		for _, tk := range toks {
			if !common[tk.Text] {
				continue
			}
			total++
			if tk.Dropped != Keep {
				dropped++
			} else {
				kept[tk.Text]++
			}
		}
	}
	if total == 0 {
		t.Fatal("no shared stopwords in the sample text")
	}
	words := make([]string, 0, len(kept))
	for w := range kept {
		words = append(words, w)
	}
	sort.Slice(words, func(i, j int) bool { return kept[words[i]] > kept[words[j]] })
	cov := float64(dropped) / float64(total)
	t.Logf("coverage %.3f of %d occurrences; kept: %v", cov, total, words)
	if cov < 0.9 {
		t.Errorf("stopword coverage = %.3f, want >= 0.90 (kept: %v)", cov, words)
	}
}
