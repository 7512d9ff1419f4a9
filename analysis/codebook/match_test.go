package codebook

import (
	"fmt"
	"reflect"
	"strings"
	"testing"

	"surveymine/analysis/segment"
)

// oneRule builds a codebook whose category 1 has the given rules (YAML list
// items, indented as under rules:).
func oneRule(t *testing.T, rules string) *Codebook {
	t.Helper()
	return mustParse(t, "name: t\ncategories:\n  - id: 1\n    name: c\n    rules:\n"+rules)
}

// spans renders hits as "rule:term@start-end,…/sentence.clause" for compact
// comparison.
func spans(hits []Hit) []string {
	var out []string
	for _, h := range hits {
		var parts []string
		for i, s := range h.Spans {
			parts = append(parts, fmt.Sprintf("%s@%d-%d", h.Terms[i], s[0], s[1]))
		}
		out = append(out, fmt.Sprintf("%d:%s/%d.%d", h.Rule, strings.Join(parts, ","), h.Sentence, h.Clause))
	}
	return out
}

func TestRules(t *testing.T) {
	tests := []struct {
		name  string
		rules string
		unit  string // token spec, see toks
		level Level
		want  []string // spans(hits); nil for no hit
	}{
		{"term", "      - any: [党建]\n", "加强 党建 工作", LevelUnit,
			[]string{"0:党建@2-4/0.0"}},
		{"term by synonym", "      - any: [党建]\n", "加强 党务=党建 工作", LevelUnit,
			[]string{"0:党建@2-4/0.0"}},
		{"term by surface of merged synonym", "      - any: [党务]\n", "加强 党务=党建 工作", LevelUnit,
			[]string{"0:党务@2-4/0.0"}},
		{"term as run of split tokens", "      - any: [重业务轻党建]\n", "存在 重 业务 轻 党建 现象", LevelUnit,
			[]string{"0:重业务轻党建@2-8/0.0"}},
		{"run of synonym terms", "      - any: [重业务轻党建]\n", "重 业务 轻 党务=党建", LevelUnit,
			[]string{"0:重业务轻党建@0-6/0.0"}},
		{"run skips whitespace tokens", "      - any: [重业务轻党建]\n", "重 业务 \t 轻 党建", LevelUnit,
			[]string{"0:重业务轻党建@0-7/0.0"}},
		{"term not inside a token", "      - any: [业务]\n", "注重业务 工作", LevelUnit, nil},
		{"compound token of terms is read as the terms", "      - all: [重业务|重行政, 轻党建]\n        within: 8\n", "存在 重业务轻党建 现象", LevelUnit,
			[]string{"0:重业务@2-5,轻党建@5-8/0.0"}},
		{"compound of other rules' terms", "      - any: [重行政]\n      - any: [轻党建]\n", "重行政轻党建", LevelUnit,
			[]string{"0:重行政@0-3/0.0", "1:轻党建@3-6/0.0"}},
		{"token with a part that is no term stays whole", "      - all: [重业务, 轻党建]\n", "重业务轻党建工作", LevelUnit, nil},
		{"negation before a compound part", "      - all: [重业务, 轻党建]\n", "不 重业务轻党建", LevelUnit, nil},
		{"phrase inside a token", "      - phrase: [业务]\n", "注重业务 工作", LevelUnit,
			[]string{"0:业务@2-4/0.0"}},
		{"tilde phrase in all", "      - all: [~业务, 工作]\n", "注重业务 工作", LevelUnit,
			[]string{"0:业务@2-4,工作@4-6/0.0"}},
		{"dropped token matched by surface", "      - all: [党建, 是, 务虚]\n", "党建 -是 务虚", LevelUnit,
			[]string{"0:党建@0-2,是@2-3,务虚@3-5/0.0"}},
		{"any reports every occurrence", "      - any: [党建, 党务]\n", "党建 和 党务 与 党建", LevelUnit,
			[]string{"0:党建@0-2,党务@3-5,党建@6-8/0.0"}},

		// Boolean combinations.
		{"all present", "      - all: [党建, 次要]\n", "党建 很 次要", LevelUnit,
			[]string{"0:党建@0-2,次要@3-5/0.0"}},
		{"all missing one", "      - all: [党建, 次要]\n", "党建 很 重要", LevelUnit, nil},
		{"alternatives in all", "      - all: [党务干部|支部书记, 兼职|兼任]\n", "支部书记 由 科长 兼任", LevelUnit,
			[]string{"0:支部书记@0-4,兼任@7-9/0.0"}},
		{"all and any", "      - all: [考核]\n        any: [党建, 党务]\n", "党务 考核 分离", LevelUnit,
			[]string{"0:党务@0-2,考核@2-4/0.0"}},
		{"all but any missing", "      - all: [考核]\n        any: [党建, 党务]\n", "业务 考核 分离", LevelUnit, nil},
		{"not absent", "      - all: [考核]\n        not: [党建]\n", "业务 考核", LevelUnit,
			[]string{"0:考核@2-4/0.0"}},
		{"not present", "      - all: [考核]\n        not: [党建]\n", "党建 考核", LevelUnit, nil},
		{"not negated does not block", "      - all: [考核]\n        not: [党建]\n", "考核 没有 党建", LevelUnit,
			[]string{"0:考核@0-2/0.0"}},
		{"second rule matches", "      - any: [务虚]\n      - phrase: [说起来重要]\n", "说起来 重要", LevelUnit,
			[]string{"1:说起来重要@0-5/0.0"}},

		// Proximity.
		{"clause: same clause", "      - all: [党建, 次要]\n        within: clause\n", "党建 次要 ， 业务", LevelUnit,
			[]string{"0:党建@0-2,次要@2-4/0.0"}},
		{"clause: different clauses", "      - all: [党建, 次要]\n        within: clause\n", "党建 重要 ， 业务 次要", LevelUnit, nil},
		{"sentence: across clauses", "      - all: [党建, 次要]\n        within: sentence\n", "党建 重要 ， 业务 次要", LevelUnit,
			[]string{"0:党建@0-2,次要@7-9/0.0"}},
		{"default scope is sentence", "      - all: [党建, 次要]\n", "党建 重要 。 业务 次要", LevelUnit, nil},
		{"unit: across sentences", "      - all: [党建, 次要]\n        within: unit\n", "党建 重要 。 业务 次要", LevelUnit,
			[]string{"0:党建@0-2,次要@7-9/0.0"}},
		{"sentence: hit per sentence", "      - all: [党建, 次要]\n", "党建 次要 。 党建 也 次要", LevelUnit,
			[]string{"0:党建@0-2,次要@2-4/0.0", "0:党建@5-7,次要@8-10/1.1"}},
		{"tokens: window fits", "      - all: [党建, 次要]\n        within: 3\n", "党建 工作 次要", LevelUnit,
			[]string{"0:党建@0-2,次要@4-6/0.0"}},
		{"tokens: window too small", "      - all: [党建, 次要]\n        within: 3\n", "党建 工作 很 次要", LevelUnit, nil},
		{"tokens: whitespace not counted", "      - all: [党建, 次要]\n        within: 3\n", "党建 \t 工作 次要", LevelUnit,
			[]string{"0:党建@0-2,次要@5-7/0.0"}},
		{"tokens: only occurrences in the window", "      - all: [党建, 次要]\n        within: 2\n", "党建 工作 党建 次要", LevelUnit,
			[]string{"0:党建@4-6,次要@6-8/0.0"}},
		{"tokens: any in the window", "      - all: [重]\n        any: [党建, 党务]\n        within: 2\n", "党建 工作 重 党务", LevelUnit,
			[]string{"0:重@4-5,党务@5-7/0.0"}},
		{"tokens: not across sentences", "      - all: [党建, 次要]\n        within: 5\n", "党建 。 次要", LevelUnit, nil},

		// Negation.
		{"negator before", "      - any: [形同虚设]\n", "制度 并非 形同虚设", LevelUnit, nil},
		{"negator two tokens before", "      - any: [形同虚设]\n", "不 -是 形同虚设", LevelUnit, nil},
		{"negator three tokens before", "      - any: [形同虚设]\n", "没有 这 种 形同虚设", LevelUnit,
			[]string{"0:形同虚设@4-8/0.0"}},
		{"negator in another clause", "      - any: [形同虚设]\n", "没有 ， 形同虚设", LevelUnit,
			[]string{"0:形同虚设@3-7/0.1"}},
		{"negator after does not negate", "      - any: [重视]\n", "重视 不够", LevelUnit,
			[]string{"0:重视@0-2/0.0"}},
		{"negator named by the rule", "      - all: [没有, 长效机制]\n", "没有 长效机制", LevelUnit,
			[]string{"0:没有@0-2,长效机制@2-6/0.0"}},
		{"negated term without the negator in the rule", "      - any: [长效机制]\n", "没有 长效机制", LevelUnit, nil},
		{"double negation", "      - all: [没有, 长效机制]\n", "并非 没有 长效机制", LevelUnit, nil},
		{"negator inside a run", "      - any: [不完善]\n", "制度 不 完善", LevelUnit,
			[]string{"0:不完善@2-5/0.0"}},
		{"negator inside a run alternative", "      - all: [重视, 不够]\n        within: 3\n", "不 够 重视", LevelUnit,
			[]string{"0:不够@0-2,重视@2-4/0.0"}},
		{"negator token named by the rule", "      - all: [重视, 不够]\n        within: 3\n", "不够 重视", LevelUnit,
			[]string{"0:不够@0-2,重视@2-4/0.0"}},
		{"negator split off a word", "      - any: [重视]\n", "不 够 重视", LevelUnit, nil},
		{"negated run", "      - any: [不完善]\n", "并非 制度 不 完善", LevelUnit, nil},
		{"negator inside the token of a phrase", "      - phrase: [重视]\n", "领导 不重视 党建", LevelUnit, nil},
		{"phrase not negated", "      - phrase: [重视]\n", "领导 很重视 党建", LevelUnit,
			[]string{"0:重视@3-5/0.0"}},
		{"negation off", "      - any: [形同虚设]\n        negation: false\n", "并非 形同虚设", LevelUnit,
			[]string{"0:形同虚设@2-6/0.0"}},
		{"contrast: A void", "      - any: [能力]\n", "不是 干部 的 业务 能力 问题 ， 而是 制度", LevelUnit, nil},
		{"contrast: B counts", "      - any: [制度]\n", "不是 干部 的 业务 能力 问题 ， 而是 制度 问题", LevelUnit,
			[]string{"0:制度@14-16/0.1"}},
		{"contrast with split markers", "      - any: [能力]\n", "并 非 干部 的 业务 能力 问题 ， 而 是 制度", LevelUnit, nil},
		{"contrast ends at the sentence", "      - any: [能力]\n", "不是 这样 。 能力 不足 ， 而是 制度", LevelUnit,
			[]string{"0:能力@5-7/1.1"}},
		{"contrast off by negation false", "      - any: [能力]\n        negation: false\n", "不是 干部 的 业务 能力 ， 而是 制度", LevelUnit,
			[]string{"0:能力@7-9/0.0"}},

		// Levels.
		{"clause level narrows sentence scope", "      - all: [党建, 次要]\n", "党建 重要 ， 业务 次要", LevelClause, nil},
		{"sentence level narrows unit scope", "      - all: [党建, 次要]\n        within: unit\n", "党建 重要 。 业务 次要", LevelSentence, nil},
		{"clause level: hit per clause", "      - any: [次要]\n        within: unit\n", "党建 次要 ， 业务 次要", LevelClause,
			[]string{"0:次要@2-4/0.0", "0:次要@7-9/0.1"}},
		{"sentence and clause of the first span", "      - any: [次要]\n", "党建 很 重要 。 但是 ， 业务 次要 。", LevelUnit,
			[]string{"0:次要@11-13/1.2"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			cb := oneRule(t, tc.rules)
			text, ts := toks(t, tc.unit)
			got := spans(cb.CodeAt(tc.level, text, ts))
			if !reflect.DeepEqual(got, tc.want) {
				t.Errorf("CodeAt(%d, %q) = %q, want %q", tc.level, text, got, tc.want)
			}
		})
	}
}

