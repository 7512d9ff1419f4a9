package ingest

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"slices"
	"strconv"
	"strings"
	"testing"
	"unicode/utf16"
	"unicode/utf8"

	"golang.org/x/text/encoding/simplifiedchinese"

	"surveymine/pipeline/corpus"
)

func TestParseRecord(t *testing.T) {
	tests := []struct {
		name     string
		in       string
		fields   []string
		complete bool
		bad      bool
	}{
		{"plain", "a,b,c\n", []string{"a", "b", "c"}, true, false},
		{"crlf", "a,b\r\n", []string{"a", "b"}, true, false},
		{"quoted comma and newline", "\"a,1\",\"x\ny\"\n", []string{"a,1", "x\ny"}, true, false},
		{"escaped quote", `"他说""好""",b`, []string{`他说"好"`, "b"}, true, false},
		{"open quote", "\"abc,def\n", nil, false, false},
		{"text after closing quote", `"a"b,c`, []string{"ab", "c"}, true, true},
		{"quote inside unquoted field kept", `a"b,c`, []string{`a"b`, "c"}, true, false},
		{"empty fields", ",,\n", []string{"", "", ""}, true, false},
		{"chinese", "机关,处级\n", []string{"机关", "处级"}, true, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			fields, complete, bad := parseRecord(tc.in, ',')
			if !slices.Equal(fields, tc.fields) || complete != tc.complete || (bad != "") != tc.bad {
				t.Errorf("parseRecord(%q) = %q, %v, %q; want %q, %v, bad %v", tc.in, fields, complete, bad, tc.fields, tc.complete, tc.bad)
			}
		})
	}
}

// rejectReasons returns "row:reason" for each reject.
func rejectReasons(c *corpus.Corpus) []string {
	var out []string
	for _, r := range c.Rejects {
		out = append(out, fmt.Sprintf("%d:%s", r.Src.Row, r.Reason))
	}
	return out
}

func TestCSVRejects(t *testing.T) {
	long := strings.Repeat("长", 40) // 120 bytes
	tests := []struct {
		name     string
		data     string
		accepted []int // rows of accepted respondents
		rejects  []string
	}{
		{"clean", "id,2、职级\n1,处级\n2,局级\n", []int{2, 3}, nil},
		{"ragged short and long", "id,2、职级\n1,处级\n2\n3,局级,x\n4,处级,\n", []int{2, 5}, []string{"3:ragged_row", "4:ragged_row"}},
		{"unterminated quote recovers", "id,2、职级\n1,\"处级\n2,局级\n3,科级\n", []int{3, 4}, []string{"2:unterminated_quote"}},
		{"multi-line quoted field", "id,6、意见\n1,\"第一句\n第二句\"\n2,好\n", []int{2, 4}, nil},
		{"bad utf-8 bytes", "id,2、职级\n1,处级\n2,\xff\xfe局\n3,科级\n", []int{2, 4}, []string{"3:bad_encoding"}},
		{"field too long", "id,6、意见\n1," + long + "\n2,好\n", []int{3}, []string{"2:field_too_long"}},
		{"text after quote", "id,2、职级\n1,\"处\"级\n2,局级\n", []int{3}, []string{"2:bad_quote"}},
		{"blank lines skipped", "id,2、职级\n\n1,处级\n\n\n2,局级\n", []int{3, 6}, nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			p := writeFile(t, "s.csv", []byte(tc.data))
			c, err := Read(context.Background(), Config{Surveys: []SurveyInput{{Path: p, Encoding: "utf-8"}}, MaxRejectShare: 1, MaxFieldBytes: 100}, "")
			if err != nil {
				t.Fatalf("Read error: %v", err)
			}
			checkInvariants(t, c)
			var rows []int
			for _, r := range c.Respondents.All() {
				rows = append(rows, r.Src.Row)
			}
			if !slices.Equal(rows, tc.accepted) {
				t.Errorf("accepted rows = %v, want %v", rows, tc.accepted)
			}
			if got := rejectReasons(c); !slices.Equal(got, tc.rejects) {
				t.Errorf("rejects = %q, want %q", got, tc.rejects)
			}
			for _, r := range c.Rejects {
				raw, err := strconv.Unquote(r.Raw)
				if err != nil || raw == "" || r.Src.File != p || r.Detail == "" {
					t.Errorf("reject %+v: want unquotable non-empty Raw, file and detail", r)
				}
			}
			st := c.Inputs[0]
			if st.Read != len(tc.accepted)+len(tc.rejects) {
				t.Errorf("Read = %d, want %d", st.Read, len(tc.accepted)+len(tc.rejects))
			}
		})
	}
}

