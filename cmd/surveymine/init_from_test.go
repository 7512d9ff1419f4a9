package main

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"
	"golang.org/x/text/encoding/simplifiedchinese"

	"surveymine/pipeline/ingest"
)

// initFrom runs `init DIR --from file` and returns the written config's
// text and its first survey entry as loaded.
func initFrom(t *testing.T, dir, file string, extra ...string) (string, ingest.SurveyInput) {
	t.Helper()
	args := append([]string{"init", dir, "--from", file}, extra...)
	if code, _, stderr := runCLI(t, args...); code != 0 {
		t.Fatalf("surveymine %s: exit %d: %s", strings.Join(args, " "), code, stderr)
	}
	path := filepath.Join(dir, starterName)
	text, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	cfg, err := loadConfig(loadOptions{File: path})
	if err != nil {
		t.Fatalf("load the config init wrote: %v\n%s", err, text)
	}
	if code, _, stderr := runCLI(t, "validate", "--config", path); code != 0 {
		t.Fatalf("validate the config init wrote: exit %d: %s\n%s", code, stderr, text)
	}
	return string(text), cfg.Inputs.Surveys[0]
}

func checkColumns(t *testing.T, name string, got, want []string) {
	t.Helper()
	if !slices.Equal(got, want) {
		t.Errorf("%s = %q, want %q", name, got, want)
	}
}

// TestInitFromWJX: the bundled 问卷星 export (copied beside the project
// with a Chinese folder name and as GB18030 with CRLF line ends), and the
// full path from init to coded outputs.
func TestInitFromWJX(t *testing.T) {
	utf8Data, err := os.ReadFile("testdata/small/survey.csv")
	if err != nil {
		t.Fatal(err)
	}
	gb, err := simplifiedchinese.GB18030.NewEncoder().Bytes(bytes.TrimPrefix(utf8Data, []byte("\xef\xbb\xbf")))
	if err != nil {
		t.Fatal(err)
	}
	gb = bytes.ReplaceAll(gb, []byte("\n"), []byte("\r\n"))
	for name, data := range map[string][]byte{"utf8": utf8Data, "gb18030-crlf": gb} {
		t.Run(name, func(t *testing.T) {
			root := t.TempDir()
			exports := filepath.Join(root, "问卷 导出")
			os.MkdirAll(exports, 0o755)
			file := writeFile(t, exports, "两张皮调查.csv", string(data))
			dir := filepath.Join(root, "项目")
			text, in := initFrom(t, dir, file)
			if in.Path != filepath.Join(dir, "../问卷 导出/两张皮调查.csv") {
				t.Errorf("path = %q, want it relative to the project", in.Path)
			}
			if in.IDColumn != "序号" || in.TruthColumn != "真实原因" {
				t.Errorf("id_column, truth_column = %q, %q; want 序号, 真实原因", in.IDColumn, in.TruthColumn)
			}
			checkColumns(t, "text_columns", in.TextColumns, []string{"6"})
			checkColumns(t, "attribute_columns", in.AttributeColumns, []string{"1", "2", "3", "4"})
			checkColumns(t, "multi_columns", in.MultiColumns, []string{"5"})
			for _, w := range []string{"guess: free text", "guess: the header says 多选", "left out (问卷星 bookkeeping): 提交答卷时间", "path: builtin:liangzhangpi"} {
				if !strings.Contains(text, w) {
					t.Errorf("config lacks %q:\n%s", w, text)
				}
			}
			if name == "gb18030-crlf" {
				if !strings.Contains(text, "gb18030") {
					t.Errorf("config does not say the export is gb18030")
				}
				return
			}
			out := filepath.Join(root, "结果")
			if code, _, stderr := runCLI(t, "run", "-q", "--config", filepath.Join(dir, starterName), "--out", out,
				"--set", "output.formats=csv,md", "--set", "cluster.k=3"); code != 0 {
				t.Fatalf("run: exit %d: %s", code, stderr)
			}
			for _, f := range []string{"codes.csv", "respondent_codes.csv"} {
				data, err := os.ReadFile(filepath.Join(out, f))
				if err != nil || bytes.Count(data, []byte("\n")) < 20 {
					t.Errorf("%s: %d lines (%v), want the coded causes", f, bytes.Count(data, []byte("\n")), err)
				}
			}
			md, _ := os.ReadFile(filepath.Join(out, "report.md"))
			for _, w := range []string{"思想认识", "考核评价"} {
				if !bytes.Contains(md, []byte(w)) {
					t.Errorf("report.md does not show category %s", w)
				}
			}
		})
	}
}

