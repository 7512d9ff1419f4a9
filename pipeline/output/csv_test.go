package output

import (
	"bytes"
	"math"
	"testing"

	"surveymine/pipeline/table"
)

func TestWriteCSV(t *testing.T) {
	// Expected text written by hand from the rules in the WriteCSV doc and
	// RFC 4180 (quote fields with comma, quote or line break; double quotes).
	const wantAll = "id,score,text,region,codes,flag\n" +
		"1,0.1,党建与业务“两张皮”,华东,党建 | 业务,true\n" +
		"-2,,\"a,b \"\"quoted\"\"\",华北,,false\n" +
		",1e+21,\"line1\nline2\",华东,,true\n" +
		"9223372036854775807,-0,,,\"a|b | c,\"\"d\"\"\",false\n" +
		"-9223372036854775808,+Inf,,华北,单,true\n" +
		"6,0.3333333333333333,\" lead space\",\"x,y\",x,\n"
	oneRow := table.New("one", "")
	oneRow.AddFloat("x", "", []float64{math.SmallestNonzeroFloat64})
	cases := []struct {
		name string
		tb   *table.Table
		opts CSVOptions
		want string
	}{
		{"all kinds", allKinds(), CSVOptions{}, wantAll},
		{"bom", allKinds(), CSVOptions{BOM: true}, "\uFEFF" + wantAll},
		{"empty", emptyKinds(), CSVOptions{}, "id,score,text,region,codes,flag\n"},
		{"tiny float", oneRow, CSVOptions{}, "x\n5e-324\n"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			var buf bytes.Buffer
			if err := WriteCSV(&buf, tc.tb, tc.opts); err != nil {
				t.Fatalf("WriteCSV = %v", err)
			}
			if got := buf.String(); got != tc.want {
				t.Errorf("WriteCSV(%s) =\n%q\nwant\n%q", tc.name, got, tc.want)
			}
		})
	}
}

// TestWriteCSVExcelSafe checks the OWASP CSV-injection defence: text
// cells that a spreadsheet would run as a formula get a leading ', plain
// numbers in text cells and every Int/Float cell are left as they are,
// and without ExcelSafe nothing changes.
func TestWriteCSVExcelSafe(t *testing.T) {
	tb := table.New("t", "")
	tb.AddInt("n", "", []int64{-3, 4, 5, 6, 7, 8, 9, 10, 11, 12})
	tb.AddFloat("x", "", []float64{-2.5, 1, 1, 1, 1, 1, 1, 1, 1, 1})
	tb.AddString("text", "", []string{"=HYPERLINK(\"http://x\")", "+86 138", "-3", "@SUM(A1)", "\tx", "\rx", "-1+1", "普通回答", "a=b", "+2.5"})
	tb.AddCategory("cat", "", []string{"=1", "b", "c", "d", "e", "f", "g", "h", "i", "j"})
	tb.AddList("codes", "", [][]string{{"-x", "y"}, nil, nil, nil, nil, nil, nil, nil, nil, nil})
	const plain = "n,x,text,cat,codes\n" +
		"-3,-2.5,\"=HYPERLINK(\"\"http://x\"\")\",=1,-x | y\n" +
		"4,1,+86 138,b,\n" +
		"5,1,-3,c,\n" +
		"6,1,@SUM(A1),d,\n" +
		"7,1,\"\tx\",e,\n" +
		"8,1,\"\rx\",f,\n" +
		"9,1,-1+1,g,\n" +
		"10,1,普通回答,h,\n" +
		"11,1,a=b,i,\n" +
		"12,1,+2.5,j,\n"
	const safe = "n,x,text,cat,codes\n" +
		"-3,-2.5,\"'=HYPERLINK(\"\"http://x\"\")\",'=1,'-x | y\n" +
		"4,1,'+86 138,b,\n" +
		"5,1,-3,c,\n" +
		"6,1,'@SUM(A1),d,\n" +
		"7,1,'\tx,e,\n" +
		"8,1,\"'\rx\",f,\n" +
		"9,1,'-1+1,g,\n" +
		"10,1,普通回答,h,\n" +
		"11,1,a=b,i,\n" +
		"12,1,+2.5,j,\n"
	for _, tc := range []struct {
		name string
		opts CSVOptions
		want string
	}{{"plain", CSVOptions{}, plain}, {"excel safe", CSVOptions{ExcelSafe: true}, safe}} {
		var buf bytes.Buffer
		if err := WriteCSV(&buf, tb, tc.opts); err != nil {
			t.Fatal(err)
		}
		if got := buf.String(); got != tc.want {
			t.Errorf("WriteCSV(%s) =\n%q\nwant\n%q", tc.name, got, tc.want)
		}
	}
}

func TestWidthRuns(t *testing.T) {
	w := make([]float64, 150)
	for i := range w {
		w[i] = 10
	}
	w[1], w[2] = 20, 20
	got := widthRuns(w)
	want := []widthRun{{1, 1, 10}, {2, 3, 20}, {4, maxWidthCols, 10}}
	if len(got) != len(want) {
		t.Fatalf("widthRuns = %v, want %v", got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("widthRuns[%d] = %v, want %v", i, got[i], want[i])
		}
	}
}
