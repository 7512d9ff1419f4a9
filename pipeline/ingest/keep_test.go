package ingest

import (
	"fmt"
	"strings"
	"testing"
	"unsafe"

	"surveymine/pipeline/corpus"
)

func TestKeeper(t *testing.T) {
	var k keeper
	long := strings.Repeat("长", keepBlock/4)
	for _, s := range []string{"", "处级", "其他〖考核不科学〗", long} {
		if got := k.copy(s); got != s {
			t.Errorf("copy(%.20q) = %.20q, want it equal", s, got)
		}
	}
	src := corpus.Source{File: "w.xlsx", Sheet: "Sheet1", Row: 17}
	tests := []struct {
		q, suffix string
		n         int
		want      string
	}{
		{"", "", 0, "w.xlsx[Sheet1]:17"},
		{"Q5", "", 0, "w.xlsx[Sheet1]:17:Q5"},
		{"Q5", ":other", 1, "w.xlsx[Sheet1]:17:Q5:other"},
		{"Q5", ":other", 2, "w.xlsx[Sheet1]:17:Q5:other2"},
	}
	for _, tc := range tests {
		if got := k.unitID(src, tc.q, tc.suffix, tc.n); got != tc.want {
			t.Errorf("unitID(%v, %q, %q, %d) = %q, want %q", src, tc.q, tc.suffix, tc.n, got, tc.want)
		}
	}
	if got := k.unitID(corpus.Source{File: "s.csv", Row: 2}, "", "", 0); got != "s.csv:2" {
		t.Errorf("unitID(s.csv:2) = %q, want s.csv:2", got)
	}
}

func TestInterner(t *testing.T) {
	var k keeper
	var in interner
	a := in.get(&k, strings.Clone("机关"))
	in.get(&k, "处级")
	if b := in.get(&k, strings.Clone("机关")); b != "机关" || !same(a, b) {
		t.Errorf("get(机关) twice: %q and %q, want one shared string", a, b)
	}
	// Distinct values switch interning off; the values stay right.
	for i := range 2 * internProbe {
		s := fmt.Sprint(i)
		if got := in.get(&k, s); got != s {
			t.Fatalf("get(%q) = %q", s, got)
		}
	}
	if !in.off {
		t.Errorf("interner still on after %d distinct values", 2*internProbe)
	}
}

// same reports whether a and b share their bytes.
func same(a, b string) bool {
	return len(a) == len(b) && unsafe.StringData(a) == unsafe.StringData(b)
}

// TestReadShares checks that equal answers share their strings and
// options, and that a one-hot question's equal answers share theirs.
func TestReadShares(t *testing.T) {
	p := writeFile(t, "s.csv", []byte("序号,1、单位：,2、原因（多选）,3(A),3(B)\n"+
		"1,机关,甲┋乙,1,0\n2,机关,甲┋乙,1,0\n3,机关,甲┋其他〖丙〗,1,0\n"))
	c := readOne(t, SurveyInput{Path: p})
	q1, q2, q3 := c.Question("Q1"), c.Question("Q2"), c.Question("Q3")
	if q1 < 0 || q2 < 0 || q3 < 0 {
		t.Fatalf("questions %+v, want Q1, Q2 and Q3", c.Questions)
	}
	a, b := c.Respondents[0].Answers, c.Respondents[1].Answers
	if !same(a[q1].Value, b[q1].Value) {
		t.Errorf("Q1 values %q and %q do not share memory", a[q1].Value, b[q1].Value)
	}
	for _, q := range []int{q2, q3} {
		if a[q].Chosen == nil || a[q].Chosen != b[q].Chosen {
			t.Errorf("%s options %q and %q are not one slice", c.Questions[q].ID, a[q].Options(), b[q].Options())
		}
	}
	if got := strings.Join(c.Respondents[2].Answers[q2].Options(), "|"); got != "甲|其他" {
		t.Errorf("row 3 Q2 options = %q, want 甲|其他", got)
	}
}
