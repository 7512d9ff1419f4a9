package output

import (
	"archive/zip"
	"bytes"
	"context"
	"errors"
	"io"
	"path/filepath"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"surveymine/pipeline/table"
)

func TestWriteXLSX(t *testing.T) {
	path := filepath.Join(t.TempDir(), "tables.xlsx")
	if err := WriteXLSX(path, []*table.Table{allKinds(), emptyKinds()}); err != nil {
		t.Fatalf("WriteXLSX = %v", err)
	}
	f, err := excelize.OpenFile(path)
	if err != nil {
		t.Fatalf("OpenFile = %v", err)
	}
	defer f.Close()
	if got, want := f.GetSheetList(), []string{"all_kinds", "empty"}; !equalStrings(got, want) {
		t.Fatalf("sheets = %q, want %q", got, want)
	}
	rows, err := f.GetRows("all_kinds")
	if err != nil {
		t.Fatal(err)
	}
	// Want: the CSV cells of allKinds (see TestWriteCSV), except that Excel
	// shows numbers in its General format and bools as TRUE/FALSE.
	want := [][]string{
		{"id", "score", "text", "region", "codes", "flag"},
		{"1", "0.1", "党建与业务“两张皮”", "华东", "党建 | 业务", "TRUE"},
		{"-2", "", `a,b "quoted"`, "华北", "", "FALSE"},
		{"", "1000000000000000000000", "line1\nline2", "华东", "", "TRUE"},
		{"9223372036854775807", "-0", "", "", `a|b | c,"d"`, "FALSE"},
		{"-9223372036854775808", "+Inf", "", "华北", "单", "TRUE"},
		{"6", "0.333333333333333", " lead space", "x,y", "x"},
	}
	if len(rows) != len(want) {
		t.Fatalf("GetRows = %d rows, want %d: %q", len(rows), len(want), rows)
	}
	for i := range want {
		if !equalStrings(rows[i], want[i]) {
			t.Errorf("row %d = %q, want %q", i+1, rows[i], want[i])
		}
	}
	// Cell XML: numbers have no t attribute (SpreadsheetML default "n"),
	// nulls have no <c> element at all.
	sheetXML := zipEntry(t, path, "xl/worksheets/sheet1.xml")
	cells := []struct {
		cell, want string // want "" means the cell must be absent
	}{
		{"A2", `<c r="A2"><v>1</v></c>`},
		{"B2", `<c r="B2"><v>0.1</v></c>`},
		{"A3", `<c r="A3"><v>-2</v></c>`},
		{"B4", `<c r="B4"><v>1000000000000000000000</v></c>`},
		{"B7", `<c r="B7"><v>0.333333333333333</v></c>`}, // 15 significant digits, as Excel
		{"A5", `<c r="A5" t="inlineStr"><is><t>9223372036854775807</t></is></c>`},
		{"F2", `<c r="F2" t="b"><v>1</v></c>`},
		{"B6", `<c r="B6" t="inlineStr"><is><t>+Inf</t></is></c>`},
		{"A4", ""}, // null int
		{"B3", ""}, // NaN
		{"F7", ""}, // null bool
	}
	for _, tc := range cells {
		if tc.want == "" {
			if strings.Contains(sheetXML, `<c r="`+tc.cell+`"`) {
				t.Errorf("cell %s present, want absent (null)", tc.cell)
			}
		} else if !strings.Contains(sheetXML, tc.want) {
			t.Errorf("sheet XML lacks %s", tc.want)
		}
	}
	if i, j := strings.Index(sheetXML, `<col min="1"`), strings.Index(sheetXML, `<col min="2"`); i < 0 || j < i {
		t.Errorf("<col> elements not in ascending order")
	}
	for _, sheet := range f.GetSheetList() {
		p, err := f.GetPanes(sheet)
		if err != nil {
			t.Fatal(err)
		}
		if !p.Freeze || p.YSplit != 1 || p.XSplit != 0 || p.TopLeftCell != "A2" {
			t.Errorf("GetPanes(%s) = %+v, want frozen first row", sheet, p)
		}
	}
	if rows, _ := f.GetRows("empty"); len(rows) != 1 || len(rows[0]) != 6 {
		t.Errorf("empty sheet rows = %q, want header only", rows)
	}
	// Width: "党建与业务“两张皮”" is 9 wide characters = 18 cells, +2.
	if w, _ := f.GetColWidth("all_kinds", "C"); w != 20 {
		t.Errorf("GetColWidth(C) = %v, want 20", w)
	}
	// "false" is 5 wide, +2.
	if w, _ := f.GetColWidth("all_kinds", "F"); w != 7 {
		t.Errorf("GetColWidth(F) = %v, want 7", w)
	}
	// A one-character column gets the minimum width.
	if w, _ := f.GetColWidth("empty", "A"); w != minColWidth {
		t.Errorf("GetColWidth(empty!A) = %v, want %d", w, minColWidth)
	}
}

