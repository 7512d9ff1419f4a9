package ingest

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"strings"

	"surveymine/internal/spill"
	"surveymine/pipeline/corpus"
)

// Read reads every survey and report of cfg into one corpus. Relative
// paths are joined to baseDir when it is non-empty (pass "" to resolve
// them against the working directory).
//
// Malformed rows never stop the read: they land in Corpus.Rejects and are
// counted in Corpus.Inputs. Errors:
//   - a missing input wraps ErrNoInput, an unknown configured column
//     ErrUnknownColumn (both usage errors);
//   - an unreadable file (bad header, legacy .xls, corrupt XLSX or DOCX) is
//     a *corpus.InputError naming the file;
//   - an input whose rejected share exceeds MaxRejectShare yields an error
//     wrapping ErrTooManyRejects and a *corpus.InputError; the corpus read
//     so far is returned with it so the rejects can still be written;
//   - ctx.Err() after cancellation.
//
// Config problems are not re-checked here; call Validate first.
func Read(ctx context.Context, cfg Config, baseDir string) (*corpus.Corpus, error) {
	return ReadSpilling(ctx, cfg, baseDir, nil)
}

// ReadSpilling is Read keeping the corpus's text and answers in arena
// (see package spill) instead of the Go heap; a nil arena is Read.
func ReadSpilling(ctx context.Context, cfg Config, baseDir string, arena *spill.Arena) (*corpus.Corpus, error) {
	c := &corpus.Corpus{}
	c.UseArena(arena)
	b := &builder{cfg: &cfg, c: c, keys: map[string]int{}, ctx: ctx, keep: keeper{arena: arena}}
	names := map[string]int{}
	var tooMany []error
	for i, in := range cfg.Surveys {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		key := fmt.Sprintf("surveys[%d]", i)
		path := resolvePath(baseDir, in.Path)
		if err := statInput(key+".path", path); err != nil {
			return nil, err
		}
		name := uniqueName(names, filepath.ToSlash(in.Path))
		t, st, err := readSurveyFile(ctx, path, name, in, &cfg, b.keep.arena)
		if err != nil {
			return nil, err
		}
		if err := b.addTable(in, key, t, &st); err != nil {
			return nil, err
		}
		c.Inputs = append(c.Inputs, st)
		if err := checkShare(st, &cfg); err != nil {
			tooMany = append(tooMany, err)
		}
	}
	padAnswers(c)
	for i, in := range cfg.Reports {
		key := fmt.Sprintf("reports[%d]", i)
		files, err := reportFiles(resolvePath(baseDir, in.Path))
		if err != nil {
			return nil, fmt.Errorf("%s.path: %w", key, err)
		}
		for _, f := range files {
			if err := ctx.Err(); err != nil {
				return nil, err
			}
			name := uniqueName(names, filepath.ToSlash(relativeName(baseDir, f)))
			if err := checkFileSize(f, name, &cfg); err != nil {
				return nil, err
			}
			st, err := readReport(ctx, c, f, name, in.Encoding)
			if err != nil {
				return nil, err
			}
			c.Inputs = append(c.Inputs, st)
			if err := checkShare(st, &cfg); err != nil {
				tooMany = append(tooMany, err)
			}
		}
	}
	if len(tooMany) > 0 {
		return c, joinLimited(tooMany)
	}
	return c, nil
}

// Check verifies that every input exists and is readable and that every
// configured column is in its file's header. It reads survey headers only
// (XLSX workbooks are opened whole) and does not look at report contents
// beyond finding the files. Errors are as for Read.
func Check(ctx context.Context, cfg Config, baseDir string) error {
	var errs []error
	for i, in := range cfg.Surveys {
		if err := ctx.Err(); err != nil {
			return err
		}
		key := fmt.Sprintf("surveys[%d]", i)
		path := resolvePath(baseDir, in.Path)
		if err := statInput(key+".path", path); err != nil {
			errs = append(errs, err)
			continue
		}
		t, _, err := readSurveyHeader(ctx, path, filepath.ToSlash(in.Path), in, &cfg)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		b := &builder{cfg: &cfg, c: &corpus.Corpus{}, keys: map[string]int{}, ctx: ctx}
		var st corpus.InputStats
		if err := b.addTable(in, key, t, &st); err != nil {
			errs = append(errs, err)
		}
	}
	for i, in := range cfg.Reports {
		if _, err := reportFiles(resolvePath(baseDir, in.Path)); err != nil {
			errs = append(errs, fmt.Errorf("reports[%d].path: %w", i, err))
		}
	}
	return joinLimited(errs)
}

// checkShare fails when st has more rejects than cfg allows.
func checkShare(st corpus.InputStats, cfg *Config) error {
	if st.Read == 0 || st.Rejected == 0 {
		return nil
	}
	share := float64(st.Rejected) / float64(st.Read)
	if share > cfg.maxRejectShare() {
		return &corpus.InputError{Src: corpus.Source{File: st.File},
			Err: fmt.Errorf("%w: %d of %d rows (%.1f%%) rejected, max_reject_share is %g",
				ErrTooManyRejects, st.Rejected, st.Read, math.Round(share*1000)/10, cfg.maxRejectShare())}
	}
	return nil
}

