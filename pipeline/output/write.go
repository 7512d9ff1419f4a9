package output

import (
	"bufio"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"hash"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"

	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/xuri/excelize/v2"
	"golang.org/x/sync/errgroup"

	"surveymine/pipeline/table"
)

// Format names accepted in Options.Formats and reported in FileInfo.Format.
const (
	FormatArrow   = "arrow"
	FormatParquet = "parquet"
	FormatCSV     = "csv"
	FormatXLSX    = "xlsx"
)

// XLSXName is the file name of the workbook WriteAll writes.
const XLSXName = "tables.xlsx"

// allFormats is the default and the order in which files are written.
var allFormats = []string{FormatArrow, FormatParquet, FormatCSV, FormatXLSX}

// ErrUnknownFormat is returned (wrapped) for a name in Options.Formats that
// is not one of the Format* constants.
var ErrUnknownFormat = errors.New("unknown output format")

// Options configures WriteAll. The zero value writes all four formats,
// CSV without BOM, Parquet with snappy, and no extra metadata.
type Options struct {
	// Formats to write, any of "arrow", "parquet", "csv", "xlsx" (case,
	// order and repetition do not matter). Nil or empty means all four.
	Formats []string
	// CSVBOM prefixes each CSV with a UTF-8 byte-order mark (for Excel).
	CSVBOM bool
	// CSVExcelSafe prefixes formula-like text cells of each CSV with ' (see
	// CSVOptions.ExcelSafe).
	CSVExcelSafe bool
	// Codec is the Parquet compression: "snappy" (default when ""), "zstd",
	// "gzip" or "none".
	Codec string
	// Meta is added to the schema metadata of every Arrow and Parquet file,
	// e.g. {"program_version": "0.3.0"}. Keys schema_version, table,
	// table_doc and the prefix "ARROW:" are reserved (ErrReservedMeta).
	Meta map[string]string
	// XLSXMaxRows leaves tables with more data rows out of the workbook
	// (excelize holds a workbook in memory, and Excel users do not page
	// through millions of rows); a sheet named "omitted" then lists them
	// and points to their CSV and Parquet files. Zero means
	// DefaultXLSXMaxRows; negative means no limit.
	XLSXMaxRows int
}

// DefaultXLSXMaxRows is the largest table put in the workbook when
// Options.XLSXMaxRows is zero.
const DefaultXLSXMaxRows = 100_000

// XLSXMaxColumns is Excel's column limit (column XFD); wider tables are
// always left out of the workbook.
const XLSXMaxColumns = 16384

// XLSXOmitted returns the tables WriteAll leaves out of the workbook: those
// over the row limit maxRows (see Options.XLSXMaxRows), those with more
// than XLSXMaxColumns columns (a survey with that many questions makes a
// respondents table that wide) and those already written (Written).
func XLSXOmitted(tables []*table.Table, maxRows int) []*table.Table {
	if maxRows == 0 {
		maxRows = DefaultXLSXMaxRows
	}
	var out []*table.Table
	for _, t := range tables {
		if t != nil && (t.Written || (maxRows >= 0 && t.NumRows() > maxRows) || len(t.Columns) > XLSXMaxColumns) {
			out = append(out, t)
		}
	}
	return out
}

// FileInfo describes one written file, for the run manifest.
type FileInfo struct {
	Path   string // relative to the directory given to WriteAll, slash-separated
	Table  string // table name; "" for tables.xlsx, which holds all tables
	Format string // one of the Format* constants
	Rows   int    // data rows (header excluded); for tables.xlsx the sum over tables
	Bytes  int64  // file size
	SHA256 string // lower-case hex digest of the file contents
}

// ErrBadTableName is returned (wrapped) by WriteAll for a table name that is
// not usable as a file stem, and for duplicate table names.
var ErrBadTableName = errors.New("bad table name")

// WriteAll writes every table in every requested format into dir, which
// must exist (normally Dir.Path of a staged directory): <name>.arrow,
// <name>.parquet, <name>.csv per table and one tables.xlsx with a sheet per
// table. Files are created exclusively: an existing file of the same name is
// an error. A Written table (its files written earlier, into the same dir)
// gets no files and is listed in the workbook's omitted sheet.
//
// All tables are validated (t.Validate, at least one column, a name made of
// ASCII letters, digits, '_', '-' and '.', not starting with '.', unique)
// before anything is written. ctx is checked before each file and every
// few thousand rows within one; on cancellation WriteAll returns ctx.Err() and the files written so far stay
// in dir for the caller's Dir.Abort to remove.
//
// The result lists the files in the order written: for each table arrow,
// parquet, csv, then tables.xlsx. A nil or empty tables slice writes nothing
// (and no workbook) and returns a nil slice.
func WriteAll(ctx context.Context, dir string, tables []*table.Table, opts Options) ([]FileInfo, error) {
	return writeAll(ctx, dir, tables, opts, osCreate, memory.DefaultAllocator)
}

