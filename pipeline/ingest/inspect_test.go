package ingest

import (
	"errors"
	"fmt"
	"path/filepath"
	"strings"
	"testing"
)

func TestInspectRoles(t *testing.T) {
	var b strings.Builder
	b.WriteString("序号,ID,1、城市,2、年龄段,3、您参加过哪些活动？（多选）,4、请谈谈您的看法,5、备注\n")
	for i := range 30 {
		seq := i + 1
		if i == 5 {
			seq = 1 // a repeated 序号 is not an id
		}
		fmt.Fprintf(&b, "%d,U%02d,城市%d,%d0后,活动%d,第%d位受访者认为党建和业务融合得还不够紧密,\n", seq, i, i%25, 6+i%3, i%4, i)
	}
	in := SurveyInput{Path: writeFile(t, "inspect.csv", []byte(b.String()))}
	want := []struct {
		header, spec string
		role         Role
		why          string // in Reason
	}{
		{"序号", "序号", RoleSkip, "bookkeeping"},
		{"ID", "ID", RoleID, "each of the 30 sampled rows"},
		{"1、城市", "1", RoleSkip, "25 distinct values"},
		{"2、年龄段", "2", RoleAttribute, "3 values"},
		{"3、您参加过哪些活动？（多选）", "3", RoleMulti, "the header says 多选, 4 options"},
		{"4、请谈谈您的看法", "4", RoleText, "free text: 30 of 30"},
		{"5、备注", "5", RoleSkip, "no answers"},
	}
	ins, err := Inspect(in, 0)
	if err != nil {
		t.Fatal(err)
	}
	if ins.Rows != 30 || ins.Format != "csv" || ins.HeaderRow != 1 || len(ins.Questions) != len(want) {
		t.Fatalf("Inspect: %d rows, format %s, header row %d, %d questions; want 30, csv, 1, %d", ins.Rows, ins.Format, ins.HeaderRow, len(ins.Questions), len(want))
	}
	for i, w := range want {
		q := ins.Questions[i]
		if q.Header != w.header || q.Spec != w.spec || q.Role != w.role || !strings.Contains(q.Reason, w.why) {
			t.Errorf("question %d = %q spec %q role %q (%s); want %q spec %q role %q with %q", i, q.Header, q.Spec, q.Role, q.Reason, w.header, w.spec, w.role, w.why)
		}
	}
	// Ten rows: 25 cities are not reached, so 城市 becomes an attribute.
	if ins, err = Inspect(in, 10); err != nil {
		t.Fatal(err)
	}
	if q := ins.Questions[2]; ins.Rows != 10 || q.Role != RoleAttribute || q.Distinct != 10 {
		t.Errorf("Inspect(10 rows): %d rows, 城市 role %q with %d values; want 10, attribute, 10", ins.Rows, q.Role, q.Distinct)
	}
}

func TestInspectMissingFile(t *testing.T) {
	_, err := Inspect(SurveyInput{Path: filepath.Join(t.TempDir(), "nope.csv")}, 10)
	if !errors.Is(err, ErrNoInput) {
		t.Errorf("Inspect(missing file) = %v, want ErrNoInput", err)
	}
}