// uniqueName returns name, or name#2, name#3 … when the same file is read
// twice, so that unit ids stay unique.
func uniqueName(seen map[string]int, name string) string {
	seen[name]++
	if n := seen[name]; n > 1 {
		return fmt.Sprintf("%s#%d", name, n)
	}
	return name
}

func relativeName(baseDir, f string) string {
	if baseDir == "" {
		return f
	}
	if r, err := filepath.Rel(baseDir, f); err == nil && !strings.HasPrefix(r, "..") {
		return r
	}
	return f
}

var xlsMagic = []byte{0xD0, 0xCF, 0x11, 0xE0}

// surveyFormat decides the format of a survey file.
func surveyFormat(in SurveyInput, path string, data []byte) (string, error) {
	if bytes.HasPrefix(data, xlsMagic) {
		return "", fmt.Errorf("%w: legacy Excel .xls (BIFF) workbook; save it as .xlsx or CSV (UTF-8) and read that", ErrUnsupportedFormat)
	}
	if f := strings.ToLower(in.Format); f != "" {
		return f, nil
	}
	switch strings.ToLower(filepath.Ext(path)) {
	case ".xlsx", ".xlsm":
		return "xlsx", nil
	case ".tsv", ".tab":
		return "tsv", nil
	case ".jsonl", ".ndjson":
		return "jsonl", nil
	case ".xls":
		if bytes.HasPrefix(data, []byte("PK")) {
			return "xlsx", nil
		}
	}
	if bytes.HasPrefix(data, []byte("PK\x03\x04")) {
		return "xlsx", nil
	}
	return "csv", nil
}

// readSurveyFile reads a whole survey file into a table. The file's bytes
// go into arena (nil: the heap): the table's cells are views of them.
func readSurveyFile(ctx context.Context, path, name string, in SurveyInput, cfg *Config, arena *spill.Arena) (*table, corpus.InputStats, error) {
	return readSurvey(ctx, path, name, in, cfg, false, arena)
}

// readSurveyHeader reads a survey file's header (and, for XLSX and JSONL,
// its rows, which the header depends on).
func readSurveyHeader(ctx context.Context, path, name string, in SurveyInput, cfg *Config) (*table, corpus.InputStats, error) {
	return readSurvey(ctx, path, name, in, cfg, true, nil)
}

func readSurvey(ctx context.Context, path, name string, in SurveyInput, cfg *Config, headerOnly bool, arena *spill.Arena) (*table, corpus.InputStats, error) {
	st := corpus.InputStats{File: name}
	if err := checkFileSize(path, name, cfg); err != nil {
		return nil, st, err
	}
	data, err := readWhole(path, arena)
	if err != nil {
		if errors.Is(err, os.ErrNotExist) {
			return nil, st, fmt.Errorf("open survey %s: %w: %v", name, ErrNoInput, err)
		}
		return nil, st, fmt.Errorf("open survey %s: %w", name, err)
	}
	return parseSurveyContext(ctx, data, path, name, in, cfg, headerOnly)
}

// readWhole returns the contents of the file at path, read into arena
// (nil: the heap, as os.ReadFile). A file that changes size while it is
// read gives what was there to read.
func readWhole(path string, arena *spill.Arena) ([]byte, error) {
	if arena == nil {
		return os.ReadFile(path)
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return nil, err
	}
	if !fi.Mode().IsRegular() {
		return io.ReadAll(f)
	}
	buf := arena.Alloc(int(fi.Size()))
	n, err := io.ReadFull(f, buf)
	switch {
	case errors.Is(err, io.ErrUnexpectedEOF):
		return buf[:n], nil // shrank
	case err != nil:
		return nil, err
	}
	rest, err := io.ReadAll(f) // grew
	if err != nil {
		return nil, err
	}
	if len(rest) > 0 {
		return append(buf[:n:n], rest...), nil
	}
	return buf, nil
}

// checkFileSize fails with an *corpus.InputError wrapping ErrTooLarge when
// the file at path is larger than max_file_bytes; a file that cannot be
// stat'ed is left for the read to report.
func checkFileSize(path, name string, cfg *Config) error {
	fi, err := os.Stat(path)
	if err != nil || fi.Size() <= cfg.maxFileBytes() {
		return nil
	}
	return &corpus.InputError{Src: corpus.Source{File: name},
		Err: fmt.Errorf("%w: file has %d bytes, more than max_file_bytes %d", ErrTooLarge, fi.Size(), cfg.maxFileBytes())}
}

