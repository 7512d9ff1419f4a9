package ingest

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
)

// Sentinel errors. Errors returned by Check and Read wrap one of these when
// the condition applies, so callers can map them to exit codes with errors.Is.
var (
	// ErrNoInput means a configured input file, folder or glob matched no
	// readable file, or the config names no input at all (exit code 2).
	ErrNoInput = errors.New("no input")
	// ErrUnknownColumn means a column named in the config is not in the
	// file's header (exit code 2).
	ErrUnknownColumn = errors.New("unknown column")
	// ErrTooManyRejects means the share of rejected rows of one input is
	// above Config.MaxRejectShare (exit code 3).
	ErrTooManyRejects = errors.New("too many rejected rows")
	// ErrUnsupportedFormat means the file is in a format ingest cannot read,
	// such as legacy .xls (exit code 3).
	ErrUnsupportedFormat = errors.New("unsupported format")
	// ErrTooLarge means a file is above a resource limit as a whole (size,
	// columns; see docs/limits.md), rather than one row being too long
	// (exit code 3).
	ErrTooLarge = errors.New("input too large")
)

// Defaults used when the corresponding Config field is zero.
const (
	DefaultMaxFieldBytes  = 65536
	DefaultMaxRejectShare = 0.05
	DefaultSeparator      = "┋"
	DefaultMaxColumns     = 32768
	DefaultMaxFileBytes   = 1 << 30
)

// Config says which surveys and reports to read. The zero value of every
// field means its documented default. It is decoded from YAML by the cmd
// package; field tags give the snake_case keys.
type Config struct {
	Surveys []SurveyInput `mapstructure:"surveys"`
	Reports []ReportInput `mapstructure:"reports"`
	// MaxFieldBytes is the largest accepted cell, in bytes of UTF-8 text
	// after decoding; longer cells send their row to the rejects with reason
	// "field_too_long". 0 means 65536.
	MaxFieldBytes int `mapstructure:"max_field_bytes"`
	// MaxRejectShare is the largest accepted share (0..1) of rejected rows
	// per input; above it Read fails with ErrTooManyRejects. 0 means 0.05;
	// 1 accepts any share.
	MaxRejectShare float64 `mapstructure:"max_reject_share"`
	// MaxColumns is the most columns a survey file may have (header
	// cells; for JSON Lines, distinct keys). A wider file is an input
	// error wrapping ErrTooLarge. 0 means 32768 (Excel's limit is 16384).
	MaxColumns int `mapstructure:"max_columns"`
	// MaxFileBytes is the largest input file, in bytes on disk, and the
	// most an XLSX workbook may unpack to. A larger file is an input error
	// wrapping ErrTooLarge. 0 means 1 GiB.
	MaxFileBytes int64 `mapstructure:"max_file_bytes"`
	// DuplicateIDs says what to do with a respondent id seen before:
	// "reject" (default; the later row goes to the rejects with reason
	// "duplicate_id") or "warn" (both rows kept, a warning recorded).
	DuplicateIDs string `mapstructure:"duplicate_ids"`
}

