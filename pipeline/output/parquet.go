package output

import (
	"bytes"
	"context"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"math"
	"reflect"
	"unsafe"

	"github.com/apache/arrow-go/v18/arrow/ipc"
	"github.com/apache/arrow-go/v18/arrow/memory"
	pq "github.com/parquet-go/parquet-go"
	"github.com/parquet-go/parquet-go/compress"
	"github.com/parquet-go/parquet-go/compress/gzip"
	"github.com/parquet-go/parquet-go/compress/snappy"
	"github.com/parquet-go/parquet-go/compress/uncompressed"
	"github.com/parquet-go/parquet-go/compress/zstd"
	"github.com/parquet-go/parquet-go/encoding"

	"surveymine/pipeline/table"
)

// Parquet compression codec names accepted by WriteParquet and
// Options.Codec.
const (
	CodecZstd   = "zstd"
	CodecSnappy = "snappy" // default
	CodecGzip   = "gzip"
	CodecNone   = "none"
)

// ErrUnknownCodec is returned (wrapped) for a codec name other than the
// Codec* constants or "".
var ErrUnknownCodec = errors.New("unknown parquet codec")

// parquetCodec returns a new codec for name. Snappy is the default: it is
// what pandas and Spark write by default and every reader decodes it
// without an extra library (hyparquet, for one, needs a plug-in for zstd).
func parquetCodec(name string) (compress.Codec, error) {
	switch name {
	case CodecZstd:
		return &zstd.Codec{Level: zstd.DefaultLevel}, nil
	case "", CodecSnappy:
		return &snappy.Codec{}, nil
	case CodecGzip:
		return &gzip.Codec{Level: gzip.DefaultCompression}, nil
	case CodecNone:
		return &uncompressed.Codec{}, nil
	}
	return nil, fmt.Errorf("%q (want zstd, snappy, gzip or none): %w", name, ErrUnknownCodec)
}

// parquetBatch is the number of rows handed to the Parquet writer at once.
const parquetBatch = 1024

// WriteParquet writes t to w as a Parquet file with the same columns and
// metadata as WriteArrow. The schema metadata becomes the file's key-value
// metadata, and the serialized Arrow schema is stored too (ARROW:schema),
// so Arrow-based readers (pyarrow, arrow-go, arrow-rs) get Category columns
// back as dictionary<int32, utf8> and each column's doc as field metadata.
//
// Layout: every column is OPTIONAL; int64 is INT64, float64 DOUBLE, bool
// BOOLEAN, string and category BYTE_ARRAY (STRING); a list is the
// standard three-level LIST of optional STRING elements. Category columns
// and list elements (tokens, terms, codes: small vocabularies) are
// dictionary-encoded (RLE_DICTIONARY), everything else PLAIN. Data pages are
// version 1 and each 65,536 rows form one row group, so every reader takes
// the same, oldest path through the format. parquet-go also writes
// column-chunk statistics (min/max leave NaN out) and a page index, which
// readers may use to skip data but need not read. created_by names
// parquet-go and its version. codec is one of the Codec* names; "" means
// snappy.
// Errors are those of WriteArrow plus ErrUnknownCodec.
func WriteParquet(w io.Writer, t *table.Table, meta map[string]string, codec string) error {
	return writeParquet(context.Background(), w, t, meta, codec, memory.DefaultAllocator)
}

func writeParquet(ctx context.Context, w io.Writer, t *table.Table, meta map[string]string, codec string, mem memory.Allocator) error {
	comp, err := parquetCodec(codec)
	if err != nil {
		return err
	}
	if err := checkTable(t); err != nil {
		return err
	}
	schema, err := arrowSchema(t, meta)
	if err != nil {
		return err
	}
	var ser bytes.Buffer
	sw := ipc.NewWriter(&ser, ipc.WithSchema(schema), ipc.WithAllocator(mem))
	if err := sw.Close(); err != nil {
		return fmt.Errorf("parquet %s: serialize schema: %w", t.Name, err)
	}
	opts := []pq.WriterOption{
		pq.Compression(comp),
		pq.DataPageVersion(1),
		pq.MaxRowsPerRowGroup(batchRows),
		pq.KeyValueMetadata("ARROW:schema", base64.StdEncoding.EncodeToString(ser.Bytes())),
	}
	md := schema.Metadata()
	for i, k := range md.Keys() {
		opts = append(opts, pq.KeyValueMetadata(k, md.Values()[i]))
	}
	opts = append(opts, pq.NewSchema(t.Name, parquetGroup(t)))
	pw := pq.NewWriter(w, opts...)
	if err := writeParquetRows(ctx, pw, t); err != nil {
		return fmt.Errorf("parquet %s: %w", t.Name, err)
	}
	if err := pw.Close(); err != nil {
		return fmt.Errorf("parquet %s: %w", t.Name, err)
	}
	return nil
}

