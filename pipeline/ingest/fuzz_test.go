package ingest

import (
	"context"
	"reflect"
	"strings"
	"testing"
	"unicode/utf8"

	"surveymine/pipeline/corpus"

	"golang.org/x/text/encoding/simplifiedchinese"
)

// fuzzRead reads data as a file named name, the way Read does but without
// touching the disk; it fails on any error that is not ours and on broken
// invariants.
func fuzzRead(t *testing.T, name string, data []byte, survey bool) {
	cfg := Config{MaxRejectShare: 1, MaxFieldBytes: 4096}
	c := &corpus.Corpus{}
	var err error
	if survey {
		in := SurveyInput{Path: name}
		var tab *table
		var st corpus.InputStats
		tab, st, err = parseSurvey(data, name, name, in, &cfg, false)
		if err == nil {
			b := &builder{cfg: &cfg, c: c, keys: map[string]int{}}
			err = b.addTable(in, "surveys[0]", tab, &st)
			c.Inputs = append(c.Inputs, st)
		}
	} else {
		var st corpus.InputStats
		st, err = parseReport(c, data, name, name, "")
		c.Inputs = append(c.Inputs, st)
	}
	if !isOurError(err) {
		t.Fatalf("read error %T %v, want *corpus.InputError or a sentinel", err, err)
	}
	if err == nil {
		checkInvariants(t, c)
	}
}

// TestFuzzReadMatchesRead checks that fuzzRead's path is Read's path.
func TestFuzzReadMatchesRead(t *testing.T) {
	p := writeFile(t, "f.csv", []byte(wjxMulti))
	want, err := Read(context.Background(), Config{Surveys: []SurveyInput{{Path: p}}, MaxFieldBytes: 4096}, "")
	if err != nil {
		t.Fatal(err)
	}
	cfg := Config{MaxFieldBytes: 4096}
	tab, st, err := parseSurvey([]byte(wjxMulti), p, p, SurveyInput{Path: p}, &cfg, false)
	if err != nil {
		t.Fatal(err)
	}
	c := &corpus.Corpus{}
	b := &builder{cfg: &cfg, c: c, keys: map[string]int{}}
	if err := b.addTable(SurveyInput{Path: p}, "surveys[0]", tab, &st); err != nil {
		t.Fatal(err)
	}
	c.Inputs = append(c.Inputs, st)
	if !reflect.DeepEqual(c, want) {
		t.Errorf("parseSurvey+addTable = %+v, want Read's %+v", c, want)
	}
}

func FuzzReadCSV(f *testing.F) {
	gb, _ := simplifiedchinese.GB18030.NewEncoder().String(wjxMulti)
	for _, s := range []string{
		wjxMulti, wjxOneHot, gb, string(utf16Bytes(wjxMulti, false)), string(utf16Bytes(wjxMulti, true)),
		"\xEF\xBB\xBFid,2、职级\n1,\"处级\n2,局级\n", "id,6、意见\n1,\"第一句\n第二句\"\n2,\"好\"x\n",
		"a\tb\n1\t2\n", "", "\n\n", "\"", "序号,3(a),3(b)\n1,1,0\n2,(跳过),其他〖x〗\n",
	} {
		f.Add([]byte(s))
	}
	for _, s := range hostileSurveys() {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		fuzzRead(t, "f.csv", data, true)
		// The incremental quote scan agrees with the full parser on one
		// line (the reader only appends lines while a quote is open).
		if text := string(data); utf8.ValidString(text) && !strings.Contains(strings.TrimSuffix(text, "\n"), "\n") {
			_, complete, _ := parseRecord(text, ',')
			if open := quoteOpenAfter(text, ',', false); open == complete {
				t.Errorf("quoteOpenAfter(%q) = %v but parseRecord complete = %v", text, open, complete)
			}
		}
	})
}

func FuzzReadJSONL(f *testing.F) {
	for _, s := range []string{
		`{"序号": 1, "5、原因（多选）": ["a", "b"], "6、请谈谈": "考核"}` + "\n" + `{"序号": 2, "x": null}`,
		`[1]`, `{"a":1} {"b":2}`, "{\"a\": \"\xff\"}", `{"a":{"b":[1,{}]}}`, "",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) { fuzzRead(t, "f.jsonl", data, true) })
}

func FuzzReadXLSX(f *testing.F) {
	f.Add(sampleXLSX(f))
	f.Add(xlsxBytes(f, []string{"S"}, map[string][][]any{"S": {{"序号", "3(a)", "3(b)"}, {1, 1, 0}}}))
	f.Add([]byte("PK\x03\x04garbage"))
	f.Add([]byte("\xD0\xCF\x11\xE0"))
	f.Fuzz(func(t *testing.T, data []byte) { fuzzRead(t, "f.xlsx", data, true) })
}

func FuzzReadDocx(f *testing.F) {
	f.Add(docxBytes(f, map[string]string{"1": "heading 1"}, [][2]string{{"1", "一、原因"}, {"", "一是思想；二是能力。有xx人认为“好”，占x%"}}))
	f.Add(docxBytes(f, nil, nil))
	f.Add([]byte("PK\x03\x04garbage"))
	f.Fuzz(func(t *testing.T, data []byte) { fuzzRead(t, "f.docx", data, false) })
}

func FuzzReadText(f *testing.F) {
	for _, s := range []string{"第一篇:甲\n一、原因\n一是思想。有24%的人认为好。\n", "# a\n\n- 首先，x；其次，y\n", "\xff\xfe\x00",
		strings.Repeat("一是加强理论学习，有24%的人认为好", 2000), "\ufeff三、原因\r\n二是😀𠀀。\r\n", strings.Repeat("短\n", 5000)} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) { fuzzRead(t, "f.txt", data, false) })
}