// createFunc opens a new file for writing; tests substitute failing ones.
type createFunc func(path string) (io.WriteCloser, error)

func osCreate(path string) (io.WriteCloser, error) {
	return os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
}

func writeAll(ctx context.Context, dir string, tables []*table.Table, opts Options, create createFunc, mem memory.Allocator) ([]FileInfo, error) {
	want, err := formatSet(opts.Formats)
	if err != nil {
		return nil, err
	}
	if _, err := parquetCodec(opts.Codec); err != nil {
		return nil, err
	}
	seen := make(map[string]bool, len(tables))
	for i, t := range tables {
		check := checkTable
		if t != nil && t.Written {
			check = (*table.Table).Validate
		}
		if err := check(t); err != nil {
			return nil, fmt.Errorf("table %d: %w", i+1, err)
		}
		if !validStem(t.Name) {
			return nil, fmt.Errorf("table %q: %w (use letters, digits, _ - .)", t.Name, ErrBadTableName)
		}
		if seen[t.Name] {
			return nil, fmt.Errorf("table %q appears twice: %w", t.Name, ErrBadTableName)
		}
		seen[t.Name] = true
	}
	if _, err := arrowSchema(&table.Table{Name: "x"}, opts.Meta); err != nil {
		return nil, err
	}
	if len(tables) == 0 {
		return nil, nil
	}

	// Every file is independent: list them in output order, then write
	// them on all cores. The result keeps the list's order.
	type job struct {
		name, table, format string
		rows                int
		fill                func(context.Context, io.Writer) error
	}
	var jobs []job
	for _, t := range tables {
		if t.Written {
			continue // its files are in dir already
		}
		n := t.NumRows()
		if want[FormatArrow] {
			jobs = append(jobs, job{t.Name + ".arrow", t.Name, FormatArrow, n, func(ctx context.Context, w io.Writer) error {
				return writeArrow(ctx, w, t, opts.Meta, mem)
			}})
		}
		if want[FormatParquet] {
			jobs = append(jobs, job{t.Name + ".parquet", t.Name, FormatParquet, n, func(ctx context.Context, w io.Writer) error {
				return writeParquet(ctx, w, t, opts.Meta, opts.Codec, mem)
			}})
		}
		if want[FormatCSV] {
			jobs = append(jobs, job{t.Name + ".csv", t.Name, FormatCSV, n, func(ctx context.Context, w io.Writer) error {
				return writeCSV(ctx, w, t, CSVOptions{BOM: opts.CSVBOM, ExcelSafe: opts.CSVExcelSafe})
			}})
		}
	}
	if want[FormatXLSX] {
		omitted := XLSXOmitted(tables, opts.XLSXMaxRows)
		var book []*table.Table
		for _, t := range tables {
			if !slices.Contains(omitted, t) {
				book = append(book, t)
			}
		}
		if len(omitted) > 0 {
			book = append(book, omittedTable(omitted))
		}
		total := 0
		for _, t := range book {
			total += t.NumRows()
		}
		jobs = append(jobs, job{XLSXName, "", FormatXLSX, total, func(ctx context.Context, w io.Writer) error {
			return writeXLSX(ctx, w, book, excelize.TotalRows)
		}})
	}
	infos := make([]FileInfo, len(jobs))
	done := make([]bool, len(jobs))
	g, gctx := errgroup.WithContext(ctx)
	g.SetLimit(runtime.GOMAXPROCS(0))
	for i, j := range jobs {
		g.Go(func() error {
			if err := gctx.Err(); err != nil {
				return err
			}
			info, err := writeFile(create, dir, j.name, func(w io.Writer) error { return j.fill(gctx, ctxWriter{gctx, w}) })
			if err != nil {
				return fmt.Errorf("write %s: %w", j.name, err)
			}
			info.Table, info.Format, info.Rows = j.table, j.format, j.rows
			infos[i], done[i] = info, true
			return nil
		})
	}
	err = g.Wait()
	var files []FileInfo
	for i := range jobs {
		if done[i] {
			files = append(files, infos[i])
		}
	}
	if err != nil {
		if ctx.Err() != nil {
			return files, ctx.Err()
		}
		return files, err
	}
	return files, nil
}

