// Package corpus is the typed corpus that ingest produces and every later
// stage reads: respondents with their answers, text units with exact
// provenance, rejected rows and quantitative claims found in reports.
//
// The corpus is built once by ingest and then only read. Ingest shares
// slices between equal values (Answer.Chosen, Source.Heading): copy one
// before changing it.
package corpus

import (
	"fmt"
	"slices"
	"strings"

	"surveymine/internal/spill"
)

// Source is where a row or text unit came from.
//
// Survey units fill File, Sheet (XLSX only), Row and Column. Report units
// fill File, Article, Heading, Paragraph and the character span
// [Start, End) of the unit within its paragraph, counted in runes.
type Source struct {
	File      string   // input path as named in the config, slash-separated
	Sheet     string   // XLSX sheet name; "" for other formats
	Row       int      // 1-based line/row number counting the header row; 0 for reports
	Column    string   // header text of the column; "" when the whole row is meant
	Article   int      // 1-based article number within a compilation; 0 for surveys
	Heading   []string // heading path, outermost first, e.g. ["三、原因分析", "(一)思想认识"]
	Paragraph int      // 1-based paragraph number within the file; 0 for surveys
	Start     int      // rune offset of the unit in its paragraph
	End       int      // rune offset one past the unit's end
}

// String renders the location like a compiler message:
// "wave3.csv:17", "wave3.xlsx[Sheet1]:17", "report.txt:¶12".
func (s Source) String() string {
	var b strings.Builder
	b.WriteString(s.File)
	if s.Sheet != "" {
		fmt.Fprintf(&b, "[%s]", s.Sheet)
	}
	switch {
	case s.Row > 0:
		fmt.Fprintf(&b, ":%d", s.Row)
	case s.Paragraph > 0:
		fmt.Fprintf(&b, ":¶%d", s.Paragraph)
	}
	return b.String()
}

// InputError is a problem with user data, located precisely enough for the
// user to find it: `wave3.csv:17: column "age": "abc" is not an integer`.
type InputError struct {
	Src    Source
	Column string // header name; "" if the whole row is bad
	Err    error
}

func (e *InputError) Error() string {
	if e.Column != "" {
		return fmt.Sprintf("%s: column %q: %v", e.Src, e.Column, e.Err)
	}
	return fmt.Sprintf("%s: %v", e.Src, e.Err)
}

func (e *InputError) Unwrap() error { return e.Err }

// Missing says why a survey cell holds no answer. The kinds stay distinct
// all the way to the cross-tabs.
type Missing uint8

// The kinds of missing answers.
const (
	Answered   Missing = iota // a real answer
	Skipped                   // "(跳过)": not shown to the respondent by the survey logic
	LeftEmpty                 // "(空)": shown and left empty
	Unanswered                // the cell is blank
)

var missingNames = [...]string{"answered", "skipped", "empty", "unanswered"}

// String returns "answered", "skipped", "empty" or "unanswered".
func (m Missing) String() string {
	if int(m) < len(missingNames) {
		return missingNames[m]
	}
	return "unknown"
}

// QuestionKind tells how a question's answers are used.
type QuestionKind uint8

// The kinds of survey columns.
const (
	Meta     QuestionKind = iota // 序号, 提交答卷时间, 所用时间, 来源 …
	Single                       // single choice (also used for attributes)
	Multi                        // multiple choice, options joined with ┋ or one-hot
	OpenText                     // open-ended answer, becomes text units
)

var kindNames = [...]string{"meta", "single", "multi", "text"}

// String returns "meta", "single", "multi" or "text".
func (k QuestionKind) String() string {
	if int(k) < len(kindNames) {
		return kindNames[k]
	}
	return "unknown"
}

// Question is one survey column (or, for one-hot layouts, a group of columns
// folded into one multiple-choice question).
type Question struct {
	ID      string       // "Q3" from headers like "3、…", "3.…", "Q3…"; else the header text
	Header  string       // header text as exported, normalised
	Kind    QuestionKind //
	Options []string     // choice options in first-seen order (Single, Multi)
}