func TestPhraseWithoutTokens(t *testing.T) {
	cb := oneRule(t, "      - phrase: [做起来次要]\n      - any: [次要]\n")
	hits := cb.Code("说起来重要，做起来次要", nil)
	if got, want := spans(hits), []string{"0:做起来次要@6-11/0.0"}; !reflect.DeepEqual(got, want) {
		t.Errorf("Code without tokens = %q, want %q", got, want)
	}
}

func TestMultiLabel(t *testing.T) {
	cb := mustParse(t, `
name: t
other: {id: 0, name: 其他}
categories:
  - id: 1
    name: 思想认识
    rules:
      - all: [重业务, 轻党建]
        within: 5
  - id: 2
    name: 能力素质
    rules:
      - all: [党务干部, 不懂业务]
        within: clause
  - id: 3
    name: 队伍建设
    rules:
      - all: [党务干部, 兼职]
`)
	tests := []struct {
		name string
		unit string
		want []int
	}{
		{"two causes", "重 业务 轻 党建 ， 党务干部 大多 是 兼职", []int{1, 3}},
		{"three causes", "党务干部 不 懂 业务 ， 多 为 兼职 ， 重 业务 、 轻 党建", []int{1, 2, 3}},
		{"other", "说 不 清楚", []int{0}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			text, ts := toks(t, tc.unit)
			if got := cb.Labels(cb.Code(text, ts)); !reflect.DeepEqual(got, tc.want) {
				t.Errorf("Labels(Code(%q)) = %v, want %v", text, got, tc.want)
			}
		})
	}
	if got := (&Codebook{}).Labels(nil); got != nil {
		t.Errorf("Labels(nil) without Other = %v, want nil", got)
	}
}

