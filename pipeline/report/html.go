package report

import (
	"bytes"
	"html/template"
	"io"
	"math"
	"strconv"
	"strings"
)

// Section headings of the HTML report, in order. Sections without data are
// left out and the rest renumbered.
const (
	HeadOverview  = "数据概况"
	HeadQuestions = "选择题频数"
	HeadCodebook  = "原因类别（编码本）"
	HeadClusters  = "开放题聚类"
	HeadCrosstabs = "交叉分析"
	HeadTests     = "统计检验"
	HeadClaims    = "报告中的数据陈述"
	HeadMethods   = "方法说明"
)

// FontStack is the CSS font-family of the report: CJK fonts found on
// Linux, macOS and Windows, then the generic sans-serif. Nothing is
// downloaded; the browser uses the first one installed.
const FontStack = `"Noto Sans CJK SC", "Source Han Sans SC", "Noto Sans SC", "Microsoft YaHei", "PingFang SC", "Hiragino Sans GB", "WenQuanYi Micro Hei", sans-serif`

type section struct{ ID, Title string }

type questionView struct {
	Question
	Chart    template.HTML
	Sentence string
}

type panelView struct {
	Panel
	ShareChart, HeatChart template.HTML
}

type attributeView struct {
	Attribute
	Panels []panelView
}

type htmlView struct {
	*Model
	Title         string
	Sections      []section
	Questions     []questionView
	CodebookChart template.HTML
	ClusterChart  template.HTML
	Attributes    []attributeView
	Tests         []Test
	Significant   []Test
	Head          map[string]string // section id → numbered heading
}

var chineseNumbers = []string{"一", "二", "三", "四", "五", "六", "七", "八", "九", "十"}

func newHTMLView(m *Model) *htmlView {
	v := &htmlView{Model: m, Title: m.title(), Head: map[string]string{}}
	add := func(id, title string, ok bool) {
		if ok {
			v.Sections = append(v.Sections, section{id, title})
			v.Head[id] = chineseNumbers[len(v.Sections)-1] + "、" + title
		}
	}
	v.Tests = m.AllTests()
	v.Significant = m.SignificantTests()
	add("overview", HeadOverview, true)
	add("questions", HeadQuestions, len(m.Questions) > 0)
	add("codebook", HeadCodebook, m.Codebook != nil)
	add("clusters", HeadClusters, m.Clusters != nil)
	add("crosstabs", HeadCrosstabs, len(m.Crosstabs) > 0)
	add("tests", HeadTests, len(v.Tests) > 0 || len(m.MMI) > 0)
	add("claims", HeadClaims, len(m.Claims) > 0)
	add("methods", HeadMethods, true)

	for _, q := range m.Questions {
		qv := questionView{Question: q, Sentence: FrequencySentence(q)}
		if len(q.Options) > 0 {
			labels, vals, counts := make([]string, len(q.Options)), make([]float64, len(q.Options)), make([]int, len(q.Options))
			for i, o := range q.Options {
				labels[i], vals[i], counts[i] = o.Label, o.Pct, o.N
			}
			qv.Chart = template.HTML(BarChart(q.Header, labels, vals, counts))
		}
		v.Questions = append(v.Questions, qv)
	}
	if cb := m.Codebook; cb != nil && len(cb.Items) > 0 {
		labels, vals, counts := make([]string, len(cb.Items)), make([]float64, len(cb.Items)), make([]int, len(cb.Items))
		for i, c := range cb.Items {
			labels[i], vals[i], counts[i] = strconv.Itoa(c.ID)+" "+c.Name, c.Pct, c.N
		}
		v.CodebookChart = template.HTML(BarChart("各原因类别的提及比例", labels, vals, counts))
	}
	if cl := m.Clusters; cl != nil && len(cl.Items) > 0 {
		labels, vals, counts := make([]string, len(cl.Items)), make([]float64, len(cl.Items)), make([]int, len(cl.Items))
		for i, c := range cl.Items {
			labels[i], vals[i], counts[i] = strconv.Itoa(c.ID)+" "+c.Label, c.Pct, c.Size
		}
		v.ClusterChart = template.HTML(BarChart("各聚类的回答数", labels, vals, counts))
	}
	for _, a := range m.Crosstabs {
		av := attributeView{Attribute: a}
		for _, p := range a.Panels {
			pv := panelView{Panel: p}
			if len(p.Rows) > 0 && len(p.Cols) > 0 {
				label := p.Title + " × " + questionText(a.Title)
				if p.Kind == Stacked {
					pv.ShareChart = template.HTML(StackedChart(label, p.Rows, p.Cols, p.Share))
				} else {
					pv.ShareChart = template.HTML(GroupedChart(label, p.Rows, p.Cols, p.Share))
				}
				pv.HeatChart = template.HTML(Heatmap(label+" 调整后标准化残差", p.Rows, p.Cols, p.Resid))
			}
			av.Panels = append(av.Panels, pv)
		}
		v.Attributes = append(v.Attributes, av)
	}
	return v
}