// parseSurvey reads the bytes of a survey file (path gives the extension).
func parseSurvey(data []byte, path, name string, in SurveyInput, cfg *Config, headerOnly bool) (*table, corpus.InputStats, error) {
	return parseSurveyContext(context.Background(), data, path, name, in, cfg, headerOnly)
}

// parseSurveyContext is parseSurvey returning ctx.Err() soon after ctx is
// cancelled.
func parseSurveyContext(ctx context.Context, data []byte, path, name string, in SurveyInput, cfg *Config, headerOnly bool) (*table, corpus.InputStats, error) {
	st := corpus.InputStats{File: name}
	fileErr := func(err error) error {
		return &corpus.InputError{Src: corpus.Source{File: name}, Err: err}
	}
	sum := sha256.Sum256(data)
	st.SHA256, st.Bytes = hex.EncodeToString(sum[:]), int64(len(data))
	format, err := surveyFormat(in, path, data)
	if err != nil {
		return nil, st, fileErr(err)
	}
	st.Format = format
	var t *table
	switch format {
	case "xlsx":
		t, err = readXLSX(ctx, data, name, in, cfg.maxField(), cfg.maxFileBytes())
		st.Encoding = "utf-8"
	case "jsonl":
		var enc textEncoding
		t, enc, err = readJSONL(ctx, data, name, in, cfg.maxField())
		st.Encoding = enc.String()
	default:
		var enc textEncoding
		t, enc, err = readDelimited(ctx, data, name, format, in, cfg.maxField(), headerOnly)
		st.Encoding = enc.String()
	}
	if err != nil {
		if ctx.Err() != nil {
			return nil, st, err
		}
		var ie *corpus.InputError
		if errors.As(err, &ie) {
			return nil, st, err
		}
		return nil, st, fileErr(err)
	}
	if n := len(t.header); n > cfg.maxColumns() {
		return nil, st, &corpus.InputError{Src: corpus.Source{File: name, Sheet: t.sheet, Row: t.headerRow},
			Err: fmt.Errorf("%w: header has %d columns, more than max_columns %d", ErrTooLarge, n, cfg.maxColumns())}
	}
	if headerOnly {
		t.records = nil
	}
	return t, st, nil
}

// chooseEncoding applies a configured encoding or detects one.
func chooseEncoding(name string, data []byte) (textEncoding, error) {
	enc, ok, err := parseEncoding(name)
	if err != nil {
		return 0, err
	}
	if !ok {
		enc = detectEncoding(data)
	}
	return enc, nil
}

// readDelimited reads a CSV or TSV file.
func readDelimited(ctx context.Context, data []byte, name, format string, in SurveyInput, maxField int, headerOnly bool) (*table, textEncoding, error) {
	enc, err := chooseEncoding(in.Encoding, data)
	if err != nil {
		return nil, 0, err
	}
	var delim rune
	switch {
	case in.Delimiter != "":
		delim = []rune(in.Delimiter)[0]
	case format == "tsv":
		delim = '\t'
	default:
		delim = detectDelimiter(splitLines(stripBOM(data, enc), enc), enc)
	}
	r := newCSVReader(name, data, enc, delim, maxField)
	t := &table{file: name}
	if !headerOnly {
		// At most one record per line: sized once, the records are not
		// copied by append's doubling (3.8 CPU-s and 340 MB of garbage
		// at 1M rows).
		t.records = make([]record, 0, len(r.lines))
	}
	n := 0
	for r.Next() {
		if err := stopped(ctx, n); err != nil {
			return nil, enc, err
		}
		rec := r.Record()
		n++
		if t.header == nil {
			if in.HeaderRow > 0 && n < in.HeaderRow {
				continue
			}
			if rec.Reason != "" {
				return nil, enc, &corpus.InputError{Src: rec.Src.Source(), Err: fmt.Errorf("header row: %s: %s", rec.Reason, rec.Detail)}
			}
			// Copied: the fields view the file's bytes (viewLine), and
			// the header's text lives on in questions and options.
			t.header, t.headerRow = cloneAll(rec.Fields), rec.Src.Row
			if headerOnly {
				break
			}
			continue
		}
		t.records = append(t.records, rec)
	}
	if err := r.Err(); err != nil {
		return nil, enc, err
	}
	if t.header == nil {
		return nil, enc, fmt.Errorf("no header row")
	}
	return t, enc, nil
}

// checkEvery is how many rows, lines or paragraphs the readers handle
// between two looks at the context: often enough to stop well within a
// second, rarely enough to cost nothing.
const checkEvery = 1024

// stopped returns ctx.Err() when i is a multiple of checkEvery; a nil ctx
// is never cancelled.
func stopped(ctx context.Context, i int) error {
	if ctx == nil || i%checkEvery != 0 {
		return nil
	}
	return ctx.Err()
}

// cloneAll returns copies of ss.
func cloneAll(ss []string) []string {
	out := make([]string, len(ss))
	for i, s := range ss {
		out[i] = strings.Clone(s)
	}
	return out
}
