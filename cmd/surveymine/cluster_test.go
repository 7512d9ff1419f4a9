package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// TestTooFewToCluster: surveys with too little text to cluster (issue 11
// item 1) finish with exit 0, a too_few_answers status with the numbers in
// clusters.csv, the manifest and the report, and every other table written.
func TestTooFewToCluster(t *testing.T) {
	header := "\ufeff序号,1、您所在单位的类型：,6、请谈谈原因：\r\n"
	rows := func(answers ...string) string {
		var b strings.Builder
		b.WriteString(header)
		for i, a := range answers {
			b.WriteString(strconv.Itoa(i+1) + "," + []string{"机关", "企业"}[i%2] + "," + a + "\r\n")
		}
		return b.String()
	}
	same := make([]string, 12)
	for i := range same {
		same[i] = "考核评价机制不科学"
	}
	cases := []struct {
		name, csv, cluster string
	}{
		{"three rows", rows("重业务轻党建，说起来重要做起来次要", "=党务干部都是兼职的，人手不够", "@考核评价机制不科学😀"), "k: 0"},
		{"two rows", rows("重业务轻党建", "党务干部兼职"), "method: gsdmm"},
		{"two rows, k 2: max_df below min_df", rows("重业务轻党建", "党务干部兼职"), "k: 2"},
		{"three rows, k 2: no term in two answers", rows("重业务轻党建", "党务干部兼职", "考核不科学"), "k: 2"},
		{"identical answers", rows(same...), "k: 3"},
		{"all empty", rows("", "(跳过)", "无", "", "同上"), "k: 0"},
		{"fewer answers than k", rows("重业务轻党建", "党务干部兼职", "考核不科学", "活动形式单一", "重业务轻党建"), "k: 9"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			writeFile(t, dir, "survey.csv", tc.csv)
			cfg := writeFile(t, dir, "config.yaml", "inputs:\n  surveys:\n    - path: survey.csv\n      id_column: 序号\n      text_columns: [\"6\"]\n      attribute_columns: [\"1\"]\ncluster:\n  "+tc.cluster+"\noutput:\n  formats: [csv, html, md]\n")
			out := filepath.Join(dir, "out")
			if code, _, stderr := runCLI(t, "run", "-q", "--config", cfg, "--out", out); code != 0 {
				t.Fatalf("exit %d, want 0: %s", code, stderr)
			}
			cl := readCSV(t, filepath.Join(out, "clusters.csv"))
			if len(cl) != 1 || !strings.HasPrefix(cl[0]["status"], "too_few_answers: ") || !strings.Contains(cl[0]["status"], "at least") {
				t.Errorf("clusters.csv = %v, want only cluster 0 with status too_few_answers and the numbers", cl)
			}
			var man struct {
				Facts map[string]any `json:"facts"`
			}
			data, err := os.ReadFile(filepath.Join(out, "manifest.json"))
			if err != nil {
				t.Fatal(err)
			}
			if err := json.Unmarshal(data, &man); err != nil {
				t.Fatal(err)
			}
			if man.Facts["cluster_status"] != "too_few_answers" || man.Facts["cluster_status_detail"] == "" {
				t.Errorf("manifest facts cluster_status = %v, detail %v", man.Facts["cluster_status"], man.Facts["cluster_status_detail"])
			}
			md, err := os.ReadFile(filepath.Join(out, "report.md"))
			if err != nil {
				t.Fatal(err)
			}
			if !strings.Contains(string(md), "回答太少，未做聚类") {
				t.Error("report.md does not say why nothing was clustered")
			}
			for _, f := range []string{"documents.csv", "frequencies.csv", "respondents.csv", "report.html"} {
				if _, err := os.Stat(filepath.Join(out, f)); err != nil {
					t.Errorf("%s not written: %v", f, err)
				}
			}
			for _, d := range readCSV(t, filepath.Join(out, "documents.csv")) {
				if d["kind"] == "answer" && d["missing"] == "answered" && d["cluster"] != "0" {
					t.Errorf("answer %s in cluster %s, want 0", d["unit_id"], d["cluster"])
				}
			}
		})
	}
}

// TestClusterConfigErrors: the new cluster keys are validated with the key
// path in the message (exit 2).
func TestClusterConfigErrors(t *testing.T) {
	dir := t.TempDir()
	writeFile(t, dir, "survey.csv", "id,text\n1,党建\n")
	base := "inputs:\n  surveys:\n    - path: survey.csv\n      text_columns: [text]\ncluster:\n"
	cases := []struct{ name, yaml, key string }{
		{"method", "  method: lda\n", "cluster.method"},
		{"lsa without dimensions", "  method: lsa\n", "cluster.lsa"},
		{"weighting", "  weighting: okapi\n", "cluster.weighting"},
		{"collocations", "  collocations: yes\n", "cluster.collocations"},
		{"stability", "  stability: -2\n", "cluster.stability"},
		{"gsdmm terms", "  gsdmm_terms: chars\n", "cluster.gsdmm_terms"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			cfg := writeFile(t, dir, "config.yaml", base+tc.yaml)
			code, _, stderr := runCLI(t, "validate", "--config", cfg)
			if code != exitUsage || !strings.Contains(stderr, tc.key) {
				t.Errorf("validate: exit %d, stderr %q; want exit %d naming %s", code, stderr, exitUsage, tc.key)
			}
		})
	}
}
