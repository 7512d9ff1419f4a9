package ingest

import (
	"archive/zip"
	"bytes"
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"surveymine/pipeline/corpus"
)

// xlsxBytes builds a workbook with the given sheets (name → rows).
func xlsxBytes(t testing.TB, sheets []string, rows map[string][][]any) []byte {
	t.Helper()
	f := excelize.NewFile()
	defer f.Close()
	for i, name := range sheets {
		if i == 0 {
			if err := f.SetSheetName("Sheet1", name); err != nil {
				t.Fatal(err)
			}
		} else if _, err := f.NewSheet(name); err != nil {
			t.Fatal(err)
		}
		for r, row := range rows[name] {
			cell, _ := excelize.CoordinatesToCellName(1, r+1)
			if err := f.SetSheetRow(name, cell, &row); err != nil {
				t.Fatal(err)
			}
		}
	}
	var buf bytes.Buffer
	if err := f.Write(&buf); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func sampleXLSX(t testing.TB) []byte {
	return xlsxBytes(t, []string{"说明", "问卷数据"}, map[string][][]any{
		"说明": {{"本表为导出说明"}},
		"问卷数据": {
			{"党建调查问卷导出"},
			{"序号", "1、您的职级：", "5、原因（多选）", "6、请谈谈您的看法："},
			{1, "处级", "制度不完善┋队伍不健全", "考核不科学"},
			{2, "局级", "(跳过)"},
			{},
			{3, "科级", "队伍不健全", strings.Repeat("长", 50)},
		},
	})
}

func TestXLSX(t *testing.T) {
	p := writeFile(t, "wjx.xlsx", sampleXLSX(t))
	tests := []struct {
		name  string
		sheet string
		hdr   int
	}{
		{"sheet by name, header detected", "问卷数据", 0},
		{"sheet by index, header configured", "2", 2},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			c, err := Read(context.Background(), Config{Surveys: []SurveyInput{{Path: p, Sheet: tc.sheet, HeaderRow: tc.hdr}},
				MaxFieldBytes: 100, MaxRejectShare: 1}, "")
			if err != nil {
				t.Fatal(err)
			}
			checkInvariants(t, c)
			st := c.Inputs[0]
			if st.Format != "xlsx" || st.Read != 3 || st.Accepted != 2 || st.Rejected != 1 {
				t.Errorf("stats = %+v, want xlsx 3 read 2 accepted 1 rejected", st)
			}
			if got := rejectReasons(c); !slices.Equal(got, []string{"6:field_too_long"}) {
				t.Errorf("rejects = %q, want [6:field_too_long]", got)
			}
			if c.Rejects[0].Src.Sheet != "问卷数据" {
				t.Errorf("reject sheet = %q, want 问卷数据", c.Rejects[0].Src.Sheet)
			}
			r := c.Respondents.At(1)
			if r.Src.Row != 4 || r.Src.Sheet != "问卷数据" {
				t.Errorf("respondent 1 src = %+v, want 问卷数据 row 4", r.Src)
			}
			if a := r.Answers[c.Question("Q5")]; a.Missing != corpus.Skipped {
				t.Errorf("row 4 Q5 = %+v, want skipped", a)
			}
			if a := r.Answers[c.Question("Q6")]; a.Missing != corpus.Unanswered {
				t.Errorf("row 4 Q6 = %+v, want unanswered (short row padded)", a)
			}
			if a := c.Respondents.Answers(0)[c.Question("Q5")]; !slices.Equal(c.Options(a), []string{"制度不完善", "队伍不健全"}) {
				t.Errorf("row 3 Q5 = %+v, want two options", a)
			}
			if u := c.Units.At(0); u.ID != p+"[问卷数据]:3:Q6" || u.Text != "考核不科学" {
				t.Errorf("unit 0 = %+v, want id %s[问卷数据]:3:Q6", u, p)
			}
		})
	}
	if _, err := Read(context.Background(), Config{Surveys: []SurveyInput{{Path: p, Sheet: "9"}}}, ""); !isOurError(err) || err == nil {
		t.Errorf("Read(sheet 9) error = %v, want an input error", err)
	}
}

