package main

import (
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"golang.org/x/text/encoding/simplifiedchinese"
	"golang.org/x/text/encoding/unicode"
)

// Config files as Windows users write them: in folders with Chinese
// names, with CRLF line ends and a BOM (Notepad), as UTF-16 (PowerShell's
// >), with backslash paths. scripts/wine-check.sh runs these tests in a
// windows/amd64 build, where drive letters and backslashes are separators.

// TestConfigPathsResolve checks which paths are made relative to the
// config's folder and which are kept.
func TestConfigPathsResolve(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "两张皮 调研", "项目")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	type tc struct{ path, want string }
	cases := []tc{
		{"数据/问卷.csv", filepath.Join(dir, "数据", "问卷.csv")},
		{"../导出/问卷.xlsx", filepath.Join(filepath.Dir(dir), "导出", "问卷.xlsx")},
		{"/srv/导出/问卷.csv", "/srv/导出/问卷.csv"}, // rooted: kept (on Windows: on the current drive)
	}
	if runtime.GOOS == "windows" {
		cases = append(cases,
			tc{`数据\问卷.csv`, filepath.Join(dir, "数据", "问卷.csv")},
			tc{`..\导出\问卷.xlsx`, filepath.Join(filepath.Dir(dir), "导出", "问卷.xlsx")},
			tc{`D:\导出\问卷.csv`, `D:\导出\问卷.csv`},
			tc{`d:/导出/问卷.csv`, `d:/导出/问卷.csv`},
			tc{`\\server\share\问卷.csv`, `\\server\share\问卷.csv`},
			tc{`\导出\问卷.csv`, `\导出\问卷.csv`},
		)
	}
	var b strings.Builder
	b.WriteString("inputs:\r\n  surveys:\r\n")
	for _, c := range cases {
		b.WriteString("    - path: '" + c.path + "'\r\n      text_columns: ['6']\r\n")
	}
	b.WriteString("codebook:\r\n  path: builtin:liangzhangpi\r\noutput:\r\n  dir: 结果\r\n")
	file := writeFile(t, dir, "surveymine.yaml", "\ufeff"+b.String())
	cfg, err := loadConfig(loadOptions{File: file})
	if err != nil {
		t.Fatalf("loadConfig: %v", err)
	}
	for i, c := range cases {
		if got := cfg.Inputs.Surveys[i].Path; got != c.want {
			t.Errorf("path %q resolved to %q, want %q", c.path, got, c.want)
		}
	}
	if cfg.Codebook.Path != "builtin:liangzhangpi" {
		t.Errorf("codebook.path = %q, want builtin:liangzhangpi kept", cfg.Codebook.Path)
	}
	if want := filepath.Join(dir, "结果"); cfg.Output.Dir != want {
		t.Errorf("output.dir = %q, want %q (no CR left from CRLF)", cfg.Output.Dir, want)
	}
}

// TestConfigTextForms loads the same config saved the ways Windows
// editors save it, and checks the advice for the usual mistakes.
func TestConfigTextForms(t *testing.T) {
	root := filepath.Join(t.TempDir(), "问卷 项目")
	os.MkdirAll(filepath.Join(root, "数据"), 0o755)
	survey, err := os.ReadFile("testdata/small/survey.csv")
	if err != nil {
		t.Fatal(err)
	}
	writeFile(t, filepath.Join(root, "数据"), "问卷.csv", string(survey))
	sep := "/"
	if runtime.GOOS == "windows" {
		sep = `\`
	}
	body := "# 两张皮调查\ninputs:\n  surveys:\n    - path: 数据" + sep + "问卷.csv   # 问卷星导出\n      id_column: 序号\n      text_columns: [\"6\"]\n      attribute_columns: [\"1\", \"2\"]\n      multi_columns: [\"5\"]\ncodebook:\n  path: builtin:liangzhangpi\n"
	crlf := strings.ReplaceAll(body, "\n", "\r\n")
	utf16, err := unicode.UTF16(unicode.LittleEndian, unicode.UseBOM).NewEncoder().String(crlf)
	if err != nil {
		t.Fatal(err)
	}
	gbk, err := simplifiedchinese.GBK.NewEncoder().String(crlf)
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name, text string
		want       []string // substrings of stderr; nil = validate passes
	}{
		{"lf", body, nil},
		{"crlf", crlf, nil},
		{"bom crlf (Notepad)", "\ufeff" + crlf, nil},
		{"utf-16 (PowerShell >)", utf16, nil},
		{"gbk (ANSI)", gbk, []string{"not UTF-8", "save it as UTF-8"}},
		{"double-quoted \\d", strings.Replace(body, "codebook:", "segment:\n  synonyms: \"D:\\data\\syn.yaml\"\ncodebook:", 1), []string{"escape", "single quotes"}},
		{"double-quoted \\U", strings.Replace(body, "codebook:", "segment:\n  synonyms: \"C:\\Users\\张三\\syn.yaml\"\ncodebook:", 1), []string{"escape", "single quotes"}},
		{"double-quoted \\t \\n", strings.Replace(body, "codebook:", "segment:\n  synonyms: \"C:\\temp\\new.yaml\"\ncodebook:", 1), []string{"tab or line break", "single quotes"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			file := writeFile(t, root, "surveymine.yaml", tc.text)
			code, _, stderr := runCLI(t, "validate", "--config", file)
			if tc.want == nil {
				if code != 0 {
					t.Errorf("validate: exit %d: %s", code, stderr)
				}
				return
			}
			if code != exitUsage {
				t.Errorf("validate: exit %d, want %d (%s)", code, exitUsage, stderr)
			}
			for _, w := range tc.want {
				if !strings.Contains(stderr, w) {
					t.Errorf("stderr %q does not mention %q", stderr, w)
				}
			}
		})
	}
}

// TestConfigRelPath checks the export path init --from writes.
func TestConfigRelPath(t *testing.T) {
	root := t.TempDir()
	cases := []struct{ file, dir, want string }{
		{filepath.Join(root, "导出", "问卷.csv"), filepath.Join(root, "项目"), "../导出/问卷.csv"},
		{filepath.Join(root, "项目", "问卷.xlsx"), filepath.Join(root, "项目"), "问卷.xlsx"},
	}
	if runtime.GOOS == "windows" {
		// Another drive: no relative path, the absolute one with slashes.
		cases = append(cases, struct{ file, dir, want string }{`Q:\导出\问卷.csv`, `C:\项目`, "Q:/导出/问卷.csv"})
	}
	for _, c := range cases {
		if got := configRelPath(c.file, c.dir); got != c.want {
			t.Errorf("configRelPath(%q, %q) = %q, want %q", c.file, c.dir, got, c.want)
		}
	}
}