// writeParquetRows hands t to pw in batches of parquetBatch rows, each value
// carrying its column index and repetition and definition levels.
func writeParquetRows(ctx context.Context, pw *pq.Writer, t *table.Table) error {
	n := t.NumRows()
	rows := make([]pq.Row, 0, parquetBatch)
	for lo := 0; lo < n; lo += parquetBatch {
		if err := ctx.Err(); err != nil {
			return err
		}
		hi := min(lo+parquetBatch, n)
		rows = rows[:0]
		for i := lo; i < hi; i++ {
			var r pq.Row
			if len(rows) < cap(rows) {
				r = rows[:len(rows)+1][len(rows)][:0] // reuse the previous batch's backing array
			}
			for j, c := range t.Columns {
				r = appendParquetCell(r, j, c, i)
			}
			rows = append(rows, r)
		}
		if _, err := pw.WriteRows(rows); err != nil {
			return err
		}
	}
	return nil
}

// appendParquetCell appends the values of row i of column c (column index
// j) to r. Optional leaf: definition level 0 is null, 1 a value. List
// (optional group, repeated group, optional element; max definition level
// 3): 0 is a null list, 1 an empty list, 3 an element; the first element
// of a row has repetition level 0, the others 1.
func appendParquetCell(r pq.Row, j int, c *table.Column, i int) pq.Row {
	if c.IsNull(i) {
		return append(r, pq.NullValue().Level(0, 0, j))
	}
	switch c.Kind {
	case table.Int:
		return append(r, pq.Int64Value(c.Int(i)).Level(0, 1, j))
	case table.Float:
		return append(r, pq.DoubleValue(c.Float(i)).Level(0, 1, j))
	case table.Bool:
		return append(r, pq.BooleanValue(c.Bool(i)).Level(0, 1, j))
	case table.List:
		l := c.List(i)
		if len(l) == 0 {
			return append(r, pq.NullValue().Level(0, 1, j))
		}
		for k, s := range l {
			rep := 1
			if k == 0 {
				rep = 0
			}
			r = append(r, pq.ByteArrayValue(stringBytes(s)).Level(rep, 3, j))
		}
		return r
	default: // table.String, table.Category
		return append(r, pq.ByteArrayValue(stringBytes(c.Str(i))).Level(0, 1, j))
	}
}

// stringBytes returns the bytes of s without copying them. parquet-go only
// reads a value's bytes (it copies them into its pages), never writes them,
// so sharing the string's memory is safe and saves one allocation and copy
// per text cell.
func stringBytes(s string) []byte {
	return unsafe.Slice(unsafe.StringData(s), len(s))
}

// parquetGroup is the Parquet schema of t: its columns in table order.
func parquetGroup(t *table.Table) orderedGroup {
	g := orderedGroup{group: pq.Group{}}
	for _, c := range t.Columns {
		var n pq.Node
		switch c.Kind {
		case table.Int:
			n = pq.Leaf(pq.Int64Type)
		case table.Float:
			n = pq.Leaf(pq.DoubleType)
		case table.Bool:
			n = pq.Leaf(pq.BooleanType)
		case table.Category:
			n = pq.Encoded(pq.String(), &pq.RLEDictionary)
		case table.List:
			n = pq.List(pq.Optional(pq.Encoded(pq.String(), &pq.RLEDictionary)))
		default: // table.String
			// PLAIN, not parquet-go's default DELTA_LENGTH_BYTE_ARRAY,
			// which fewer readers implement (arrow-go v18.8.0's decoder
			// of it leaks buffers).
			n = pq.Encoded(pq.String(), &pq.Plain)
		}
		n = pq.Optional(n)
		g.fields = append(g.fields, orderedField{Node: n, name: c.Name})
		g.group[c.Name] = n
	}
	return g
}

// orderedGroup is a Parquet group whose fields keep the table's column
// order (parquet-go's Group is a map and sorts its fields by name).
type orderedGroup struct {
	fields []orderedField
	group  pq.Group // the same fields, for Type and GoType
}

type orderedField struct {
	pq.Node
	name string
}

func (f orderedField) Name() string { return f.name }

func (f orderedField) Value(base reflect.Value) reflect.Value {
	if base.Kind() == reflect.Map {
		return base.MapIndex(reflect.ValueOf(&f.name).Elem())
	}
	return base.FieldByName(f.name)
}