func TestJSONL(t *testing.T) {
	data := strings.Join([]string{
		`{"序号": 1, "1、您的职级：": "处级", "5、原因（多选）": ["制度不完善", "队伍不健全"], "6、请谈谈您的看法：": "考核不科学"}`,
		`{"序号": 2, "1、您的职级：": null, "5、原因（多选）": "(跳过)", "extra": true}`,
		``,
		`[1, 2]`,
		`{"序号": 3, `,
		`{"序号": 4, "1、您的职级：": "局级"} trailing`,
		"{\"序号\": 5, \"1、您的职级：\": \"\xff\"}",
	}, "\n")
	p := writeFile(t, "s.jsonl", []byte(data))
	c := readOne(t, SurveyInput{Path: p})
	if got, want := rejectReasons(c), []string{"4:bad_json", "5:bad_json", "6:bad_json", "7:bad_encoding"}; !slices.Equal(got, want) {
		t.Errorf("rejects = %q, want %q", got, want)
	}
	var ids []string
	for _, q := range c.Questions {
		ids = append(ids, q.ID)
	}
	if want := []string{"序号", "Q1", "Q5", "Q6", "extra"}; !slices.Equal(ids, want) {
		t.Errorf("questions = %q, want %q", ids, want)
	}
	if a := c.Respondents.Answers(0)[c.Question("Q5")]; !slices.Equal(c.Options(a), []string{"制度不完善", "队伍不健全"}) {
		t.Errorf("row 1 Q5 = %+v, want the array as options", a)
	}
	if a := c.Respondents.Answers(1)[c.Question("Q1")]; a.Missing != corpus.Unanswered {
		t.Errorf("row 2 Q1 = %+v, want null read as unanswered", a)
	}
	if a := c.Respondents.Answers(1)[c.Question("Q6")]; a.Missing != corpus.Unanswered {
		t.Errorf("row 2 Q6 = %+v, want absent key read as unanswered", a)
	}
}

// docxBytes assembles a minimal DOCX: styles.xml with the given style id →
// name pairs and a document of (style id, text) paragraphs.
func docxBytes(t testing.TB, styles map[string]string, paras [][2]string) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	write := func(name, content string) {
		w, err := zw.Create(name)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := w.Write([]byte(content)); err != nil {
			t.Fatal(err)
		}
	}
	const ns = `xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"`
	write("[Content_Types].xml", `<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>`)
	var st strings.Builder
	fmt.Fprintf(&st, `<?xml version="1.0" encoding="UTF-8"?><w:styles %s>`, ns)
	for _, id := range sortedKeys(styles) {
		fmt.Fprintf(&st, `<w:style w:type="paragraph" w:styleId="%s"><w:name w:val="%s"/></w:style>`, id, styles[id])
	}
	st.WriteString(`</w:styles>`)
	write("word/styles.xml", st.String())
	var doc strings.Builder
	fmt.Fprintf(&doc, `<?xml version="1.0" encoding="UTF-8"?><w:document %s><w:body>`, ns)
	for _, p := range paras {
		doc.WriteString(`<w:p>`)
		if p[0] != "" {
			fmt.Fprintf(&doc, `<w:pPr><w:pStyle w:val="%s"/></w:pPr>`, p[0])
		}
		// Split the text over two runs to check they are joined.
		r := []rune(p[1])
		h := len(r) / 2
		fmt.Fprintf(&doc, `<w:r><w:t>%s</w:t></w:r><w:r><w:t xml:space="preserve">%s</w:t></w:r></w:p>`, xmlEscape(string(r[:h])), xmlEscape(string(r[h:])))
	}
	doc.WriteString(`<w:sectPr/></w:body></w:document>`)
	write("word/document.xml", doc.String())
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func xmlEscape(s string) string {
	var b bytes.Buffer
	_ = xmlEscapeTo(&b, s)
	return b.String()
}

