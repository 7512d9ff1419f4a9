package report

import (
	"math"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// FormatP formats a p-value as Chinese research reports print it:
// "p<0.001" below 0.001, otherwise "p=" and three decimals ("p=0.011",
// "p=1.000"). NaN, negative or infinite values give "p=—".
func FormatP(p float64) string {
	switch {
	case math.IsNaN(p) || p < 0 || math.IsInf(p, 0):
		return "p=—"
	case p < 0.001:
		return "p<0.001"
	}
	return "p=" + fixed(math.Min(p, 1), 3)
}

// FormatPct formats a percentage (0–100) with one decimal and a percent
// sign: 34.45 → "34.5%" (the float nearest to 34.45 is above it), 0 →
// "0.0%". NaN or infinite values give "—".
func FormatPct(x float64) string {
	if math.IsNaN(x) || math.IsInf(x, 0) {
		return "—"
	}
	return fixed(x, 1) + "%"
}

// fixed formats x with d decimals, never as "-0.0"; NaN gives "—".
func fixed(x float64, d int) string {
	if math.IsNaN(x) || math.IsInf(x, 0) {
		return "—"
	}
	s := strconv.FormatFloat(x, 'f', d, 64)
	if strings.HasPrefix(s, "-") && strings.Trim(s, "-0.") == "" {
		s = s[1:]
	}
	return s
}

// FormatChi2 formats the chi-square statistic with its degrees of freedom:
// "χ²(16)=31.7" (one decimal).
func FormatChi2(chi2 float64, df int) string {
	return "χ²(" + strconv.Itoa(df) + ")=" + fixed(chi2, 1)
}

// FormatV formats Cramér's V with two decimals: "Cramér's V=0.18".
func FormatV(v float64) string { return "Cramér's V=" + fixed(v, 2) }

// Effect names the size of an association measured by Cramér's V in a
// table whose smaller dimension is minDim, by Cohen's conventions for
// w = V·√(minDim−1) (Cohen 1988, Statistical Power Analysis, §7.2: w = 0.1
// small, 0.3 medium, 0.5 large): "效应极小" below 0.1, "小效应", "中等效应",
// "大效应". It returns "" when V is NaN or minDim < 2.
func Effect(v float64, minDim int) string {
	if math.IsNaN(v) || minDim < 2 {
		return ""
	}
	w := v * math.Sqrt(float64(minDim-1))
	switch {
	case w < 0.1:
		return "效应极小"
	case w < 0.3:
		return "小效应"
	case w < 0.5:
		return "中等效应"
	}
	return "大效应"
}

// methodName is the Chinese name of a test.
func methodName(m string) string {
	switch m {
	case "pearson_chi2":
		return "Pearson χ² 检验"
	case "fisher_exact":
		return "Fisher 精确检验"
	case "monte_carlo_chi2":
		return "蒙特卡洛 χ² 检验"
	}
	return "未检验"
}

// methodWhy says briefly, in Chinese, why a test was used (the section
// text explains the rule in full).
func methodWhy(t Test) string {
	switch t.Method {
	case "pearson_chi2":
		if strings.Contains(t.MethodReason, "weighted") {
			return "期望频数偏小，但为加权计数，p 值仅供参考"
		}
		return "期望频数充足"
	case "fisher_exact":
		return "期望频数过小，2×2 表"
	case "monte_carlo_chi2":
		return "期望频数过小，随机表 " + strconv.Itoa(t.MonteCarloB) + " 个"
	}
	return t.StatusDetail
}

// Significant reports whether the test's p-value is below Alpha.
func (t Test) Significant() bool { return t.Status == "ok" && t.P < Alpha }

// Stats renders the statistics of a test in the form Chinese reports
// use: "χ²(4)=12.3，p=0.015，Cramér's V=0.11". When the p-value comes from
// an exact or Monte Carlo test, the p is prefixed with its test:
// "χ²(4)=12.3，Fisher 精确检验 p=0.015，…".
func (t Test) Stats() string {
	p := FormatP(t.P)
	switch t.Method {
	case "fisher_exact":
		p = "Fisher 精确检验 " + p
	case "monte_carlo_chi2":
		p = "蒙特卡洛检验 " + p
	}
	return FormatChi2(t.Chi2, t.DF) + "，" + p + "，" + FormatV(t.V)
}

// Adjusted says whether the result survives the multiple-testing
// corrections: "经 Holm 校正后仍显著", "经 BH 校正后仍显著（Holm 校正后不显著）"
// or "经 Holm、BH 多重比较校正后不显著". It returns "" for a test that is
// not significant.
func (t Test) Adjusted() string {
	switch {
	case !t.Significant():
		return ""
	case t.PHolm < Alpha:
		return "经 Holm 校正后仍显著"
	case t.PBH < Alpha:
		return "经 BH 校正后仍显著（Holm 校正后不显著）"
	}
	return "经 Holm、BH 多重比较校正后不显著"
}

// Sentence is the plain-language note on a test, e.g.
// "“您所在单位的类型”与开放题回答的聚类显著相关（χ²(16)=31.7，p=0.011，Cramér's V=0.18，小效应）".
// Tests that could not be run say why.
func (t Test) Sentence() string {
	head := quote(questionText(t.Attribute)) + "与" + t.Subject
	if t.Status != "ok" {
		d := t.StatusDetail
		if d == "" {
			d = t.Status
		}
		return head + "无法检验（" + d + "）"
	}
	if !t.Significant() {
		return head + "无显著关联（" + t.Stats() + "）"
	}
	in := t.Stats()
	if e := Effect(t.V, t.MinDim); e != "" {
		in += "，" + e
	}
	return head + "显著相关（" + in + "）"
}

// Significant reports whether the second-order Rao–Scott p is below Alpha.
func (m MMITest) Significant() bool { return m.Status == "ok" && m.PRS2 < Alpha }

// Sentence is the plain-language note on a joint test.
func (m MMITest) Sentence() string {
	head := quote(questionText(m.Attribute)) + "与" + quote(questionText(m.Set)) + "各项的分布"
	if m.Status != "ok" {
		return head + "无法整体检验（" + m.StatusDetail + "）"
	}
	st := "Rao–Scott 二阶校正 χ²(" + fixed(m.DFRS2, 1) + ")=" + fixed(m.X2RS2, 1) + "，" + FormatP(m.PRS2)
	if m.Significant() {
		return head + "整体上显著相关（多重边际独立性检验，" + st + "）"
	}
	return head + "整体上无显著关联（多重边际独立性检验，" + st + "）"
}

// quote puts s in Chinese double quotes, turning double quotes inside it
// into single ones as Chinese typesetting does: 履行“一岗双责”意识 →
// “履行‘一岗双责’意识”.
func quote(s string) string {
	s = strings.NewReplacer("“", "‘", "”", "’", "\"", "'").Replace(s)
	return "“" + s + "”"
}

// questionText turns a survey header into words that fit in a sentence:
// the question number ("5、", "Q5.", "5.") and choice markers ("（多选）")
// are dropped, as are trailing punctuation and the question tails
// "有哪些", "是什么" and "是".
func questionText(h string) string {
	s := strings.TrimSpace(h)
	// Leading number: "5、", "5.", "5．", "Q5、", "Q5.", "Q5 ".
	rest := strings.TrimPrefix(strings.TrimPrefix(s, "Q"), "q")
	i := 0
	for i < len(rest) && rest[i] >= '0' && rest[i] <= '9' {
		i++
	}
	if i > 0 {
		r := strings.TrimLeft(rest[i:], " ")
		for _, sep := range []string{"、", ".", "．", "：", ":", "）", ")"} {
			if strings.HasPrefix(r, sep) {
				s = strings.TrimSpace(r[len(sep):])
				break
			}
		}
	}
	for changed := true; changed; {
		changed = false
		for _, tail := range []string{"（多选）", "(多选)", "【多选】", "[多选题]", "（多选题）", "（单选）", "(单选)", "【单选】", "[单选题]", "（单选题）", "有哪些", "是什么", "是"} {
			if strings.HasSuffix(s, tail) && len(s) > len(tail) {
				s = strings.TrimSuffix(s, tail)
				changed = true
			}
		}
		r, n := utf8.DecodeLastRuneInString(s)
		if n > 0 && n < len(s) && (unicode.IsPunct(r) || unicode.IsSpace(r)) && r != '”' && r != '）' && r != ')' {
			s = s[:len(s)-n]
			changed = true
		}
	}
	if s == "" {
		return strings.TrimSpace(h)
	}
	return s
}

// oneLine collapses line breaks and runs of spaces into single spaces.
func oneLine(s string) string { return strings.Join(strings.Fields(s), " ") }

// verb is the verb of a frequency sentence: "认为" when the question asks
// for an opinion (its header says 认为), else "选择".
func verb(header string) string {
	if strings.Contains(header, "认为") {
		return "认为"
	}
	return "选择"
}