func (g orderedGroup) ID() int                     { return 0 }
func (g orderedGroup) String() string              { return g.group.String() }
func (g orderedGroup) Type() pq.Type               { return g.group.Type() }
func (g orderedGroup) Optional() bool              { return false }
func (g orderedGroup) Repeated() bool              { return false }
func (g orderedGroup) Required() bool              { return true }
func (g orderedGroup) Leaf() bool                  { return false }
func (g orderedGroup) Encoding() encoding.Encoding { return nil }
func (g orderedGroup) Compression() compress.Codec { return nil }
func (g orderedGroup) GoType() reflect.Type        { return g.group.GoType() }
func (g orderedGroup) Fields() []pq.Field {
	fs := make([]pq.Field, len(g.fields))
	for i, f := range g.fields {
		fs[i] = f
	}
	return fs
}

// ReadParquet reads a Parquet file written by WriteParquet back into a
// table, taking table name, doc, column kinds and docs from the stored
// Arrow schema; see ReadArrow. r must also implement io.ReaderAt.
func ReadParquet(r io.ReadSeeker) (*table.Table, error) {
	ra, ok := r.(io.ReaderAt)
	if !ok {
		return nil, fmt.Errorf("read parquet: reader must implement io.ReaderAt")
	}
	size, err := r.Seek(0, io.SeekEnd)
	if err != nil {
		return nil, err
	}
	f, err := pq.OpenFile(ra, size)
	if err != nil {
		return nil, fmt.Errorf("read parquet: %w", err)
	}
	enc, ok := f.Lookup("ARROW:schema")
	if !ok {
		return nil, fmt.Errorf("read parquet: no ARROW:schema metadata")
	}
	raw, err := base64.StdEncoding.DecodeString(enc)
	if err != nil {
		return nil, fmt.Errorf("read parquet: ARROW:schema: %w", err)
	}
	sr, err := ipc.NewReader(bytes.NewReader(raw))
	if err != nil {
		return nil, fmt.Errorf("read parquet: ARROW:schema: %w", err)
	}
	t, err := newTableFor(sr.Schema())
	sr.Release()
	if err != nil {
		return nil, err
	}
	if got := len(f.Schema().Columns()); got != len(t.Columns) {
		return nil, fmt.Errorf("read parquet: %d leaf columns, Arrow schema has %d", got, len(t.Columns))
	}
	buf := make([]pq.Row, 256)
	for _, rg := range f.RowGroups() {
		rr := rg.Rows()
		for {
			n, err := rr.ReadRows(buf)
			for _, row := range buf[:n] {
				if err := appendParquetRow(t, row); err != nil {
					rr.Close()
					return nil, fmt.Errorf("read parquet: row %d: %w", t.NumRows()+1, err)
				}
			}
			if err == io.EOF {
				break
			}
			if err != nil {
				rr.Close()
				return nil, fmt.Errorf("read parquet: %w", err)
			}
		}
		rr.Close()
	}
	return t, nil
}

// appendParquetRow appends one row as written by appendParquetCell.
func appendParquetRow(t *table.Table, row pq.Row) error {
	var lists [][]string
	seen := make([]bool, len(t.Columns))
	for _, v := range row {
		j := v.Column()
		if j < 0 || j >= len(t.Columns) {
			return fmt.Errorf("value of column %d", j)
		}
		c := t.Columns[j]
		if c.Kind == table.List && seen[j] {
			if v.RepetitionLevel() != 1 || v.DefinitionLevel() != 3 {
				return fmt.Errorf("column %q: levels %d/%d inside a list", c.Name, v.RepetitionLevel(), v.DefinitionLevel())
			}
			lists[j] = append(lists[j], string(v.ByteArray()))
			continue
		}
		seen[j] = true
		null := v.DefinitionLevel() == 0
		if c.Kind != table.Float {
			c.Null = append(c.Null, null)
		}
		switch c.Kind {
		case table.Int:
			x := int64(0)
			if !null {
				x = v.Int64()
			}
			c.Ints = append(c.Ints, x)
		case table.Float:
			x := math.NaN()
			if !null {
				x = v.Double()
			}
			c.Floats = append(c.Floats, x)
		case table.Bool:
			c.Bools = append(c.Bools, !null && v.Boolean())
		case table.List:
			if lists == nil {
				lists = make([][]string, len(t.Columns))
			}
			switch v.DefinitionLevel() {
			case 0:
				lists[j] = nil
			case 1:
				lists[j] = []string{}
			case 3:
				lists[j] = []string{string(v.ByteArray())}
			default:
				return fmt.Errorf("column %q: null list element", c.Name)
			}
		default:
			x := ""
			if !null {
				x = string(v.ByteArray())
			}
			c.Strings = append(c.Strings, x)
		}
	}
	for j, c := range t.Columns {
		if !seen[j] {
			return fmt.Errorf("column %q missing", c.Name)
		}
		if c.Kind == table.List {
			c.Lists = append(c.Lists, lists[j])
		}
	}
	return nil
}