func TestDocx(t *testing.T) {
	// Chinese Word names heading styles by number ids "1", "2".
	styles := map[string]string{"1": "heading 1", "2": "标题 2", "a3": "Normal"}
	paras := [][2]string{
		{"1", "一、基本情况"},
		{"a3", "我们开展了问卷调查，共收回问卷120份。"},
		{"1", "二、问题成因"},
		{"2", "思想认识"},
		{"", "一是重业务轻党建；二是考核不科学。"},
		{"", "（一）考核机制"},
		{"", "调查中有16%的人认为考核流于形式。"},
	}
	p := writeFile(t, "r.docx", docxBytes(t, styles, paras))
	c, err := Read(context.Background(), Config{Reports: []ReportInput{{Path: p}}}, "")
	if err != nil {
		t.Fatal(err)
	}
	checkInvariants(t, c)
	var got []string
	for _, u := range c.Units.All() {
		got = append(got, fmt.Sprintf("%s|%s|%s|%v", strings.TrimPrefix(u.ID, p), u.Text, strings.Join(u.Src.Heading, "/"), u.InCauses))
	}
	want := []string{
		":p1|一、基本情况|一、基本情况|false",
		":p2|我们开展了问卷调查，共收回问卷120份。|一、基本情况|false",
		":p2:s1|我们开展了问卷调查，共收回问卷120份。|一、基本情况|false",
		":p3|二、问题成因|二、问题成因|true",
		":p4|思想认识|二、问题成因/思想认识|true",
		":p5|一是重业务轻党建；二是考核不科学。|二、问题成因/思想认识|true",
		":p5:s1|一是重业务轻党建；二是考核不科学。|二、问题成因/思想认识|true",
		":p5:e1|一是重业务轻党建；|二、问题成因/思想认识|true",
		":p5:e2|二是考核不科学。|二、问题成因/思想认识|true",
		":p6|（一）考核机制|二、问题成因/思想认识/（一）考核机制|true",
		":p7|调查中有16%的人认为考核流于形式。|二、问题成因/思想认识/（一）考核机制|true",
		":p7:s1|调查中有16%的人认为考核流于形式。|二、问题成因/思想认识/（一）考核机制|true",
	}
	if !slices.Equal(got, want) {
		t.Errorf("units =\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if len(c.Claims) != 1 || c.Claims[0].Percent != 16 || c.Claims[0].Claimed != "考核流于形式" || c.Claims[0].Src.Paragraph != 7 {
		t.Errorf("claims = %+v, want one 16%% claim in ¶7", c.Claims)
	}
	if st := c.Inputs[0]; st.Format != "docx" || st.Read != 7 || st.Accepted != 7 {
		t.Errorf("stats = %+v, want docx 7 paragraphs", st)
	}
}

func TestTextAndMarkdownReports(t *testing.T) {
	dir := t.TempDir()
	md := "# 调研报告\n\n## 一、存在问题\n\n党建与业务\n脱节。\n\n- 首先，认识不足；其次，机制不全。\n\n## 二、原因分析\n\n(一)制度\n\n有xx人认为是“制度不完善”，占xx.x%。\n"
	txt := "第一篇:甲\n\n一、情况\n\n正文一。\n\n第二篇:乙\n\n三、原因\n\n正文\xff二。\n\n正文三。\n"
	for name, data := range map[string]string{"a.md": md, "b.txt": txt, "c.csv": "ignored"} {
		writeFileIn(t, dir, name, data)
	}
	c, err := Read(context.Background(), Config{Reports: []ReportInput{{Path: dir, Encoding: "utf-8"}}, MaxRejectShare: 1}, "")
	if err != nil {
		t.Fatal(err)
	}
	checkInvariants(t, c)
	if len(c.Inputs) != 2 {
		t.Fatalf("inputs = %+v, want a.md and b.txt", c.Inputs)
	}
	var paras []string
	for _, u := range c.Units.All() {
		if u.Kind == corpus.ReportParagraph || u.Kind == corpus.ReportPoint {
			paras = append(paras, fmt.Sprintf("%s|%d|%s|%s|%v", u.Kind, u.Src.Article, u.Text, strings.Join(u.Src.Heading, "/"), u.InCauses))
		}
	}
	want := []string{
		"paragraph|1|调研报告|调研报告|false",
		"paragraph|1|一、存在问题|调研报告/一、存在问题|false",
		"paragraph|1|党建与业务\n脱节。|调研报告/一、存在问题|false",
		"paragraph|1|- 首先，认识不足；其次，机制不全。|调研报告/一、存在问题|false",
		"point|1|首先，认识不足；|调研报告/一、存在问题|false",
		"point|1|其次，机制不全。|调研报告/一、存在问题|false",
		"paragraph|1|二、原因分析|调研报告/二、原因分析|true",
		"paragraph|1|(一)制度|调研报告/二、原因分析/(一)制度|true",
		"paragraph|1|有xx人认为是“制度不完善”，占xx.x%。|调研报告/二、原因分析/(一)制度|true",
		"paragraph|1|第一篇:甲||false",
		"paragraph|1|一、情况|一、情况|false",
		"paragraph|1|正文一。|一、情况|false",
		"paragraph|2|第二篇:乙||false",
		"paragraph|2|三、原因|三、原因|true",
		"paragraph|2|正文三。|三、原因|true",
	}
	if !slices.Equal(paras, want) {
		t.Errorf("paragraphs =\n%s\nwant\n%s", strings.Join(paras, "\n"), strings.Join(want, "\n"))
	}
	if got := rejectReasons(c); !slices.Equal(got, []string{"0:bad_encoding"}) || c.Rejects[0].Src.Paragraph != 6 {
		t.Errorf("rejects = %+v, want one bad_encoding at ¶6 of b.txt", c.Rejects)
	}
	if len(c.Claims) != 1 || !c.Claims[0].Placeholder || c.Claims[0].Claimed != "制度不完善" {
		t.Errorf("claims = %+v, want the placeholder claim 制度不完善", c.Claims)
	}
}

func TestSentencesAndPoints(t *testing.T) {
	tests := []struct {
		text      string
		sentences []string
		points    []string
	}{
		{"他说：“好。”然后走了！真的？", []string{"他说：“好。”", "然后走了！", "真的？"}, nil},
		{"第一句……第二句\n第三句", []string{"第一句……", "第二句", "第三句"}, nil},
		{"主要有：一是思想；二是能力；三是队伍。", []string{"主要有：一是思想；二是能力；三是队伍。"}, []string{"一是思想；", "二是能力；", "三是队伍。"}},
		{"统一是前提。", []string{"统一是前提。"}, nil},
		{"最后一公里。", []string{"最后一公里。"}, nil},
		{"第一，学习；第二，实践。", []string{"第一，学习；第二，实践。"}, []string{"第一，学习；", "第二，实践。"}},
	}
	for _, tc := range tests {
		r := []rune(tc.text)
		var s, p []string
		for _, sp := range sentences(r) {
			s = append(s, string(r[sp[0]:sp[1]]))
		}
		for _, sp := range points(r) {
			p = append(p, string(r[sp[0]:sp[1]]))
		}
		if !slices.Equal(s, tc.sentences) {
			t.Errorf("sentences(%q) = %q, want %q", tc.text, s, tc.sentences)
		}
		if !slices.Equal(p, tc.points) {
			t.Errorf("points(%q) = %q, want %q", tc.text, p, tc.points)
		}
	}
}
