package output

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/xuri/excelize/v2"

	"surveymine/pipeline/table"
)

func defaultMem() memory.Allocator { return memory.DefaultAllocator }

func TestWriteAll(t *testing.T) {
	mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
	defer mem.AssertSize(t, 0)
	dir := t.TempDir()
	tables := []*table.Table{allKinds(), emptyKinds()}
	files, err := writeAll(context.Background(), dir, tables, Options{Meta: testMeta}, osCreate, mem)
	if err != nil {
		t.Fatalf("WriteAll = %v", err)
	}
	want := []FileInfo{
		{Path: "all_kinds.arrow", Table: "all_kinds", Format: "arrow", Rows: 6},
		{Path: "all_kinds.parquet", Table: "all_kinds", Format: "parquet", Rows: 6},
		{Path: "all_kinds.csv", Table: "all_kinds", Format: "csv", Rows: 6},
		{Path: "empty.arrow", Table: "empty", Format: "arrow", Rows: 0},
		{Path: "empty.parquet", Table: "empty", Format: "parquet", Rows: 0},
		{Path: "empty.csv", Table: "empty", Format: "csv", Rows: 0},
		{Path: "tables.xlsx", Table: "", Format: "xlsx", Rows: 6},
	}
	if len(files) != len(want) {
		t.Fatalf("WriteAll returned %d files, want %d: %+v", len(files), len(want), files)
	}
	for i, f := range files {
		w := want[i]
		if f.Path != w.Path || f.Table != w.Table || f.Format != w.Format || f.Rows != w.Rows {
			t.Errorf("file %d = %+v, want %+v", i, f, w)
		}
		b, err := os.ReadFile(filepath.Join(dir, f.Path))
		if err != nil {
			t.Fatal(err)
		}
		sum := sha256.Sum256(b)
		if f.Bytes != int64(len(b)) || f.SHA256 != hex.EncodeToString(sum[:]) {
			t.Errorf("%s: Bytes=%d SHA256=%s, want %d %x", f.Path, f.Bytes, f.SHA256, len(b), sum)
		}
	}
	if got := readFileT(t, filepath.Join(dir, "all_kinds.csv")); got != csvText(t, allKinds()) {
		t.Errorf("all_kinds.csv differs from WriteCSV output")
	}

	// Same tables again into a fresh directory: identical digests.
	dir2 := t.TempDir()
	files2, err := WriteAll(context.Background(), dir2, []*table.Table{allKinds(), emptyKinds()}, Options{Meta: testMeta})
	if err != nil {
		t.Fatal(err)
	}
	for i := range files {
		if files[i].SHA256 != files2[i].SHA256 {
			t.Errorf("%s: digest differs between runs", files[i].Path)
		}
	}
	// Writing again into the same directory must not overwrite.
	if _, err := WriteAll(context.Background(), dir2, []*table.Table{allKinds()}, Options{}); !errors.Is(err, os.ErrExist) {
		t.Errorf("WriteAll into a filled dir = %v, want os.ErrExist", err)
	}
}

func TestWriteAllOptions(t *testing.T) {
	dir := t.TempDir()
	files, err := WriteAll(context.Background(), dir, []*table.Table{allKinds()},
		Options{Formats: []string{"csv", "Parquet", "csv"}, CSVBOM: true, Codec: CodecSnappy})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, f := range files {
		got = append(got, f.Path)
	}
	if strings.Join(got, ",") != "all_kinds.parquet,all_kinds.csv" {
		t.Errorf("files = %q, want [all_kinds.parquet all_kinds.csv]", got)
	}
	if b := readFileT(t, filepath.Join(dir, "all_kinds.csv")); !strings.HasPrefix(b, "\uFEFFid,") {
		t.Errorf("CSV starts %q, want BOM then header", b[:8])
	}
	if files, err := WriteAll(context.Background(), t.TempDir(), nil, Options{}); err != nil || files != nil {
		t.Errorf("WriteAll(no tables) = %v, %v; want nil, nil", files, err)
	}
}

