package ingest

import (
	"context"
	"math"
	"os"
	"slices"
	"strings"
	"testing"

	"surveymine/pipeline/corpus"
)

const seedPath = "../../../shared/seeds/000_31acb1911a78a401.txt"

func readSeed(t *testing.T) *corpus.Corpus {
	t.Helper()
	if _, err := os.Stat(seedPath); err != nil {
		t.Skipf("seed compilation absent: %v", err)
	}
	c, err := Read(context.Background(), Config{Reports: []ReportInput{{Path: seedPath}}}, "")
	if err != nil {
		t.Fatalf("Read(%s) error: %v", seedPath, err)
	}
	checkInvariants(t, c)
	return c
}

func TestSeedArticles(t *testing.T) {
	c := readSeed(t)
	titles := map[int]string{}
	for _, u := range c.Units.All() {
		if u.Kind == corpus.ReportParagraph && strings.HasPrefix(u.Text, "第") && strings.Contains(u.Text, "篇:") {
			titles[u.Src.Article] = u.Text
		}
	}
	want := map[int]string{
		1: "第一篇:机关党建工作“两张皮”问题调研报告范本",
		2: "第二篇:机关党建2020年业务两张皮问题调研报告",
		3: "第三篇:2020年解决部机关党建工作“两张皮”问题的调研报告",
		4: "第四篇:机关党建工作调研报告",
		5: "第五篇:机关党建工作调研报告",
	}
	for a, w := range want {
		if titles[a] != w {
			t.Errorf("article %d title = %q, want %q", a, titles[a], w)
		}
	}
	if len(titles) != 5 {
		t.Errorf("got %d articles (%v), want 5", len(titles), titles)
	}
}

// findUnit returns the first unit of kind k whose text starts with prefix.
func findUnit(t *testing.T, c *corpus.Corpus, k corpus.UnitKind, article int, prefix string) corpus.Unit {
	t.Helper()
	for _, u := range c.Units.All() {
		if u.Kind == k && u.Src.Article == article && strings.HasPrefix(u.Text, prefix) {
			return u
		}
	}
	t.Fatalf("no %s unit in article %d starting %q", k, article, prefix)
	return corpus.Unit{}
}

func TestSeedHeadingsAndCauses(t *testing.T) {
	c := readSeed(t)
	tests := []struct {
		name     string
		kind     corpus.UnitKind
		article  int
		prefix   string
		heading  []string
		inCauses bool
	}{
		{"survey method point", corpus.ReportPoint, 1, "三是开展问卷调查", []string{"一、调研的基本情况"}, false},
		{"cause point", corpus.ReportPoint, 1, "一是思想不够重视是根本原因", []string{"三、造成“两张皮”问题的原因分析"}, true},
		{"cause subsection", corpus.ReportParagraph, 2, "党建和业务的考核体系", []string{"二、党建和业务“两张皮”问题成因分析", "(二)党建与业务的效能体现方式不同,考核机制缺乏有机联系"}, true},
		{"not causes", corpus.ReportParagraph, 2, "结合总署巡视整改工作", nil, false},
		{"run-in heading", corpus.ReportParagraph, 4, "(一)党建工作认识存在模糊", []string{"三、党建工作存在的突出问题及原因", "(一)党建工作认识存在模糊。"}, true},
		{"numbered body paragraph", corpus.ReportParagraph, 5, "1、一些党组织负责人党建意识淡薄", []string{"一、存在的问题"}, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			u := findUnit(t, c, tc.kind, tc.article, tc.prefix)
			if !slices.Equal(u.Src.Heading, tc.heading) {
				t.Errorf("heading = %q, want %q", u.Src.Heading, tc.heading)
			}
			if u.InCauses != tc.inCauses {
				t.Errorf("InCauses = %v, want %v", u.InCauses, tc.inCauses)
			}
		})
	}
}

func TestSeedClaims(t *testing.T) {
	c := readSeed(t)
	real := map[float64]string{
		24: "部门党组织工作与中心工作结合不紧密,党建工作没有促进业务工作",
		40: "党建工作内容贫乏,形式陈旧单一,缺乏吸引力",
		16: "机关党务干部队伍不稳定,素质、结构参差不齐,影响机关党建工作的发展",
	}
	found := map[float64]bool{}
	placeholders := 0
	for _, cl := range c.Claims {
		if cl.Placeholder {
			placeholders++
			if cl.Count != -1 || !math.IsNaN(cl.Percent) {
				t.Errorf("placeholder claim %q: Count %d Percent %v, want -1 NaN", cl.Text, cl.Count, cl.Percent)
			}
			continue
		}
		if want, ok := real[cl.Percent]; ok && cl.Src.Article == 5 {
			found[cl.Percent] = true
			if cl.Claimed != want {
				t.Errorf("claim %v%%: Claimed %q, want %q", cl.Percent, cl.Claimed, want)
			}
			if len(cl.Src.Heading) == 0 || cl.Src.Heading[0] != "一、存在的问题" {
				t.Errorf("claim %v%%: heading %q, want under 一、存在的问题", cl.Percent, cl.Src.Heading)
			}
		}
	}
	for p := range real {
		if !found[p] {
			t.Errorf("claim %v%% not found in article 5", p)
		}
	}
	if placeholders < 20 {
		t.Errorf("got %d placeholder claims, want at least 20 (有xx人认为“…”，占x%%)", placeholders)
	}
	var stmt corpus.Claim
	for _, cl := range c.Claims {
		if cl.Claimed == "一定范围内存在" && cl.Src.Article == 1 {
			stmt = cl
		}
	}
	if !stmt.Placeholder || stmt.Src.Paragraph == 0 {
		t.Errorf("claim 一定范围内存在 = %+v, want a placeholder with a paragraph", stmt)
	}
}

