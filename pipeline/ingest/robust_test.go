package ingest

import (
	"archive/zip"
	"bytes"
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"

	"surveymine/pipeline/corpus"
)

// TestDuplicateHeaders checks that repeated header names are read as
// distinct questions (评论, 评论#2) and that each rename is reported with
// the file, the header row and both column numbers.
func TestDuplicateHeaders(t *testing.T) {
	p := writeFile(t, "dup.csv", []byte("序号,评论,2、职级,评论,评论\n1,好,处级,差,一般\n2,还行,科级,不好,很好\n"))
	c := readOne(t, SurveyInput{Path: p})
	var ids []string
	for _, q := range c.Questions {
		ids = append(ids, q.ID)
	}
	if got, want := strings.Join(ids, ","), "序号,评论,Q2,评论#2,评论#3"; got != want {
		t.Errorf("question ids = %s, want %s", got, want)
	}
	want := []string{
		`dup.csv:1: column 4 "评论" has the same question id "评论" as column 2; it is read as "评论#2"`,
		`dup.csv:1: column 5 "评论" has the same question id "评论" as column 2; it is read as "评论#3"`,
	}
	if len(c.Warnings) != len(want) {
		t.Fatalf("warnings = %q, want %q", c.Warnings, want)
	}
	for i := range want {
		if !strings.HasSuffix(c.Warnings[i], want[i]) {
			t.Errorf("warning %d = %q, want it to end with %q", i, c.Warnings[i], want[i])
		}
	}
	// The answers of each duplicate column stay with their own question.
	q := c.Question("评论#3")
	if q < 0 || c.Value(c.Respondents.Answers(1)[q]) != "很好" {
		t.Errorf("answer of respondent 2 to 评论#3 = %+v, want 很好", c.Respondents.Answers(1))
	}
}

// TestResourceLimits checks the file-level limits of docs/limits.md: each
// is an *corpus.InputError (exit 3) wrapping ErrTooLarge that names the
// file, the limit and its config key; at the limit the file is read.
func TestResourceLimits(t *testing.T) {
	wide := "a,b,c,d\n1,2,3,4\n"
	jsonl := `{"a":1,"b":2}` + "\n" + `{"c":3,"d":4}` + "\n"
	cases := []struct {
		name, file, data string
		cfg              Config
		want             string // "" = read without error
	}{
		{"columns at limit", "w.csv", wide, Config{MaxColumns: 4}, ""},
		{"columns over limit", "w.csv", wide, Config{MaxColumns: 3}, "w.csv:1: input too large: header has 4 columns, more than max_columns 3"},
		{"jsonl keys over limit", "w.jsonl", jsonl, Config{MaxColumns: 3}, "w.jsonl: input too large: header has 4 columns, more than max_columns 3"},
		{"file at limit", "w.csv", wide, Config{MaxFileBytes: int64(len(wide))}, ""},
		{"file over limit", "w.csv", wide, Config{MaxFileBytes: int64(len(wide)) - 1}, "w.csv: input too large: file has 16 bytes, more than max_file_bytes 15"},
		{"report over limit", "r.txt", "一是思想。\n", Config{MaxFileBytes: 5}, "r.txt: input too large: file has 16 bytes, more than max_file_bytes 5"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			writeFileIn(t, dir, tc.file, tc.data)
			cfg := tc.cfg
			if strings.HasSuffix(tc.file, ".txt") {
				cfg.Reports = []ReportInput{{Path: tc.file}}
			} else {
				cfg.Surveys = []SurveyInput{{Path: tc.file}}
			}
			_, err := Read(context.Background(), cfg, dir)
			switch {
			case tc.want == "" && err != nil:
				t.Fatalf("Read = %v, want no error", err)
			case tc.want == "":
				return
			case err == nil:
				t.Fatalf("Read = nil, want %q", tc.want)
			}
			var ie *corpus.InputError
			if !errors.As(err, &ie) || !errors.Is(err, ErrTooLarge) {
				t.Errorf("Read error %T %v, want *corpus.InputError wrapping ErrTooLarge", err, err)
			}
			if err.Error() != tc.want {
				t.Errorf("Read error = %q, want %q", err, tc.want)
			}
		})
	}
}

// TestXLSXUnzipLimit checks that a workbook unpacking to more than
// max_file_bytes (a zip bomb, here simply a small limit) is refused as an
// input error before it is expanded.
func TestXLSXUnzipLimit(t *testing.T) {
	data := sampleXLSX(t)
	dir := t.TempDir()
	writeFileIn(t, dir, "s.xlsx", string(data))
	limit := int64(len(data)) // the file fits, its unpacked parts do not
	_, err := Read(context.Background(), Config{MaxFileBytes: limit, Surveys: []SurveyInput{{Path: "s.xlsx"}}}, dir)
	var ie *corpus.InputError
	if !errors.As(err, &ie) || !strings.Contains(err.Error(), "unzip size exceeds") {
		t.Fatalf("Read = %v, want an input error about the unzip size", err)
	}
	if _, err := Read(context.Background(), Config{Surveys: []SurveyInput{{Path: "s.xlsx"}}}, dir); err != nil {
		t.Fatalf("Read with the default limit = %v", err)
	}
}

