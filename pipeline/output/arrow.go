package output

import (
	"bytes"
	"context"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"sort"
	"strings"

	"github.com/apache/arrow/go/v15/arrow"
	"github.com/apache/arrow/go/v15/arrow/array"
	"github.com/apache/arrow/go/v15/arrow/ipc"
	"github.com/apache/arrow/go/v15/arrow/memory"
	"github.com/apache/arrow/go/v15/parquet"
	"github.com/apache/arrow/go/v15/parquet/compress"
	"github.com/apache/arrow/go/v15/parquet/pqarrow"

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

// checkTable validates t for writing.
func checkTable(t *table.Table) error {
	if t == nil {
		return errors.New("nil table")
	}
	if err := t.Validate(); err != nil {
		return err
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
// particular run happened to produce nulls. extra is appended to the
// metadata after the sorted keys without checks (used for ARROW:schema).
func arrowSchema(t *table.Table, meta map[string]string, dense bool, extra ...string) (*arrow.Schema, error) {
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
	for i := 0; i+1 < len(extra); i += 2 {
		keys = append(keys, extra[i])
		vals = append(vals, extra[i+1])
	}
	md := arrow.NewMetadata(keys, vals)

	fields := make([]arrow.Field, len(t.Columns))
	for i, c := range t.Columns {
		typ := arrowType(c.Kind)
		if dense && c.Kind == table.Category {
			typ = arrow.BinaryTypes.String
		}
		fields[i] = arrow.Field{Name: c.Name, Type: typ, Nullable: true}
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
	idx = make([]int32, len(c.Strings))
	for i, s := range c.Strings {
		if c.IsNull(i) {
			idx[i] = -1
			continue
		}
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
// as the IPC file format allows only one dictionary per field. With dense
// set, Category columns are written as plain utf8 arrays instead.
type recordWriter struct {
	dense  bool
	mem    memory.Allocator
	t      *table.Table
	schema *arrow.Schema
	dicts  []arrow.Array // per column; nil unless Category
	dictIx [][]int32
}

func newRecordWriter(mem memory.Allocator, t *table.Table, schema *arrow.Schema, dense bool) *recordWriter {
	rw := &recordWriter{mem: mem, t: t, schema: schema, dense: dense,
		dicts: make([]arrow.Array, len(t.Columns)), dictIx: make([][]int32, len(t.Columns))}
	for i, c := range t.Columns {
		if c.Kind != table.Category || dense {
			continue
		}
		values, idx := dictionary(c)
		// The v15 ipc.FileWriter retains every dictionary it writes and
		// never releases it (its Close, unlike the stream Writer's, skips
		// lastWrittenDicts). Dictionaries therefore come from a
		// garbage-collected allocator, so that leaked reference costs
		// nothing even when mem is manually managed.
		b := array.NewStringBuilder(memory.NewGoAllocator())
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
func (rw *recordWriter) each(ctx context.Context, fn func(arrow.Record) error) error {
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
func (rw *recordWriter) record(ctx context.Context, lo, hi int) (arrow.Record, error) {
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
	rec := array.NewRecord(rw.schema, cols, int64(hi-lo))
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
		b.AppendValues(c.Ints[lo:hi], v)
		return b.NewArray()
	case table.Float:
		b := array.NewFloat64Builder(rw.mem)
		defer b.Release()
		b.AppendValues(c.Floats[lo:hi], v) // null slots keep their NaN: deterministic bytes
		return b.NewArray()
	case table.Category:
		if rw.dense {
			b := array.NewStringBuilder(rw.mem)
			defer b.Release()
			b.AppendValues(c.Strings[lo:hi], v)
			return b.NewArray()
		}
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
		b.AppendValues(c.Bools[lo:hi], v)
		return b.NewArray()
	default: // table.String
		b := array.NewStringBuilder(rw.mem)
		defer b.Release()
		b.AppendValues(c.Strings[lo:hi], v)
		return b.NewArray()
	}
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
	schema, err := arrowSchema(t, meta, false)
	if err != nil {
		return err
	}
	fw, err := ipc.NewFileWriter(positioned(w), ipc.WithSchema(schema), ipc.WithAllocator(mem))
	if err != nil {
		return fmt.Errorf("arrow %s: %w", t.Name, err)
	}
	rw := newRecordWriter(mem, t, schema, false)
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

func parquetCodec(name string) (compress.Compression, error) {
	switch name {
	case CodecZstd:
		return compress.Codecs.Zstd, nil
	case "", CodecSnappy:
		// The default: arrow v15's zstd codec builds a new encoder, with
		// megabytes of history, for every data page (2.5 GB allocated
		// writing a 100k-row run); snappy is cheap and what pandas uses.
		return compress.Codecs.Snappy, nil
	case CodecGzip:
		return compress.Codecs.Gzip, nil
	case CodecNone:
		return compress.Codecs.Uncompressed, nil
	}
	return 0, fmt.Errorf("%q (want zstd, snappy, gzip or none): %w", name, ErrUnknownCodec)
}

// WriteParquet writes t to w as a Parquet file with the same schema and
// metadata as WriteArrow; the serialized Arrow schema is stored too
// (ARROW:schema), so pqarrow readers get Category columns back as
// dictionary<int32, utf8>. codec is one of the Codec* names; "" means snappy.
// Each 65,536 rows form one row group. Errors are those of WriteArrow plus
// ErrUnknownCodec.
func WriteParquet(w io.Writer, t *table.Table, meta map[string]string, codec string) error {
	return writeParquet(context.Background(), w, t, meta, codec, memory.DefaultAllocator)
}

func writeParquet(ctx context.Context, w io.Writer, t *table.Table, meta map[string]string, codec string, mem memory.Allocator) (err error) {
	// arrow v15's Parquet writer panics when the underlying writer fails
	// (e.g. "failed to write magic number" on a full disk); report that as
	// the error it is.
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("parquet %s: %v", t.Name, r)
		}
	}()
	comp, err := parquetCodec(codec)
	if err != nil {
		return err
	}
	if err := checkTable(t); err != nil {
		return err
	}
	// Category columns go to Parquet as plain strings (Parquet
	// dictionary-encodes them in its pages anyway): pqarrow v15 corrupts
	// dictionary arrays without nulls longer than its 1,024-value write
	// batch (apache/arrow#39925). The stored Arrow schema still says
	// dictionary<int32, utf8>, so pqarrow readers get dictionaries back.
	schema, err := arrowSchema(t, meta, false)
	if err != nil {
		return err
	}
	var ser bytes.Buffer
	sw := ipc.NewWriter(&ser, ipc.WithSchema(schema), ipc.WithAllocator(mem))
	if err := sw.Close(); err != nil {
		return fmt.Errorf("parquet %s: serialize schema: %w", t.Name, err)
	}
	dense, err := arrowSchema(t, meta, true, "ARROW:schema", base64.StdEncoding.EncodeToString(ser.Bytes()))
	if err != nil {
		return err
	}
	// Data pages are V2: arrow v15 regrows the V1 level buffers on every
	// write batch, which made a 100k-row documents table with token lists
	// take 40 s (quadratic in the page size) against 0.4 s with V2 pages.
	// pyarrow, DuckDB, R arrow, polars and Spark 3 read V2 pages.
	props := parquet.NewWriterProperties(
		parquet.WithAllocator(mem),
		parquet.WithCompression(comp),
		parquet.WithMaxRowGroupLength(batchRows),
		parquet.WithDataPageVersion(parquet.DataPageV2),
	)
	aprops := pqarrow.NewArrowWriterProperties(pqarrow.WithAllocator(mem))
	fw, err := pqarrow.NewFileWriter(dense, w, props, aprops)
	if err != nil {
		return fmt.Errorf("parquet %s: %w", t.Name, err)
	}
	rw := newRecordWriter(mem, t, dense, true)
	defer rw.release()
	if err := rw.each(ctx, fw.Write); err != nil {
		fw.Close()
		return fmt.Errorf("parquet %s: %w", t.Name, err)
	}
	if err := fw.Close(); err != nil {
		return fmt.Errorf("parquet %s: %w", t.Name, err)
	}
	return nil
}
