package ingest

import (
	"fmt"
	"strconv"
	"strings"
	"unicode/utf8"

	"surveymine/pipeline/corpus"
)

// record is one row read from a survey file, accepted or not.
type record struct {
	Src    corpus.RowSource // File, Sheet and Row
	Fields []string         // decoded cells, not yet normalised
	Raw    string           // the row's raw bytes escaped with strconv.Quote rules
	Reason string           // reject reason code; "" for a well-formed row
	Detail string           // human-readable explanation of Reason

	// rawLines, when set, are the row's raw lines; Raw is then computed
	// only if the row is rejected (escaping every accepted row cost more
	// than parsing it).
	rawLines [][]byte
}

// raw returns the row's raw bytes escaped, for a reject.
func (r record) raw() string {
	if r.Raw == "" && r.rawLines != nil {
		return quoteRaw(r.rawLines)
	}
	return r.Raw
}

// hasRaw reports whether the row came with raw bytes (delimited text and
// JSON Lines do; XLSX rows do not).
func (r record) hasRaw() bool { return r.Raw != "" || r.rawLines != nil }

// reject turns a malformed record into a corpus.Reject.
func (r record) reject() corpus.Reject {
	return corpus.Reject{Src: r.Src.Source(), Reason: r.Reason, Detail: r.Detail, Raw: r.raw()}
}

// Reject reason codes written to corpus.Reject.Reason.
const (
	reasonBadEncoding  = "bad_encoding"
	reasonUnterminated = "unterminated_quote"
	reasonBadQuote     = "bad_quote"
	reasonRagged       = "ragged_row"
	reasonTooLong      = "field_too_long"
	reasonBadJSON      = "bad_json"
	reasonDuplicateID  = "duplicate_id"
)

// csvReader reads delimited records from the lines of a decoded-on-demand
// file. It is a pull iterator like encoding/csv: call Next until it
// returns false, read Record after each true, then check Err.
//
// Unlike encoding/csv it never stops at a malformed row: such rows come
// back with Reason set and parsing resumes on the next line. A quoted field
// still open at the end of the file (or after MaxFieldBytes) is taken to be
// an unterminated quote: only its first line is rejected and the following
// lines are parsed again.
type csvReader struct {
	file     string
	lines    [][]byte
	enc      textEncoding
	delim    rune
	maxField int

	next int // index of the next unread line
	rec  record
}

func newCSVReader(file string, data []byte, enc textEncoding, delim rune, maxField int) *csvReader {
	data = stripBOM(data, enc)
	return &csvReader{file: file, lines: splitLines(data, enc), enc: enc, delim: delim, maxField: maxField}
}

// Next reads the next non-blank record and reports whether there was one.
func (r *csvReader) Next() bool {
	for r.next < len(r.lines) {
		start := r.next
		text, ok := viewLine(r.lines[start], r.enc)
		if ok && strings.TrimSpace(text) == "" {
			r.next++
			continue
		}
		r.rec = r.read(start)
		return true
	}
	return false
}

// Record returns the record read by the last call to Next.
func (r *csvReader) Record() record { return r.rec }

// Err returns nil: malformed rows are returned as records, and the file is
// already in memory. It exists so csvReader has the usual iterator shape.
func (r *csvReader) Err() error { return nil }

