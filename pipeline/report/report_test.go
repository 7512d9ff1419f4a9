package report

import (
	"bytes"
	"errors"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

func renderHTML(t *testing.T, m *Model) string {
	t.Helper()
	var b bytes.Buffer
	if err := WriteHTML(&b, m); err != nil {
		t.Fatalf("WriteHTML: %v", err)
	}
	return b.String()
}

func renderMarkdown(t *testing.T, m *Model) string {
	t.Helper()
	var b bytes.Buffer
	if err := WriteMarkdown(&b, m); err != nil {
		t.Fatalf("WriteMarkdown: %v", err)
	}
	return b.String()
}

var svgRE = regexp.MustCompile(`(?s)<svg\b.*?</svg>`)

func TestWriteHTMLStructure(t *testing.T) {
	out := renderHTML(t, sampleModel())
	for _, want := range []string{
		"<!DOCTYPE html>", `<html lang="zh-CN">`, `<meta charset="utf-8">`,
		"<title>“两张皮”问题调查分析报告</title>",
		`"Noto Sans CJK SC"`, `"Source Han Sans SC"`, `"Microsoft YaHei"`, `"PingFang SC"`, "sans-serif",
		"<h2>一、数据概况</h2>", "<h2>二、选择题频数</h2>", "<h2>三、原因类别（编码本）</h2>", "<h2>四、开放题聚类</h2>",
		"<h2>五、交叉分析</h2>", "<h2>六、统计检验</h2>", "<h2>七、报告中的数据陈述</h2>", "<h2>八、方法说明</h2>",
		// Overview figures.
		"<td>survey.csv</td>", "<td>ragged_row</td>",
		// Sentences and test notes.
		"关于“您所在单位的类型”（10人作答），有6人选择“机关”，占60.0%",
		"开放题中（8人的回答有实质内容），有5人（62.5%）提到“考核评价”方面的原因",
		"“您所在单位的类型”与开放题回答的聚类显著相关（χ²(4)=12.3，p=0.015，Cramér&#39;s V=0.11，小效应），经 BH 校正后仍显著（Holm 校正后不显著）。",
		"蒙特卡洛 χ² 检验", "期望频数过小，随机表 9999 个", "Fisher 精确检验", "期望频数过小，2×2 表", "无法检验：only one row left after dropping empty rows",
		// Placeholder claim is marked.
		`<tr class="placeholder">`, `<span class="badge">占位符</span>`,
		// Methods.
		"领域词表（420 条）", "标点符号 2886 个", "k = 2（配置指定）", "随机种子 20261127", "gonum.org/v1/gonum v0.17.0",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("WriteHTML output lacks %q", want)
		}
	}
	// The clusters' three exemplars, user markup escaped.
	if !strings.Contains(out, "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; 见 http:&#47;/evil.example/a") {
		t.Errorf("WriteHTML does not escape the exemplar holding markup and a URL")
	}
	if got := len(svgRE.FindAllString(out, -1)); got != sampleChartCount {
		t.Errorf("WriteHTML drew %d <svg> charts, want %d", got, sampleChartCount)
	}
	if got := strings.Count(out, "<svg"); got != sampleChartCount {
		t.Errorf("WriteHTML has %d \"<svg\", want %d", got, sampleChartCount)
	}
	for _, s := range svgRE.FindAllString(out, -1) {
		svgStats(t, s) // well-formed
	}
}

// The page must load nothing: no URL in its bytes (user text included), no
// element or CSS construct that fetches.
func TestWriteHTMLSelfContained(t *testing.T) {
	out := renderHTML(t, sampleModel())
	for _, bad := range []string{"http://", "https://", "//cdn", "<script", "<link", "<img", "<iframe", "<object", "<embed",
		"src=", "url(", "@import", "@font-face", "xlink:href", "srcset"} {
		if i := strings.Index(strings.ToLower(out), bad); i >= 0 {
			t.Errorf("WriteHTML output contains %q at %q", bad, out[max(0, i-40):min(len(out), i+40)])
		}
	}
	// The only href is the table of contents' in-page anchors.
	for _, m := range regexp.MustCompile(`href="([^"]*)"`).FindAllStringSubmatch(out, -1) {
		if !strings.HasPrefix(m[1], "#") {
			t.Errorf("WriteHTML links to %q, want only in-page anchors", m[1])
		}
	}
}

