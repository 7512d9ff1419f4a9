package output

import (
	"context"
	"errors"
	"fmt"
	"io"
	"sort"
	"strings"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/ipc"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"surveymine/pipeline/table"
)

// Schema metadata keys written by this package. Caller metadata must not use
// them (nor the "ARROW:" prefix reserved by Arrow itself).
const (
	MetaSchemaVersion = "schema_version" // table.SchemaVersion
	MetaTable         = "table"          // table name
	MetaTableDoc      = "table_doc"      // table Doc paragraph
	FieldMetaDoc      = "doc"            // per-field: column Doc
)

// batchRows is the number of rows per Arrow record batch (and Parquet row
// group). It bounds the size of one utf8 array well below its 2 GiB offset
// limit for any realistic text length.
const batchRows = 1 << 16

// ErrReservedMeta is returned (wrapped) when caller metadata uses a key this
// package writes itself.
var ErrReservedMeta = errors.New("reserved metadata key")

// ErrNoColumns is returned (wrapped) for a table without columns: none of the
// formats can represent it usefully.
var ErrNoColumns = errors.New("table has no columns")

// ErrWritten is returned (wrapped) for a table whose cells were dropped
// after its files were written (table.Table.MarkWritten).
var ErrWritten = errors.New("table was already written and holds no cells")

// checkTable validates t for writing.
func checkTable(t *table.Table) error {
	if t == nil {
		return errors.New("nil table")
	}
	if err := t.Validate(); err != nil {
		return err
	}
	if t.Written {
		return fmt.Errorf("table %s: %w", t.Name, ErrWritten)
	}
	if len(t.Columns) == 0 {
		return fmt.Errorf("table %s: %w", t.Name, ErrNoColumns)
	}
	for _, c := range t.Columns {
		if c.Kind > table.Bool {
			return fmt.Errorf("table %s: column %q has unknown kind %d", t.Name, c.Name, c.Kind)
		}
	}
	return nil
}

// arrowType returns the Arrow type for a column kind.
func arrowType(k table.Kind) arrow.DataType {
	switch k {
	case table.Int:
		return arrow.PrimitiveTypes.Int64
	case table.Float:
		return arrow.PrimitiveTypes.Float64
	case table.Category:
		return &arrow.DictionaryType{IndexType: arrow.PrimitiveTypes.Int32, ValueType: arrow.BinaryTypes.String}
	case table.List:
		return arrow.ListOf(arrow.BinaryTypes.String)
	case table.Bool:
		return arrow.FixedWidthTypes.Boolean
	default: // table.String; unknown kinds are rejected by checkTable
		return arrow.BinaryTypes.String
	}
}