func TestRejectRawKeepsBytes(t *testing.T) {
	p := writeFile(t, "s.csv", []byte("id,2、职级\n1,\xff处级\n"))
	c := readOne(t, SurveyInput{Path: p, Encoding: "utf-8"})
	if len(c.Rejects) != 1 {
		t.Fatalf("got %d rejects, want 1", len(c.Rejects))
	}
	if got, want := c.Rejects[0].Raw, strconv.Quote("1,\xff处级\n"); got != want {
		t.Errorf("Raw = %s, want %s", got, want)
	}
}

func utf16Bytes(s string, bigEndian bool) []byte {
	var b []byte
	if bigEndian {
		b = append(b, 0xFE, 0xFF)
	} else {
		b = append(b, 0xFF, 0xFE)
	}
	for _, u := range utf16.Encode([]rune(s)) {
		if bigEndian {
			b = append(b, byte(u>>8), byte(u))
		} else {
			b = append(b, byte(u), byte(u>>8))
		}
	}
	return b
}

func TestEncodings(t *testing.T) {
	const text = "序号\t1、单位\t6、请谈谈原因\n1\t机关\t考核不科学，𠮷字也要读对\n2\t直属单位\t(跳过)\n"
	gb, err := simplifiedchinese.GB18030.NewEncoder().String(strings.ReplaceAll(text, "\t", ","))
	if err != nil {
		t.Fatal(err)
	}
	gbk, err := simplifiedchinese.GBK.NewEncoder().String(strings.ReplaceAll(strings.ReplaceAll(text, "\t", ","), "𠮷", "吉"))
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name, file, enc string
		data            []byte
		wantEnc         string
		wantText        string
	}{
		{"utf-8", "a.csv", "", []byte(strings.ReplaceAll(text, "\t", ",")), "utf-8", "考核不科学，𠮷字也要读对"},
		{"utf-8 bom", "a.csv", "", append([]byte("\xEF\xBB\xBF"), strings.ReplaceAll(text, "\t", ",")...), "utf-8-bom", "考核不科学，𠮷字也要读对"},
		{"utf-16le bom tsv", "a.txt", "", utf16Bytes(text, false), "utf-16le", "考核不科学，𠮷字也要读对"},
		{"utf-16be bom tsv", "a.tsv", "", utf16Bytes(text, true), "utf-16be", "考核不科学，𠮷字也要读对"},
		{"gb18030 detected", "a.csv", "", []byte(gb), "gb18030", "考核不科学，𠮷字也要读对"},
		{"gbk configured", "a.csv", "gbk", []byte(gbk), "gbk", "考核不科学，吉字也要读对"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			p := writeFile(t, tc.file, tc.data)
			c := readOne(t, SurveyInput{Path: p, Encoding: tc.enc})
			if got := c.Inputs[0].Encoding; got != tc.wantEnc {
				t.Errorf("encoding = %q, want %q", got, tc.wantEnc)
			}
			if len(c.Rejects) != 0 {
				t.Fatalf("rejects = %+v, want none", c.Rejects)
			}
			if c.Units.Len() != 2 {
				t.Fatalf("got %d units, want 2", c.Units.Len())
			}
			if got := c.Units.Text(0); got != tc.wantText {
				t.Errorf("unit text = %q, want %q", got, tc.wantText)
			}
			if got := c.Units.At(1).Missing; got != corpus.Skipped {
				t.Errorf("row 3 missing = %s, want skipped", got)
			}
			if got := c.Questions[0].ID; got != "序号" {
				t.Errorf("first question %q, want 序号 (BOM stripped)", got)
			}
		})
	}
}

