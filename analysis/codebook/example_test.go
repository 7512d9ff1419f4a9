package codebook_test

import (
	"fmt"
	"strings"

	"surveymine/analysis/codebook"
	"surveymine/analysis/segment"
)

// cut is a stand-in segmenter for the examples: it splits at spaces.
func cut(spec string) (string, []segment.Token) {
	var b strings.Builder
	var toks []segment.Token
	pos := 0
	for _, w := range strings.Fields(spec) {
		n := len([]rune(w))
		toks = append(toks, segment.Token{Text: w, Term: w, Start: int32(pos), End: int32(pos + n)})
		pos += n
		b.WriteString(w)
	}
	return b.String(), toks
}

func Example() {
	cb, err := codebook.Parse([]byte(`
name: 两张皮成因
other: {id: 0, name: 其他}
categories:
  - id: 1
    name: 思想认识
    rules:
      - all: [重业务, 轻党建|轻党务]
        within: 5
      - phrase: [说起来重要, 做起来次要]
  - id: 4
    name: 制度机制
    rules:
      - all: [~制度|~机制, ~不完善|~不健全|缺乏|没有]
        within: clause
`), "example.yaml")
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, answer := range []string{
		"重 业务 、 轻 党建 ， 制度 不 完善",
		"不是 重 业务 轻 党建 ， 而是 没有 长效 机制",
		"制度 并非 不 健全",
	} {
		text, toks := cut(answer)
		hits := cb.Code(text, toks)
		fmt.Println(text, cb.Labels(hits))
		for _, h := range hits {
			fmt.Printf("  category %d rule %d: %v at %v\n", h.Category, h.Rule, h.Terms, h.Spans)
		}
	}
	// Output:
	// 重业务、轻党建，制度不完善 [1 4]
	//   category 1 rule 0: [重业务 轻党建] at [[0 3] [4 7]]
	//   category 4 rule 0: [制度 不完善] at [[8 10] [10 13]]
	// 不是重业务轻党建，而是没有长效机制 [4]
	//   category 4 rule 0: [没有 机制] at [[11 13] [15 17]]
	// 制度并非不健全 [0]
}

func ExampleParse_error() {
	_, err := codebook.Parse([]byte(`
name: t
categories:
  - id: 1
    name: c
    rules:
      - all: [党建, 次要]
        within: paragraph
`), "liangzhangpi.yaml")
	fmt.Println(err)
	// Output:
	// liangzhangpi.yaml: categories[0].rules[0].within: must be clause, sentence, unit or a number of tokens >= 1, got "paragraph"
}

func ExampleClauses() {
	text, toks := cut("党建 重要 ， 业务 次要 。 两 张 皮")
	for i, c := range codebook.Clauses(toks) {
		a, b := codebook.RuneRange(toks, c)
		fmt.Println(i, c, string([]rune(text)[a:b]))
	}
	fmt.Println(codebook.Sentences(toks))
	// Output:
	// 0 [0 3] 党建重要，
	// 1 [3 6] 业务次要。
	// 2 [6 9] 两张皮
	// [[0 6] [6 9]]
}

func ExampleAgree() {
	pred := [][]int{{1}, {1, 2}, {2}, {}}
	gold := [][]int{{1}, {1}, {2}, {2}}
	for _, a := range codebook.Agree(pred, gold, []int{1, 2}) {
		fmt.Printf("%d: P=%.2f R=%.2f F1=%.2f kappa=%.2f\n", a.Category, a.Precision, a.Recall, a.F1, a.Kappa)
	}
	// Output:
	// 1: P=1.00 R=1.00 F1=1.00 kappa=1.00
	// 2: P=0.50 R=0.50 F1=0.50 kappa=0.00
}
