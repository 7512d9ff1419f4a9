package main

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"
)

// hostileCase is one directory of testdata/hostile: a tiny or degenerate
// input that a user may hand over (issue 11), with what its run must show
// besides exiting 0 with every output written.
type hostileCase struct {
	name string
	// statuses: cross-tab id → wanted status in crosstab_tests.
	statuses map[string]string
	// textHas: strings the documents table's text column must hold.
	textHas []string
	// excelSafe: the CSV is written for Excel, so text cells that start
	// like a formula begin with '.
	excelSafe bool
	// warnings: substrings of manifest.json's warnings, in order.
	warnings []string
	// inputs: rows read per input file, as in the manifest.
	inputs map[string]int
}

var hostileCases = []hostileCase{
	{name: "tiny_utf8_bom_crlf", textHas: []string{"'=HYPERLINK(", "'+考核机制", "'@党务干部", "重业务轻党建😀", "𠀀𪚥字也要保留", "人手不够 👍🏽"}, excelSafe: true,
		statuses: map[string]string{"cat2_by_Q1": "degenerate_1xK"}, inputs: map[string]int{"survey.csv": 3}},
	{name: "tiny_gb18030", textHas: []string{"重业务轻党建😀", "𠀀𪚥字也要保留"}, inputs: map[string]int{"survey.csv": 3}},
	{name: "tiny_utf16le", textHas: []string{"重业务轻党建😀", "𠀀𪚥字也要保留", "人手不够 👍🏽"}, inputs: map[string]int{"survey.csv": 3}},
	{name: "tiny_utf16le_nobom", textHas: []string{"𠀀𪚥字也要保留"}, inputs: map[string]int{"survey.csv": 3}},
	{name: "tiny_jsonl", textHas: []string{"=1+1 考核机制不科学😀", "𠀀人手不够"}, inputs: map[string]int{"survey.jsonl": 3}},
	// Identical answers cannot be clustered (clusters.status says
	// too_few_answers), so there is no cluster cross-tab; the category
	// cross-tabs are degenerate.
	{name: "identical_answers", statuses: map[string]string{"cat0_by_Q1": "degenerate_1xK", "cat1_by_Q1": "degenerate_1xK"},
		inputs: map[string]int{"survey.csv": 3}},
	{name: "empty_answers", statuses: map[string]string{"cat1_by_Q1": "empty", "cat1_by_Q2": "empty"}, inputs: map[string]int{"survey.csv": 3}},
	{name: "header_only", statuses: map[string]string{"cat1_by_Q1": "empty"}, inputs: map[string]int{"survey.csv": 0}},
	{name: "duplicate_headers", inputs: map[string]int{"survey.csv": 3}, warnings: []string{
		`survey.csv:1: column 4 "评论" has the same question id "评论" as column 3; it is read as "评论#2"`,
		`survey.csv:1: column 5 "评论" has the same question id "评论" as column 3; it is read as "评论#3"`}},
	{name: "report_only", textHas: []string{"一是思想认识不到位。"}, inputs: map[string]int{"report.txt": 2, "empty.txt": 0}},
}

// TestHostileInputs runs each case of testdata/hostile in every output
// format: the run must exit 0, account for every input row, write no NaN
// or Inf, give every untestable cross-tab a status with its reason, keep
// rare characters intact and show what the case is about.
func TestHostileInputs(t *testing.T) {
	for _, tc := range hostileCases {
		t.Run(tc.name, func(t *testing.T) {
			out := runHostile(t, filepath.Join("testdata", "hostile", tc.name, "config.yaml"))
			checkHostile(t, out, tc)
		})
	}
}

// TestTinySurveyDefaultCluster is the case of issue 11 as reported: three
// valid respondents with the default cluster settings (too little text
// for TF-IDF's document-frequency limits). It passes once the cluster
// stage reports too_few_answers instead of failing the run.
func TestTinySurveyDefaultCluster(t *testing.T) {
	out := runHostile(t, filepath.Join("testdata", "hostile", "tiny_default_cluster", "config.yaml"))
	checkHostile(t, out, hostileCase{name: "tiny_default_cluster", textHas: []string{"𠀀𪚥字也要保留"}, inputs: map[string]int{"survey.csv": 3}})
	// The status code is in a table and in the manifest (the report may
	// word it in Chinese).
	tables, _ := filepath.Glob(filepath.Join(out, "*.csv"))
	for _, set := range [][]string{tables, {filepath.Join(out, "manifest.json")}} {
		found := false
		for _, f := range set {
			data, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			found = found || bytes.Contains(data, []byte("too_few_answers"))
		}
		if !found {
			t.Errorf("no too_few_answers status in %s", strings.Join(set, ", "))
		}
	}
}

