package output

import (
	"bytes"
	"context"
	"encoding/csv"
	"errors"
	"io"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/ipc"
	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/apache/arrow-go/v18/parquet/file"
	"github.com/apache/arrow-go/v18/parquet/pqarrow"

	"surveymine/pipeline/table"
)

// allKinds returns a table with every column kind, nulls, NaN, ±Inf,
// Chinese text, CSV-hostile strings and empty and null lists.
func allKinds() *table.Table {
	t := table.New("all_kinds", "Every kind of column.")
	id := t.AddInt("id", "row id", []int64{1, -2, 0, math.MaxInt64, math.MinInt64, 6})
	id.Null = []bool{false, false, true, false, false, false}
	t.AddFloat("score", "a float", []float64{0.1, math.NaN(), 1e21, math.Copysign(0, -1), math.Inf(1), 1.0 / 3})
	txt := t.AddString("text", "free text", []string{
		"党建与业务“两张皮”", `a,b "quoted"`, "line1\nline2", "", "null-not-really", " lead space",
	})
	txt.Null = []bool{false, false, false, false, true, false}
	cat := t.AddCategory("region", "category", []string{"华东", "华北", "华东", "", "华北", "x,y"})
	cat.Null = []bool{false, false, false, true, false, false}
	lst := t.AddList("codes", "list", [][]string{{"党建", "业务"}, {}, nil, {"a|b", "c,\"d\""}, {"单"}, {"x"}})
	lst.Null = []bool{false, false, true, false, false, false}
	b := t.AddBool("flag", "bool", []bool{true, false, true, false, true, false})
	b.Null = []bool{false, false, false, false, false, true}
	return t
}

// emptyKinds is allKinds with zero rows.
func emptyKinds() *table.Table {
	t := table.New("empty", "No rows.")
	t.AddInt("id", "", []int64{})
	t.AddFloat("score", "", []float64{})
	t.AddString("text", "", []string{})
	t.AddCategory("region", "", []string{})
	t.AddList("codes", "", [][]string{})
	t.AddBool("flag", "", []bool{})
	return t
}

// bigTable has more rows than one record batch, so several batches share a
// dictionary.
func bigTable(n int) *table.Table {
	t := table.New("big", "Many rows.")
	ids := make([]int64, n)
	xs := make([]float64, n)
	cats := make([]string, n)
	texts := make([]string, n)
	lists := make([][]string, n)
	bools := make([]bool, n)
	for i := range ids {
		ids[i] = int64(i)
		xs[i] = float64(i) / 7
		if i%11 == 0 {
			xs[i] = math.NaN()
		}
		cats[i] = []string{"机关", "事业单位", "国企", "其他"}[i%4]
		texts[i] = "回答 " + strconv.Itoa(i) + "，党建工作与业务工作融合"
		lists[i] = []string{"码" + strconv.Itoa(i%5), "b"}[:i%3]
		bools[i] = i%2 == 0
	}
	t.AddInt("id", "", ids)
	t.AddFloat("x", "", xs)
	c := t.AddCategory("org", "", cats)
	c.Null = make([]bool, n)
	c.Null[n-1] = true
	t.AddString("text", "", texts)
	t.AddList("codes", "", lists)
	t.AddBool("even", "", bools)
	return t
}

// recordsCSV renders Arrow records as CSV text following the conventions of
// WriteCSV, reading only Arrow arrays (not the table), so that comparing it
// with WriteCSV checks the Arrow/Parquet contents independently.
func recordsCSV(t *testing.T, schema *arrow.Schema, recs []arrow.RecordBatch) string {
	t.Helper()
	var buf bytes.Buffer
	w := csv.NewWriter(&buf)
	header := make([]string, schema.NumFields())
	for i, f := range schema.Fields() {
		header[i] = f.Name
	}
	w.Write(header)
	for _, rec := range recs {
		for r := 0; r < int(rec.NumRows()); r++ {
			row := make([]string, rec.NumCols())
			for c := range row {
				row[c] = arrowCell(t, rec.Column(c), r)
			}
			w.Write(row)
		}
	}
	w.Flush()
	return buf.String()
}

