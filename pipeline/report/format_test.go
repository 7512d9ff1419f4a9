package report

import (
	"math"
	"testing"
)

// The expected strings of rounding cases were checked against Python's
// "%.3f" / "%.1f" formatting (correctly rounded, ties to even), e.g.
// "%.3f" % 0.0105 == "0.011" because the double nearest 0.0105 is above it.
func TestFormatP(t *testing.T) {
	cases := []struct {
		name string
		p    float64
		want string
	}{
		{"zero", 0, "p<0.001"},
		{"tiny", 1e-12, "p<0.001"},
		{"just below 0.001", 0.0009999, "p<0.001"},
		{"exactly 0.001", 0.001, "p=0.001"},
		{"run value", 0.011013657391149146, "p=0.011"},
		{"double above the half", 0.0105, "p=0.011"},
		{"rounds up to 0.050", 0.0495, "p=0.050"},
		{"alpha", 0.05, "p=0.050"},
		{"rounds to one", 0.99951, "p=1.000"},
		{"one", 1, "p=1.000"},
		{"above one from rounding", 1.0000000002, "p=1.000"},
		{"NaN", math.NaN(), "p=—"},
		{"negative", -0.2, "p=—"},
		{"infinite", math.Inf(1), "p=—"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if got := FormatP(tc.p); got != tc.want {
				t.Errorf("FormatP(%v) = %q, want %q", tc.p, got, tc.want)
			}
		})
	}
}

func TestFormatPct(t *testing.T) {
	cases := []struct {
		name string
		x    float64
		want string
	}{
		{"double above the half", 34.45, "34.5%"},
		{"repeating", 16.166666666666668, "16.2%"},
		{"exact half, even", 0.25, "0.2%"},
		{"small", 0.05, "0.1%"},
		{"rounds to hundred", 99.95, "100.0%"},
		{"hundred", 100, "100.0%"},
		{"zero", 0, "0.0%"},
		{"negative zero", math.Copysign(0, -1), "0.0%"},
		{"tiny negative", -0.04, "0.0%"},
		{"NaN", math.NaN(), "—"},
		{"infinite", math.Inf(-1), "—"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if got := FormatPct(tc.x); got != tc.want {
				t.Errorf("FormatPct(%v) = %q, want %q", tc.x, got, tc.want)
			}
		})
	}
}

func TestFormatStats(t *testing.T) {
	if got, want := FormatChi2(31.67679218775251, 16), "χ²(16)=31.7"; got != want {
		t.Errorf("FormatChi2 = %q, want %q", got, want)
	}
	if got, want := FormatV(0.177802), "Cramér's V=0.18"; got != want {
		t.Errorf("FormatV = %q, want %q", got, want)
	}
	if got, want := FormatV(math.NaN()), "Cramér's V=—"; got != want {
		t.Errorf("FormatV(NaN) = %q, want %q", got, want)
	}
}

// Thresholds from Cohen (1988) §7.2 on w = V·√(min(R,C)−1); the w values
// in the comments were computed by hand.
func TestEffect(t *testing.T) {
	cases := []struct {
		name   string
		v      float64
		minDim int
		want   string
	}{
		{"9x3 table, w=0.255", 0.18, 3, "小效应"},
		{"2x2 below small", 0.05, 2, "效应极小"},
		{"2x2 exactly medium", 0.3, 2, "中等效应"},
		{"3x3, w=0.368", 0.26, 3, "中等效应"},
		{"2x2 large", 0.6, 2, "大效应"},
		{"2x3, w=0.099", 0.099, 2, "效应极小"},
		{"NaN", math.NaN(), 2, ""},
		{"degenerate", 0.4, 1, ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if got := Effect(tc.v, tc.minDim); got != tc.want {
				t.Errorf("Effect(%v, %d) = %q, want %q", tc.v, tc.minDim, got, tc.want)
			}
		})
	}
}