// TestTinyXLSX runs three respondents from a workbook written here with
// excelize (a binary file in testdata could not be reviewed).
func TestTinyXLSX(t *testing.T) {
	dir := t.TempDir()
	f := excelize.NewFile()
	rows := [][]any{
		{"序号", "1、您的职级：", "6、请谈谈您的看法："},
		{1, "处级", "=不是公式 重业务轻党建😀"},
		{2, "科级", "-考核机制不科学，𠀀𪚥"},
		{3, "处级", ""},
	}
	for i, r := range rows {
		cell, _ := excelize.CoordinatesToCellName(1, i+1)
		if err := f.SetSheetRow("Sheet1", cell, &r); err != nil {
			t.Fatal(err)
		}
	}
	if err := f.SaveAs(filepath.Join(dir, "survey.xlsx")); err != nil {
		t.Fatal(err)
	}
	cfg := writeFile(t, dir, "config.yaml", "inputs:\n  surveys:\n    - path: survey.xlsx\n      id_column: 序号\n      text_columns: [\"6\"]\n      attribute_columns: [\"1\"]\ncluster:\n  k: 2\n  min_df: 1\noutput:\n  csv_excel_safe: true\n")
	out := runHostile(t, cfg)
	checkHostile(t, out, hostileCase{name: "xlsx", textHas: []string{"'=不是公式 重业务轻党建😀", "'-考核机制不科学，𠀀𪚥"}, excelSafe: true,
		inputs: map[string]int{"survey.xlsx": 3}})
}

// runHostile runs the job of cfg into a temporary directory and fails the
// test unless it exits 0.
func runHostile(t *testing.T, cfg string) string {
	t.Helper()
	out := filepath.Join(t.TempDir(), "out")
	args := []string{"run", "-q", "--config", cfg, "--out", out}
	if code, _, stderr := runCLI(t, args...); code != 0 {
		t.Fatalf("surveymine %s: exit %d, want 0:\n%s", strings.Join(args, " "), code, stderr)
	}
	return out
}

func checkHostile(t *testing.T, out string, tc hostileCase) {
	t.Helper()
	for _, name := range []string{"tables.xlsx", "report.html", "report.md", "documents.parquet", "documents.arrow", "manifest.json"} {
		if _, err := os.Stat(filepath.Join(out, name)); err != nil {
			t.Errorf("%s not written: %v", name, err)
		}
	}
	files, _ := filepath.Glob(filepath.Join(out, "*.csv"))
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, bad := range []string{"NaN", "+Inf", "-Inf"} {
			if bytes.Contains(data, []byte(bad)) {
				t.Errorf("%s contains %q", filepath.Base(f), bad)
			}
		}
	}
	var m struct {
		Inputs []struct {
			File     string `json:"file"`
			Read     int    `json:"rows_read"`
			Accepted int    `json:"rows_accepted"`
			Rejected int    `json:"rows_rejected"`
		} `json:"inputs"`
		Warnings []string `json:"warnings"`
	}
	data, err := os.ReadFile(filepath.Join(out, "manifest.json"))
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(data, &m); err != nil {
		t.Fatal(err)
	}
	if len(m.Inputs) != len(tc.inputs) {
		t.Errorf("manifest inputs = %+v, want %d", m.Inputs, len(tc.inputs))
	}
	for _, in := range m.Inputs {
		if want, ok := tc.inputs[filepath.Base(in.File)]; !ok || in.Read != want || in.Accepted+in.Rejected != in.Read {
			t.Errorf("manifest input %+v, want %d rows read = accepted + rejected", in, want)
		}
	}
	if len(m.Warnings) != len(tc.warnings) {
		t.Errorf("manifest warnings = %q, want %d", m.Warnings, len(tc.warnings))
	}
	for i, w := range tc.warnings {
		if i < len(m.Warnings) && !strings.Contains(m.Warnings[i], w) {
			t.Errorf("manifest warning %d = %q, want it to contain %q", i, m.Warnings[i], w)
		}
	}
	for _, r := range readBOMCSV(t, filepath.Join(out, "crosstab_tests.csv")) {
		if r["status"] != "ok" && (r["chi2"] != "" || r["p"] != "" || r["status_detail"] == "") {
			t.Errorf("%s: status %s but chi2=%q p=%q detail=%q", r["table"], r["status"], r["chi2"], r["p"], r["status_detail"])
		}
		if want, ok := tc.statuses[r["table"]]; ok && r["status"] != want {
			t.Errorf("%s status = %q, want %q", r["table"], r["status"], want)
		}
		delete(tc.statuses, r["table"])
	}
	for id := range tc.statuses {
		t.Errorf("cross-tab %s missing from crosstab_tests", id)
	}
	docs := readBOMCSV(t, filepath.Join(out, "documents.csv"))
	var texts []string
	for _, r := range docs {
		texts = append(texts, r["text"])
		if strings.ContainsAny(r["text"][:min(1, len(r["text"]))], "=+-@\t\r") && tc.excelSafe {
			t.Errorf("documents.csv text %q starts like a formula in a CSV for Excel", r["text"])
		}
	}
	all := strings.Join(texts, "\n")
	for _, s := range tc.textHas {
		if !strings.Contains(all, s) {
			t.Errorf("documents.csv text column lacks %q; it holds:\n%s", s, all)
		}
	}
}

// readBOMCSV reads a CSV table written with or without a BOM into one map
// per row, keyed by header.
func readBOMCSV(t *testing.T, path string) []map[string]string {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	recs, err := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(data, []byte("\uFEFF")))).ReadAll()
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	var out []map[string]string
	for _, r := range recs[1:] {
		m := map[string]string{}
		for i, h := range recs[0] {
			m[h] = r[i]
		}
		out = append(out, m)
	}
	return out
}