// read parses the record starting at line start and advances r.next.
func (r *csvReader) read(start int) record {
	rec := record{Src: corpus.RowSource{File: r.file, Row: start + 1}}
	// text is the record's decoded lines so far: the first line itself,
	// then built in more. The fields are cut out of it.
	var text string
	var more strings.Builder
	badEnc := false
	end := start
	open := false // a quoted field is open at the end of text
	for {
		t, ok := viewLine(r.lines[end], r.enc)
		if !ok {
			badEnc = true
		}
		if end == start {
			text = t
		} else {
			if more.Len() == 0 {
				more.WriteString(text)
			}
			more.WriteString(t)
			text = more.String()
		}
		end++
		// Scan only the new line for quote state, so that a long quoted
		// field costs linear, not quadratic, time.
		open = quoteOpenAfter(t, r.delim, open)
		var fields []string
		complete, bad := false, ""
		if !open {
			fields, complete, bad = parseRecord(text, r.delim)
		}
		if complete {
			rec.rawLines = r.lines[start:end]
			r.next = end
			switch {
			case badEnc:
				rec.Reason, rec.Detail = reasonBadEncoding, fmt.Sprintf("bytes invalid in %s", r.enc)
			case bad != "":
				rec.Reason, rec.Detail = reasonBadQuote, bad
			default:
				for i, f := range fields {
					if len(f) > r.maxField {
						rec.Reason = reasonTooLong
						rec.Detail = fmt.Sprintf("field %d has %d bytes, more than max_field_bytes %d", i+1, len(f), r.maxField)
						break
					}
				}
			}
			if rec.Reason == "" {
				rec.Fields = fields
			}
			return rec
		}
		if end >= len(r.lines) || len(text) > r.maxField {
			// The quote never closes (or the field is absurdly long):
			// reject the first line only and parse the rest again.
			rec.Raw = quoteRaw(r.lines[start : start+1])
			rec.Reason = reasonUnterminated
			rec.Detail = "quoted field is not closed"
			if len(text) > r.maxField {
				rec.Detail = fmt.Sprintf("quoted field is not closed within max_field_bytes %d", r.maxField)
			}
			r.next = start + 1
			return rec
		}
	}
}

// quoteRaw escapes the raw bytes of lines for corpus.Reject.Raw.
func quoteRaw(lines [][]byte) string {
	n := 0
	for _, l := range lines {
		n += len(l)
	}
	b := make([]byte, 0, n)
	for _, l := range lines {
		b = append(b, l...)
	}
	return strconv.Quote(string(b))
}

// quoteOpenAfter reports whether a quoted field is open after line, given
// whether one was open before it. It follows parseRecord's rules: a quote
// opens a field only at the field's start, and "" inside quotes is an
// escaped quote.
func quoteOpenAfter(line string, delim rune, open bool) bool {
	if strings.IndexByte(line, '"') < 0 {
		return open // no quote to open or close a field: most lines
	}
	fieldStart := !open
	escaped := false // the previous rune was a quote inside quotes
	for _, c := range line {
		switch {
		case open && escaped:
			escaped = false
			if c == '"' {
				continue // "" inside quotes
			}
			open = false
			fieldStart = c == delim || c == '\n'
		case open:
			escaped = c == '"'
		case c == '"' && fieldStart:
			open, fieldStart = true, false
		default:
			fieldStart = c == delim || c == '\n'
		}
	}
	// A quote at the very end of the line closes the field.
	if open && escaped {
		open = false
	}
	return open
}

