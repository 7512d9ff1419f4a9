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
