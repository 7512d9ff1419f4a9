package sample

import (
	"encoding/csv"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"unicode/utf8"
)

var reportsDir = filepath.Join("..", "..", "testdata", "reports")

// TestBundledReports checks the hand-written reports keep the shape the
// report ingest relies on.
func TestBundledReports(t *testing.T) {
	files, err := filepath.Glob(filepath.Join(reportsDir, "*.txt"))
	if err != nil || len(files) < 3 {
		t.Fatalf("found %d reports in %s (err %v), want at least 3", len(files), reportsDir, err)
	}
	features := []struct {
		name string
		re   *regexp.Regexp
	}{
		{"section 一、", regexp.MustCompile(`(?m)^一、\S`)},
		{"section 二、", regexp.MustCompile(`(?m)^二、\S`)},
		{"section 三、", regexp.MustCompile(`(?m)^三、\S`)},
		{"sub-section (一)", regexp.MustCompile(`(?m)^[(（]一[)）]\S`)},
		{"sub-section (二)", regexp.MustCompile(`(?m)^[(（]二[)）]\S`)},
		{"enumeration 一是…二是", regexp.MustCompile(`一是[^\n]+二是`)},
		{"numbered item", regexp.MustCompile(`(?m)^[1-9][.、]\s?\S`)},
		{"cause section", regexp.MustCompile(`(?m)^[一二三四五]、[^\n]*(成因|原因)`)},
		{"survey result", regexp.MustCompile(`有\d+人(认为|选择了)“[^”]+”，占\d+(\.\d)?%`)},
		{"placeholder", regexp.MustCompile(`有xx人[^\n]*占xx\.x%`)},
		{"suggestions", regexp.MustCompile(`(?m)^[一二三四五六]、[^\n]*(建议|对策)`)},
	}
	compilations := 0
	for _, f := range files {
		t.Run(filepath.Base(f), func(t *testing.T) {
			b, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			if !utf8.Valid(b) {
				t.Fatalf("not valid UTF-8")
			}
			if n := utf8.RuneCount(b); n < 1500 || n > 3000 {
				t.Errorf("got %d characters, want 1500–3000", n)
			}
			s := string(b)
			title, _, _ := strings.Cut(s, "\n")
			if !strings.Contains(title, "报告") {
				t.Errorf("title line %q, want a report title", title)
			}
			for _, ft := range features {
				if !ft.re.MatchString(s) {
					t.Errorf("no %s (%s)", ft.name, ft.re)
				}
			}
			if strings.Contains(s, "\n第一篇：") {
				compilations++
				if !strings.Contains(s, "\n第二篇：") {
					t.Errorf("has 第一篇： but no 第二篇：")
				}
			}
		})
	}
	if compilations == 0 {
		t.Errorf("no compilation report with 第一篇：/第二篇： headings")
	}
}

// resultRE matches a survey-result sentence: count, option, percentage.
var resultRE = regexp.MustCompile(`有(\d+)人(?:认为|选择了)“([^”]+)”，占(\d+\.\d)%`)

// TestReportsMatchSurvey checks that the Q5 figures quoted in the reports
// built on the bundled survey are what that file actually says.
func TestReportsMatchSurvey(t *testing.T) {
	f, err := os.Open(bundled.path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	cr := csv.NewReader(f)
	cr.FieldsPerRecord = 13
	recs, err := cr.ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	recs = recs[1:]
	tests := []struct {
		file string
		keep func([]string) bool
	}{
		{"report_survey_wjx.txt", func([]string) bool { return true }},
		{"report_branch_offices.txt", func(r []string) bool { return r[6] == "派出机构" }},
	}
	for _, tc := range tests {
		t.Run(tc.file, func(t *testing.T) {
			b, err := os.ReadFile(filepath.Join(reportsDir, tc.file))
			if err != nil {
				t.Fatal(err)
			}
			n := 0
			count := map[string]int{}
			for _, r := range recs {
				if !tc.keep(r) {
					continue
				}
				n++
				for _, o := range strings.Split(r[10], MultiSep) {
					o, _, _ = strings.Cut(o, "〖")
					count[o]++
				}
			}
			checked := 0
			for _, m := range resultRE.FindAllStringSubmatch(string(b), -1) {
				opt := strings.NewReplacer("‘", "“", "’", "”").Replace(m[2])
				want, ok := count[opt]
				if !ok {
					continue
				}
				checked++
				if got, _ := strconv.Atoi(m[1]); got != want {
					t.Errorf("%q: report says %d people, survey has %d", opt, got, want)
				}
				if got, want := m[3], fmt.Sprintf("%.1f", 100*float64(want)/float64(n)); got != want {
					t.Errorf("%q: report says %s%%, survey gives %s%% of %d", opt, got, want, n)
				}
			}
			if checked < 7 {
				t.Errorf("checked %d Q5 figures, want at least 7", checked)
			}
		})
	}
}