// SurveyInput is one survey export.
type SurveyInput struct {
	// Path of the file: .csv, .tsv, .txt (delimited), .xlsx or .jsonl.
	Path string `mapstructure:"path"`
	// Format is "csv", "tsv", "xlsx" or "jsonl"; "" detects it from the
	// extension and the first bytes.
	Format string `mapstructure:"format"`
	// Encoding of text formats: "utf-8", "utf-8-bom", "utf-16le",
	// "utf-16be", "gb18030" or "gbk"; "" detects it (BOM, then UTF-8
	// validity, else GB18030).
	Encoding string `mapstructure:"encoding"`
	// Sheet of an XLSX workbook, by name or 1-based index; "" is the first.
	Sheet string `mapstructure:"sheet"`
	// HeaderRow is the 1-based row (CSV: record) holding the header; 0
	// detects it (first record for CSV/TSV, the first row filled like the
	// rest of the table for XLSX). Rows above the header are not counted.
	HeaderRow int `mapstructure:"header_row"`
	// Delimiter of CSV/TSV files, one character; "" detects it from the
	// header line among , tab ; and |.
	Delimiter string `mapstructure:"delimiter"`
	// IDColumn holds the respondent id; "" keys respondents by file:row.
	IDColumn string `mapstructure:"id_column"`
	// TextColumns are open-ended questions whose cells become text units.
	// Columns are named by header text, question number ("5", "Q5") or
	// regular expression ("/原因/"). Empty means detect.
	TextColumns []string `mapstructure:"text_columns"`
	// AttributeColumns are respondent attributes read as single choice.
	AttributeColumns []string `mapstructure:"attribute_columns"`
	// MultiColumns are multiple-choice questions (separator-joined or
	// one-hot columns sharing a question number).
	MultiColumns []string `mapstructure:"multi_columns"`
	// Separator of options in a multiple-choice cell; "" means "┋".
	Separator string `mapstructure:"separator"`
	// KeepPersonal keeps personal columns (来自IP, 姓名, 手机 …) as Meta
	// instead of dropping them.
	KeepPersonal bool `mapstructure:"keep_personal"`
	// WeightColumn, TruthColumn and CodesColumn are read as Meta questions
	// (never as text units); later stages look them up by header.
	WeightColumn string `mapstructure:"weight_column"`
	TruthColumn  string `mapstructure:"truth_column"`
	CodesColumn  string `mapstructure:"codes_column"`
}

// ReportInput is one report file, a folder (its .txt, .md and .docx files,
// not recursive) or a glob.
type ReportInput struct {
	Path     string `mapstructure:"path"`
	Encoding string `mapstructure:"encoding"` // as SurveyInput.Encoding
}

func (c *Config) maxField() int {
	if c.MaxFieldBytes <= 0 {
		return DefaultMaxFieldBytes
	}
	return c.MaxFieldBytes
}

func (c *Config) maxColumns() int {
	if c.MaxColumns <= 0 {
		return DefaultMaxColumns
	}
	return c.MaxColumns
}

func (c *Config) maxFileBytes() int64 {
	if c.MaxFileBytes <= 0 {
		return DefaultMaxFileBytes
	}
	return c.MaxFileBytes
}

func (c *Config) maxRejectShare() float64 {
	if c.MaxRejectShare <= 0 {
		return DefaultMaxRejectShare
	}
	return c.MaxRejectShare
}

var knownEncodings = map[string]bool{
	"": true, "utf-8": true, "utf8": true, "utf-8-bom": true, "utf-8-sig": true,
	"utf-16le": true, "utf-16be": true, "utf-16": true, "gb18030": true, "gbk": true, "gb2312": true,
}

var knownFormats = map[string]bool{"": true, "csv": true, "tsv": true, "xlsx": true, "jsonl": true}

