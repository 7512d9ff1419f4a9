package report

import (
	"bufio"
	"io"
	"strconv"
	"strings"
)

// WriteMarkdown writes the key findings as Chinese sentences ready to paste
// into a research report: closed-question frequencies
// (关于“…”，有123人认为“…”，占34.5%), codebook categories
// (开放题中，有87人（17.4%）提到“思想认识”方面的原因), cluster summaries, every
// significant cross-tab with χ²(df)=…，p=…，Cramér's V=… and its
// multiple-testing note, significant joint tests, and the claims in the
// input reports whose figures are still placeholders. Each finding is its
// own paragraph; user text is written as is (line breaks collapsed), not
// Markdown-escaped, so it pastes cleanly. The same model always gives the
// same bytes. A nil model is treated as an empty one. It returns the error
// of w.
func WriteMarkdown(w io.Writer, m *Model) error {
	if m == nil {
		m = &Model{}
	}
	bw := bufio.NewWriter(w)
	para := func(s string) {
		if s != "" {
			bw.WriteString(oneLine(s) + "\n\n")
		}
	}
	head := func(s string) { bw.WriteString("## " + s + "\n\n") }

	bw.WriteString("# " + oneLine(m.title()) + "\n\n")
	note := "以下句子可直接引用：百分比保留一位小数，p 值小于 0.001 记为 p<0.001，否则保留三位小数。"
	if m.Version != "" {
		note = "由 surveymine " + oneLine(m.Version) + " 生成。" + note
	}
	if m.Generated != "" {
		note += "生成时间：" + oneLine(m.Generated) + "。"
	}
	bw.WriteString("> " + note + "\n\n")

	head(HeadOverview)
	para(overviewSentence(m.Overview))

	if len(m.Questions) > 0 {
		head("选择题")
		for _, q := range m.Questions {
			para(FrequencySentence(q))
		}
	}
	if cb := m.Codebook; cb != nil {
		head("开放题编码")
		para(CategorySentence(cb))
	}
	if cl := m.Clusters; cl != nil {
		head(HeadClusters)
		para(ClusterIntro(cl))
		for _, c := range cl.Items {
			if !c.Unstable {
				para(ClusterSentence(c, 1))
			}
		}
		if u := UnstableSentence(cl); u != "" {
			para(u)
		}
	}
	if tests := m.AllTests(); len(tests) > 0 {
		head("交叉分析")
		sig := m.SignificantTests()
		if len(sig) == 0 {
			para("在 " + strconv.Itoa(len(tests)) + " 项交叉表检验中，未发现 p<0.05 的显著关联。")
		} else {
			para("在 " + strconv.Itoa(len(tests)) + " 项交叉表检验中，有 " + strconv.Itoa(len(sig)) + " 项 p<0.05：")
			for _, t := range sig {
				para(FindingSentence(t))
			}
		}
	}
	var mmi []MMITest
	for _, t := range m.MMI {
		if t.Significant() {
			mmi = append(mmi, t)
		}
	}
	if len(mmi) > 0 {
		head("多重响应整体检验")
		for _, t := range mmi {
			para(t.Sentence() + "。")
		}
	}
	var ph []Claim
	for _, c := range m.Claims {
		if c.Placeholder {
			ph = append(ph, c)
		}
	}
	if len(ph) > 0 {
		head("待填写的占位数字")
		para("输入报告中有 " + strconv.Itoa(len(ph)) + " 处陈述的数字仍是占位符，需要补上：")
		for _, c := range ph {
			s := "- " + oneLine(c.Source) + "：" + oneLine(c.Text)
			if c.SurveyN >= 0 {
				s += "（本问卷同一选项：" + strconv.Itoa(c.SurveyN) + "人，占" + FormatPct(c.SurveyPct) + "）"
			}
			bw.WriteString(s + "\n")
		}
		bw.WriteString("\n")
	}
	head(HeadMethods)
	para(methodsSentence(m))
	return bw.Flush()
}

// overviewSentence states what was read.
func overviewSentence(o Overview) string {
	s := "本次分析共读取 " + strconv.Itoa(len(o.Inputs)) + " 个输入文件，有效问卷 " + strconv.Itoa(o.Respondents) + " 份"
	if o.OpenAnswers > 0 {
		s += "，开放题回答 " + strconv.Itoa(o.OpenAnswers) + " 条（有效作答 " + strconv.Itoa(o.Answered) + " 条）"
	}
	if o.ReportUnits > 0 {
		s += "，研究报告文本单元 " + strconv.Itoa(o.ReportUnits) + " 个"
	}
	s += "；拒收记录 " + strconv.Itoa(o.Rejects) + " 行"
	if len(o.RejectReasons) > 0 {
		parts := make([]string, len(o.RejectReasons))
		for i, r := range o.RejectReasons {
			parts[i] = r.Label + " " + strconv.Itoa(r.N) + " 行"
		}
		s += "（" + strings.Join(parts, "，") + "）"
	}
	return s + "。" + o.Privacy
}

// methodsSentence summarises the methods in one paragraph.
func methodsSentence(m *Model) string {
	var b strings.Builder
	b.WriteString("中文分词采用 gse 词典加领域词表")
	if m.Codebook != nil {
		b.WriteString("，开放题按编码本" + quote(m.Codebook.Name))
		if m.Codebook.Version != "" {
			b.WriteString("（版本 " + m.Codebook.Version + "）")
		}
		b.WriteString("编码")
	}
	if m.Clusters != nil && m.Clusters.K > 0 {
		c := m.Methods.Clustering
		b.WriteString("，聚类采用" + MethodName(c.Method) + "（k=" + strconv.Itoa(c.K))
		if c.Method != "gsdmm" && c.Method != "btm" {
			b.WriteString("，重复 " + strconv.Itoa(c.Restarts) + " 次")
		}
		if c.Selection == "auto" {
			b.WriteString("，方法与 k 按主题一致性与稳定性自动选择")
			if c.Close {
				b.WriteString("；与次选 " + MethodName(c.RunnerUp) + " 几乎打平（准则差 " + strconv.FormatFloat(c.Margin, 'f', 2, 64) + "），宜设 cluster.method 对照")
			}
		}
		if c.Method != "gsdmm" && c.Method != "btm" {
			b.WriteString("，词权重 " + c.Weighting)
		}
		b.WriteString("）")
	}
	b.WriteString("。交叉表期望频数满足 Cochran 准则时用 Pearson χ² 检验，否则用 Fisher 精确检验（2×2）或蒙特卡洛检验；效应量为 Cramér's V，并报告 Holm 与 BH 多重比较校正结果。随机种子 " + strconv.FormatUint(m.Methods.Seed, 10) + "。")
	return b.String()
}