func TestBadEncodingRows(t *testing.T) {
	good, _ := simplifiedchinese.GB18030.NewEncoder().String("序号,1、单位\n1,机关\n")
	tests := []struct {
		name string
		enc  string
		data []byte
		want []string
	}{
		// 0x81 0x20 is a lead byte followed by an invalid trail byte.
		{"gb18030 invalid pair", "gb18030", []byte(good + "2,\x81\x20单\n3,x\n"), []string{"3:bad_encoding"}},
		{"utf-16le lone surrogate", "", append(utf16Bytes("序号,1、单位\n1,机关\n", false), 0x00, 0xD8, '2', 0, '\n', 0), []string{"3:bad_encoding"}},
		{"utf-8 configured on gb bytes", "utf-8", []byte(good), []string{"1:header"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			p := writeFile(t, "b.csv", tc.data)
			c, err := Read(context.Background(), Config{Surveys: []SurveyInput{{Path: p, Encoding: tc.enc}}, MaxRejectShare: 1}, "")
			if tc.want[0] == "1:header" {
				var ie *corpus.InputError
				if !errors.As(err, &ie) || ie.Src.Row != 1 {
					t.Fatalf("Read error = %v, want *InputError at row 1", err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			checkInvariants(t, c)
			if got := rejectReasons(c); !slices.Equal(got, tc.want) {
				t.Errorf("rejects = %q, want %q", got, tc.want)
			}
		})
	}
}

func TestDetectDelimiter(t *testing.T) {
	tests := []struct {
		line string
		want rune
	}{
		{"a,b,c", ','}, {"a\tb\tc", '\t'}, {"a;b;c", ';'}, {"a|b|c", '|'},
		{`"a,b";c;d`, ';'}, {"abc", ','},
	}
	for _, tc := range tests {
		if got := detectDelimiter([][]byte{[]byte(tc.line)}, encUTF8); got != tc.want {
			t.Errorf("detectDelimiter(%q) = %q, want %q", tc.line, got, tc.want)
		}
	}
}

func TestQuoteOpenAfter(t *testing.T) {
	tests := []struct {
		line  string
		delim rune
		open  bool
		want  bool
	}{
		{"a,b\n", ',', false, false},
		{"a,\"b\n", ',', false, true},
		{"a,\"b\"\"\n", ',', false, true},
		{"x\"\n", ',', true, false},
		{"x\"\",y\n", ',', true, true},
		{"x\"", ',', true, false},
		{"a\"b,c\n", ',', false, false},
		{"甲；\"乙\n", '；', false, true},
		{"甲；丙\"乙\n", '；', false, false},
	}
	for _, tc := range tests {
		if got := quoteOpenAfter(tc.line, tc.delim, tc.open); got != tc.want {
			t.Errorf("quoteOpenAfter(%q, %q, %v) = %v, want %v", tc.line, tc.delim, tc.open, got, tc.want)
		}
		// It must agree with parseRecord on complete records.
		if !tc.open {
			_, complete, _ := parseRecord(tc.line, tc.delim)
			if complete == tc.want {
				t.Errorf("parseRecord(%q) complete = %v, want %v", tc.line, complete, !tc.want)
			}
		}
	}
}

// parseRecordRunes is parseRecord as it was first written, building
// every field rune by rune; FuzzParseRecord compares the two. It splits text, the decoded lines of one record with their
// terminators, into fields (RFC 4180 with "" escapes inside quotes). A
// quote inside an unquoted field is kept literally. complete is false when
// a quoted field is still open at the end of text; bad describes a
// character after a closing quote that is neither the delimiter nor the
// line end.
func parseRecordRunes(text string, delim rune) (fields []string, complete bool, bad string) {
	text = strings.TrimSuffix(text, "\n")
	fields = make([]string, 0, strings.Count(text, string(delim))+1)
	var f strings.Builder
	fieldStart, inQuotes, afterQuote := true, false, false
	for i := 0; i < len(text); {
		c, size := utf8.DecodeRuneInString(text[i:])
		i += size
		switch {
		case inQuotes:
			if c == '"' {
				if i < len(text) && text[i] == '"' {
					f.WriteByte('"')
					i++
				} else {
					inQuotes, afterQuote = false, true
				}
				continue
			}
			f.WriteRune(c)
		case c == delim:
			fields = append(fields, f.String())
			f.Reset()
			fieldStart, afterQuote = true, false
		case afterQuote:
			if c == '\r' && i == len(text) {
				continue
			}
			if bad == "" {
				bad = fmt.Sprintf("field %d: %q after closing quote", len(fields)+1, c)
			}
			f.WriteRune(c)
		case fieldStart && c == '"':
			inQuotes, fieldStart = true, false
		default:
			fieldStart = false
			if c == '\r' && i == len(text) {
				continue
			}
			f.WriteRune(c)
		}
	}
	if inQuotes {
		return nil, false, ""
	}
	fields = append(fields, f.String())
	return fields, true, bad
}

// FuzzParseRecord checks parseRecord, which cuts fields out of the text,
// against parseRecordRunes, which builds them rune by rune.
func FuzzParseRecord(f *testing.F) {
	for _, s := range []string{"a,b,c\n", "a,b\r\n", "\"a,1\",\"x\ny\"\n", `"他说""好""",b`, "\"abc,def\n",
		`"a"b,c`, `a"b,c`, ",,\n", "机关,处级\n", "a\xffb,\"\xfe\"", "\"a\"\r", "a\r", "\"\"\"\"", "1\t2\r\n"} {
		f.Add(s, false)
		f.Add(s, true)
	}
	f.Fuzz(func(t *testing.T, text string, tab bool) {
		delim := ','
		if tab {
			delim = '\t'
		}
		fields, complete, bad := parseRecord(text, delim)
		wantFields, wantComplete, wantBad := parseRecordRunes(text, delim)
		if !slices.Equal(fields, wantFields) || complete != wantComplete || bad != wantBad {
			t.Errorf("parseRecord(%q) = %q, %v, %q; parseRecordRunes gives %q, %v, %q", text, fields, complete, bad, wantFields, wantComplete, wantBad)
		}
	})
}

// TestParseRecordStretches checks that parseRecord, which takes the runs
// between quotes and delimiters at once, splits random records exactly as
// the rune-by-rune reference parseRecordRunes does (FuzzParseRecord
// explores further): quotes, "" escapes, text after a
// closing quote, \r in and at the end of fields, invalid bytes, U+FFFD,
// and a non-ASCII delimiter.
func TestParseRecordStretches(t *testing.T) {
	alphabet := []string{",", ",", "\"", "\"", "\r", "\n", "a", "党建", "\xff", "\xe5\x85", "\uFFFD", "\t", "；", " "}
	rng := rand.New(rand.NewPCG(3, 4))
	for n := range 300000 {
		var b strings.Builder
		for range rng.IntN(14) {
			b.WriteString(alphabet[rng.IntN(len(alphabet))])
		}
		text := b.String()
		for _, delim := range []rune{',', '\t', '；'} {
			gf, gc, gb := parseRecord(text, delim)
			wf, wc, wb := parseRecordRunes(text, delim)
			if gc != wc || gb != wb || !slices.Equal(gf, wf) {
				t.Fatalf("case %d, delim %q, text %q:\n got %q %v %q\nwant %q %v %q", n, delim, text, gf, gc, gb, wf, wc, wb)
			}
		}
	}
}