// Validate checks the config alone, without touching files, and returns all
// problems joined, each naming its key path (e.g. "surveys[1].format: …").
// baseDir is unused by the checks and kept for symmetry with Read.
func (c *Config) Validate(baseDir string) error {
	var errs []error
	bad := func(key, format string, args ...any) {
		errs = append(errs, fmt.Errorf("%s: %s", key, fmt.Sprintf(format, args...)))
	}
	if len(c.Surveys) == 0 && len(c.Reports) == 0 {
		errs = append(errs, fmt.Errorf("surveys, reports: %w: give at least one survey or report", ErrNoInput))
	}
	if c.MaxFieldBytes < 0 {
		bad("max_field_bytes", "must be >= 0, got %d", c.MaxFieldBytes)
	}
	if c.MaxColumns < 0 {
		bad("max_columns", "must be >= 0, got %d", c.MaxColumns)
	}
	if c.MaxFileBytes < 0 {
		bad("max_file_bytes", "must be >= 0, got %d", c.MaxFileBytes)
	}
	if c.MaxRejectShare < 0 || c.MaxRejectShare > 1 {
		bad("max_reject_share", "must be in [0, 1], got %g", c.MaxRejectShare)
	}
	switch c.DuplicateIDs {
	case "", "reject", "warn":
	default:
		bad("duplicate_ids", `must be "reject" or "warn", got %q`, c.DuplicateIDs)
	}
	for i, s := range c.Surveys {
		key := fmt.Sprintf("surveys[%d]", i)
		if strings.TrimSpace(s.Path) == "" {
			bad(key+".path", "must not be empty")
		}
		if !knownFormats[strings.ToLower(s.Format)] {
			bad(key+".format", `must be "csv", "tsv", "xlsx" or "jsonl", got %q`, s.Format)
		}
		if !knownEncodings[strings.ToLower(s.Encoding)] {
			bad(key+".encoding", "unknown encoding %q (want utf-8, utf-8-bom, utf-16le, utf-16be, gb18030 or gbk)", s.Encoding)
		}
		if s.HeaderRow < 0 {
			bad(key+".header_row", "must be >= 0, got %d", s.HeaderRow)
		}
		if d := []rune(s.Delimiter); len(d) > 1 || (len(d) == 1 && (d[0] == '"' || d[0] == '\n' || d[0] == '\r')) {
			bad(key+".delimiter", "must be one character other than quote or newline, got %q", s.Delimiter)
		}
		if s.Separator != "" && strings.TrimSpace(s.Separator) == "" {
			bad(key+".separator", "must not be blank, got %q", s.Separator)
		}
		lists := []struct {
			name string
			cols []string
		}{{"text_columns", s.TextColumns}, {"attribute_columns", s.AttributeColumns}, {"multi_columns", s.MultiColumns},
			{"id_column", []string{s.IDColumn}}, {"weight_column", []string{s.WeightColumn}},
			{"truth_column", []string{s.TruthColumn}}, {"codes_column", []string{s.CodesColumn}}}
		for _, l := range lists {
			for j, col := range l.cols {
				k := fmt.Sprintf("%s.%s[%d]", key, l.name, j)
				if len(l.cols) == 1 && strings.HasSuffix(l.name, "_column") {
					k = key + "." + l.name
				}
				if strings.HasSuffix(l.name, "s") && strings.TrimSpace(col) == "" {
					bad(k, "must not be empty")
				}
				if re, ok := columnRegexp(col); ok {
					if _, err := regexp.Compile(re); err != nil {
						bad(k, "bad regular expression %q: %v", col, err)
					}
				}
			}
		}
	}
	for i, r := range c.Reports {
		key := fmt.Sprintf("reports[%d]", i)
		if strings.TrimSpace(r.Path) == "" {
			bad(key+".path", "must not be empty")
		}
		if _, err := filepath.Match(r.Path, ""); err != nil {
			bad(key+".path", "bad glob %q: %v", r.Path, err)
		}
		if !knownEncodings[strings.ToLower(r.Encoding)] {
			bad(key+".encoding", "unknown encoding %q (want utf-8, utf-8-bom, utf-16le, utf-16be, gb18030 or gbk)", r.Encoding)
		}
	}
	return joinLimited(errs)
}

// columnRegexp reports whether a column spec is a /regex/ and returns the
// expression between the slashes.
func columnRegexp(spec string) (string, bool) {
	if len(spec) >= 2 && strings.HasPrefix(spec, "/") && strings.HasSuffix(spec, "/") {
		return spec[1 : len(spec)-1], true
	}
	return "", false
}

// resolvePath joins p to baseDir when baseDir is non-empty and p relative.
func resolvePath(baseDir, p string) string {
	if baseDir == "" || filepath.IsAbs(p) {
		return p
	}
	return filepath.Join(baseDir, p)
}

// joinLimited joins up to 20 errors and summarises the rest.
func joinLimited(errs []error) error {
	const limit = 20
	if len(errs) > limit {
		more := len(errs) - limit
		errs = append(errs[:limit:limit], fmt.Errorf("... and %d more", more))
	}
	return errors.Join(errs...)
}

// statInput reports a missing input as an error wrapping ErrNoInput.
func statInput(key, path string) error {
	if _, err := os.Stat(path); err != nil {
		return fmt.Errorf("%s: %w: %v", key, ErrNoInput, err)
	}
	return nil
}