// formatSet validates names and returns the set of formats to write.
func formatSet(names []string) (map[string]bool, error) {
	if len(names) == 0 {
		names = allFormats
	}
	set := make(map[string]bool, len(names))
	for _, n := range names {
		switch l := strings.ToLower(n); l {
		case FormatArrow, FormatParquet, FormatCSV, FormatXLSX:
			set[l] = true
		default:
			return nil, fmt.Errorf("%q (want arrow, parquet, csv or xlsx): %w", n, ErrUnknownFormat)
		}
	}
	return set, nil
}

// validStem reports whether name is safe as a file name stem on every
// platform: non-empty, ASCII letters, digits, '_', '-', '.', not starting
// with '.', at most 100 bytes.
func validStem(name string) bool {
	if name == "" || name[0] == '.' || len(name) > 100 {
		return false
	}
	for i := 0; i < len(name); i++ {
		c := name[i]
		switch {
		case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z', '0' <= c && c <= '9', c == '_', c == '-', c == '.':
		default:
			return false
		}
	}
	return true
}

// hashWriter counts and hashes everything written through it.
type hashWriter struct {
	w io.Writer
	h hash.Hash
	n int64
}

func (hw *hashWriter) Write(p []byte) (int, error) {
	n, err := hw.w.Write(p)
	hw.h.Write(p[:n])
	hw.n += int64(n)
	return n, err
}

// WriteFile creates dir/name (which must not exist), lets fill write it
// through a buffer, flushes it to stable storage and describes it for the
// manifest (Table and Format are left for the caller). It is how files
// other than tables, such as the reports, join a staged output directory.
func WriteFile(dir, name string, fill func(io.Writer) error) (FileInfo, error) {
	return writeFile(osCreate, dir, name, func(w io.Writer) error {
		bw := bufio.NewWriterSize(w, 1<<16)
		if err := fill(bw); err != nil {
			return err
		}
		return bw.Flush()
	})
}

// writeFile creates dir/name, lets fn fill it, flushes it to stable storage
// and returns its size and digest.
func writeFile(create createFunc, dir, name string, fn func(io.Writer) error) (FileInfo, error) {
	path := filepath.Join(dir, name)
	f, err := create(path)
	if err != nil {
		return FileInfo{}, err
	}
	hw := &hashWriter{w: f, h: sha256.New()}
	if err := fn(hw); err != nil {
		f.Close()
		return FileInfo{}, err
	}
	if s, ok := f.(interface{ Sync() error }); ok {
		if err := s.Sync(); err != nil {
			f.Close()
			return FileInfo{}, err
		}
	}
	if err := f.Close(); err != nil {
		return FileInfo{}, err
	}
	return FileInfo{
		Path:   filepath.ToSlash(name),
		Bytes:  hw.n,
		SHA256: hex.EncodeToString(hw.h.Sum(nil)),
	}, nil
}

// omittedTable lists the tables left out of the workbook.
func omittedTable(ts []*table.Table) *table.Table {
	t := table.New("omitted", "Tables too long (output.xlsx_max_rows) or too wide (more than 16,384 columns) for the workbook; read them from their CSV or Parquet files.")
	names, files := make([]string, len(ts)), make([]string, len(ts))
	rows, cols := make([]int64, len(ts)), make([]int64, len(ts))
	for i, x := range ts {
		names[i], rows[i], files[i] = x.Name, int64(x.NumRows()), x.Name+".csv, "+x.Name+".parquet"
		cols[i] = int64(len(x.Columns))
	}
	t.AddString("table", "table left out of this workbook", names)
	t.AddInt("rows", "its number of rows", rows)
	t.AddInt("columns", "its number of columns", cols)
	t.AddString("files", "where to read it", files)
	return t
}

// ctxWriter fails every Write once ctx is cancelled, so that encoders that
// do much work between their own checks (Parquet pages, the XLSX zip) stop
// at their next write.
type ctxWriter struct {
	ctx context.Context
	w   io.Writer
}

func (c ctxWriter) Write(p []byte) (int, error) {
	if err := c.ctx.Err(); err != nil {
		return 0, err
	}
	return c.w.Write(p)
}