func TestQuestionText(t *testing.T) {
	cases := []struct{ in, want string }{
		{"5、您认为造成党建与业务工作“两张皮”问题的主要原因有哪些？（多选）", "您认为造成党建与业务工作“两张皮”问题的主要原因"},
		{"1、您所在单位的类型：", "您所在单位的类型"},
		{"Q3. 您的政治面貌是？", "您的政治面貌"},
		{"12．您的年龄", "您的年龄"},
		{"性别", "性别"},
		{"2026年度", "2026年度"},
		{"是", "是"},
		{"", ""},
	}
	for _, tc := range cases {
		if got := questionText(tc.in); got != tc.want {
			t.Errorf("questionText(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestQuote(t *testing.T) {
	if got, want := quote("履行“一岗双责”意识不到位"), "“履行‘一岗双责’意识不到位”"; got != want {
		t.Errorf("quote = %q, want %q", got, want)
	}
}

func TestTestSentence(t *testing.T) {
	cases := []struct {
		name string
		test Test
		want string
	}{
		{"pearson, BH only", testClusters,
			"“您所在单位的类型”与开放题回答的聚类显著相关（χ²(4)=12.3，p=0.015，Cramér's V=0.11，小效应），经 BH 校正后仍显著（Holm 校正后不显著）。"},
		{"not significant", testNotSig,
			"“您所在单位的类型”与是否提及“思想认识”无显著关联（χ²(1)=0.7，p=0.399，Cramér's V=0.09）。"},
		{"monte carlo, not after correction", testMonteCarlo,
			"“您所在单位的类型”与是否提及“考核评价”显著相关（χ²(2)=8.3，蒙特卡洛检验 p=0.020，Cramér's V=0.13，小效应），经 Holm、BH 多重比较校正后不显著。"},
		{"fisher, Holm", testFisher,
			"“您的职级”与是否选择“党建工作制度规定不完善”显著相关（χ²(1)=4.2，Fisher 精确检验 p<0.001，Cramér's V=0.35，中等效应），经 Holm 校正后仍显著。"},
		{"not tested", testDegenerate,
			"“您的职级”与是否选择“其他”无法检验（only one row left after dropping empty rows）。"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if got := FindingSentence(tc.test); got != tc.want {
				t.Errorf("FindingSentence(%s) =\n%s\nwant\n%s", tc.test.ID, got, tc.want)
			}
		})
	}
}

func TestMMISentence(t *testing.T) {
	m := sampleModel().MMI[0]
	want := "“您所在单位的类型”与“开放题原因类别”各项的分布整体上显著相关（多重边际独立性检验，Rao–Scott 二阶校正 χ²(14.4)=51.5，p<0.001）"
	if got := m.Sentence(); got != want {
		t.Errorf("MMITest.Sentence() =\n%s\nwant\n%s", got, want)
	}
	if sampleModel().MMI[1].Significant() {
		t.Errorf("MMI[1].Significant() = true, want false (p=0.52)")
	}
}

func TestFrequencySentence(t *testing.T) {
	m := sampleModel()
	cases := []struct {
		name string
		q    Question
		want string
	}{
		{"single choice uses 选择", m.Questions[0],
			"关于“您所在单位的类型”（10人作答），有6人选择“机关”，占60.0%；有4人选择“派出机构”，占40.0%。"},
		{"opinion question uses 认为, ties keep survey order", m.Questions[1],
			"关于“您认为造成党建与业务工作‘两张皮’问题的主要原因”（多选，8人作答），有5人认为“履行‘一岗双责’意识不到位”，占62.5%；有3人认为“党建工作制度规定不完善”，占37.5%；有3人认为“其他”，占37.5%。"},
		{"no respondents", Question{Header: "x", Options: []Option{{"a", 0, math.NaN()}}}, ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if got := FrequencySentence(tc.q); got != tc.want {
				t.Errorf("FrequencySentence =\n%s\nwant\n%s", got, tc.want)
			}
		})
	}
}

func TestCategorySentence(t *testing.T) {
	want := "开放题中（8人的回答有实质内容），有5人（62.5%）提到“考核评价”方面的原因，有3人（37.5%）提到“思想认识”方面的原因；另有1人（12.5%）的回答未归入任何类别。一人可提及多个方面，各项比例之和可超过100%。"
	if got := CategorySentence(sampleModel().Codebook); got != want {
		t.Errorf("CategorySentence =\n%s\nwant\n%s", got, want)
	}
	if got := CategorySentence(nil); got != "" {
		t.Errorf("CategorySentence(nil) = %q, want empty", got)
	}
}

func TestClusterSentence(t *testing.T) {
	c := sampleModel().Clusters
	cases := []struct {
		name   string
		got    string
		wanted string
	}{
		{"intro", ClusterIntro(c), "聚类分析（TF-IDF 加权、球面 k 均值）将7条有实质内容的开放题回答分为2类，另有1条回答因缺少有效词语未能归类。"},
		{"with quotes", ClusterSentence(c.Items[0], 2),
			"第1类“党建工作、业务工作”共4条回答（占已聚类回答的57.1%），特征词为党建工作、业务工作、脱节，多与编码类别“思想认识”相关（75.0%），典型回答如“党建和业务两张皮”、“党建工作与业务工作脱节 很严重”。"},
		{"without nearest category", ClusterSentence(c.Items[1], 0),
			"第2类“考核”共3条回答（占已聚类回答的42.9%），特征词为考核。"},
	}
	for _, tc := range cases {
		if tc.got != tc.wanted {
			t.Errorf("%s =\n%s\nwant\n%s", tc.name, tc.got, tc.wanted)
		}
	}
}