func arrowCell(t *testing.T, a arrow.Array, i int) string {
	t.Helper()
	if a.IsNull(i) {
		return ""
	}
	switch a := a.(type) {
	case *array.Int64:
		return strconv.FormatInt(a.Value(i), 10)
	case *array.Float64:
		if math.IsNaN(a.Value(i)) {
			return ""
		}
		return strconv.FormatFloat(a.Value(i), 'g', -1, 64)
	case *array.String:
		return a.Value(i)
	case *array.Boolean:
		return strconv.FormatBool(a.Value(i))
	case *array.Dictionary:
		return a.Dictionary().(*array.String).Value(a.GetValueIndex(i))
	case *array.List:
		lo, hi := a.ValueOffsets(i)
		vals := a.ListValues().(*array.String)
		parts := make([]string, 0, hi-lo)
		for k := lo; k < hi; k++ {
			parts = append(parts, vals.Value(int(k)))
		}
		return strings.Join(parts, " | ")
	}
	t.Fatalf("unexpected array type %s", a.DataType())
	return ""
}

func csvText(t *testing.T, tb *table.Table) string {
	t.Helper()
	var buf bytes.Buffer
	if err := WriteCSV(&buf, tb, CSVOptions{}); err != nil {
		t.Fatalf("WriteCSV(%s) = %v", tb.Name, err)
	}
	return buf.String()
}

// typeOK reports whether typ is the Arrow type documented for kind k,
// ignoring the name of a list's element field (Parquet renames it).
func typeOK(k table.Kind, typ arrow.DataType) bool {
	switch k {
	case table.Category:
		d, ok := typ.(*arrow.DictionaryType)
		return ok && d.IndexType.ID() == arrow.INT32 && d.ValueType.ID() == arrow.STRING
	case table.List:
		l, ok := typ.(*arrow.ListType)
		return ok && l.Elem().ID() == arrow.STRING
	}
	want := map[table.Kind]arrow.Type{table.Int: arrow.INT64, table.Float: arrow.FLOAT64, table.String: arrow.STRING, table.Bool: arrow.BOOL}[k]
	return typ.ID() == want
}

func checkSchema(t *testing.T, what string, s *arrow.Schema, tb *table.Table) {
	t.Helper()
	md := s.Metadata()
	for k, want := range map[string]string{
		MetaSchemaVersion: table.SchemaVersion, MetaTable: tb.Name, MetaTableDoc: tb.Doc, "program_version": "9.9.9",
	} {
		if i := md.FindKey(k); i < 0 || md.Values()[i] != want {
			t.Errorf("%s: metadata %q = %v, want %q", what, k, md, want)
		}
	}
	if s.NumFields() != len(tb.Columns) {
		t.Fatalf("%s: %d fields, want %d", what, s.NumFields(), len(tb.Columns))
	}
	for i, f := range s.Fields() {
		c := tb.Columns[i]
		if f.Name != c.Name {
			t.Errorf("%s: field %d name %q, want %q", what, i, f.Name, c.Name)
		}
		if c.Doc != "" {
			if j := f.Metadata.FindKey(FieldMetaDoc); j < 0 || f.Metadata.Values()[j] != c.Doc {
				t.Errorf("%s: field %q metadata %v, want doc %q", what, f.Name, f.Metadata, c.Doc)
			}
		}
		if !typeOK(c.Kind, f.Type) || !f.Nullable {
			t.Errorf("%s: field %q type %s nullable %v, want nullable type for %s", what, f.Name, f.Type, f.Nullable, c.Kind)
		}
	}
}

var testMeta = map[string]string{"program_version": "9.9.9"}