var funcs = template.FuncMap{
	"txt":          func(s string) template.HTML { return template.HTML(esc(s)) },
	"pct":          FormatPct,
	"p":            FormatP,
	"pval":         func(p float64) string { return strings.TrimPrefix(strings.TrimPrefix(FormatP(p), "p="), "p") },
	"f1":           func(x float64) string { return fixed(x, 1) },
	"f2":           func(x float64) string { return fixed(x, 2) },
	"f3":           func(x float64) string { return fixed(x, 3) },
	"q":            func(s string) string { return questionText(s) },
	"quote":        func(s string) string { return quote(s) },
	"eff":          Effect,
	"method":       methodName,
	"why":          methodWhy,
	"finding":      FindingSentence,
	"clusterIntro": ClusterIntro,
	"unstable":     UnstableSentence,
	"catSentence":  CategorySentence,
	"count": func(n int) string {
		if n < 0 {
			return "—"
		}
		return strconv.Itoa(n)
	},
	"isNaN":  math.IsNaN,
	"join":   strings.Join,
	"first":  func(n int, s []string) []string { return s[:min(n, len(s))] },
	"seed":   func(s uint64) string { return strconv.FormatUint(s, 10) },
	"filter": filterName,
	"mul100": func(x float64) float64 { return 100 * x },
}

// filterName is the Chinese name of a segmentation filter.
func filterName(f string) string {
	switch f {
	case "space":
		return "空白"
	case "punct":
		return "标点符号"
	case "number":
		return "数字"
	case "stopword":
		return "通用停用词"
	case "boilerplate":
		return "问卷套话（无、同上、不清楚等）"
	case "user_stopword":
		return "用户停用词"
	case "single_char":
		return "单字"
	case "pos":
		return "指定词性"
	}
	return f
}

var page = template.Must(template.New("report").Funcs(funcs).Parse(pageTemplate))

// WriteHTML writes the report as one self-contained HTML page: inline CSS
// and SVG charts, no scripts, fonts, images or links to other files, so it
// renders the same offline. Text from the data is escaped, and "://" in it
// is written as ":&#47;/" so the file holds no URL. The same model always
// gives the same bytes. A nil model is treated as an empty one. It returns
// the error of w.
func WriteHTML(w io.Writer, m *Model) error {
	if m == nil {
		m = &Model{}
	}
	var buf bytes.Buffer
	if err := page.Execute(&buf, newHTMLView(m)); err != nil {
		return err
	}
	_, err := w.Write(buf.Bytes())
	return err
}

