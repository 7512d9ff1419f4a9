package output

import (
	"bufio"
	"context"
	"encoding/csv"
	"fmt"
	"io"
	"math"
	"slices"
	"strconv"
	"strings"

	"surveymine/pipeline/table"
)

// ListSep joins the items of a List cell in CSV and XLSX.
const ListSep = " | "

// CSVOptions configures WriteCSV. The zero value writes plain UTF-8 without
// a byte-order mark.
type CSVOptions struct {
	// BOM prefixes the file with U+FEFF so that Excel on Windows opens the
	// UTF-8 (Chinese) text correctly.
	BOM bool
	// ExcelSafe prefixes text cells (String, Category and List columns)
	// that begin with =, +, -, @, a tab or a carriage return with a single
	// quote ', so that a spreadsheet opening the file shows them as text
	// instead of evaluating them as formulas (OWASP, "CSV Injection").
	// Cells that are plain decimal numbers (-3, +2.5) are left alone: a
	// spreadsheet reads them as numbers, not formulas. Int and Float
	// columns are never changed.
	ExcelSafe bool
}

// formulaLike reports whether a text cell would start a formula in a
// spreadsheet: it begins with = + - @ tab or CR and is not a plain
// decimal number.
func formulaLike(b []byte) bool {
	if len(b) == 0 {
		return false
	}
	switch b[0] {
	case '=', '@', '\t', '\r':
		return true
	case '+', '-':
		return !plainNumber(b[1:])
	}
	return false
}

// plainNumber reports whether b is digits with at most one inner decimal
// point: 3, 2.5 (not 1e5, 0x10, Inf or 1+1).
func plainNumber(b []byte) bool {
	digits, dot := 0, false
	for i, c := range b {
		switch {
		case c >= '0' && c <= '9':
			digits++
		case c == '.' && !dot && i > 0 && i < len(b)-1:
			dot = true
		default:
			return false
		}
	}
	return digits > 0
}

// WriteCSV writes t to w as UTF-8 CSV: a header row of column names, then
// one record per row, quoted per RFC 4180 by encoding/csv (fields containing
// commas, quotes or line breaks are quoted; records end in "\n").
//
// Cells: ints in decimal; floats with strconv.FormatFloat(x, 'g', -1, 64),
// the shortest text that parses back to the same float (±Inf as "+Inf" and
// "-Inf"); bools as true/false; lists joined with ListSep; null and NaN as
// an empty cell. An empty string, a null and an empty list therefore look
// the same in CSV; Arrow and Parquet keep them apart.
//
// Errors are those of t.Validate, ErrNoColumns and w's errors.
func WriteCSV(w io.Writer, t *table.Table, opts CSVOptions) error {
	return writeCSV(context.Background(), w, t, opts)
}

// ctxCheckRows is how often (in rows) the CSV and XLSX writers check for
// cancellation.
const ctxCheckRows = 4096

func writeCSV(ctx context.Context, w io.Writer, t *table.Table, opts CSVOptions) error {
	if err := checkTable(t); err != nil {
		return err
	}
	bw := bufio.NewWriterSize(w, 64<<10)
	if opts.BOM {
		if _, err := bw.WriteString("\uFEFF"); err != nil {
			return err
		}
	}
	cw := csv.NewWriter(bw)
	rec := make([]string, len(t.Columns))
	for j, c := range t.Columns {
		rec[j] = c.Name
	}
	if err := cw.Write(rec); err != nil {
		return err
	}
	var buf []byte
	ends := make([]int, len(t.Columns))
	for i, n := 0, t.NumRows(); i < n; i++ {
		if i%ctxCheckRows == ctxCheckRows-1 {
			if err := ctx.Err(); err != nil {
				return err
			}
		}
		buf = buf[:0]
		for j, c := range t.Columns {
			start := len(buf)
			buf = appendCell(buf, c, i)
			if opts.ExcelSafe && isText(c.Kind) && formulaLike(buf[start:]) {
				buf = slices.Insert(buf, start, '\'')
			}
			ends[j] = len(buf)
		}
		// One allocation for all cells of the row.
		s := string(buf)
		start := 0
		for j, e := range ends {
			rec[j] = s[start:e]
			start = e
		}
		if err := cw.Write(rec); err != nil {
			return fmt.Errorf("csv %s: %w", t.Name, err)
		}
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		return fmt.Errorf("csv %s: %w", t.Name, err)
	}
	return bw.Flush()
}

// isText reports column kinds whose cells are text in CSV.
func isText(k table.Kind) bool {
	return k == table.String || k == table.Category || k == table.List
}

// appendCell appends the text form of cell i of c, as described in WriteCSV.
func appendCell(b []byte, c *table.Column, i int) []byte {
	if c.IsNull(i) {
		return b
	}
	switch c.Kind {
	case table.Int:
		return strconv.AppendInt(b, c.Int(i), 10)
	case table.Float:
		return appendFloat(b, c.Float(i))
	case table.Bool:
		return strconv.AppendBool(b, c.Bool(i))
	case table.List:
		for k, s := range c.List(i) {
			if k > 0 {
				b = append(b, ListSep...)
			}
			b = append(b, s...)
		}
		return b
	default: // String, Category
		return append(b, c.Str(i)...)
	}
}

// appendFloat formats x as WriteCSV does; NaN gives nothing.
func appendFloat(b []byte, x float64) []byte {
	if math.IsNaN(x) {
		return b
	}
	return strconv.AppendFloat(b, x, 'g', -1, 64)
}

// cellText returns the CSV text of cell i of c.
func cellText(c *table.Column, i int) string {
	switch c.Kind {
	case table.String, table.Category:
		if c.IsNull(i) {
			return ""
		}
		return c.Str(i)
	case table.List:
		if c.IsNull(i) {
			return ""
		}
		return strings.Join(c.List(i), ListSep)
	}
	return string(appendCell(nil, c, i))
}
