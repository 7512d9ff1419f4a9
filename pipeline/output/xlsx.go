package output

import (
	"archive/zip"
	"bytes"
	"compress/flate"
	"context"
	"errors"
	"fmt"
	"hash"
	"hash/crc32"
	"io"
	"io/fs"
	"math"
	"os"
	"sort"
	"strconv"
	"strings"
	"unicode/utf16"

	"github.com/xuri/excelize/v2"
	"golang.org/x/text/width"

	"surveymine/pipeline/table"
)

// ErrNoTables is returned by WriteXLSX when given no tables: a workbook
// needs at least one sheet.
var ErrNoTables = errors.New("no tables")

// Column width bounds for XLSX, in Excel character units.
const (
	minColWidth = 6
	maxColWidth = 80
	// maxExactInt is 2^53: larger integers are not exact in Excel's
	// double-precision numbers and are written as text.
	maxExactInt = 1 << 53
	// widthSampleRows is how many data rows are measured per column; the
	// header is always measured.
	widthSampleRows = 1000
)

// WriteXLSX writes all tables into one new workbook at path (created or
// truncated), one sheet per table, in order.
//
// Sheet names are the table names, with the characters Excel forbids
// (: \ / ? * [ ]) replaced by "_", cut to 31 UTF-16 units, and made unique
// (case-insensitively, as Excel compares them) by appending " ~2", " ~3", ….
// Row 1 is a bold header and is frozen. Column widths follow the widest
// cell among the header and the first 1,000 rows, counting East Asian wide
// characters (Chinese) double, clamped to [6, 80].
//
// Cells: ints and floats are stored as numbers, bools as booleans, strings
// as inline strings, lists joined with ListSep; null and NaN cells are left
// empty. Excel numbers are doubles shown with 15 significant digits, so
// floats are stored rounded to 15 significant digits (excelize does this),
// ints beyond ±2^53 are written as text to keep every digit, and ±Inf is
// written as the text "+Inf"/"-Inf". Excel truncates text cells at 32,767
// characters, and so does this writer. The CSV, Arrow and Parquet files
// keep full precision.
//
// Row limit: a sheet holds at most 1,048,576 rows, so a table with more than
// 1,048,575 data rows is split across continuation sheets named
// "<name> (2)", "<name> (3)", …, each with its own header row. No row is
// dropped; the CSV, Arrow and Parquet files always hold the whole table.
//
// Errors: ErrNoTables, those of t.Validate, ErrNoColumns, and file errors.
// On error the file at path may be partially written; WriteAll writes into a
// staging Dir, so it never is visible.
func WriteXLSX(path string, tables []*table.Table) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	if err := writeXLSX(context.Background(), f, tables, excelize.TotalRows); err != nil {
		f.Close()
		return fmt.Errorf("xlsx %s: %w", path, err)
	}
	return f.Close()
}

// writeXLSX writes the workbook to w with at most maxRows rows (header
// included) per sheet; maxRows must be >= 2.
func writeXLSX(ctx context.Context, w io.Writer, tables []*table.Table, maxRows int) error {
	if len(tables) == 0 {
		return ErrNoTables
	}
	for _, t := range tables {
		if err := checkTable(t); err != nil {
			return err
		}
	}
	f := excelize.NewFile()
	defer f.Close()
	// excelize writes stream-written sheets in map order; collect the
	// entries and write them sorted so the workbook bytes are reproducible.
	f.SetZipWriter(func(w io.Writer) excelize.ZipWriter { return &sortedZip{w: w, data: map[string]*deflatedEntry{}} })
	bold, err := f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}})
	if err != nil {
		return err
	}
	used := make(map[string]bool)
	first := true
	perSheet := maxRows - 1
	for _, t := range tables {
		widths := colWidths(t)
		n := t.NumRows()
		parts := max(1, (n+perSheet-1)/perSheet)
		for p := 0; p < parts; p++ {
			suffix := ""
			if p > 0 {
				suffix = " (" + strconv.Itoa(p+1) + ")"
			}
			name := sheetName(t.Name, suffix, used)
			if first {
				err = f.SetSheetName("Sheet1", name)
				first = false
			} else {
				_, err = f.NewSheet(name)
			}
			if err != nil {
				return fmt.Errorf("sheet %q: %w", name, err)
			}
			lo := p * perSheet
			hi := min(lo+perSheet, n)
			if err := writeSheet(ctx, f, name, t, lo, hi, widths, bold); err != nil {
				return fmt.Errorf("sheet %q: %w", name, err)
			}
		}
	}
	f.SetActiveSheet(0)
	_, err = f.WriteTo(w)
	return err
}

