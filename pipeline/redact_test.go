package pipeline

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"surveymine/analysis/redact"
	"surveymine/pipeline/corpus"
	"surveymine/pipeline/ingest"
)

func TestParaMaskAt(t *testing.T) {
	// Original "ab张书记cd13812345678e": span [2,3) → [姓名] (4 runes),
	// span [7,18) → [手机号] (5 runes).
	p := &paraMask{spans: [][3]int{{2, 3, 4}, {7, 18, 5}}}
	cases := []struct {
		x    int
		end  bool
		want int
	}{
		{0, false, 0}, {2, false, 2}, {3, false, 6}, {3, true, 6}, {7, false, 10},
		{10, false, 10}, {10, true, 15}, {18, true, 15}, {19, false, 16},
	}
	for _, tc := range cases {
		if got := p.at(tc.x, tc.end); got != tc.want {
			t.Errorf("at(%d, %v) = %d, want %d", tc.x, tc.end, got, tc.want)
		}
	}
}

// TestRedactCorpus reads a survey and a report with personal information
// and checks the masked corpus: nothing left, report sentences, points
// and claims still slices of their masked paragraph, options unique,
// masked ids replaced by file:row keys.
func TestRedactCorpus(t *testing.T) {
	dir := t.TempDir()
	write := func(name, s string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(s), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	survey := write("s.csv", "编号,1、联系方式：,2、意见\n"+
		"13812345678,13912345678,张书记说要整改\n"+
		"2,15912345678,有事打１３７１２３４５６７８找李主任\n"+
		"3,无,考核不科学\n")
	rep := write("r.txt", "一、王局长的讲话\n"+
		"调研中，有24%的人认为“找刘处长13612345678没用”。一是张书记不重视13512345678，二是考核不科学。\n")
	c, err := ingest.Read(context.Background(), ingest.Config{
		Surveys: []ingest.SurveyInput{{Path: survey, IDColumn: "编号", TextColumns: []string{"2"}, AttributeColumns: []string{"1"}}},
		Reports: []ingest.ReportInput{{Path: rep}},
	}, "")
	if err != nil {
		t.Fatal(err)
	}
	f := redactCorpus(c, redact.New())
	pii := []string{"13812345678", "13912345678", "15912345678", "13712345678", "１３７", "13612345678", "13512345678", "张书记", "李主任", "王局长", "刘处长"}
	check := func(where, s string) {
		for _, p := range pii {
			if strings.Contains(s, p) {
				t.Errorf("%s %q still holds %q", where, s, p)
			}
		}
	}
	paras := map[int][]rune{}
	for _, u := range c.Units.All() {
		check(u.ID+" text", u.Text)
		check(u.ID+" raw", u.Raw)
		check(u.ID+" heading", strings.Join(u.Src.Heading, ">"))
		switch u.Kind {
		case corpus.ReportParagraph:
			paras[u.Src.Paragraph] = []rune(u.Text)
			if u.Src.End != len([]rune(u.Text)) {
				t.Errorf("%s: span end %d, text has %d runes", u.ID, u.Src.End, len([]rune(u.Text)))
			}
		case corpus.ReportSentence, corpus.ReportPoint:
			p := paras[u.Src.Paragraph]
			if got := string(p[u.Src.Start:u.Src.End]); got != u.Text {
				t.Errorf("%s: paragraph[%d:%d] = %q, text %q", u.ID, u.Src.Start, u.Src.End, got, u.Text)
			}
		}
	}
	if len(c.Claims) == 0 {
		t.Fatal("no claim read")
	}
	for _, cl := range c.Claims {
		check("claim", cl.Text+cl.Claimed+strings.Join(cl.Src.Heading, ">"))
		p := paras[cl.Src.Paragraph]
		if span := string(p[cl.Src.Start:cl.Src.End]); !strings.Contains(span, "[手机号]") || !strings.Contains(span, cl.Claimed) {
			t.Errorf("claim span %q does not hold the masked claim %q", span, cl.Claimed)
		}
	}
	q := c.Question("Q1")
	if q < 0 {
		t.Fatal("no question Q1")
	}
	if got := strings.Join(c.Questions[q].Options, "|"); got != "[手机号]|无" {
		t.Errorf("Q1 options = %q, want [手机号]|无", got)
	}
	for _, r := range c.Respondents.All() {
		check("respondent", r.Key+r.ID)
		for _, a := range r.Answers {
			check("answer", c.Value(a)+strings.Join(c.Options(a), ","))
		}
	}
	if k := c.Respondents.Key(0); !strings.HasSuffix(k, "s.csv:2") {
		t.Errorf("masked id: key %q, want file:row", k)
	}
	// Counted once per input value: survey phones in the id cell, two Q1
	// cells and a full-width one in Q2 (4), names in two Q2 cells (2);
	// report phones (2) and names in the heading and the paragraph (3).
	// Sentences, points, claims and headings repeat them uncounted.
	if f.Masked["name"] != 5 || f.Masked["phone"] != 6 || f.Total != 11 {
		t.Errorf("masked = %v, total %d, want 5 names and 6 phones", f.Masked, f.Total)
	}
}

// TestRedactSharedOptions checks that Multi answers equal across rows,
// which ingest gives one shared options slice, are each masked and
// counted, and that masking leaves the shared slice as read.
func TestRedactSharedOptions(t *testing.T) {
	p := filepath.Join(t.TempDir(), "s.csv")
	data := "编号,1、联系人（多选）\n1,甲┋13812345678\n2,甲┋13812345678\n3,甲┋13812345678\n"
	if err := os.WriteFile(p, []byte(data), 0o644); err != nil {
		t.Fatal(err)
	}
	c, err := ingest.Read(context.Background(), ingest.Config{
		Surveys: []ingest.SurveyInput{{Path: p, IDColumn: "编号", MultiColumns: []string{"1"}}},
	}, "")
	if err != nil {
		t.Fatal(err)
	}
	q := c.Question("Q1")
	if q < 0 {
		t.Fatal("no question Q1")
	}
	read := c.Options(c.Respondents.Answers(0)[q])
	f := redactCorpus(c, redact.New())
	for i, r := range c.Respondents.All() {
		if got := strings.Join(c.Options(r.Answers[q]), "|"); got != "甲|[手机号]" {
			t.Errorf("respondent %d: options %q, want 甲|[手机号]", i, got)
		}
	}
	if got := strings.Join(read, "|"); got != "甲|13812345678" {
		t.Errorf("options slice read by ingest = %q after masking, want it unchanged", got)
	}
	if f.Masked["phone"] != 3 {
		t.Errorf("masked phones = %d, want 3 (one per answer)", f.Masked["phone"])
	}
}