func TestWriteHTMLDeterministic(t *testing.T) {
	a, b := renderHTML(t, sampleModel()), renderHTML(t, sampleModel())
	if a != b {
		t.Errorf("WriteHTML gives different bytes for the same model")
	}
	c, d := renderMarkdown(t, sampleModel()), renderMarkdown(t, sampleModel())
	if c != d {
		t.Errorf("WriteMarkdown gives different bytes for the same model")
	}
}

func TestWriteHTMLEmpty(t *testing.T) {
	for name, m := range map[string]*Model{"nil": nil, "zero": {}} {
		t.Run(name, func(t *testing.T) {
			out := renderHTML(t, m)
			for _, want := range []string{"<title>" + DefaultTitle + "</title>", "<h2>一、数据概况</h2>", "<h2>二、方法说明</h2>"} {
				if !strings.Contains(out, want) {
					t.Errorf("WriteHTML(%s) lacks %q", name, want)
				}
			}
			for _, absent := range []string{"<svg", HeadCrosstabs, HeadClaims, HeadCodebook} {
				if strings.Contains(out, absent) {
					t.Errorf("WriteHTML(%s) contains %q, want it left out", name, absent)
				}
			}
		})
	}
}

func TestWriteMarkdown(t *testing.T) {
	out := renderMarkdown(t, sampleModel())
	paragraphs := map[string]bool{}
	for _, p := range strings.Split(out, "\n\n") {
		paragraphs[p] = true
	}
	for _, want := range []string{
		"# “两张皮”问题调查分析报告",
		"## 数据概况",
		"本次分析共读取 2 个输入文件，有效问卷 10 份，开放题回答 10 条（有效作答 8 条），研究报告文本单元 5 个；拒收记录 2 行（ragged_row 1 行，bad_encoding 1 行）。",
		"关于“您所在单位的类型”（10人作答），有6人选择“机关”，占60.0%；有4人选择“派出机构”，占40.0%。",
		"关于“您认为造成党建与业务工作‘两张皮’问题的主要原因”（多选，8人作答），有5人认为“履行‘一岗双责’意识不到位”，占62.5%；有3人认为“党建工作制度规定不完善”，占37.5%；有3人认为“其他”，占37.5%。",
		"开放题中（8人的回答有实质内容），有5人（62.5%）提到“考核评价”方面的原因，有3人（37.5%）提到“思想认识”方面的原因；另有1人（12.5%）的回答未归入任何类别。一人可提及多个方面，各项比例之和可超过100%。",
		"第1类“党建工作、业务工作”共4条回答（占已聚类回答的57.1%），特征词为党建工作、业务工作、脱节，多与编码类别“思想认识”相关（75.0%），典型回答如“党建和业务两张皮”。",
		"在 5 项交叉表检验中，有 3 项 p<0.05：",
		"“您所在单位的类型”与开放题回答的聚类显著相关（χ²(4)=12.3，p=0.015，Cramér's V=0.11，小效应），经 BH 校正后仍显著（Holm 校正后不显著）。",
		"“您的职级”与是否选择“党建工作制度规定不完善”显著相关（χ²(1)=4.2，Fisher 精确检验 p<0.001，Cramér's V=0.35，中等效应），经 Holm 校正后仍显著。",
		"“您所在单位的类型”与“开放题原因类别”各项的分布整体上显著相关（多重边际独立性检验，Rao–Scott 二阶校正 χ²(14.4)=51.5，p<0.001）。",
	} {
		if !paragraphs[want] {
			t.Errorf("WriteMarkdown lacks the paragraph\n%s", want)
		}
	}
	for _, want := range []string{
		"- reports/r1.txt:¶8（二、存在的主要问题）：问卷中，有xx人认为“党建活动形式单一”，占xx.x%\n",
		"> 由 surveymine v0.9.0-test 生成。",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("WriteMarkdown lacks %q", want)
		}
	}
	for _, absent := range []string{"思想认识”无显著关联", "是否选择“其他”", "“您的职级”与“您认为"} {
		if strings.Contains(out, absent) {
			t.Errorf("WriteMarkdown contains %q, want only significant results", absent)
		}
	}
}

