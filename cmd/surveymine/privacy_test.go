package main

import (
	"archive/zip"
	"bytes"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// plantedPII are personal details written into a survey and a report by
// privacyJob. None may appear in any output file of a run with
// privacy.redact on (the default).
var plantedPII = []string{
	"13812345678",           // mobile in an answer
	"１３９１２３４５６７８",           // full-width mobile: only the normalised text shows it
	"13912345678",           // … and its folded form
	"11010519491231002X",    // 身份证号
	"zhang.wei@example.com", // e-mail
	"4111111111111111",      // card number (Luhn-valid)
	"京A12345",               // plate
	"010-62345678",          // landline
	"魏书记",                   // surname + title
	"郑建国",                   // full name before a title
	"15912345678",           // in a rejected (ragged) row
	"18612345678",           // a respondent id
	"13612345678",           // in a report claim
	"严东方",                   // in a report heading
}

// privacyJob writes a survey and a report with plantedPII and a config
// that writes every format (Parquet uncompressed, so its bytes can be
// searched), and returns the config path.
func privacyJob(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	data, err := os.ReadFile("testdata/small/survey.csv")
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimRight(string(data), "\n"), "\n")
	answers := []string{
		"魏书记说有事打13812345678，不重视党建",
		"联系我：１３９１２３４５６７８，考核不科学",
		"身份证11010519491231002X，党建业务两张皮",
		"材料发到zhang.wei@example.com，形式主义严重",
		"补贴打到卡号4111111111111111，考核评价机制不科学",
		"公车京A12345经常私用，领导不重视党建",
		"办公室010-62345678没人接，郑建国处长不管",
	}
	for i, a := range answers {
		f := strings.Split(lines[i+1], ",")
		f[11] = a
		lines[i+1] = strings.Join(f, ",")
	}
	f := strings.Split(lines[len(answers)+1], ",")
	f[0] = "18612345678"
	lines[len(answers)+1] = strings.Join(f, ",")
	lines = append(lines, "999,2026/3/14 9:04:25,336秒,链接,15912345678,多余,字段")
	writeFile(t, dir, "survey.csv", strings.Join(lines, "\n")+"\n")
	writeFile(t, dir, "report.txt", "一、严东方同志的调研\n"+
		"调研发现，有24%的人认为“郑建国处长的电话13612345678打不通”。魏书记强调要整改。\n"+
		"二、原因分析\n一是考核不科学。二是魏书记不重视。\n")
	return writeFile(t, dir, "config.yaml", `inputs:
  surveys:
    - path: survey.csv
      id_column: 序号
      text_columns: ["6"]
      attribute_columns: ["1", "2"]
      multi_columns: ["5"]
  max_reject_share: 0.5
  reports:
    - path: report.txt
codebook:
  path: `+mustAbs(t, "../../configs/codebook/liangzhangpi.yaml")+`
cluster:
  k: 3
  restarts: 2
crosstab:
  monte_carlo_b: 99
output:
  parquet_codec: none
`)
}