func TestArrowRoundTrip(t *testing.T) {
	for _, tb := range []*table.Table{allKinds(), emptyKinds(), bigTable(batchRows + 10)} {
		t.Run(tb.Name, func(t *testing.T) {
			mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
			defer mem.AssertSize(t, 0)
			var buf bytes.Buffer
			if err := writeArrow(context.Background(), &buf, tb, testMeta, mem); err != nil {
				t.Fatalf("writeArrow = %v", err)
			}
			r, err := ipc.NewFileReader(bytes.NewReader(buf.Bytes()), ipc.WithAllocator(mem))
			if err != nil {
				t.Fatalf("NewFileReader = %v", err)
			}
			defer r.Close()
			checkSchema(t, "arrow", r.Schema(), tb)
			wantBatches := max(1, (tb.NumRows()+batchRows-1)/batchRows)
			if r.NumRecords() != wantBatches {
				t.Errorf("NumRecords = %d, want %d", r.NumRecords(), wantBatches)
			}
			var recs []arrow.RecordBatch
			for i := 0; i < r.NumRecords(); i++ {
				rec, err := r.RecordAt(i)
				if err != nil {
					t.Fatalf("RecordAt(%d) = %v", i, err)
				}
				defer rec.Release()
				recs = append(recs, rec)
			}
			if got, want := recordsCSV(t, r.Schema(), recs), csvText(t, tb); got != want {
				t.Errorf("arrow read back as CSV:\n%s\nwant:\n%s", head(got), head(want))
			}
		})
	}
}

func TestParquetRoundTrip(t *testing.T) {
	for _, codec := range []string{"", CodecZstd} {
		for _, tb := range []*table.Table{allKinds(), emptyKinds(), bigTable(batchRows + 10)} {
			t.Run(tb.Name+"/"+codec, func(t *testing.T) {
				mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
				defer mem.AssertSize(t, 0)
				var buf bytes.Buffer
				if err := writeParquet(context.Background(), &buf, tb, testMeta, codec, mem); err != nil {
					t.Fatalf("writeParquet = %v", err)
				}
				pf, err := file.NewParquetReader(bytes.NewReader(buf.Bytes()))
				if err != nil {
					t.Fatalf("NewParquetReader = %v", err)
				}
				wantCodec := map[string]string{"": "SNAPPY", CodecZstd: "ZSTD"}[codec]
				if pf.NumRowGroups() > 0 {
					cc, err := pf.MetaData().RowGroup(0).ColumnChunk(0)
					if err != nil {
						t.Fatal(err)
					}
					if got := cc.Compression().String(); got != wantCodec {
						t.Errorf("compression = %s, want %s", got, wantCodec)
					}
					// The layout WriteParquet documents: V1 data pages,
					// PLAIN values (levels RLE), dictionaries only for
					// category columns and list elements.
					for j, c := range tb.Columns {
						cc, err := pf.MetaData().RowGroup(0).ColumnChunk(j)
						if err != nil {
							t.Fatal(err)
						}
						for _, st := range cc.EncodingStats() {
							want := "PLAIN"
							if c.Kind == table.Category || c.Kind == table.List {
								want = map[bool]string{true: "PLAIN", false: "RLE_DICTIONARY"}[st.PageType.String() == "DICTIONARY_PAGE"]
							}
							if st.PageType.String() == "DATA_PAGE_V2" || st.Encoding.String() != want {
								t.Errorf("column %q: %s page encoded %s, want DATA_PAGE %s", c.Name, st.PageType, st.Encoding, want)
							}
						}
					}
				}
				pf.Close()

				tbl, err := pqarrow.ReadTable(context.Background(), bytes.NewReader(buf.Bytes()), nil, pqarrow.ArrowReadProperties{}, mem)
				if err != nil {
					t.Fatalf("ReadTable = %v", err)
				}
				defer tbl.Release()
				if got, want := int(tbl.NumRows()), tb.NumRows(); got != want {
					t.Errorf("NumRows = %d, want %d", got, want)
				}
				// ReadTable's schema drops schema metadata; FileReader.Schema
				// has it.
				pf, err = file.NewParquetReader(bytes.NewReader(buf.Bytes()))
				if err != nil {
					t.Fatal(err)
				}
				defer pf.Close()
				fr, err := pqarrow.NewFileReader(pf, pqarrow.ArrowReadProperties{}, mem)
				if err != nil {
					t.Fatal(err)
				}
				s, err := fr.Schema()
				if err != nil {
					t.Fatal(err)
				}
				checkSchema(t, "parquet", s, tb)
				for i, f := range tbl.Schema().Fields() {
					if !typeOK(tb.Columns[i].Kind, f.Type) {
						t.Errorf("ReadTable field %q type %s, want %s", f.Name, f.Type, tb.Columns[i].Kind)
					}
				}
				tr := array.NewTableReader(tbl, 1<<20)
				defer tr.Release()
				var recs []arrow.RecordBatch
				for tr.Next() {
					rec := tr.RecordBatch()
					rec.Retain()
					defer rec.Release()
					recs = append(recs, rec)
				}
				if got, want := recordsCSV(t, tbl.Schema(), recs), csvText(t, tb); got != want {
					t.Errorf("parquet read back as CSV:\n%s\nwant:\n%s", head(got), head(want))
				}
			})
		}
	}
}