const pageTemplate = `<!DOCTYPE html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="surveymine">
<title>{{txt .Title}}</title>
<style>
:root { color-scheme: light; }
body { font-family: ` + FontStack + `; margin: 0; background: #fff; color: #222; line-height: 1.7; font-size: 15px; }
main { max-width: 980px; margin: 0 auto; padding: 24px 32px 64px; }
h1 { font-size: 26px; margin: 8px 0 4px; }
h2 { font-size: 21px; margin: 40px 0 12px; padding-bottom: 4px; border-bottom: 2px solid #3b6ea5; }
h3 { font-size: 17px; margin: 28px 0 8px; }
h4 { font-size: 15px; margin: 20px 0 6px; color: #333; }
.meta { color: #666; font-size: 13px; margin: 0 0 12px; }
nav ol { margin: 8px 0; padding-left: 1.5em; columns: 2; font-size: 14px; }
nav a { color: #3b6ea5; text-decoration: none; }
table { border-collapse: collapse; margin: 8px 0 16px; font-size: 13px; }
th, td { border: 1px solid #ddd; padding: 3px 8px; text-align: left; vertical-align: top; }
th { background: #f3f5f8; font-weight: 600; }
td.n { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
tr.sig td { background: #fff6e5; }
tr.placeholder td { background: #fdecea; }
.badge { display: inline-block; font-size: 12px; padding: 0 6px; border-radius: 3px; background: #c8504b; color: #fff; }
.finding { background: #f6f8fb; border-left: 4px solid #3b6ea5; padding: 6px 12px; margin: 8px 0; }
.note { color: #555; font-size: 13px; }
figure { margin: 8px 0 16px; }
figcaption { font-size: 13px; color: #555; }
svg.chart { display: block; max-width: 100%; height: auto; }
svg.chart text { font-family: inherit; font-size: 12px; fill: #222; }
svg.chart text.axis, svg.chart text.small { font-size: 10px; fill: #555; }
svg.chart text.value { font-size: 11px; fill: #333; }
svg.chart text.inbar { font-size: 10px; fill: #fff; }
svg.chart text.cell { font-size: 11px; }
svg.chart text.sig { font-weight: 700; }
svg.chart text.light { fill: #fff; }
.cluster { border: 1px solid #e3e3e3; border-radius: 4px; padding: 4px 16px 8px; margin: 12px 0; }
.quotes { margin: 4px 0; padding-left: 1.5em; }
.quotes li { margin: 2px 0; color: #333; }
.terms { color: #3b6ea5; }
</style>
</head>
<body>
<main>
<h1>{{txt .Title}}</h1>
{{if or .Version .Generated}}<p class="meta">{{if .Version}}surveymine {{txt .Version}}{{end}}{{if .Generated}} · {{txt .Generated}}{{end}}</p>{{end}}
<nav><ol>{{range .Sections}}<li><a href="#{{.ID}}">{{.Title}}</a></li>{{end}}</ol></nav>

<section id="overview">
<h2>{{index .Head "overview"}}</h2>
{{with .Overview}}<p>共读取 {{len .Inputs}} 个输入文件，接受受访者 {{.Respondents}} 人，文本单元 {{.Units}} 个（其中开放题回答 {{.OpenAnswers}} 条，有效作答 {{.Answered}} 条；报告文本单元 {{.ReportUnits}} 个），拒收记录 {{.Rejects}} 行。</p>
{{if .Inputs}}<table>
<thead><tr><th>文件</th><th>格式</th><th>编码</th><th>读取</th><th>接受</th><th>拒收</th></tr></thead>
<tbody>{{range .Inputs}}
<tr><td>{{txt .File}}</td><td>{{txt .Format}}</td><td>{{txt .Encoding}}</td><td class="n">{{.Read}}</td><td class="n">{{.Accepted}}</td><td class="n">{{.Rejected}}</td></tr>{{end}}
</tbody></table>{{end}}
{{if .RejectReasons}}<h3>拒收原因</h3>
<table><thead><tr><th>原因</th><th>行数</th></tr></thead><tbody>{{range .RejectReasons}}
<tr><td>{{txt .Label}}</td><td class="n">{{.N}}</td></tr>{{end}}
</tbody></table>{{end}}
{{if .Privacy}}<p>{{txt .Privacy}}</p>{{end}}
{{if .Warnings}}<h3>警告</h3><ul>{{range .Warnings}}<li>{{txt .}}</li>{{end}}</ul>{{end}}{{end}}
</section>
{{if .Questions}}
<section id="questions">
<h2>{{index .Head "questions"}}</h2>
<p class="note">比例以回答该题的受访者为基数；多选题各项比例之和可超过 100%。</p>
{{range .Questions}}<h3>{{txt .Header}}</h3>
{{if .Chart}}<figure>{{.Chart}}<figcaption>{{txt .ID}}：{{if .Multi}}多选题，{{end}}{{.Base}} 人作答{{if .Missing}}，{{.Missing}} 人未作答{{end}}；括号内为人数。</figcaption></figure>{{end}}
{{if .Sentence}}<p class="finding">{{txt .Sentence}}</p>{{end}}
{{end}}</section>
{{end}}{{with .Codebook}}
<section id="codebook">
<h2>{{index $.Head "codebook"}}</h2>
<p>开放题回答按编码本{{txt (quote .Name)}}{{if .Version}}（版本 {{txt .Version}}）{{end}}逐条编码，再汇总到受访者：一名受访者在任一开放题回答中提到某类原因即计入该类。基数为 {{.Base}} 名开放题回答有实质内容的受访者。</p>
{{if $.CodebookChart}}<figure>{{$.CodebookChart}}<figcaption>提及各类原因的受访者比例（括号内为人数）。</figcaption></figure>{{end}}
{{with catSentence .}}<p class="finding">{{txt .}}</p>{{end}}
<table><thead><tr><th>编号</th><th>类别</th><th>人数</th><th>占比</th><th>说明</th></tr></thead><tbody>{{range .Items}}
<tr><td class="n">{{.ID}}</td><td>{{txt .Name}}</td><td class="n">{{.N}}</td><td class="n">{{pct .Pct}}</td><td>{{txt .Description}}</td></tr>{{end}}
</tbody></table>
</section>
{{end}}{{with .Clusters}}
<section id="clusters">
<h2>{{index $.Head "clusters"}}</h2>
<p>{{txt (clusterIntro .)}}有效作答 {{.Answered}} 条。各类按规模从大到小编号；特征词按加权对数几率（Monroe 等 2008）从高到低排列；典型回答是离类中心最近的回答。</p>
{{if $.ClusterChart}}<figure>{{$.ClusterChart}}<figcaption>各类回答数占已聚类回答的比例（括号内为条数）。</figcaption></figure>{{end}}
{{range .Items}}{{if not .Unstable}}<div class="cluster">
<h3>第 {{.ID}} 类：{{txt .Label}}</h3>
<p>{{.Size}} 条回答（{{pct .Pct}}）。特征词：<span class="terms">{{txt (join .Terms "、")}}</span>。{{if .Nearest}}最常见的编码类别：{{txt .Nearest}}（{{pct .NearestPct}}）。{{end}}</p>
{{if .Exemplars}}<ol class="quotes">{{range first 5 .Exemplars}}<li>{{txt .}}</li>{{end}}</ol>{{end}}
</div>
{{end}}{{end}}{{with unstable .}}<p class="note">{{txt .}}</p>{{end}}</section>
{{end}}{{if .Attributes}}
<section id="crosstabs">
<h2>{{index .Head "crosstabs"}}</h2>
<p class="note">条形图是各属性取值中的比例：聚类为每个取值内各类回答的构成（合计 100%），原因类别与选项为每个取值中提及或选择该项的受访者比例。热图是调整后标准化残差（Haberman 1973）：红色表示该格人数高于两变量独立时的期望，蓝色表示低于期望；|z| ≥ 1.96 约相当于 5% 的显著性水平（数字加粗）。</p>
{{range .Attributes}}<h3>按{{txt (quote (q .Title))}}（{{txt .ID}}）</h3>
{{range .Panels}}<h4>{{txt .Title}}</h4>
{{if .ShareChart}}<figure>{{.ShareChart}}<figcaption>{{if eq .Kind 0}}{{txt .RowTitle}}在各取值中的构成{{else}}各取值中提及或选择各{{txt .RowTitle}}的比例{{end}}。</figcaption></figure>
<figure>{{.HeatChart}}<figcaption>调整后标准化残差。</figcaption></figure>{{else}}<p class="note">没有可以制表的数据。</p>{{end}}
{{range .Tests}}{{if .Significant}}<p class="finding">{{txt (finding .)}}</p>{{end}}{{end}}
{{end}}{{end}}</section>
{{end}}{{if or .Tests .MMI}}
<section id="tests">
<h2>{{index .Head "tests"}}</h2>
<p>每张交叉表检验行变量与属性是否独立。期望频数小于 5 的单元格不超过 20% 且没有小于 1 的单元格时，用 Pearson χ² 检验（不作连续性校正）；否则按 Cochran 准则改用精确方法：2×2 表用 Fisher 精确检验，更大的表用固定边际的蒙特卡洛检验。关联强度用 Cramér's V，按 Cohen（1988）的 w = V·√(min(行,列)−1) 判断：0.1 为小效应，0.3 为中等效应，0.5 为大效应。本次共 {{len .Tests}} 项检验，同时报告 Holm 校正（控制族错误率）与 Benjamini–Hochberg 校正（控制错误发现率）后的 p 值；显著性水平 0.05。</p>
<h3>显著结果</h3>
{{if .Significant}}<ul>{{range .Significant}}<li>{{txt (finding .)}}</li>{{end}}</ul>{{else}}<p>没有 p &lt; 0.05 的交叉表。</p>{{end}}
{{if .Tests}}<h3>全部检验</h3>
<table><thead><tr><th>属性</th><th>检验对象</th><th>n</th><th>检验方法</th><th>χ²(df)</th><th>p</th><th>Cramér's V</th><th>效应</th><th>Holm p</th><th>BH p</th><th>方法依据</th></tr></thead><tbody>{{range .Tests}}
<tr{{if .Significant}} class="sig"{{end}}><td>{{txt (q .Attribute)}}</td><td>{{txt .Subject}}</td><td class="n">{{.N}}</td><td>{{method .Method}}</td>{{if eq .Status "ok"}}<td class="n">{{f1 .Chi2}}（{{.DF}}）</td><td class="n">{{pval .P}}</td><td class="n">{{f2 .V}}</td><td>{{eff .V .MinDim}}</td><td class="n">{{pval .PHolm}}</td><td class="n">{{pval .PBH}}</td><td>{{txt (why .)}}</td>{{else}}<td colspan="7">无法检验：{{txt .StatusDetail}}</td>{{end}}</tr>{{end}}
</tbody></table>
<p class="note">未计入的受访者（缺答、回答无实质内容等）见 crosstab_tests 表的 excluded_note 列。</p>{{end}}
{{if .MMI}}<h3>多重响应整体检验</h3>
<p>把一组多重响应（各原因类别是否提及、多选题各选项是否选择）作为整体与属性检验多重边际独立性（Bilder 和 Loughin 2004），统计量为各项 χ² 之和，用二阶 Rao–Scott 校正求 p 值，同时给出 Bonferroni 校正的最小单项 p。</p>
<table><thead><tr><th>多重响应</th><th>属性</th><th>项数</th><th>n</th><th>X²<sub>S</sub></th><th>Rao–Scott χ²(df)</th><th>p</th><th>Bonferroni p</th></tr></thead><tbody>{{range .MMI}}
<tr{{if .Significant}} class="sig"{{end}}><td>{{txt (q .Set)}}</td><td>{{txt (q .Attribute)}}</td><td class="n">{{.Items}}</td><td class="n">{{.N}}</td>{{if eq .Status "ok"}}<td class="n">{{f1 .X2S}}</td><td class="n">{{f1 .X2RS2}}（{{f1 .DFRS2}}）</td><td class="n">{{pval .PRS2}}</td><td class="n">{{pval .PBonferroni}}</td>{{else}}<td colspan="4">无法检验：{{txt .StatusDetail}}</td>{{end}}</tr>{{end}}
</tbody></table>
{{range .MMI}}{{if .Significant}}<p class="finding">{{txt .Sentence}}。</p>{{end}}{{end}}{{end}}
</section>
{{end}}{{if .Claims}}
<section id="claims">
<h2>{{index .Head "claims"}}</h2>
<p>输入的研究报告中带有人数或比例的陈述。标为“占位符”的数字（如 xx、XX.X）尚未填写，需要补上；“本问卷”一栏是本次问卷中同一选项的人数和比例，便于核对。</p>
<table><thead><tr><th>来源</th><th>陈述</th><th>选项</th><th>人数</th><th>比例</th><th>本问卷</th></tr></thead><tbody>{{range .Claims}}
<tr{{if .Placeholder}} class="placeholder"{{end}}><td>{{txt .Source}}</td><td>{{txt .Text}}{{if .Placeholder}} <span class="badge">占位符</span>{{end}}</td><td>{{txt .Claimed}}</td><td class="n">{{count .Count}}</td><td class="n">{{pct .Pct}}</td><td class="n">{{if ge .SurveyN 0}}{{.SurveyN}} 人，{{pct .SurveyPct}}{{else}}—{{end}}</td></tr>{{end}}
</tbody></table>
</section>
{{end}}
<section id="methods">
<h2>{{index .Head "methods"}}</h2>
{{with .Methods}}{{with .Segmentation}}<h3>分词</h3>
<p>中文分词使用 gse 内置词典，加上本项目的党建与机关工作领域词表（{{.Lexicon}} 条）{{if .UserDicts}}和 {{.UserDicts}} 个用户词典{{end}}。共切出 {{.Tokens}} 个词元，保留 {{.Terms}} 个作为分析词。{{if .Dropped}}各过滤器去掉的词元：{{range $i, $d := .Dropped}}{{if $i}}、{{end}}{{filter $d.Label}} {{$d.N}} 个{{end}}。{{end}}{{if .Stopwords}}另用 {{.Stopwords}} 个用户停用词表。{{end}}同义词合并 {{.Merges}} 次。分词审计检查了领域词表{{if .CodebookTerm}}与编码本中的 {{.CodebookTerm}} 个词语{{end}}是否被整词切出，{{.SplitTerms}} 个未能整词切出（见 segmentation_audit 表）。{{if not (isNaN .CacheHitRate)}}重复分句缓存命中率 {{pct (mul100 .CacheHitRate)}}。{{end}}</p>{{end}}
{{if $.Codebook}}<h3>编码</h3>
<p>编码本{{txt (quote $.Codebook.Name)}}{{if $.Codebook.Version}}，版本 {{txt $.Codebook.Version}}{{end}}{{if .Codebook}}（{{txt .Codebook}}）{{end}}，共 {{len $.Codebook.Items}} 类（含“其他”）。规则在分词结果上匹配，考虑否定词；一条回答可归入多类，未命中任何规则但有实质内容的回答归入“其他”。</p>{{end}}
{{with .Clustering}}<h3>聚类</h3>
<p>{{if eq .Method "gsdmm"}}开放题回答按词频表示（词表 {{.Vocabulary}} 个词{{if .Chars}}；另计词中的每个汉字，使用词不同而语素相同的回答（如“篮球”“球员”）也有共同特征{{end}}），用 GSDMM（Yin 与 Wang 2014 的狄利克雷多项混合模型吉布斯抽样，每条回答属于一个主题；多条独立链取似然最高者）聚类，k 为类数上限。{{else if eq .Method "btm"}}开放题回答按词序表示（词表 {{.Vocabulary}} 个词），用 BTM（Yan 等 2013 的词对主题模型：同一回答中相距不足 15 个词的两词组成词对，按吉布斯抽样估计 k 个主题），每条回答归入其词对最可能的主题。{{else}}开放题回答用 {{.Weighting}} 加权的向量表示（词表 {{.Vocabulary}} 个词{{if eq .Method "lsa"}}，再经 LSA 降到 {{.LSA}} 维{{end}}），再做球面 k 均值聚类（余弦距离，k-means++ 初始化，重复 {{.Restarts}} 次取最优）。{{end}}{{if .Colls}}出现频繁且 NPMI ≥ 0.5 的相邻词对合并为一个词（{{.Colls}} 个，如词典未收的复合词）。{{end}}{{if .Guided}}引导式聚类：编码本中每个编码了回答的类别给出一个初始中心，另加 {{.Extra}} 个自由类，k = {{.K}}。{{else if eq .Selection "auto"}}方法{{if .Auto}}与 k（{{.KMin}}–{{.KMax}}）{{end}}按不需要标签的准则自动选择：准则为各类特征词的 NPMI 主题一致性，加上稳定性高出同一方法在“词语打乱后的同样回答”上所得稳定性部分的一半；取准则在各 k 上平均最高的方法，再在其中取主题一致性最高的 k（见 k_sweep 表），结果为 {{.Method}}，k = {{.K}}。{{if .Close}}<strong>两种方法几乎打平</strong>：{{.Method}} 的准则只比 {{.RunnerUp}} 高 {{f2 .Margin}}，在不同随机种子间的波动（约 0.05）之内；结论若依赖聚类，请将 cluster.method 设为 {{.RunnerUp}} 再运行一次对照。{{end}}{{else if .Auto}}k 在 {{.KMin}}–{{.KMax}} 之间按主题一致性与稳定性自动选择，结果 k = {{.K}}。{{else}}k = {{.K}}（配置指定）。{{end}}随机种子 {{seed .Seed}}。</p>{{end}}
{{with .Tests}}<h3>统计检验</h3>
<p>交叉表以受访者为单位计数。{{if eq .Missing "exclude"}}属性缺答的受访者不计入。{{else}}属性缺答（跳过、空、未答）作为单独的列保留。{{end}}检验方法见“统计检验”一节；蒙特卡洛检验抽取 {{.MonteCarloB}} 张随机表；多重比较校正覆盖本次全部 {{.Tests}} 项交叉表检验。</p>{{end}}
<h3>版本与可重复性</h3>
<ul>
{{if $.Version}}<li>surveymine {{txt $.Version}}</li>{{end}}
{{if .Go}}<li>Go 工具链 {{txt .Go}}</li>{{end}}
{{range .Libraries}}<li>{{txt .Name}} {{txt .Version}}</li>{{end}}
<li>随机种子 {{seed .Seed}}</li>
</ul>{{end}}
</section>
</main>
</body>
</html>
`
