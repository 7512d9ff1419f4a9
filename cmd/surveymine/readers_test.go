package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"strconv"
	"strings"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/ipc"
	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/apache/arrow-go/v18/parquet/pqarrow"

	"surveymine/pipeline/output"
	"surveymine/pipeline/table"
)

// readersDir holds the Node script and its pinned npm dependencies
// (hyparquet, DuckDB); .ci/run installs them with npm ci.
const readersDir = "../../pipeline/output/testdata/readers"

// TestParquetReaders runs the default job on the bundled sample survey and
// reads every Parquet table back with readers that share no code with the
// writer (parquet-go): arrow-go's pqarrow in Go, and hyparquet (pure
// JavaScript) and DuckDB (C++) through Node. It also reads them with our
// own ReadParquet. Every cell of every reader must equal the cell of the
// Arrow IPC file of the same table. Outside CI the Node readers are skipped
// when node or the npm packages are missing; in CI (CI set, as .ci/run and
// the report's browser test expect) that is a failure. (Not a SURVEYMINE_
// variable: those are configuration keys.)
func TestParquetReaders(t *testing.T) {
	out := filepath.Join(t.TempDir(), "out")
	args := []string{"run", "-q", "--config", "../../configs/default.yaml", "--out", out,
		"--set", "output.formats=arrow,parquet"}
	if code, _, stderr := runCLI(t, args...); code != 0 {
		t.Fatalf("surveymine %s: exit %d:\n%s", strings.Join(args, " "), code, stderr)
	}
	parquets := tableFiles(t, out, ".parquet")
	if len(parquets) < 15 {
		t.Fatalf("only %d Parquet tables written", len(parquets))
	}
	// The sample's tables fit in one row group and mostly in one page per
	// column; a synthetic table adds several row groups and pages, with
	// lists crossing page boundaries.
	big := filepath.Join(t.TempDir(), "big")
	if err := os.Mkdir(big, 0o755); err != nil {
		t.Fatal(err)
	}
	if _, err := output.WriteAll(context.Background(), big, []*table.Table{pagesTable(70_000)},
		output.Options{Formats: []string{"arrow", "parquet"}}); err != nil {
		t.Fatal(err)
	}
	parquets = append(parquets, tableFiles(t, big, ".parquet")...)
	want := make(map[string]readerTable, len(parquets))
	for _, p := range parquets {
		want[p] = arrowFileCells(t, strings.TrimSuffix(p, ".parquet")+".arrow")
	}

	for _, p := range parquets {
		compareCells(t, "arrow-go pqarrow", p, pqarrowCells(t, p), want[p])
		compareCells(t, "surveymine ReadParquet (parquet-go)", p, readParquetCells(t, p), want[p])
	}

	node, err := exec.LookPath("node")
	if err == nil {
		_, err = os.Stat(filepath.Join(readersDir, "node_modules", "hyparquet"))
		if err == nil {
			_, err = os.Stat(filepath.Join(readersDir, "node_modules", "@duckdb", "node-api"))
		}
	}
	if err != nil {
		msg := fmt.Sprintf("node readers unavailable (%v): install node and run npm ci in %s", err, readersDir)
		if os.Getenv("CI") != "" {
			t.Fatal(msg)
		}
		t.Skip(msg)
	}
	cmd := exec.Command(node, append([]string{"read.mjs"}, parquets...)...)
	cmd.Dir = readersDir
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	stdout, err := cmd.Output()
	if err != nil {
		t.Fatalf("node read.mjs: %v\n%s", err, stderr.String())
	}
	seen := map[string]int{}
	sc := bufio.NewScanner(bytes.NewReader(stdout))
	sc.Buffer(nil, 1<<28)
	for sc.Scan() {
		var got struct {
			Reader  string   `json:"reader"`
			File    string   `json:"file"`
			Error   string   `json:"error"`
			Columns []string `json:"columns"`
			Rows    [][]any  `json:"rows"`
		}
		if err := json.Unmarshal(sc.Bytes(), &got); err != nil {
			t.Fatalf("node read.mjs output: %v", err)
		}
		seen[got.Reader]++
		if got.Error != "" {
			t.Errorf("%s: %s: %s", got.Reader, filepath.Base(got.File), got.Error)
			continue
		}
		w, ok := want[got.File]
		if !ok {
			t.Fatalf("%s: unexpected file %s", got.Reader, got.File)
		}
		compareCells(t, got.Reader, got.File, readerTable{got.Columns, got.Rows}, w)
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	for _, r := range []string{"hyparquet", "duckdb"} {
		if seen[r] != len(parquets) {
			t.Errorf("%s read %d files, want %d", r, seen[r], len(parquets))
		}
	}
}

// pagesTable has n rows of every column kind, with nulls, NaN, -0 and
// lists of 0 to 24 tokens.
func pagesTable(n int) *table.Table {
	tb := table.New("pages", "Many rows and pages.")
	ids := make([]int64, n)
	xs := make([]float64, n)
	cats := make([]string, n)
	texts := make([]string, n)
	lists := make([][]string, n)
	flags := make([]bool, n)
	for i := range n {
		ids[i] = int64(i) * 7919
		xs[i] = float64(i) / 3
		switch i % 13 {
		case 0:
			xs[i] = math.NaN()
		case 5:
			xs[i] = math.Copysign(0, -1)
		}
		cats[i] = []string{"机关", "事业单位", "国有企业", "其他"}[i%4]
		texts[i] = "第" + strconv.Itoa(i) + "条回答：党建工作与业务工作“两张皮”"
		l := make([]string, i%25)
		for k := range l {
			l[k] = "词" + strconv.Itoa((i+k)%977)
		}
		lists[i] = l
		flags[i] = i%3 == 0
	}
	id := tb.AddInt("id", "", ids)
	tb.AddFloat("x", "", xs)
	cat := tb.AddCategory("category", "", cats)
	txt := tb.AddString("text", "", texts)
	lst := tb.AddList("tokens", "", lists)
	flag := tb.AddBool("flag", "", flags)
	for _, c := range []*table.Column{id, cat, txt, lst, flag} {
		c.Null = make([]bool, n)
	}
	for i := 0; i < n; i += 17 {
		id.Null[i], cat.Null[i], txt.Null[i], flag.Null[i] = true, i%2 == 0, i%3 == 0, true
		lst.Null[i] = i%2 == 1
	}
	return tb
}

// readerTable is a table as canonical cells (see read.mjs): nil, bool,
// "i:<int>", "f:<IEEE bits in hex>" or "f:NaN", "s:<text>", or []any of
// cells for a list.
type readerTable struct {
	columns []string
	rows    [][]any
}

func floatCell(x float64) any {
	if math.IsNaN(x) {
		return "f:NaN"
	}
	return fmt.Sprintf("f:%016x", math.Float64bits(x))
}

// arrowCell is the canonical cell of a[i].
func arrowCell(t *testing.T, a arrow.Array, i int) any {
	if a.IsNull(i) {
		return nil
	}
	switch a := a.(type) {
	case *array.Int64:
		return "i:" + strconv.FormatInt(a.Value(i), 10)
	case *array.Float64:
		return floatCell(a.Value(i))
	case *array.Boolean:
		return a.Value(i)
	case *array.String:
		return "s:" + a.Value(i)
	case *array.Dictionary:
		return arrowCell(t, a.Dictionary(), a.GetValueIndex(i))
	case *array.List:
		lo, hi := a.ValueOffsets(i)
		l := []any{}
		for k := lo; k < hi; k++ {
			l = append(l, arrowCell(t, a.ListValues(), int(k)))
		}
		return l
	}
	t.Fatalf("unexpected Arrow type %s", a.DataType())
	return nil
}

func recordCells(t *testing.T, rec arrow.RecordBatch, rows [][]any) [][]any {
	for i := 0; i < int(rec.NumRows()); i++ {
		row := make([]any, rec.NumCols())
		for j := range row {
			row[j] = arrowCell(t, rec.Column(j), i)
		}
		rows = append(rows, row)
	}
	return rows
}

func schemaColumns(s *arrow.Schema) []string {
	var names []string
	for _, f := range s.Fields() {
		names = append(names, f.Name)
	}
	return names
}

// arrowFileCells reads an Arrow IPC file with arrow-go: the reference.
func arrowFileCells(t *testing.T, path string) readerTable {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	fr, err := ipc.NewFileReader(f)
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	defer fr.Close()
	rt := readerTable{columns: schemaColumns(fr.Schema()), rows: [][]any{}}
	for i := 0; i < fr.NumRecords(); i++ {
		rec, err := fr.RecordBatch(i)
		if err != nil {
			t.Fatalf("%s: %v", path, err)
		}
		rt.rows = recordCells(t, rec, rt.rows)
	}
	return rt
}

func pqarrowCells(t *testing.T, path string) readerTable {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	tbl, err := pqarrow.ReadTable(context.Background(), f, nil, pqarrow.ArrowReadProperties{}, memory.NewGoAllocator())
	if err != nil {
		return readerTable{columns: []string{"error: " + err.Error()}}
	}
	defer tbl.Release()
	rt := readerTable{columns: schemaColumns(tbl.Schema()), rows: [][]any{}}
	tr := array.NewTableReader(tbl, 1<<16)
	defer tr.Release()
	for tr.Next() {
		rt.rows = recordCells(t, tr.RecordBatch(), rt.rows)
	}
	return rt
}

func readParquetCells(t *testing.T, path string) readerTable {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	tb, err := output.ReadParquet(f)
	if err != nil {
		return readerTable{columns: []string{"error: " + err.Error()}}
	}
	rt := readerTable{rows: [][]any{}}
	for _, c := range tb.Columns {
		rt.columns = append(rt.columns, c.Name)
	}
	for i := 0; i < tb.NumRows(); i++ {
		row := make([]any, len(tb.Columns))
		for j, c := range tb.Columns {
			row[j] = tableCell(c, i)
		}
		rt.rows = append(rt.rows, row)
	}
	return rt
}

func tableCell(c *table.Column, i int) any {
	if c.IsNull(i) {
		return nil
	}
	switch c.Kind {
	case table.Int:
		return "i:" + strconv.FormatInt(c.Ints[i], 10)
	case table.Float:
		return floatCell(c.Floats[i])
	case table.Bool:
		return c.Bools[i]
	case table.List:
		l := []any{}
		for _, s := range c.List(i) {
			l = append(l, "s:"+s)
		}
		return l
	default:
		return "s:" + c.Strings[i]
	}
}

// compareCells reports every difference between got and want, up to five
// cells per file and reader.
func compareCells(t *testing.T, reader, path string, got, want readerTable) {
	t.Helper()
	name := filepath.Base(path)
	if !reflect.DeepEqual(got.columns, want.columns) {
		t.Errorf("%s: %s: columns %q, want %q", reader, name, got.columns, want.columns)
		return
	}
	if len(got.rows) != len(want.rows) {
		t.Errorf("%s: %s: %d rows, want %d", reader, name, len(got.rows), len(want.rows))
		return
	}
	bad := 0
	for i := range want.rows {
		for j, w := range want.rows[i] {
			if j >= len(got.rows[i]) || !reflect.DeepEqual(got.rows[i][j], w) {
				if bad++; bad <= 5 {
					var g any
					if j < len(got.rows[i]) {
						g = got.rows[i][j]
					}
					t.Errorf("%s: %s: row %d column %q = %v, want %v", reader, name, i+1, want.columns[j], g, w)
				}
			}
		}
	}
	if bad > 5 {
		t.Errorf("%s: %s: %d cells differ in all", reader, name, bad)
	}
}