func TestHitOrder(t *testing.T) {
	cb := mustParse(t, `
name: t
categories:
  - id: 7
    name: b
    rules:
      - any: [业务]
  - id: 2
    name: a
    rules:
      - any: [考核]
      - any: [党建]
`)
	text, ts := toks(t, "党建 考核 。 业务 考核")
	var got []string
	for _, h := range cb.Code(text, ts) {
		got = append(got, fmt.Sprintf("%d/%d@%d", h.Category, h.Rule, h.Spans[0][0]))
	}
	want := []string{"7/0@5", "2/0@2", "2/0@7", "2/1@0"}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("Code order = %v, want %v", got, want)
	}
}

func TestSentencesClauses(t *testing.T) {
	tests := []struct {
		name      string
		unit      string
		sentences [][2]int
		clauses   [][2]int
	}{
		{"empty", "", nil, nil},
		{"no punctuation", "党建 重要", [][2]int{{0, 2}}, [][2]int{{0, 2}}},
		{"mixed", "党建 重要 。 。 业务 ， 次要 ！ \n",
			[][2]int{{0, 4}, {4, 9}}, [][2]int{{0, 4}, {4, 6}, {6, 9}}},
		{"half width", "a ; b , c ? d", [][2]int{{0, 2}, {2, 6}, {6, 7}}, [][2]int{{0, 2}, {2, 4}, {4, 6}, {6, 7}}},
		{"leading punctuation", "， 党建 。 业务", [][2]int{{0, 3}, {3, 4}}, [][2]int{{0, 3}, {3, 4}}},
		{"only punctuation", "。 ，", [][2]int{{0, 2}}, [][2]int{{0, 2}}},
		{"line break", "党建 \n 业务 ： 次要", [][2]int{{0, 2}, {2, 5}}, [][2]int{{0, 2}, {2, 4}, {4, 5}}},
		// 党务干部多为兼职对党务工作 is 13 characters: too short for a wrap.
		{"short line breaks", "党务干部 多为 兼职 对 党务工作 \n 掌握 不够", [][2]int{{0, 6}, {6, 8}}, [][2]int{{0, 6}, {6, 8}}},
		// 16 characters before the break, letters on both sides: wrapped.
		{"wrapped line", "党务干部 多为 兼职 对 党务工作 的 知识 \n 掌握 不够 。", [][2]int{{0, 11}}, [][2]int{{0, 11}}},
		{"line ending in punctuation", "党务干部 多为 兼职 对 党务工作 的 知识 ， \n 掌握 不够", [][2]int{{0, 9}, {9, 11}}, [][2]int{{0, 9}, {9, 11}}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, ts := toks(t, tc.unit)
			if got := Sentences(ts); !reflect.DeepEqual(got, tc.sentences) {
				t.Errorf("Sentences(%q) = %v, want %v", tc.unit, got, tc.sentences)
			}
			if got := Clauses(ts); !reflect.DeepEqual(got, tc.clauses) {
				t.Errorf("Clauses(%q) = %v, want %v", tc.unit, got, tc.clauses)
			}
		})
	}
}

