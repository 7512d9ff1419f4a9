package ingest

import (
	"bytes"
	"context"
	"fmt"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"

	"surveymine/pipeline/corpus"
)

// readXLSX reads one sheet of a workbook. The sheet is named or given by
// 1-based index ("" = first). Without a configured header row, the header
// is the first of the first 10 rows whose filled cells number at least
// half of the widest of those rows (skipping title rows above the table).
// Cells longer than maxField, or holding invalid UTF-8, reject their row.
func readXLSX(ctx context.Context, data []byte, name string, in SurveyInput, maxField int, maxBytes int64) (*table, error) {
	// UnzipSizeLimit caps what the workbook may unpack to (a zip bomb);
	// parts above UnzipXMLSizeLimit are spilled to temporary files.
	f, err := excelize.OpenReader(bytes.NewReader(data), excelize.Options{UnzipSizeLimit: maxBytes, UnzipXMLSizeLimit: min(maxBytes, 16<<20)})
	if err != nil {
		return nil, fmt.Errorf("open workbook: %v", err)
	}
	defer f.Close()
	sheets := f.GetSheetList()
	if len(sheets) == 0 {
		return nil, fmt.Errorf("workbook has no sheets")
	}
	sheet := sheets[0]
	if in.Sheet != "" {
		sheet = ""
		for _, s := range sheets {
			if s == in.Sheet {
				sheet = s
			}
		}
		if sheet == "" {
			if n, err := strconv.Atoi(in.Sheet); err == nil && n >= 1 && n <= len(sheets) {
				sheet = sheets[n-1]
			}
		}
		if sheet == "" {
			return nil, fmt.Errorf("%w: sheet %q not in workbook (sheets: %s)", ErrUnknownColumn, in.Sheet, strings.Join(sheets, ", "))
		}
	}
	rows, err := sheetRows(ctx, f, sheet)
	if err != nil {
		return nil, err
	}
	hdr := in.HeaderRow - 1
	if in.HeaderRow == 0 {
		hdr = detectHeaderRow(rows)
	}
	if hdr < 0 || hdr >= len(rows) || filled(rows[hdr]) == 0 {
		return nil, fmt.Errorf("sheet %q: no header row", sheet)
	}
	t := &table{file: name, sheet: sheet, headerRow: hdr + 1, header: rows[hdr]}
	for i := hdr + 1; i < len(rows); i++ {
		row := rows[i]
		if filled(row) == 0 {
			continue
		}
		rec := record{Src: corpus.RowSource{File: name, Sheet: sheet, Row: i + 1}, Raw: quoteCells(row)}
		for j, cell := range row {
			switch {
			case !utf8.ValidString(cell):
				rec.Reason, rec.Detail = reasonBadEncoding, fmt.Sprintf("cell %d holds invalid UTF-8", j+1)
			case len(cell) > maxField:
				rec.Reason = reasonTooLong
				rec.Detail = fmt.Sprintf("cell %d has %d bytes, more than max_field_bytes %d", j+1, len(cell), maxField)
			}
			if rec.Reason != "" {
				break
			}
		}
		if rec.Reason == "" {
			rec.Fields = row
		}
		t.records = append(t.records, rec)
	}
	return t, nil
}

// sheetRows is excelize's GetRows (every row, trailing empty rows dropped)
// reading row by row, so that it stops soon after ctx is cancelled.
func sheetRows(ctx context.Context, f *excelize.File, sheet string) ([][]string, error) {
	it, err := f.Rows(sheet)
	if err != nil {
		return nil, fmt.Errorf("read sheet %q: %v", sheet, err)
	}
	var rows [][]string
	last := 0
	for it.Next() {
		if err := stopped(ctx, len(rows)); err != nil {
			it.Close()
			return nil, err
		}
		row, err := it.Columns()
		if err != nil {
			it.Close()
			return nil, fmt.Errorf("read sheet %q: %v", sheet, err)
		}
		rows = append(rows, row)
		if len(row) > 0 {
			last = len(rows)
		}
	}
	if err := it.Close(); err != nil {
		return nil, fmt.Errorf("read sheet %q: %v", sheet, err)
	}
	return rows[:last], nil
}

func filled(row []string) int {
	n := 0
	for _, c := range row {
		if strings.TrimSpace(c) != "" {
			n++
		}
	}
	return n
}

// detectHeaderRow returns the 0-based header row index; see readXLSX.
func detectHeaderRow(rows [][]string) int {
	widest := 0
	for i := 0; i < len(rows) && i < 10; i++ {
		widest = max(widest, filled(rows[i]))
	}
	for i := 0; i < len(rows) && i < 10; i++ {
		if n := filled(rows[i]); n > 0 && 2*n >= widest {
			return i
		}
	}
	return -1
}

// quoteCells renders a row's cells for Reject.Raw: tab-joined, quoted.
func quoteCells(cells []string) string {
	return strconv.Quote(strings.Join(cells, "\t"))
}