// head returns the first lines of s for failure messages.
func head(s string) string {
	lines := strings.SplitN(s, "\n", 12)
	if len(lines) > 11 {
		lines = append(lines[:11], "…")
	}
	return strings.Join(lines, "\n")
}

func TestDeterministic(t *testing.T) {
	writers := map[string]func(*bytes.Buffer, *table.Table) error{
		"arrow":   func(b *bytes.Buffer, tb *table.Table) error { return WriteArrow(b, tb, testMeta) },
		"parquet": func(b *bytes.Buffer, tb *table.Table) error { return WriteParquet(b, tb, testMeta, "") },
		"csv":     func(b *bytes.Buffer, tb *table.Table) error { return WriteCSV(b, tb, CSVOptions{BOM: true}) },
	}
	for name, write := range writers {
		for _, mk := range []func() *table.Table{allKinds, emptyKinds} {
			var a, b bytes.Buffer
			if err := write(&a, mk()); err != nil {
				t.Fatalf("%s: %v", name, err)
			}
			if err := write(&b, mk()); err != nil {
				t.Fatalf("%s: %v", name, err)
			}
			if !bytes.Equal(a.Bytes(), b.Bytes()) {
				t.Errorf("%s(%s) twice: outputs differ (%d and %d bytes)", name, mk().Name, a.Len(), b.Len())
			}
		}
	}
}

func TestWriteErrors(t *testing.T) {
	ragged := table.New("ragged", "")
	ragged.AddInt("a", "", []int64{1, 2})
	ragged.AddInt("b", "", []int64{1})
	cases := []struct {
		name  string
		tb    *table.Table
		meta  map[string]string
		codec string
		want  error // nil: any error
	}{
		{"no columns", table.New("t", ""), nil, "", ErrNoColumns},
		{"ragged", ragged, nil, "", nil},
		{"reserved meta", allKinds(), map[string]string{"table": "x"}, "", ErrReservedMeta},
		{"arrow-prefixed meta", allKinds(), map[string]string{"ARROW:schema": "x"}, "", ErrReservedMeta},
		{"bad codec", allKinds(), nil, "lzma", ErrUnknownCodec},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			var buf bytes.Buffer
			err := WriteParquet(&buf, tc.tb, tc.meta, tc.codec)
			if err == nil || (tc.want != nil && !errors.Is(err, tc.want)) {
				t.Errorf("WriteParquet = %v, want %v", err, tc.want)
			}
			if tc.codec != "" {
				return
			}
			err = WriteArrow(&buf, tc.tb, tc.meta)
			if err == nil || (tc.want != nil && !errors.Is(err, tc.want)) {
				t.Errorf("WriteArrow = %v, want %v", err, tc.want)
			}
		})
	}
}