// Answer is one respondent's answer to one question. A survey holds one
// per respondent and question (a million respondents of thirteen
// questions: thirteen million), so it is 12 bytes without pointers: its
// value and its chosen options are codes into the corpus's AnswerPool,
// where equal values of a column share one entry. Read them with
// Corpus.Value and Corpus.Options.
type Answer struct {
	Missing Missing // Answered when the respondent gave an answer
	value   uint32  // pool code of the normalised cell text; 0 is ""
	options uint32  // pool code of the chosen options (Multi); 0 is none
}

// MakeAnswer returns an answer with the given missing state, value code
// and options code, both codes returned by the corpus's AnswerPool.
func MakeAnswer(m Missing, value, options uint32) Answer {
	return Answer{Missing: m, value: value, options: options}
}

// ValueCode returns the pool code of a's value: equal codes are equal
// values, and for the answers that ingest interns (choices, attributes,
// short texts) equal values of one question have equal codes.
func (a Answer) ValueCode() uint32 { return a.value }

// AnswerPool holds the values and option lists that answers refer to.
// Code 0 is the empty value and the empty option list; the zero pool is
// ready. It does not look values up: a caller that wants equal values to
// share an entry keeps their code (ingest does, per question).
//
// Values are copied into the pool's store and named by references
// without pointers (see Units), so that with an arena (Corpus.UseArena)
// the millions of distinct answers of a large survey are not in the heap.
type AnswerPool struct {
	arena   *spill.Arena
	text    Store
	values  []ref      // value of code i+1
	options [][]string // option list of code i+1
}

// AddValue stores a copy of v and returns its code.
func (p *AnswerPool) AddValue(v string) uint32 {
	if v == "" {
		return 0
	}
	if len(p.values) == cap(p.values) {
		values := spill.Slice[ref](p.arena, max(2*cap(p.values), 1024))[:len(p.values)]
		copy(values, p.values)
		p.values = values
	}
	p.values = append(p.values, p.text.ref(v))
	return uint32(len(p.values))
}

// AddOptions stores opts (not copied) and returns its code.
func (p *AnswerPool) AddOptions(opts []string) uint32 {
	if len(opts) == 0 {
		return 0
	}
	p.options = append(p.options, opts)
	return uint32(len(p.options))
}

// Value returns the value of code.
func (p *AnswerPool) Value(code uint32) string {
	if code == 0 {
		return ""
	}
	return p.text.str(p.values[code-1])
}

// Values returns the number of value codes (the largest code).
func (p *AnswerPool) Values() int { return len(p.values) }

// ReplaceValue makes v the value of code, for every answer that holds it
// (used to mask personal information once per distinct value).
func (p *AnswerPool) ReplaceValue(code uint32, v string) {
	if code > 0 && v != p.Value(code) {
		p.values[code-1] = p.text.ref(v)
	}
}

// Options returns the option list of code; nil for none.
func (p *AnswerPool) Options(code uint32) []string {
	if code == 0 {
		return nil
	}
	return p.options[code-1]
}

// Value returns a's normalised cell text (for Multi: the chosen options
// joined as exported).
func (c *Corpus) Value(a Answer) string { return c.Pool.Value(a.value) }

// Options returns a's chosen options (Multi), in the order given; nil for
// none.
func (c *Corpus) Options(a Answer) []string { return c.Pool.Options(a.options) }

// SetOptions makes opts the chosen options of a (nil or empty: none),
// adding them to the pool unless a holds them already.
func (c *Corpus) SetOptions(a *Answer, opts []string) {
	if !slices.Equal(c.Options(*a), opts) {
		a.options = c.Pool.AddOptions(opts)
	}
}

// Respondent is one accepted survey row.
type Respondent struct {
	Key     string    // unique key: the configured id, else "<file>:<row>"
	ID      string    // value of the id column; "" when none is configured
	Src     RowSource // file, sheet and row
	Answers []Answer  // parallel to Corpus.Questions
}