// writeSheet streams rows [lo, hi) of t into the existing sheet name.
func writeSheet(ctx context.Context, f *excelize.File, name string, t *table.Table, lo, hi int, widths []float64, headerStyle int) error {
	sw, err := f.NewStreamWriter(name)
	if err != nil {
		return err
	}
	// excelize v2.11 puts each new <col> before the earlier ones; going
	// from the last column to the first leaves them in ascending order,
	// which Excel requires.
	runs := widthRuns(widths)
	for j := len(runs) - 1; j >= 0; j-- {
		if err := sw.SetColWidth(runs[j].first, runs[j].last, runs[j].width); err != nil {
			return err
		}
	}
	err = sw.SetPanes(&excelize.Panes{
		Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft",
		Selection: []excelize.Selection{{SQRef: "A2", ActiveCell: "A2", Pane: "bottomLeft"}},
	})
	if err != nil {
		return err
	}
	row := make([]interface{}, len(t.Columns))
	for j, c := range t.Columns {
		row[j] = excelize.Cell{StyleID: headerStyle, Value: c.Name}
	}
	if err := sw.SetRow("A1", row); err != nil {
		return err
	}
	for i := lo; i < hi; i++ {
		if (i-lo)%ctxCheckRows == ctxCheckRows-1 {
			if err := ctx.Err(); err != nil {
				return err
			}
		}
		for j, c := range t.Columns {
			row[j] = xlsxValue(c, i)
		}
		cell, err := excelize.CoordinatesToCellName(1, i-lo+2)
		if err != nil {
			return err
		}
		if err := sw.SetRow(cell, row); err != nil {
			return err
		}
	}
	return sw.Flush()
}

// xlsxValue returns the value excelize should store for cell i of c; nil
// leaves the cell empty.
func xlsxValue(c *table.Column, i int) interface{} {
	if c.IsNull(i) {
		return nil
	}
	switch c.Kind {
	case table.Int:
		x := c.Int(i)
		if x > maxExactInt || x < -maxExactInt {
			return strconv.FormatInt(x, 10)
		}
		return x
	case table.Float:
		x := c.Float(i)
		if math.IsInf(x, 0) {
			return strconv.FormatFloat(x, 'g', -1, 64)
		}
		return x
	case table.Bool:
		return c.Bool(i)
	case table.List:
		return strings.Join(c.List(i), ListSep)
	default:
		return c.Str(i)
	}
}

// sheetName derives a valid, unused sheet name from base and suffix and
// records it in used (keys lower-cased).
func sheetName(base, suffix string, used map[string]bool) string {
	base = strings.Map(func(r rune) rune {
		if strings.ContainsRune(`:\/?*[]`, r) || r < 0x20 {
			return '_'
		}
		return r
	}, base)
	base = strings.Trim(base, "'")
	if base == "" {
		base = "table"
	}
	for k := 1; ; k++ {
		s := suffix
		if k > 1 {
			s += " ~" + strconv.Itoa(k)
		}
		name := cutUTF16(base, excelize.MaxSheetNameLength-utf16Len(s))
		name = strings.TrimRight(name, "'") + s
		if key := strings.ToLower(name); !used[key] {
			used[key] = true
			return name
		}
	}
}

func utf16Len(s string) int {
	n := 0
	for _, r := range s {
		n += utf16.RuneLen(r)
	}
	return n
}

// cutUTF16 returns the longest prefix of s of at most n UTF-16 units,
// never splitting a rune.
func cutUTF16(s string, n int) string {
	used := 0
	for i, r := range s {
		used += utf16.RuneLen(r)
		if used > n {
			return s[:i]
		}
	}
	return s
}

