package ingest

import (
	"context"
	"errors"
	"strings"
	"testing"

	"surveymine/pipeline/corpus"
)

// TestReadersCancelled parses every input kind with a live context (it
// must work) and with a cancelled one: the reader's own loop must then
// stop with context.Canceled, not wrapped in an *InputError (which the CLI
// would report as invalid data rather than an interruption).
func TestReadersCancelled(t *testing.T) {
	csv := "序号,1、您的职级：,6、请谈谈您的看法：\n1,处级,考核不科学\n2,科级,制度不完善\n"
	surveys := []struct {
		name string
		data []byte
	}{
		{"s.csv", []byte(csv)},
		{"s.tsv", []byte(strings.ReplaceAll(csv, ",", "\t"))},
		{"s.jsonl", []byte(`{"序号":1,"6、请谈谈您的看法：":"考核不科学"}` + "\n" + `{"序号":2,"6、请谈谈您的看法：":"制度不完善"}` + "\n")},
		{"s.xlsx", sampleXLSX(t)},
	}
	reports := []struct {
		name string
		data []byte
	}{
		{"r.txt", []byte("一、问题\n两张皮问题突出。\n二、原因\n考核不科学。\n")},
		{"r.md", []byte("# 问题\n\n两张皮问题突出。\n\n# 原因\n\n考核不科学。\n")},
		{"r.docx", docxBytes(t, map[string]string{"1": "heading 1"}, [][2]string{{"1", "问题"}, {"", "两张皮问题突出。"}})},
	}
	cancelled, cancel := context.WithCancel(context.Background())
	cancel()
	var ie *corpus.InputError
	cfg := Config{MaxRejectShare: 1}
	for _, s := range surveys {
		t.Run(s.name, func(t *testing.T) {
			in := SurveyInput{Path: s.name}
			if _, _, err := parseSurveyContext(context.Background(), s.data, s.name, s.name, in, &cfg, false); err != nil {
				t.Fatalf("parse with a live context: %v", err)
			}
			_, _, err := parseSurveyContext(cancelled, s.data, s.name, s.name, in, &cfg, false)
			if !errors.Is(err, context.Canceled) || errors.As(err, &ie) {
				t.Errorf("parse with a cancelled context = %v, want context.Canceled alone", err)
			}
			// Building respondents from the parsed table stops too.
			tab, st, err := parseSurvey(s.data, s.name, s.name, in, &cfg, false)
			if err != nil {
				t.Fatal(err)
			}
			b := &builder{cfg: &cfg, c: &corpus.Corpus{}, keys: map[string]int{}, ctx: cancelled}
			if err := b.addTable(in, "surveys[0]", tab, &st); !errors.Is(err, context.Canceled) {
				t.Errorf("addTable with a cancelled context = %v, want context.Canceled", err)
			}
		})
	}
	for _, r := range reports {
		t.Run(r.name, func(t *testing.T) {
			if _, err := parseReportContext(context.Background(), &corpus.Corpus{}, r.data, r.name, r.name, ""); err != nil {
				t.Fatalf("parse with a live context: %v", err)
			}
			_, err := parseReportContext(cancelled, &corpus.Corpus{}, r.data, r.name, r.name, "")
			if !errors.Is(err, context.Canceled) || errors.As(err, &ie) {
				t.Errorf("parse with a cancelled context = %v, want context.Canceled alone", err)
			}
		})
	}
}