// TestDocxDepthLimit checks that a document nested deeper than
// maxXMLDepth is refused as an input error instead of holding one open
// paragraph per level in memory, and that a depth within the limit reads.
func TestDocxDepthLimit(t *testing.T) {
	docx := func(depth int) []byte {
		var buf bytes.Buffer
		zw := zip.NewWriter(&buf)
		w, err := zw.Create("word/document.xml")
		if err != nil {
			t.Fatal(err)
		}
		const ns = `xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"`
		fmt.Fprintf(w, `<w:document %s><w:body>%s<w:r><w:t>一是思想。</w:t></w:r>%s</w:body></w:document>`, ns,
			strings.Repeat("<w:p>", depth), strings.Repeat("</w:p>", depth))
		if err := zw.Close(); err != nil {
			t.Fatal(err)
		}
		return buf.Bytes()
	}
	dir := t.TempDir()
	writeFileIn(t, dir, "ok.docx", string(docx(maxXMLDepth-4)))
	if _, err := Read(context.Background(), Config{Reports: []ReportInput{{Path: "ok.docx"}}}, dir); err != nil {
		t.Fatalf("Read(depth %d) = %v", maxXMLDepth-4, err)
	}
	writeFileIn(t, dir, "deep.docx", string(docx(100*maxXMLDepth)))
	_, err := Read(context.Background(), Config{Reports: []ReportInput{{Path: "deep.docx"}}}, dir)
	var ie *corpus.InputError
	if !errors.As(err, &ie) || !errors.Is(err, ErrTooLarge) || !strings.Contains(err.Error(), "nested more than 1000 deep") {
		t.Fatalf("Read(deep) = %v, want an input error about nesting", err)
	}
}

// TestLongParagraphSpans checks points and claims on long paragraphs with
// astral-plane characters, where rune offsets are now counted
// incrementally: every span must start at its marker, and in a paragraph
// without clause ends each claim's text stays within maxClaimContext runes
// of the claim instead of spanning the paragraph.
func TestLongParagraphSpans(t *testing.T) {
	const n = 400
	text := []rune(strings.Repeat("一是𠀀加强a学习，有24%的人认为好。", n))
	ps := points(text)
	if len(ps) != n {
		t.Fatalf("points: %d spans, want %d", len(ps), n)
	}
	for _, p := range ps {
		if got := string(text[p[0]:min(p[1], p[0]+2)]); got != "一是" {
			t.Fatalf("point span %v starts with %q, want 一是", p, got)
		}
	}
	cls := claims(text, corpus.Source{File: "r.txt"})
	if len(cls) != n {
		t.Fatalf("claims: %d, want %d", len(cls), n)
	}
	for i, cl := range cls {
		span := string(text[cl.Src.Start:cl.Src.End])
		if !strings.HasPrefix(span, "有24%的人认为") || cl.Text != "一是𠀀加强a学习，有24%的人认为好" || cl.Percent != 24 {
			t.Fatalf("claim %d: span %q text %q percent %v", i, span, cl.Text, cl.Percent)
		}
		if i > 0 && cl.Src.Start <= cls[i-1].Src.Start {
			t.Fatalf("claims out of order at %d", i)
		}
	}
	// No clause end at all: the context is bounded.
	flat := []rune(strings.Repeat("有24%的人认为好并且", n))
	for _, cl := range claims(flat, corpus.Source{File: "r.txt"}) {
		if l := len([]rune(cl.Text)); l > cl.Src.End-cl.Src.Start+2*maxClaimContext {
			t.Fatalf("claim text of %d runes in an unpunctuated paragraph, want at most the claim plus %d", l, 2*maxClaimContext)
		}
	}
}

// TestLongHeadingPath checks that a heading of a million characters is
// kept whole as its own paragraph but clipped in the heading path of the
// units below it.
func TestLongHeadingPath(t *testing.T) {
	long := strings.Repeat("原因", 500_000)
	p := writeFile(t, "r.md", []byte("# "+long+"\n\n一是思想。\n"))
	c, err := Read(context.Background(), Config{Reports: []ReportInput{{Path: p}}}, "")
	if err != nil {
		t.Fatal(err)
	}
	if c.Units.Text(0) != long {
		t.Errorf("heading paragraph has %d bytes, want %d", len(c.Units.Text(0)), len(long))
	}
	last := c.Units.At(c.Units.Len() - 1)
	if len(last.Src.Heading) != 1 || len([]rune(last.Src.Heading[0])) != maxHeadingPathRunes+1 || !last.InCauses {
		t.Errorf("heading path of %s = %d runes (in causes %v), want %d", last.ID, len([]rune(last.Src.Heading[0])), last.InCauses, maxHeadingPathRunes+1)
	}
}