// TestInitFromOddShapes: exports that are not 问卷星 CSV.
func TestInitFromOddShapes(t *testing.T) {
	t.Run("xlsx one-hot, title row, no open question", func(t *testing.T) {
		f := excelize.NewFile()
		rows := [][]any{
			{"2026年机关党建调查 导出结果"},
			{"姓名", "性别", "年龄", "Q3(制度不完善)", "Q3(考核不科学)", "Q3(其他)", "单位", "备注"},
		}
		units := []string{"机关", "直属单位", "派出机构"}
		for i := range 40 {
			other := ""
			if i%7 == 0 {
				other = "人手不够"
			}
			rows = append(rows, []any{fmt.Sprintf("张%d", i), []string{"男", "女"}[i%2], 22 + i, i % 2, (i / 2) % 2, other, units[i%3], "无"})
		}
		for r, row := range rows {
			cell, _ := excelize.CoordinatesToCellName(1, r+1)
			if err := f.SetSheetRow("Sheet1", cell, &row); err != nil {
				t.Fatal(err)
			}
		}
		dir := t.TempDir()
		file := filepath.Join(dir, "export.xlsx")
		if err := f.SaveAs(file); err != nil {
			t.Fatal(err)
		}
		text, in := initFrom(t, filepath.Join(dir, "proj"), file)
		if in.IDColumn != "" {
			t.Errorf("id_column = %q, want none", in.IDColumn)
		}
		checkColumns(t, "text_columns", in.TextColumns, nil)
		checkColumns(t, "attribute_columns", in.AttributeColumns, []string{"性别", "单位"})
		checkColumns(t, "multi_columns", in.MultiColumns, []string{"3"})
		for _, w := range []string{"TODO: no open-ended question detected", "one-hot: 3 columns", "header on row 2",
			`left out: 年龄 (40 distinct values`, `left out: 备注 (a single value`, "left out (personal data; keep_personal: true keeps it): 姓名"} {
			if !strings.Contains(text, w) {
				t.Errorf("config lacks %q:\n%s", w, text)
			}
		}
		if strings.Contains(text, "- 姓名") {
			t.Errorf("config names the personal column 姓名:\n%s", text)
		}
	})
	t.Run("jsonl with English keys and weights", func(t *testing.T) {
		var b strings.Builder
		comments := []string{"领导重视业务，对党建只是应付检查", "考核指标太虚，党建成效无法量化", "党务干部都是兼职，精力不够",
			"活动形式单一，三会一课照本宣科", "制度不完善，责任落实不到位"}
		for i := range 30 {
			fmt.Fprintf(&b, `{"respondent_id": "R%03d", "region": "%s", "weight": %.1f, "comment": "%s，第%d条意见"}`+"\n",
				i, []string{"north", "south"}[i%2], 0.5+float64(i%3)/2, comments[i%5], i)
		}
		dir := t.TempDir()
		file := writeFile(t, dir, "export.jsonl", b.String())
		_, in := initFrom(t, dir, file)
		if in.IDColumn != "respondent_id" || in.WeightColumn != "weight" {
			t.Errorf("id_column, weight_column = %q, %q; want respondent_id, weight", in.IDColumn, in.WeightColumn)
		}
		checkColumns(t, "text_columns", in.TextColumns, []string{"comment"})
		checkColumns(t, "attribute_columns", in.AttributeColumns, []string{"region"})
	})
	t.Run("errors", func(t *testing.T) {
		dir := t.TempDir()
		if code, _, stderr := runCLI(t, "init", dir, "--from", filepath.Join(dir, "nope.csv")); code != exitUsage || !strings.Contains(stderr, "nope.csv") {
			t.Errorf("missing export: exit %d, stderr %q", code, stderr)
		}
		if code, _, _ := runCLI(t, "init", dir, "--sheet", "2"); code != exitUsage {
			t.Errorf("--sheet without --from: exit %d, want %d", code, exitUsage)
		}
		if _, err := os.Stat(filepath.Join(dir, starterName)); err == nil {
			t.Errorf("a failed init left %s behind", starterName)
		}
	})
}