func TestWriteMarkdownNoFindings(t *testing.T) {
	m := &Model{Crosstabs: []Attribute{{ID: "Q1", Panels: []Panel{{Tests: []Test{testNotSig}}}}}}
	out := renderMarkdown(t, m)
	if want := "在 1 项交叉表检验中，未发现 p<0.05 的显著关联。"; !strings.Contains(out, want) {
		t.Errorf("WriteMarkdown lacks %q:\n%s", want, out)
	}
}

type failWriter struct{}

var errWrite = errors.New("disk full")

func (failWriter) Write([]byte) (int, error) { return 0, errWrite }

func TestWriteErrors(t *testing.T) {
	if err := WriteHTML(failWriter{}, sampleModel()); !errors.Is(err, errWrite) {
		t.Errorf("WriteHTML(failing writer) = %v, want %v", err, errWrite)
	}
	if err := WriteMarkdown(failWriter{}, sampleModel()); !errors.Is(err, errWrite) {
		t.Errorf("WriteMarkdown(failing writer) = %v, want %v", err, errWrite)
	}
}

// TestUnstableClusters: a cluster below 0.6 stability is listed apart
// (with its stability), not described like the stable ones; a run with
// too little text says so with its numbers.
func TestUnstableClusters(t *testing.T) {
	m := sampleModel()
	m.Clusters.StabilityB = 10
	m.Clusters.Items[0].Stability, m.Clusters.Items[0].Unstable = 0.42, true
	label := m.Clusters.Items[0].Label
	for name, out := range map[string]string{"html": renderHTML(t, m), "md": renderMarkdown(t, m)} {
		if !strings.Contains(out, "（"+strconv.Itoa(m.Clusters.Items[0].Size)+"条，稳定性 0.42）") {
			t.Errorf("%s: unstable cluster not listed with its stability", name)
		}
		if strings.Contains(out, "第 1 类："+label) || strings.Contains(out, "第1类“"+label+"”共") {
			t.Errorf("%s: unstable cluster described like the stable ones", name)
		}
	}
	m = sampleModel()
	m.Clusters = &Clusters{Status: "too_few_answers", StatusDetail: "3 answers with content terms (3 answered), at least 5 needed: too few answers"}
	for name, out := range map[string]string{"html": renderHTML(t, m), "md": renderMarkdown(t, m)} {
		if !strings.Contains(out, "回答太少，未做聚类（3 answers with content terms") {
			t.Errorf("%s: too_few_answers status not reported", name)
		}
	}
}

func TestWriteHTMLClusteringMethods(t *testing.T) {
	cases := []struct {
		name string
		c    Clustering
		want string
	}{
		{"configured", Clustering{K: 9, Restarts: 10}, "k = 9（配置指定）。"},
		{"automatic k", Clustering{K: 7, Auto: true, KMin: 4, KMax: 12, Restarts: 10}, "k 在 4–12 之间按主题一致性与稳定性自动选择，结果 k = 7。"},
		{"automatic method", Clustering{K: 9, Method: "gsdmm", Selection: "auto", Restarts: 10}, "结果为 gsdmm，k = 9。"},
		{"gsdmm", Clustering{K: 9, Method: "gsdmm"}, "用 GSDMM（Yin 与 Wang 2014"},
		{"btm", Clustering{K: 9, Method: "btm"}, "用 BTM（Yan 等 2013 的词对主题模型"},
		{"guided", Clustering{K: 11, Guided: true, Extra: 2, Restarts: 10}, "另加 2 个自由类，k = 11。"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			m := sampleModel()
			m.Methods.Clustering = tc.c
			if out := renderHTML(t, m); !strings.Contains(out, tc.want) {
				t.Errorf("WriteHTML methods lack %q", tc.want)
			}
		})
	}
}
