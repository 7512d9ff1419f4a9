package codebook

import (
	"fmt"
	"reflect"
	"strings"
	"testing"

	"surveymine/analysis/segment"
)

func TestLint(t *testing.T) {
	cb := mustParse(t, `
name: t
other: {id: 0, name: 其他}
categories:
  - id: 1
    name: a
    rules:
      - any: [长效机制, ~长效机制, 党建]
      - all: [党务|的, 形同虚设]
  - id: 2
    name: b
    rules:
      - any: [考核]
        not: [长效机制]
  - id: 3
    name: c
    rules:
      - any: [载体]
`)
	// A cutter for the test: words written as toks specs.
	dict := map[string]string{"长效机制": "长效 机制", "党务": "党务=党建", "的": "-的"}
	cut := func(s string) []segment.Token {
		spec, ok := dict[s]
		if !ok {
			spec = s
		}
		_, ts := toks(t, spec)
		return ts
	}
	tally := NewTally()
	tally.Add(0, []Hit{{Category: 1, Rule: 0}, {Category: 1, Rule: 0}, {Category: 2, Rule: 0}})
	tally.Add(1, []Hit{{Category: 1, Rule: 0}, {Category: 2, Rule: 0}})
	tally.Add(2, []Hit{{Category: 1, Rule: 0}, {Category: 2, Rule: 0}})
	tally.Add(3, []Hit{{Category: 2, Rule: 0}, {Category: 3, Rule: 0}})
	tally.Add(4, []Hit{{Category: 1, Rule: 0}})
	tally.Add(5, nil)
	if got, want := tally.Rules, map[RuleRef]int{{1, 0}: 4, {2, 0}: 4, {3, 0}: 1}; !reflect.DeepEqual(got, want) {
		t.Errorf("Tally.Rules = %v, want %v", got, want)
	}
	if got, want := tally.Coded, map[int][]int{1: {0, 1, 2, 4}, 2: {0, 1, 2, 3}, 3: {3}}; !reflect.DeepEqual(got, want) {
		t.Errorf("Tally.Coded = %v, want %v", got, want)
	}
	// Jaccard by hand: {0,1,2,4} vs {0,1,2,3}: 3 shared of 5 = 0.6;
	// 2 vs 3: 1 of 4 = 0.25; 1 vs 3: 0 of 5.
	var got []string
	for _, f := range Lint(cb, cut, tally.Rules, tally.Coded, LintOptions{}) {
		got = append(got, f.Kind.String()+": "+f.String())
	}
	want := []string{
		`split_term: category 1 rule 0: term "长效机制" is cut into 长效/机制`,
		`merged_term: category 1 rule 1: term "党务" is merged into "党建"; write "党建" to match all its synonyms`,
		`dropped_term: category 1 rule 1: term "的" is dropped as a stopword and matches by surface text only`,
		`split_term: category 2 rule 0: term "长效机制" is cut into 长效/机制`,
		`unused_rule: category 1 rule 1: matched no unit`,
		`overlap: categories 1 and 2 overlap: Jaccard 0.600`,
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("Lint =\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	// A higher threshold drops the overlap; a lower one adds 2–3 (0.25).
	for _, tc := range []struct {
		max  float64
		want string
	}{{0.6, ""}, {0.2, "[1 2]:0.600 [2 3]:0.250"}} {
		var got []string
		for _, f := range Lint(cb, nil, nil, tally.Coded, LintOptions{MaxJaccard: tc.max}) {
			got = append(got, fmt.Sprintf("%v:%.3f", f.Categories, f.Jaccard))
		}
		if s := strings.Join(got, " "); s != tc.want {
			t.Errorf("Lint(MaxJaccard %v) overlaps = %q, want %q", tc.max, s, tc.want)
		}
	}
	if got := Lint(cb, nil, nil, nil, LintOptions{}); got != nil {
		t.Errorf("Lint with no inputs = %v, want nil", got)
	}
}

func TestLintHiddenTerms(t *testing.T) {
	cb := mustParse(t, `
name: t
categories:
  - id: 1
    name: a
    rules:
      - all: [重业务, 轻党建]
      - any: [~党建, 党建]
  - id: 2
    name: b
    rules:
      - any: [考核]
`)
	words := map[string]int{
		"重业务轻党建":   5, // only codebook terms: the matcher reads it as 重业务 + 轻党建
		"重业务轻党建工作": 2, // hides both terms
		"党建工作":     7, // hides 党建 (the ~党建 phrase matches inside words)
		"考核":       3, // the term itself
		"党建":       9,
	}
	var got []string
	for _, f := range Lint(cb, nil, nil, nil, LintOptions{Words: words}) {
		got = append(got, f.Kind.String()+": "+f.String())
	}
	want := []string{
		`hidden_term: category 1 rule 0: term "重业务" is hidden inside the words 重业务轻党建工作 (2 units); write ~重业务 to match inside words`,
		`hidden_term: category 1 rule 0: term "轻党建" is hidden inside the words 重业务轻党建工作 (2 units); write ~轻党建 to match inside words`,
		`hidden_term: category 1 rule 1: term "党建" is hidden inside the words 党建工作/重业务轻党建/重业务轻党建工作 (14 units); write ~党建 to match inside words`,
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("Lint(Words) =\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}