// colWidths returns an Excel column width for each column of t.
func colWidths(t *table.Table) []float64 {
	ws := make([]float64, len(t.Columns))
	rows := min(t.NumRows(), widthSampleRows)
	for j, c := range t.Columns {
		w := displayWidth(c.Name)
		for i := 0; i < rows; i++ {
			w = max(w, displayWidth(cellText(c, i)))
		}
		ws[j] = float64(min(max(w+2, minColWidth), maxColWidth))
	}
	return ws
}

// widthRun is a range of 1-based columns [first, last] of one width.
type widthRun struct {
	first, last int
	width       float64
}

// maxWidthCols bounds the columns of a sheet given a width; later columns
// keep Excel's default width. excelize's SetColWidth flattens every range
// set before into single columns and searches them linearly, so its cost
// grows with the cube of the columns set: widths for all 20,000 columns
// of a wide survey's respondents table took minutes.
const maxWidthCols = 100

// widthRuns merges adjacent columns of equal width, among the first
// maxWidthCols, into ranges.
func widthRuns(widths []float64) []widthRun {
	var runs []widthRun
	for j, w := range widths[:min(len(widths), maxWidthCols)] {
		if n := len(runs); n > 0 && runs[n-1].width == w {
			runs[n-1].last = j + 1
			continue
		}
		runs = append(runs, widthRun{j + 1, j + 1, w})
	}
	return runs
}

// displayWidth returns the width of the longest line of s in monospace
// cells: East Asian wide and fullwidth characters count 2, others 1.
func displayWidth(s string) int {
	best, cur := 0, 0
	for _, r := range s {
		if r == '\n' {
			best, cur = max(best, cur), 0
			continue
		}
		switch width.LookupRune(r).Kind() {
		case width.EastAsianWide, width.EastAsianFullwidth:
			cur += 2
		default:
			cur++
		}
	}
	return max(best, cur)
}

// sortedZip is an excelize.ZipWriter that writes the entries sorted by
// name, with no timestamps, on Close (excelize creates its sheets in map
// order). Each entry is compressed as it is written and held compressed:
// a sheet of 100,000 rows is about 100 MB of XML, which a buffer grown by
// doubling cleared and copied for seconds.
type sortedZip struct {
	w    io.Writer
	data map[string]*deflatedEntry
}

// deflatedEntry is one entry's compressed bytes with what its header needs.
type deflatedEntry struct {
	buf  bytes.Buffer
	fw   *flate.Writer
	crc  hash.Hash32
	size uint64
}

func (e *deflatedEntry) Write(p []byte) (int, error) {
	e.crc.Write(p)
	e.size += uint64(len(p))
	return e.fw.Write(p)
}

func (z *sortedZip) Create(name string) (io.Writer, error) {
	if _, dup := z.data[name]; dup {
		return nil, fmt.Errorf("zip entry %q written twice", name)
	}
	e := &deflatedEntry{crc: crc32.NewIEEE()}
	// Level 5 is archive/zip's own: the files are the bytes it writes.
	fw, err := flate.NewWriter(&e.buf, 5)
	if err != nil {
		return nil, err
	}
	e.fw = fw
	z.data[name] = e
	return e, nil
}

func (z *sortedZip) AddFS(fs.FS) error { return errors.New("xlsx: AddFS is not supported") }

func (z *sortedZip) Close() error {
	names := make([]string, 0, len(z.data))
	for n := range z.data {
		names = append(names, n)
	}
	sort.Strings(names)
	zw := zip.NewWriter(z.w)
	for _, n := range names {
		e := z.data[n]
		if err := e.fw.Close(); err != nil {
			return err
		}
		fh := &zip.FileHeader{Name: n, Method: zip.Deflate, Flags: 0x8, CreatorVersion: 20, ReaderVersion: 20, // as CreateHeader writes them
			CRC32: e.crc.Sum32(), CompressedSize64: uint64(e.buf.Len()), UncompressedSize64: e.size}
		fw, err := zw.CreateRaw(fh)
		if err != nil {
			return err
		}
		if _, err := e.buf.WriteTo(fw); err != nil {
			return err
		}
	}
	return zw.Close()
}