func TestRuneRange(t *testing.T) {
	_, ts := toks(t, "党建 重要 。 业务")
	s := Sentences(ts)
	a, b := RuneRange(ts, s[1])
	if a != 5 || b != 7 {
		t.Errorf("RuneRange(sentence 1) = %d, %d, want 5, 7", a, b)
	}
	if a, b := RuneRange(ts, [2]int{2, 2}); a != 0 || b != 0 {
		t.Errorf("RuneRange(empty) = %d, %d, want 0, 0", a, b)
	}
}

// TestCodeLevelsEqualsCodeAt checks that coding several levels at once
// gives exactly what separate CodeAt calls give.
func TestCodeLevelsEqualsCodeAt(t *testing.T) {
	cb, err := Parse([]byte(`name: t
categories:
  - id: 1
    name: a
    rules:
      - all: [党建, 业务]
        within: unit
      - phrase: [形式主义]
`), "t.yaml")
	if err != nil {
		t.Fatal(err)
	}
	text, toks := toks(t, "党建 -很 重要 。 业务 -更 重要 ， -不是 形式主义 -而是 形式主义 。")
	levels := []Level{LevelUnit, LevelSentence, LevelClause}
	got := cb.CodeLevels(text, toks, levels...)
	for i, l := range levels {
		if want := cb.CodeAt(l, text, toks); !reflect.DeepEqual(got[i], want) {
			t.Errorf("CodeLevels level %d = %+v, want CodeAt's %+v", l, got[i], want)
		}
	}
	if len(got[0]) == 0 || len(got[1]) == 0 {
		t.Errorf("CodeLevels found no hits at unit or sentence level: %+v", got)
	}
}