// RowSource is where a survey row was read: the part of a Source a row
// has, in 40 bytes instead of 112 (one per respondent).
type RowSource struct {
	File  string // input path as named in the config, slash-separated
	Sheet string // XLSX sheet name; "" for other formats
	Row   int    // 1-based line/row number counting the header row
}

// Source returns s as a Source.
func (s RowSource) Source() Source { return Source{File: s.File, Sheet: s.Sheet, Row: s.Row} }

// String renders the location like Source.String: "wave3.csv:17".
func (s RowSource) String() string { return s.Source().String() }

// UnitKind says what a text unit is.
type UnitKind uint8

// The kinds of text units.
const (
	OpenAnswer      UnitKind = iota // an open-ended survey answer (one cell)
	OtherText                       // free text from 其他〖…〗 in a choice question
	ReportParagraph                 // a report paragraph
	ReportSentence                  // a report sentence
	ReportPoint                     // an enumerated point in a report (一是…, 首先…)
)

var unitKindNames = [...]string{"answer", "other_text", "paragraph", "sentence", "point"}

// String returns the unit kind as written in outputs.
func (k UnitKind) String() string {
	if int(k) < len(unitKindNames) {
		return unitKindNames[k]
	}
	return "unknown"
}

// Unit is one piece of text to analyse, with where it came from.
type Unit struct {
	ID         string   // stable id, unique in the corpus (e.g. "survey.csv:17:Q5")
	Question   string   // question id for survey units; "" for reports
	Src        Source   //
	Raw        string   // text as read, before normalisation
	Text       string   // normalised text that every later stage analyses
	Respondent int      // index into Corpus.Respondents; -1 for report units
	Kind       UnitKind // (beside the other small fields: a million units, no padding)
	Missing    Missing  // why an answer unit is empty; Answered otherwise
	InCauses   bool     // report unit under a heading about causes (原因/成因/根源 …)
}

// Reject is an input row that could not be accepted, kept with its reason.
type Reject struct {
	Src    Source
	Reason string // short, stable reason code: "ragged_row", "bad_encoding", …
	Detail string // human-readable explanation
	Raw    string // the raw bytes of the row, escaped with strconv.Quote rules
}

// Claim is a quantitative statement found in a report, such as
// `有24%的人认为…` or `有xx人认为“…”，占xx.x%`.
type Claim struct {
	Src         Source
	Text        string  // the sentence that makes the claim
	Claimed     string  // what was claimed (the quoted option or statement)
	Count       int     // respondents named; -1 when absent or a placeholder
	Percent     float64 // share in percent; NaN when absent or a placeholder
	Placeholder bool    // the figure is a placeholder such as x, xx, XX.X
}

// InputStats accounts for one input file: rows read = accepted + rejected.
type InputStats struct {
	File     string
	Format   string // csv, tsv, xlsx, jsonl, txt, md, docx
	Encoding string // detected or configured encoding
	SHA256   string // hex digest of the file's bytes
	Bytes    int64
	Read     int // data rows (surveys) or paragraphs (reports) read
	Accepted int
	Rejected int
}

// Corpus is everything ingest read.
type Corpus struct {
	Questions   []Question
	Respondents Respondents
	Units       Units
	Rejects     []Reject
	Claims      []Claim
	Inputs      []InputStats
	Warnings    []string   // e.g. duplicate respondent ids when configured to warn
	Pool        AnswerPool // the values and option lists of the respondents' answers
}

// UseArena makes c keep its text units, respondents and answer values in a (see
// package spill). Call it before anything is added.
func (c *Corpus) UseArena(a *spill.Arena) {
	c.Units.UseArena(a)
	c.Respondents.UseArena(a)
	c.Pool.arena, c.Pool.text.arena = a, a
}

// Question returns the index of the question with the given id, or -1.
func (c *Corpus) Question(id string) int {
	for i, q := range c.Questions {
		if q.ID == id {
			return i
		}
	}
	return -1
}