// arrowSchema builds the schema of t with sorted schema metadata. Every
// field is nullable so that the schema does not depend on whether a
// particular run happened to produce nulls.
func arrowSchema(t *table.Table, meta map[string]string) (*arrow.Schema, error) {
	all := map[string]string{
		MetaSchemaVersion: table.SchemaVersion,
		MetaTable:         t.Name,
	}
	if t.Doc != "" {
		all[MetaTableDoc] = t.Doc
	}
	for k, v := range meta {
		if _, ok := all[k]; ok || k == MetaTableDoc || strings.HasPrefix(k, "ARROW:") {
			return nil, fmt.Errorf("metadata key %q: %w", k, ErrReservedMeta)
		}
		all[k] = v
	}
	keys := make([]string, 0, len(all))
	for k := range all {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	vals := make([]string, len(keys))
	for i, k := range keys {
		vals[i] = all[k]
	}
	md := arrow.NewMetadata(keys, vals)

	fields := make([]arrow.Field, len(t.Columns))
	for i, c := range t.Columns {
		fields[i] = arrow.Field{Name: c.Name, Type: arrowType(c.Kind), Nullable: true}
		if c.Doc != "" {
			fields[i].Metadata = arrow.NewMetadata([]string{FieldMetaDoc}, []string{c.Doc})
		}
	}
	return arrow.NewSchema(fields, &md), nil
}

// dictionary returns the distinct non-null values of a Category column in
// first-seen order, and each row's index into them (-1 for null).
func dictionary(c *table.Column) (values []string, idx []int32) {
	pos := make(map[string]int32)
	idx = make([]int32, c.Len())
	for i := range idx {
		if c.IsNull(i) {
			idx[i] = -1
			continue
		}
		s := c.Str(i)
		p, ok := pos[s]
		if !ok {
			p = int32(len(values))
			pos[s] = p
			values = append(values, s)
		}
		idx[i] = p
	}
	return values, idx
}

// recordWriter turns a table into record batches of at most batchRows rows.
// Category dictionaries are built once per column and shared by all batches,
// as the IPC file format allows only one dictionary per field.
type recordWriter struct {
	mem    memory.Allocator
	t      *table.Table
	schema *arrow.Schema
	dicts  []arrow.Array // per column; nil unless Category
	dictIx [][]int32
}

func newRecordWriter(mem memory.Allocator, t *table.Table, schema *arrow.Schema) *recordWriter {
	rw := &recordWriter{mem: mem, t: t, schema: schema,
		dicts: make([]arrow.Array, len(t.Columns)), dictIx: make([][]int32, len(t.Columns))}
	for i, c := range t.Columns {
		if c.Kind != table.Category {
			continue
		}
		values, idx := dictionary(c)
		b := array.NewStringBuilder(mem)
		b.AppendValues(values, nil)
		rw.dicts[i] = b.NewArray()
		b.Release()
		rw.dictIx[i] = idx
	}
	return rw
}

// release frees the shared dictionaries.
func (rw *recordWriter) release() {
	for _, d := range rw.dicts {
		if d != nil {
			d.Release()
		}
	}
}

// each calls fn with every record batch in order, checking ctx before
// each and while building it; an empty table yields one
// batch of zero rows so that readers see the schema and a batch. fn must not
// keep the record without retaining it.
func (rw *recordWriter) each(ctx context.Context, fn func(arrow.RecordBatch) error) error {
	n := rw.t.NumRows()
	for lo := 0; lo < n || lo == 0; lo += batchRows {
		if err := ctx.Err(); err != nil {
			return err
		}
		hi := min(lo+batchRows, n)
		rec, err := rw.record(ctx, lo, hi)
		if err != nil {
			return err
		}
		err = fn(rec)
		rec.Release()
		if err != nil {
			return err
		}
		if n == 0 {
			break
		}
	}
	return nil
}

// valid returns the validity slice of rows [lo, hi) of c, or nil if all are
// valid.
func valid(c *table.Column, lo, hi int) []bool {
	var v []bool
	for i := lo; i < hi; i++ {
		if c.IsNull(i) {
			if v == nil {
				v = make([]bool, hi-lo)
				for j := range v {
					v[j] = true
				}
			}
			v[i-lo] = false
		}
	}
	return v
}

// record builds the batch of rows [lo, hi). It returns ctx.Err() when ctx
// is cancelled before a column or, in list columns (built value by value),
// every ctxCheckRows rows.
func (rw *recordWriter) record(ctx context.Context, lo, hi int) (arrow.RecordBatch, error) {
	cols := make([]arrow.Array, len(rw.t.Columns))
	release := func() {
		for _, a := range cols {
			if a != nil {
				a.Release()
			}
		}
	}
	for i, c := range rw.t.Columns {
		if err := ctx.Err(); err != nil {
			release()
			return nil, err
		}
		cols[i] = rw.column(ctx, i, c, lo, hi)
	}
	if err := ctx.Err(); err != nil {
		release()
		return nil, err
	}
	rec := array.NewRecordBatch(rw.schema, cols, int64(hi-lo))
	release()
	return rec, nil
}

// column builds rows [lo, hi) of column i. A list column stops early (its
// array is then short, and record discards it) when ctx is cancelled.
func (rw *recordWriter) column(ctx context.Context, i int, c *table.Column, lo, hi int) arrow.Array {
	v := valid(c, lo, hi)
	switch c.Kind {
	case table.Int:
		b := array.NewInt64Builder(rw.mem)
		defer b.Release()
		b.AppendValues(cells(c, c.Ints, c.Int, lo, hi), v)
		return b.NewArray()
	case table.Float:
		b := array.NewFloat64Builder(rw.mem)
		defer b.Release()
		b.AppendValues(cells(c, c.Floats, c.Float, lo, hi), v) // null slots keep their NaN: deterministic bytes
		return b.NewArray()
	case table.Category:
		b := array.NewInt32Builder(rw.mem)
		defer b.Release()
		b.AppendValues(rw.dictIx[i][lo:hi], v) // null slots hold -1
		indices := b.NewArray()
		defer indices.Release()
		return array.NewDictionaryArray(arrowType(table.Category), indices, rw.dicts[i])
	case table.List:
		b := array.NewListBuilder(rw.mem, arrow.BinaryTypes.String)
		defer b.Release()
		vb := b.ValueBuilder().(*array.StringBuilder)
		// Reserve the batch's values and bytes up front: arrow-go v18.8.0's
		// StringBuilder.AppendValues grows its buffers to exactly the size
		// needed, so appending row by row copies them once per row
		// (a 70,000-row table with up to 24 tokens a row took 58 s).
		n, size := 0, 0
		for j := lo; j < hi; j++ {
			if (j-lo)%ctxCheckRows == ctxCheckRows-1 && ctx.Err() != nil {
				break
			}
			if v == nil || v[j-lo] {
				for _, s := range c.List(j) {
					n++
					size += len(s)
				}
			}
		}
		b.Reserve(hi - lo)
		vb.Reserve(n)
		vb.ReserveData(size)
		for j := lo; j < hi; j++ {
			if (j-lo)%ctxCheckRows == ctxCheckRows-1 && ctx.Err() != nil {
				break
			}
			if v != nil && !v[j-lo] {
				b.AppendNull()
				continue
			}
			b.Append(true)
			vb.AppendValues(c.List(j), nil)
		}
		return b.NewArray()
	case table.Bool:
		b := array.NewBooleanBuilder(rw.mem)
		defer b.Release()
		b.AppendValues(cells(c, c.Bools, c.Bool, lo, hi), v)
		return b.NewArray()
	default: // table.String
		b := array.NewStringBuilder(rw.mem)
		defer b.Release()
		b.AppendValues(cells(c, c.Strings, c.Str, lo, hi), v)
		return b.NewArray()
	}
}

// cells returns rows [lo, hi) of a column: a slice of held, its values,
// or for a lazy column a new slice of the cells at produces.
func cells[T any](c *table.Column, held []T, at func(int) T, lo, hi int) []T {
	if !c.Lazy() {
		return held[lo:hi]
	}
	out := make([]T, hi-lo)
	for i := range out {
		out[i] = at(lo + i)
	}
	return out
}

// WriteArrow writes t to w in the Arrow IPC file format (the random-access
// ".arrow" format, not the stream format), one record batch per 65,536 rows
// (one empty batch for a table with no rows).
//
// The schema carries the metadata described in the package doc plus meta;
// meta may be nil and must not use the keys schema_version, table,
// table_doc or the "ARROW:" prefix (ErrReservedMeta). Category columns are
// dictionary<int32, utf8> with the dictionary in first-seen row order.
//
// If w is a seekable io.WriteSeeker, block offsets are taken from its
// current position; otherwise (buffers, pipes) w is assumed to be at the
// start of the file. Errors
// are those of t.Validate, ErrNoColumns, ErrReservedMeta and w's errors.
func WriteArrow(w io.Writer, t *table.Table, meta map[string]string) error {
	return writeArrow(context.Background(), w, t, meta, memory.DefaultAllocator)
}

func writeArrow(ctx context.Context, w io.Writer, t *table.Table, meta map[string]string, mem memory.Allocator) error {
	if err := checkTable(t); err != nil {
		return err
	}
	schema, err := arrowSchema(t, meta)
	if err != nil {
		return err
	}
	fw, err := ipc.NewFileWriter(positioned(w), ipc.WithSchema(schema), ipc.WithAllocator(mem))
	if err != nil {
		return fmt.Errorf("arrow %s: %w", t.Name, err)
	}
	rw := newRecordWriter(mem, t, schema)
	defer rw.release()
	if err := rw.each(ctx, fw.Write); err != nil {
		fw.Close()
		return fmt.Errorf("arrow %s: %w", t.Name, err)
	}
	if err := fw.Close(); err != nil {
		return fmt.Errorf("arrow %s: %w", t.Name, err)
	}
	return nil
}

// positioned returns w itself if it can report its position (a regular
// file), else w wrapped in a posWriter starting at 0 (a buffer, a pipe,
// a hashing writer).
func positioned(w io.Writer) io.WriteSeeker {
	if ws, ok := w.(io.WriteSeeker); ok {
		if _, err := ws.Seek(0, io.SeekCurrent); err == nil {
			return ws
		}
	}
	return &posWriter{w: w}
}

// posWriter gives a plain io.Writer the one Seek the IPC file writer uses:
// asking for the current position.
type posWriter struct {
	w   io.Writer
	pos int64
}

func (p *posWriter) Write(b []byte) (int, error) {
	n, err := p.w.Write(b)
	p.pos += int64(n)
	return n, err
}

func (p *posWriter) Seek(offset int64, whence int) (int64, error) {
	if offset != 0 || whence != io.SeekCurrent {
		return 0, errors.New("output: writer is not seekable")
	}
	return p.pos, nil
}