func TestWriteAllErrors(t *testing.T) {
	named := func(name string) *table.Table {
		tb := table.New(name, "")
		tb.AddInt("a", "", []int64{1})
		return tb
	}
	cases := []struct {
		name   string
		tables []*table.Table
		opts   Options
		want   error // nil: any error
	}{
		{"unknown format", []*table.Table{named("a")}, Options{Formats: []string{"json"}}, ErrUnknownFormat},
		{"unknown codec", []*table.Table{named("a")}, Options{Codec: "brotli2"}, ErrUnknownCodec},
		{"reserved meta", []*table.Table{named("a")}, Options{Meta: map[string]string{"schema_version": "0"}}, ErrReservedMeta},
		{"path in name", []*table.Table{named("../evil")}, Options{}, ErrBadTableName},
		{"hidden name", []*table.Table{named(".x")}, Options{}, ErrBadTableName},
		{"chinese name", []*table.Table{named("文档")}, Options{}, ErrBadTableName},
		{"duplicate", []*table.Table{named("a"), named("a")}, Options{}, ErrBadTableName},
		{"no columns", []*table.Table{table.New("a", "")}, Options{}, ErrNoColumns},
		{"nil table", []*table.Table{nil}, Options{}, nil},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			_, err := WriteAll(context.Background(), dir, tc.tables, tc.opts)
			if err == nil || (tc.want != nil && !errors.Is(err, tc.want)) {
				t.Errorf("WriteAll = %v, want %v", err, tc.want)
			}
			if got := listDir(t, dir); len(got) != 0 {
				t.Errorf("WriteAll wrote %q before validating", got)
			}
		})
	}
}

func TestSchemaDoc(t *testing.T) {
	tb := table.New("documents", "One row per answer.\nWith a second line.")
	tb.AddInt("respondent", "1-based respondent number", nil)
	tb.AddCategory("region", "province | city", nil)
	tb.AddList("codes", "", nil)
	want := "# Output schema\n\nSchema version: " + table.SchemaVersion + "\n\n" +
		"Every table is written as `<name>.arrow`, `<name>.parquet` and `<name>.csv`, and as a sheet of `tables.xlsx`. " +
		"In CSV and XLSX, lists are joined with ` | ` and nulls are empty cells; Arrow and Parquet keep nulls, and `category` columns are dictionary-encoded. " +
		"Every file carries `schema_version`, `table` and `table_doc` in its schema metadata and each column's description as field metadata `doc`.\n" +
		"\n## documents\n\nOne row per answer. With a second line.\n\n" +
		"| column | type | description |\n|---|---|---|\n" +
		"| `respondent` | int64 | 1-based respondent number |\n" +
		"| `region` | category | province \\| city |\n" +
		"| `codes` | list<string> |  |\n"
	if got := SchemaDoc([]*table.Table{tb, nil}); got != want {
		t.Errorf("SchemaDoc =\n%s\nwant\n%s", got, want)
	}
}

// benchTable builds an n-row table shaped like the documents table.
func benchTable(n int) *table.Table {
	return bigTable(n)
}

func BenchmarkWrite(b *testing.B) {
	const n = 100_000
	tb := benchTable(n)
	for _, format := range allFormats {
		b.Run(fmt.Sprintf("%s/%d", format, n), func(b *testing.B) {
			b.ReportAllocs()
			dir := b.TempDir()
			for i := 0; i < b.N; i++ {
				sub := filepath.Join(dir, fmt.Sprint(i))
				if err := os.Mkdir(sub, 0o755); err != nil {
					b.Fatal(err)
				}
				files, err := WriteAll(context.Background(), sub, []*table.Table{tb}, Options{Formats: []string{format}})
				if err != nil {
					b.Fatal(err)
				}
				b.SetBytes(files[0].Bytes)
			}
		})
	}
}

func TestWriteAllXLSXRowLimit(t *testing.T) {
	dir := t.TempDir()
	big, small := bigTable(30), allKinds()
	if _, err := WriteAll(context.Background(), dir, []*table.Table{big, small}, Options{Formats: []string{"xlsx"}, XLSXMaxRows: 20}); err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenFile(filepath.Join(dir, XLSXName))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if got, want := strings.Join(f.GetSheetList(), ","), small.Name+",omitted"; got != want {
		t.Errorf("sheets = %s, want %s", got, want)
	}
	rows, err := f.GetRows("omitted")
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 2 || rows[1][0] != big.Name || rows[1][1] != "30" {
		t.Errorf("omitted sheet = %v, want one row naming %s with 30 rows", rows, big.Name)
	}
}
