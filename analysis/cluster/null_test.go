package cluster

import (
	"slices"
	"testing"
)

// TestPermuteTerms: every answer keeps its length and its gap markers, the
// pooled terms keep their counts, the input is untouched, the result
// depends only on the seed, and co-occurrence is broken (two topics that
// never share an answer end up mixed).
func TestPermuteTerms(t *testing.T) {
	var docs [][]string
	for i := range 200 {
		if i%2 == 0 {
			docs = append(docs, []string{"制度", "", "完善", "考核"})
		} else {
			docs = append(docs, []string{"活动", "形式", "单一"})
		}
	}
	docs = append(docs, nil)
	orig := make([][]string, len(docs))
	for i, d := range docs {
		orig[i] = slices.Clone(d)
	}
	count := func(ds [][]string) map[string]int {
		m := map[string]int{}
		for _, d := range ds {
			for _, t := range d {
				m[t]++
			}
		}
		return m
	}
	got := PermuteTerms(docs, 7)
	for i := range docs {
		if !slices.Equal(docs[i], orig[i]) {
			t.Fatalf("PermuteTerms modified its input: doc %d is %q, was %q", i, docs[i], orig[i])
		}
		if len(got[i]) != len(docs[i]) {
			t.Fatalf("PermuteTerms: doc %d has %d terms, want %d", i, len(got[i]), len(docs[i]))
		}
		for j, term := range docs[i] {
			if (term == "") != (got[i][j] == "") {
				t.Fatalf("PermuteTerms: doc %d position %d is %q, the input %q: gaps must stay in place", i, j, got[i][j], term)
			}
		}
	}
	want, have := count(docs), count(got)
	for term, n := range want {
		if have[term] != n {
			t.Errorf("PermuteTerms: %q occurs %d times, want %d", term, have[term], n)
		}
	}
	mixed := 0
	for _, d := range got {
		a, b := false, false
		for _, term := range d {
			a = a || term == "制度" || term == "完善" || term == "考核"
			b = b || term == "活动" || term == "形式" || term == "单一"
		}
		if a && b {
			mixed++
		}
	}
	// By chance nearly every answer draws from both topics (a 4-term answer
	// stays pure with probability ~ 2·(1/2)^3 ≈ 0.2 given its first term).
	if mixed < 100 {
		t.Errorf("PermuteTerms: %d of 200 answers mix the two topics, want >= 100", mixed)
	}
	again := PermuteTerms(docs, 7)
	for i := range got {
		if !slices.Equal(got[i], again[i]) {
			t.Fatalf("PermuteTerms(seed 7) differs between calls at doc %d: %q vs %q", i, got[i], again[i])
		}
	}
	other := PermuteTerms(docs, 8)
	same := true
	for i := range got {
		same = same && slices.Equal(got[i], other[i])
	}
	if same {
		t.Errorf("PermuteTerms gave the same result for seeds 7 and 8")
	}
}
