package ingest

import (
	"strings"
	"testing"
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
	if q < 0 || c.Respondents[1].Answers[q].Value != "很好" {
		t.Errorf("answer of respondent 2 to 评论#3 = %+v, want 很好", c.Respondents[1].Answers)
	}
}