// TestCodeLevelsGold codes the gold sentences, one by one and joined
// twelve at a time, at every level at once (a level twice, too) and checks
// each list against CodeAt's: CodeLevels shares the storage of equal hits
// between levels, which must not change them.
func TestCodeLevelsGold(t *testing.T) {
	cb := loadDefault(t)
	gold := loadGold(t)
	cut := projectCut(t)
	levels := []Level{LevelUnit, LevelSentence, LevelClause, LevelUnit}
	shared := 0
	for _, per := range []int{1, 12} {
		for i := 0; i < len(gold); i += per {
			var b strings.Builder
			for _, g := range gold[i:min(i+per, len(gold))] {
				b.WriteString(g.Text)
			}
			text := segment.Fold(b.String())
			toks := cut(text)
			got := cb.CodeLevels(text, toks, levels...)
			for k, l := range levels {
				if want := cb.CodeAt(l, text, toks); !reflect.DeepEqual(got[k], want) {
					t.Fatalf("CodeLevels(%q) level %d = %+v, want CodeAt's %+v", text, l, got[k], want)
				}
			}
			if len(got[1]) > 0 && len(got[0]) > 0 && &got[0][0] == &got[1][0] {
				shared++
			}
		}
	}
	if shared == 0 {
		t.Errorf("no unit shares its unit- and sentence-level hits")
	}
}

// TestSubjectCarryOver uses the project segmenter for its part-of-speech
// tags: a clause that opens with a predicate takes the subject of the
// previous clause of the same sentence.
func TestSubjectCarryOver(t *testing.T) {
	cut := projectCut(t)
	cb := oneRule(t, "      - all: [~党务干部, ~精力不足|~次要]\n        within: clause\n")
	for _, tc := range []struct {
		text  string
		level Level
		want  bool
	}{
		{"党务干部对党务知识学习不深入，投入党建工作精力不足。", LevelUnit, true},
		{"党务干部对党务知识学习不深入，投入党建工作精力不足。", LevelSentence, true},
		{"党务干部对党务知识学习不深入，投入党建工作精力不足。", LevelClause, false}, // each clause on its own
		{"党务干部对党务知识学习不深入。投入党建工作精力不足。", LevelUnit, false},   // not across sentences
		{"党务干部很多，业务次要。", LevelUnit, false},                 // the clause has its own subject
	} {
		got := len(cb.CodeAt(tc.level, tc.text, cut(tc.text))) > 0
		if got != tc.want {
			t.Errorf("CodeAt(%d, %q) matched %v, want %v", tc.level, tc.text, got, tc.want)
		}
	}
}

// TestListComma checks, with the project segmenter (whose tags decide),
// that an enumeration comma after a noun joins the items of one phrase
// while one after a predicate ends a clause.
func TestListComma(t *testing.T) {
	cut := projectCut(t)
	for _, tc := range []struct {
		text    string
		clauses int
	}{
		{"对参加党支部、党小组活动的积极性不高", 1},
		{"缺乏统筹现代农业、工业的能力", 1},
		{"内容对象不同、工作特点不一", 2},
		{"内容枯燥、方法单一", 2},
		{"党建重要，业务次要", 2},
	} {
		if got := len(Clauses(cut(tc.text))); got != tc.clauses {
			t.Errorf("len(Clauses(cut(%q))) = %d, want %d", tc.text, got, tc.clauses)
		}
	}
}

// TestNotAfterCarryOver checks that a not item in the previous clause
// blocks a match whose items were carried over from that clause, and only
// then.
func TestNotAfterCarryOver(t *testing.T) {
	cut := projectCut(t)
	cb := oneRule(t, "      - all: [~机制, ~缺乏]\n        not: [~考核机制]\n        within: clause\n")
	for _, tc := range []struct {
		text string
		want bool
	}{
		{"管理机制单一，缺乏互动。", true},
		{"考核机制单一，缺乏互动。", false},  // 机制 carried from the clause that names 考核机制
		{"考核机制单一，管理机制缺乏。", true}, // both items in the second clause
		{"考核机制单一，缺乏机制。", true},   // 机制 in the second clause too
	} {
		got := len(cb.Code(tc.text, cut(tc.text))) > 0
		if got != tc.want {
			t.Errorf("Code(%q) matched %v, want %v", tc.text, got, tc.want)
		}
	}
}
