package report

import (
	"sort"
	"strconv"
	"strings"
)

// FrequencySentence states the frequencies of a closed question the way
// Chinese research reports do, options by frequency (ties in survey
// order): 关于“…”（多选，600人作答），有211人认为“…”，占35.2%；有164人认为“…”，占27.3%。
// The verb is 认为 when the header asks for an opinion, else 选择.
// Percentages are of the respondents who answered. It returns "" for a
// question without options or without respondents.
func FrequencySentence(q Question) string {
	if len(q.Options) == 0 || q.Base == 0 {
		return ""
	}
	opts := append([]Option(nil), q.Options...)
	sort.SliceStable(opts, func(i, j int) bool { return opts[i].N > opts[j].N })
	kind := ""
	if q.Multi {
		kind = "多选，"
	}
	v := verb(q.Header)
	var b strings.Builder
	b.WriteString("关于" + quote(questionText(q.Header)) + "（" + kind + strconv.Itoa(q.Base) + "人作答），")
	for i, o := range opts {
		if i > 0 {
			b.WriteString("；")
		}
		b.WriteString("有" + strconv.Itoa(o.N) + "人" + v + quote(o.Label) + "，占" + FormatPct(o.Pct))
	}
	b.WriteString("。")
	return b.String()
}

// CategorySentence states how many respondents named each codebook
// category, most named first:
// 开放题中（503人的回答有实质内容），有87人（17.3%）提到“思想认识”方面的原因，…；
// the 其他 category is stated last as answers that fit no category. It
// returns "" for a codebook without respondents.
func CategorySentence(cb *Codebook) string {
	if cb == nil || cb.Base == 0 {
		return ""
	}
	var items []Category
	var other *Category
	for i := range cb.Items {
		if cb.Items[i].Other {
			other = &cb.Items[i]
			continue
		}
		if cb.Items[i].N > 0 {
			items = append(items, cb.Items[i])
		}
	}
	sort.SliceStable(items, func(i, j int) bool { return items[i].N > items[j].N })
	var b strings.Builder
	b.WriteString("开放题中（" + strconv.Itoa(cb.Base) + "人的回答有实质内容），")
	for i, c := range items {
		if i > 0 {
			b.WriteString("，")
		}
		b.WriteString("有" + strconv.Itoa(c.N) + "人（" + FormatPct(c.Pct) + "）提到" + quote(c.Name) + "方面的原因")
	}
	if other != nil && other.N > 0 {
		if len(items) > 0 {
			b.WriteString("；另")
		}
		b.WriteString("有" + strconv.Itoa(other.N) + "人（" + FormatPct(other.Pct) + "）的回答未归入任何类别")
	}
	b.WriteString("。")
	if len(items) > 1 {
		b.WriteString("一人可提及多个方面，各项比例之和可超过100%。")
	}
	return b.String()
}

// ClusterIntro introduces the clusters in one sentence; "" for nil.
func ClusterIntro(c *Clusters) string {
	if c == nil {
		return ""
	}
	if c.Status != "" && c.Status != "ok" {
		return "开放题中有实质内容的回答太少，未做聚类（" + c.StatusDetail + "）。"
	}
	s := "聚类分析（" + MethodName(c.Method) + "）将" + strconv.Itoa(c.Clustered) + "条有实质内容的开放题回答分为" + strconv.Itoa(c.K) + "类"
	if c.Unclassified > 0 {
		s += "，另有" + strconv.Itoa(c.Unclassified) + "条回答因缺少有效词语未能归类"
	}
	s += "。"
	if c.StabilityB > 0 {
		s += "每类的稳定性是在 " + strconv.Itoa(c.StabilityB) + " 次重抽样中重新聚类、与最相近的类的 Jaccard 系数的平均值（Hennig 2007），低于 0.6 的类不稳定，单独列出，不宜作为结论。"
	}
	return s
}

// MethodName names a clustering method in the report's words.
func MethodName(m string) string {
	switch m {
	case "gsdmm":
		return "GSDMM 短文本狄利克雷多项混合模型"
	case "btm":
		return "BTM 词对主题模型"
	case "lsa":
		return "TF-IDF 加权、LSA 降维后球面 k 均值"
	}
	return "TF-IDF 加权、球面 k 均值"
}

// UnstableSentence lists the unstable clusters (Stability < 0.6) with
// their size and stability; "" when there are none.
func UnstableSentence(c *Clusters) string {
	var parts []string
	for _, cl := range c.Items {
		if cl.Unstable {
			parts = append(parts, "第"+strconv.Itoa(cl.ID)+"类"+quote(cl.Label)+"（"+strconv.Itoa(cl.Size)+"条，稳定性 "+strconv.FormatFloat(cl.Stability, 'f', 2, 64)+"）")
		}
	}
	if len(parts) == 0 {
		return ""
	}
	s := "不稳定的类（换一次抽样或随机种子就不再出现，不宜解读）：" + strings.Join(parts, "；") + "。"
	if len(parts) == len(c.Items) {
		s += "所有类都不稳定：这些回答没有可重复的分组结构，聚类结果只宜作探索，可减少类数（k）后重做。"
	}
	return s
}

// ClusterSentence summarises one cluster: size, share, its five most
// distinctive terms, its most frequent codebook category when known and,
// when quotes > 0, up to that many exemplar answers (line breaks folded,
// final punctuation dropped).
func ClusterSentence(c Cluster, quotes int) string {
	var b strings.Builder
	b.WriteString("第" + strconv.Itoa(c.ID) + "类" + quote(c.Label) + "共" + strconv.Itoa(c.Size) + "条回答（占已聚类回答的" + FormatPct(c.Pct) + "）")
	if n := min(5, len(c.Terms)); n > 0 {
		b.WriteString("，特征词为" + strings.Join(c.Terms[:n], "、"))
	}
	if c.Nearest != "" {
		b.WriteString("，多与编码类别" + quote(c.Nearest) + "相关（" + FormatPct(c.NearestPct) + "）")
	}
	if n := min(quotes, len(c.Exemplars)); n > 0 {
		b.WriteString("，典型回答如")
		for i, e := range c.Exemplars[:n] {
			if i > 0 {
				b.WriteString("、")
			}
			b.WriteString(quote(strings.TrimRight(oneLine(e), "。！？；，.!?;, ")))
		}
	}
	b.WriteString("。")
	return b.String()
}

// FindingSentence is a test's sentence with its multiple-testing note, for
// the list of findings: “…”与…显著相关（χ²(4)=12.3，p=0.015，Cramér's V=0.11，小效应），经 Holm 校正后仍显著。
func FindingSentence(t Test) string {
	s := t.Sentence()
	if a := t.Adjusted(); a != "" {
		s += "，" + a
	}
	return s + "。"
}

// AllTests returns every test of every panel, attribute by attribute.
func (m *Model) AllTests() []Test {
	var out []Test
	for _, a := range m.Crosstabs {
		for _, p := range a.Panels {
			out = append(out, p.Tests...)
		}
	}
	return out
}

// SignificantTests returns the tests with p < Alpha, in report order.
func (m *Model) SignificantTests() []Test {
	var out []Test
	for _, t := range m.AllTests() {
		if t.Significant() {
			out = append(out, t)
		}
	}
	return out
}

// title returns the model's title or DefaultTitle.
func (m *Model) title() string {
	if m.Title == "" {
		return DefaultTitle
	}
	return m.Title
}