func TestWriteXLSXSplit(t *testing.T) {
	// With at most 4 rows per sheet (header + 3), 7 rows need 3 sheets.
	tb := table.New("responses", "")
	ids := make([]int64, 7)
	for i := range ids {
		ids[i] = int64(i + 1)
	}
	tb.AddInt("id", "", ids)
	other := table.New("other", "")
	other.AddBool("b", "", []bool{true})
	var buf bytes.Buffer
	if err := writeXLSX(context.Background(), &buf, []*table.Table{tb, other}, 4); err != nil {
		t.Fatalf("writeXLSX = %v", err)
	}
	f, err := excelize.OpenReader(&buf)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	want := map[string][]string{
		"responses":     {"id", "1", "2", "3"},
		"responses (2)": {"id", "4", "5", "6"},
		"responses (3)": {"id", "7"},
		"other":         {"b", "TRUE"},
	}
	if got, wantList := f.GetSheetList(), []string{"responses", "responses (2)", "responses (3)", "other"}; !equalStrings(got, wantList) {
		t.Fatalf("sheets = %q, want %q", got, wantList)
	}
	for sheet, col := range want {
		rows, err := f.GetRows(sheet)
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, r := range rows {
			got = append(got, r[0])
		}
		if !equalStrings(got, col) {
			t.Errorf("sheet %q column A = %q, want %q", sheet, got, col)
		}
	}
}

func TestSheetName(t *testing.T) {
	long := "crosstab_cells_by_region_and_wave_long"
	cases := []struct {
		name   string
		bases  []string // names taken in order; the last one is checked
		suffix string
		want   string
	}{
		{"plain", []string{"documents"}, "", "documents"},
		{"forbidden chars", []string{"a/b:c*d?[e]\\f"}, "", "a_b_c_d__e__f"},
		{"quotes trimmed", []string{"'q'"}, "", "q"},
		{"empty", []string{""}, "", "table"},
		{"truncated", []string{long}, "", long[:31]},
		{"truncated with suffix", []string{long}, " (2)", long[:27] + " (2)"},
		{"duplicate", []string{"docs", "docs"}, "", "docs ~2"},
		{"case-insensitive duplicate", []string{"Docs", "docs"}, "", "docs ~2"},
		{"truncated duplicate", []string{long, long + "x"}, "", long[:28] + " ~2"},
		{"chinese", []string{"党建业务两张皮问题编码结果表格党建业务两张皮问题编码结果表格党建"}, "", "党建业务两张皮问题编码结果表格党建业务两张皮问题编码结果表格党"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			used := map[string]bool{}
			var got string
			for _, b := range tc.bases {
				got = sheetName(b, tc.suffix, used)
			}
			if got != tc.want {
				t.Errorf("sheetName(%q, %q) = %q, want %q", tc.bases[len(tc.bases)-1], tc.suffix, got, tc.want)
			}
			if utf16Len(got) > excelize.MaxSheetNameLength {
				t.Errorf("sheetName = %q: %d UTF-16 units, want <= 31", got, utf16Len(got))
			}
		})
	}
}

func TestDisplayWidth(t *testing.T) {
	cases := []struct {
		s    string
		want int
	}{
		{"", 0},
		{"abc", 3},
		{"党建", 4},
		{"ａｂ", 4}, // fullwidth
		{"a党", 3},
		{"long line\n短", 9},
		{"x\n党建党建", 8},
	}
	for _, tc := range cases {
		if got := displayWidth(tc.s); got != tc.want {
			t.Errorf("displayWidth(%q) = %d, want %d", tc.s, got, tc.want)
		}
	}
}

func TestWriteXLSXErrors(t *testing.T) {
	var buf bytes.Buffer
	if err := writeXLSX(context.Background(), &buf, nil, excelize.TotalRows); !errors.Is(err, ErrNoTables) {
		t.Errorf("writeXLSX(nil) = %v, want ErrNoTables", err)
	}
	if err := writeXLSX(context.Background(), &buf, []*table.Table{table.New("t", "")}, excelize.TotalRows); !errors.Is(err, ErrNoColumns) {
		t.Errorf("writeXLSX(no columns) = %v, want ErrNoColumns", err)
	}
	if err := WriteXLSX(filepath.Join(t.TempDir(), "missing", "x.xlsx"), []*table.Table{allKinds()}); err == nil {
		t.Errorf("WriteXLSX into a missing directory = nil, want error")
	}
}

// zipEntry returns the contents of one file inside the zip at path.
func zipEntry(t *testing.T, path, name string) string {
	t.Helper()
	zr, err := zip.OpenReader(path)
	if err != nil {
		t.Fatal(err)
	}
	defer zr.Close()
	for _, f := range zr.File {
		if f.Name != name {
			continue
		}
		rc, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		defer rc.Close()
		b, err := io.ReadAll(rc)
		if err != nil {
			t.Fatal(err)
		}
		return string(b)
	}
	t.Fatalf("%s: no %s", path, name)
	return ""
}

func equalStrings(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}