// TestWriteArrowFile writes to a regular (seekable) file and to an
// unseekable pipe; both must give the same, readable bytes.
func TestWriteArrowFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "t.arrow")
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := WriteArrow(f, allKinds(), nil); err != nil {
		t.Fatalf("WriteArrow(file) = %v", err)
	}
	f.Close()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	r, err := ipc.NewFileReader(bytes.NewReader(b))
	if err != nil {
		t.Fatalf("NewFileReader = %v", err)
	}
	r.Close()

	pr, pw, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan []byte)
	go func() {
		b, _ := io.ReadAll(pr)
		done <- b
	}()
	if err := WriteArrow(pw, allKinds(), nil); err != nil {
		t.Fatalf("WriteArrow(pipe) = %v", err)
	}
	pw.Close()
	piped := <-done
	if !bytes.Equal(piped, b) {
		t.Errorf("WriteArrow(pipe) gave %d bytes, want the %d bytes written to a file", len(piped), len(b))
	}
}

// FuzzRoundTrip builds a small table from arbitrary text and numbers and
// checks that Arrow and Parquet read back to the same CSV as WriteCSV.
func FuzzRoundTrip(f *testing.F) {
	f.Add("党建", "业务,\"两张皮\"\n", int64(7), 0.25, true)
	f.Add("", "", int64(math.MinInt64), math.NaN(), false)
	f.Add("\xff\xfe", "a|b", int64(0), math.Inf(-1), true)
	f.Fuzz(func(t *testing.T, a, b string, n int64, x float64, flag bool) {
		tb := table.New("fuzz", "")
		tb.AddInt("n", "", []int64{n, -n, 0})
		tb.AddFloat("x", "", []float64{x, -x, math.NaN()})
		s := tb.AddString("s", "", []string{a, b, a + b})
		s.Null = []bool{false, flag, false}
		tb.AddCategory("c", "", []string{b, a, b})
		tb.AddList("l", "", [][]string{strings.Split(a, ","), {b}, nil})
		tb.AddBool("f", "", []bool{flag, !flag, flag})
		want := csvText(t, tb)

		var buf bytes.Buffer
		if err := WriteArrow(&buf, tb, nil); err != nil {
			t.Fatalf("WriteArrow = %v", err)
		}
		r, err := ipc.NewFileReader(bytes.NewReader(buf.Bytes()))
		if err != nil {
			t.Fatalf("NewFileReader = %v", err)
		}
		defer r.Close()
		rec, err := r.Record(0)
		if err != nil {
			t.Fatal(err)
		}
		if got := recordsCSV(t, r.Schema(), []arrow.RecordBatch{rec}); got != want {
			t.Errorf("arrow CSV = %q, want %q", got, want)
		}

		buf.Reset()
		if err := WriteParquet(&buf, tb, nil, CodecSnappy); err != nil {
			t.Fatalf("WriteParquet = %v", err)
		}
		tbl, err := pqarrow.ReadTable(context.Background(), bytes.NewReader(buf.Bytes()), nil, pqarrow.ArrowReadProperties{}, memory.DefaultAllocator)
		if err != nil {
			t.Fatalf("ReadTable = %v", err)
		}
		defer tbl.Release()
		tr := array.NewTableReader(tbl, 1<<20)
		defer tr.Release()
		var recs []arrow.RecordBatch
		for tr.Next() {
			recs = append(recs, tr.RecordBatch())
		}
		if got := recordsCSV(t, tbl.Schema(), recs); got != want {
			t.Errorf("parquet CSV = %q, want %q", got, want)
		}
	})
}