// parseRecord splits text, the decoded lines of one record with their
// terminators, into fields (RFC 4180 with "" escapes inside quotes). A
// quote inside an unquoted field is kept literally. complete is false when
// a quoted field is still open at the end of text; bad describes a
// character after a closing quote that is neither the delimiter nor the
// line end.
//
// A field that is one stretch of text (no "" escape, no text after a
// closing quote) is a substring of text; the others are built.
func parseRecord(text string, delim rune) (fields []string, complete bool, bad string) {
	text = strings.TrimSuffix(text, "\n")
	fields = make([]string, 0, strings.Count(text, string(delim))+1)
	f := fieldText{text: text}
	fieldStart, inQuotes, afterQuote := true, false, false
	for i := 0; i < len(text); {
		c, size := utf8.DecodeRuneInString(text[i:])
		at := i
		i += size
		switch {
		case inQuotes:
			if c == '"' {
				if i < len(text) && text[i] == '"' {
					f.add(i, i+1, c) // the second quote of ""
					i++
				} else {
					inQuotes, afterQuote = false, true
				}
				continue
			}
			if c == utf8.RuneError {
				f.add(at, i, c)
				continue
			}
			// The stretch up to the next quote, at once.
			end := stretchEnd(text, i, '"')
			f.add(at, end, c)
			i = end
		case c == delim:
			fields = append(fields, f.String())
			f.reset()
			fieldStart, afterQuote = true, false
		case afterQuote:
			if c == '\r' && i == len(text) {
				continue
			}
			if bad == "" {
				bad = fmt.Sprintf("field %d: %q after closing quote", len(fields)+1, c)
			}
			f.add(at, i, c)
		case fieldStart && c == '"':
			inQuotes, fieldStart = true, false
		default:
			fieldStart = false
			if c == '\r' && i == len(text) {
				continue
			}
			if c == utf8.RuneError || c == '\r' {
				f.add(at, i, c)
				continue
			}
			// The stretch up to the next delimiter (or a line end's
			// \r), at once: an unquoted field takes quotes literally.
			end := stretchEnd(text, i, delim)
			if r := strings.IndexByte(text[i:end], '\r'); r >= 0 {
				end = i + r
			}
			f.add(at, end, c)
			i = end
		}
	}
	if inQuotes {
		return nil, false, ""
	}
	fields = append(fields, f.String())
	return fields, true, bad
}

// stretchEnd returns the index of the first stop rune in text at or after
// i, or of the first invalid byte before it (which parseRecord turns into
// U+FFFD one byte at a time), or len(text).
func stretchEnd(text string, i int, stop rune) int {
	end := len(text)
	if j := strings.IndexRune(text[i:], stop); j >= 0 {
		end = i + j
	}
	if !utf8.ValidString(text[i:end]) {
		for k := i; k < end; {
			r, size := utf8.DecodeRuneInString(text[k:end])
			if r == utf8.RuneError && size == 1 {
				return k
			}
			k += size
		}
	}
	return end
}

// fieldText is the field parseRecord is reading: the stretch
// text[start:end] while it is one, else built in buf.
type fieldText struct {
	text       string
	start, end int
	buf        []byte
	built      bool
}

// add appends the rune c at text[start:end] to the field. An invalid byte
// (c is utf8.RuneError) becomes U+FFFD, as strings.Builder.WriteRune
// writes it.
func (f *fieldText) add(start, end int, c rune) {
	if c == utf8.RuneError && end-start == 1 {
		f.build()
		f.buf = utf8.AppendRune(f.buf, c)
		return
	}
	switch {
	case f.built:
		f.buf = append(f.buf, f.text[start:end]...)
	case f.start == f.end:
		f.start, f.end = start, end
	case f.end == start:
		f.end = end
	default:
		f.build()
		f.buf = append(f.buf, f.text[start:end]...)
	}
}

// build switches the field to buf.
func (f *fieldText) build() {
	if !f.built {
		f.buf = append(f.buf[:0], f.text[f.start:f.end]...)
		f.built = true
	}
}

// String returns the field read so far.
func (f *fieldText) String() string {
	if f.built {
		return string(f.buf)
	}
	return f.text[f.start:f.end]
}

// reset starts the next field, keeping buf for reuse.
func (f *fieldText) reset() {
	f.start, f.end, f.built = 0, 0, false
}

// detectDelimiter returns the most frequent of , tab ; | outside quotes in
// the first non-blank line of lines, preferring comma on ties and when none
// occurs.
func detectDelimiter(lines [][]byte, enc textEncoding) rune {
	for _, l := range lines {
		t, _ := decodeLine(l, enc)
		if strings.TrimSpace(t) == "" {
			continue
		}
		counts := map[rune]int{}
		inQuotes := false
		for _, c := range t {
			if c == '"' {
				inQuotes = !inQuotes
				continue
			}
			if !inQuotes {
				counts[c]++
			}
		}
		best, n := ',', counts[',']
		for _, c := range []rune{'\t', ';', '|'} {
			if counts[c] > n {
				best, n = c, counts[c]
			}
		}
		return best
	}
	return ','
}