// outputBytes returns the contents of every file under dir, with the
// entries of .xlsx files unzipped, keyed by path.
func outputBytes(t *testing.T, dir string) map[string][]byte {
	t.Helper()
	out := map[string][]byte{}
	err := filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		out[p] = data
		if !strings.HasSuffix(p, ".xlsx") {
			return nil
		}
		zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
		if err != nil {
			return err
		}
		for _, f := range zr.File {
			rc, err := f.Open()
			if err != nil {
				return err
			}
			b, err := io.ReadAll(rc)
			rc.Close()
			if err != nil {
				return err
			}
			out[p+"!"+f.Name] = b
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// TestPrivacyNoLeak runs a job with planted personal information and
// searches every output byte for it: with privacy.redact off each planted
// string is found (so the search works), with the default none is.
func TestPrivacyNoLeak(t *testing.T) {
	cfg := privacyJob(t)
	find := func(files map[string][]byte, s string) []string {
		var where []string
		for p, b := range files {
			if bytes.Contains(b, []byte(s)) {
				where = append(where, filepath.Base(p))
			}
		}
		return where
	}

	off := filepath.Join(t.TempDir(), "off")
	if code, _, stderr := runCLI(t, "run", "-q", "--config", cfg, "--out", off, "--set", "privacy.redact=false"); code != 0 {
		t.Fatalf("run with privacy.redact=false: exit %d: %s", code, stderr)
	}
	offFiles := outputBytes(t, off)
	for _, s := range plantedPII {
		if len(find(offFiles, s)) == 0 {
			t.Errorf("privacy.redact=false: %q is in no output file; the search cannot see it", s)
		}
	}

	on := filepath.Join(t.TempDir(), "on")
	if code, _, stderr := runCLI(t, "run", "-q", "--config", cfg, "--out", on); code != 0 {
		t.Fatalf("run: exit %d: %s", code, stderr)
	}
	files := outputBytes(t, on)
	for _, s := range plantedPII {
		if where := find(files, s); len(where) > 0 {
			t.Errorf("%q leaked into %v", s, where)
		}
	}
	docs := string(files[filepath.Join(on, "documents.csv")])
	for _, mask := range []string{"[姓名]书记", "[手机号]", "[身份证号]", "[邮箱]", "[银行卡号]", "[车牌号]", "[固定电话]", "[姓名]处长"} {
		if !strings.Contains(docs, mask) {
			t.Errorf("documents.csv has no %q", mask)
		}
	}
	manifest := string(files[filepath.Join(on, "manifest.json")])
	for _, want := range []string{`"redact": true`, `"phone": 5`, `"name": 6`, `"id_card": 1`} {
		if !strings.Contains(manifest, want) {
			t.Errorf("manifest.json: no %s in facts.privacy", want)
		}
	}
	if !strings.Contains(string(files[filepath.Join(on, "report.md")]), "个人信息已脱敏") {
		t.Error("report.md does not say that personal information was masked")
	}
}

func TestSegmentRedacts(t *testing.T) {
	code, out, stderr := runCLI(t, "segment", "张书记的电话13812345678")
	if code != 0 {
		t.Fatalf("segment: exit %d: %s", code, stderr)
	}
	if strings.Contains(out, "13812345678") || strings.Contains(out, "张") {
		t.Errorf("segment output shows personal information:\n%s", out)
	}
	if !strings.Contains(out, "[手机号]\tx\t") || !strings.Contains(out, "masked") {
		t.Errorf("segment output has no masked [手机号] token:\n%s", out)
	}
	code, out, _ = runCLI(t, "segment", "--set", "privacy.redact=false", "张书记的电话13812345678")
	if code != 0 || !strings.Contains(out, "13812345678") {
		t.Errorf("segment with privacy.redact=false: exit %d, output:\n%s", code, out)
	}
}

func TestPrivacyConfig(t *testing.T) {
	code, _, stderr := runCLI(t, "segment", "--set", "privacy.types=phone,ssn", "x")
	if code != 2 || !strings.Contains(stderr, "privacy.types[1]: unknown type \"ssn\"") {
		t.Errorf("privacy.types with an unknown type: exit %d, stderr %q; want 2 naming privacy.types[1]", code, stderr)
	}
	code, out, _ := runCLI(t, "--print-config", "segment")
	if code != 0 || !strings.Contains(out, "privacy:\n    redact: true\n") && !strings.Contains(out, "privacy:\n  redact: true\n") {
		t.Errorf("--print-config: exit %d, no privacy.redact: true in\n%s", code, out)
	}
	code, out, _ = runCLI(t, "segment", "--set", "privacy.types=name", "张书记13812345678")
	if code != 0 || !strings.Contains(out, "13812345678") || strings.Contains(out, "张") {
		t.Errorf("privacy.types=name: exit %d, want the name masked and the phone kept:\n%s", code, out)
	}
}