func TestHeadingPaths(t *testing.T) {
	text := strings.Join([]string{
		"四、意见建议",
		"（一）理顺管理体制。",
		"1. 明确隶属关系和指导责任。",
		"正文甲。",
		"（二）健全队伍。配齐配强专职党务干部，落实待遇。",
		"正文乙。",
		"1.思想认识",
		"正文丙。",
		"(2)考核机制",
		"正文丁。",
		"五、结语",
	}, "\n")
	p := writeFile(t, "h.txt", []byte(text))
	c, err := Read(context.Background(), Config{Reports: []ReportInput{{Path: p}}}, "")
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, u := range c.Units.All() {
		if u.Kind == corpus.ReportParagraph {
			got = append(got, u.Text+" | "+strings.Join(u.Src.Heading, " / "))
		}
	}
	want := []string{
		"四、意见建议 | 四、意见建议",
		"（一）理顺管理体制。 | 四、意见建议 / （一）理顺管理体制。",
		// A numbered list item ending in 。 is body text, not a heading.
		"1. 明确隶属关系和指导责任。 | 四、意见建议 / （一）理顺管理体制。",
		"正文甲。 | 四、意见建议 / （一）理顺管理体制。",
		// A numbered body paragraph closes its sibling and opens a run-in heading.
		"（二）健全队伍。配齐配强专职党务干部，落实待遇。 | 四、意见建议 / （二）健全队伍。",
		"正文乙。 | 四、意见建议 / （二）健全队伍。",
		"1.思想认识 | 四、意见建议 / （二）健全队伍。 / 1.思想认识",
		"正文丙。 | 四、意见建议 / （二）健全队伍。 / 1.思想认识",
		"(2)考核机制 | 四、意见建议 / （二）健全队伍。 / 1.思想认识 / (2)考核机制",
		"正文丁。 | 四、意见建议 / （二）健全队伍。 / 1.思想认识 / (2)考核机制",
		"五、结语 | 五、结语",
	}
	if !slices.Equal(got, want) {
		t.Errorf("paragraph headings =\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

func TestClaims(t *testing.T) {
	tests := []struct {
		text        string
		claimed     []string
		counts      []int
		percents    []float64
		placeholder []bool
	}{
		{"有24%的人认为考核不科学。", []string{"考核不科学"}, []int{-1}, []float64{24}, []bool{false}},
		{"有xx人认为“不存在”，占xx.x%；有12人认为是“好”占3.5%。", []string{"不存在", "好"}, []int{-1, 12}, []float64{math.NaN(), 3.5}, []bool{true, false}},
		{"选择“考核评价机制不科学”的有126人，占21.3%。", []string{"考核评价机制不科学"}, []int{126}, []float64{21.3}, []bool{false}},
		{"认为“形式单一”的占XX.X%。", []string{"形式单一"}, []int{-1}, []float64{math.NaN()}, []bool{true}},
		{"有44%的人认为甲,有6%的人认为乙。", []string{"甲", "乙"}, []int{-1, -1}, []float64{44, 6}, []bool{false, false}},
		{"党员占职工总数52%。", nil, nil, nil, nil},
		{"有２４％的干部表示，活动太多。", []string{"活动太多"}, []int{-1}, []float64{24}, []bool{false}},
	}
	for _, tc := range tests {
		got := claims([]rune(Normalize(tc.text)), corpus.Source{File: "r.txt", Paragraph: 1})
		if len(got) != len(tc.claimed) {
			t.Errorf("claims(%q) = %+v, want %d claims", tc.text, got, len(tc.claimed))
			continue
		}
		for i, cl := range got {
			pctOK := cl.Percent == tc.percents[i] || (math.IsNaN(cl.Percent) && math.IsNaN(tc.percents[i]))
			if cl.Claimed != tc.claimed[i] || cl.Count != tc.counts[i] || !pctOK || cl.Placeholder != tc.placeholder[i] {
				t.Errorf("claims(%q)[%d] = %q %d %v %v, want %q %d %v %v", tc.text, i, cl.Claimed, cl.Count, cl.Percent, cl.Placeholder,
					tc.claimed[i], tc.counts[i], tc.percents[i], tc.placeholder[i])
			}
			if cl.Src.End <= cl.Src.Start || cl.Text == "" {
				t.Errorf("claims(%q)[%d] span [%d,%d) text %q, want a span and text", tc.text, i, cl.Src.Start, cl.Src.End, cl.Text)
			}
		}
	}
}
