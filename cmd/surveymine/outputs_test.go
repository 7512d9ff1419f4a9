package main

import (
	"bytes"
	"encoding/csv"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"testing"

	"golang.org/x/text/encoding/simplifiedchinese"

	"surveymine/internal/golden"
	"surveymine/pipeline/output"
	"surveymine/pipeline/table"
)

// csvOf renders a table the way the run writes CSV files.
func csvOf(t *testing.T, tb *table.Table) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := output.WriteCSV(&b, tb, output.CSVOptions{}); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// TestOutputsReadBack reads every Arrow and Parquet file of a run back with
// Arrow's IPC and Parquet readers and checks it against the CSV file of the
// same table.
func TestOutputsReadBack(t *testing.T) {
	out := runJob(t)
	arrows := tableFiles(t, out, ".arrow")
	if len(arrows) < 10 {
		t.Fatalf("only %d Arrow files", len(arrows))
	}
	for _, a := range arrows {
		stem := strings.TrimSuffix(a, ".arrow")
		want, err := os.ReadFile(stem + ".csv")
		if err != nil {
			t.Fatal(err)
		}
		for _, f := range []string{a, stem + ".parquet"} {
			fh, err := os.Open(f)
			if err != nil {
				t.Fatal(err)
			}
			var tb *table.Table
			if strings.HasSuffix(f, ".arrow") {
				tb, err = output.ReadArrow(fh)
			} else {
				tb, err = output.ReadParquet(fh)
			}
			fh.Close()
			if err != nil {
				t.Fatalf("read %s: %v", f, err)
			}
			if got := csvOf(t, tb); !bytes.Equal(got, want) {
				t.Errorf("%s read back differs from %s", filepath.Base(f), filepath.Base(stem)+".csv")
			}
		}
	}
}

// TestGB18030SameDocuments runs the small case on its UTF-8 survey and on
// a GB18030 copy (as Excel saves it on a Chinese Windows): the documents
// tables must be the same apart from the file path.
func TestGB18030SameDocuments(t *testing.T) {
	utf8Data, err := os.ReadFile("testdata/small/survey.csv")
	if err != nil {
		t.Fatal(err)
	}
	gb, err := simplifiedchinese.GB18030.NewEncoder().Bytes(bytes.TrimPrefix(utf8Data, []byte("\xef\xbb\xbf")))
	if err != nil {
		t.Fatal(err)
	}
	docs := map[string][]byte{}
	for name, data := range map[string][]byte{"utf8": utf8Data, "gb18030": gb} {
		dir := filepath.Join(t.TempDir(), "in")
		if err := os.MkdirAll(dir, 0o755); err != nil {
			t.Fatal(err)
		}
		writeFile(t, dir, "survey.csv", string(data))
		cfg := writeFile(t, dir, "config.yaml", "inputs:\n  surveys:\n    - path: survey.csv\n      id_column: 序号\n      text_columns: [\"6\"]\n      attribute_columns: [\"1\", \"2\"]\n      multi_columns: [\"5\"]\nsegment: {}\ncluster:\n  k: 3\noutput:\n  formats: [csv]\n")
		out := filepath.Join(dir, "out")
		if code, _, stderr := runCLI(t, "run", "-q", "--config", cfg, "--out", out); code != 0 {
			t.Fatalf("%s run: exit %d: %s", name, code, stderr)
		}
		b, err := os.ReadFile(filepath.Join(out, "documents.csv"))
		if err != nil {
			t.Fatal(err)
		}
		docs[name] = bytes.ReplaceAll(b, []byte(filepath.ToSlash(dir)), []byte("DIR"))
		if name == "gb18030" {
			m, _ := os.ReadFile(filepath.Join(out, "manifest.json"))
			if !bytes.Contains(m, []byte(`"encoding": "gb18030"`)) {
				t.Errorf("manifest does not record the gb18030 encoding")
			}
		}
	}
	if !bytes.Equal(docs["utf8"], docs["gb18030"]) {
		t.Errorf("documents table differs between the UTF-8 and the GB18030 input")
	}
}

// withWeights writes the small survey with an extra weight column whose
// values come from weight(row).
func withWeights(t *testing.T, dir string, weight func(row int) string) string {
	t.Helper()
	data, err := os.ReadFile("testdata/small/survey.csv")
	if err != nil {
		t.Fatal(err)
	}
	recs, err := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(data, []byte("\xef\xbb\xbf")))).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	w := csv.NewWriter(&b)
	for i, r := range recs {
		v := "权重"
		if i > 0 {
			v = weight(i)
		}
		w.Write(append(r, v))
	}
	w.Flush()
	writeFile(t, dir, "survey.csv", b.String())
	return writeFile(t, dir, "config.yaml", "inputs:\n  surveys:\n    - path: survey.csv\n      id_column: 序号\n      text_columns: [\"6\"]\n      attribute_columns: [\"1\", \"2\"]\n      weight_column: 权重\ncluster:\n  k: 3\noutput:\n  formats: [csv]\n")
}

// readCSV returns the rows of a CSV file as maps from header to value.
func readCSV(t *testing.T, path string) []map[string]string {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	recs, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
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

func TestWeights(t *testing.T) {
	t.Run("equal weights give Pearson's X² and δ̄ = n/(n−1)", func(t *testing.T) {
		dir := t.TempDir()
		cfg := withWeights(t, dir, func(int) string { return "1" })
		out := filepath.Join(dir, "out")
		if code, _, stderr := runCLI(t, "run", "-q", "--config", cfg, "--out", out); code != 0 {
			t.Fatalf("exit %d: %s", code, stderr)
		}
		emptyCell := map[string]bool{}
		for _, r := range readCSV(t, filepath.Join(out, "crosstab_cells.csv")) {
			if r["count"] == "0" {
				emptyCell[r["table"]] = true
			}
		}
		// With equal weights the weighted shares are the counts' shares,
		// V̂ = (D − p p')/(n−1) and, without an empty cell, Δ = n/(n−1)·I
		// (see analysis/stats.WeightedResult).
		checked := 0
		for _, r := range readCSV(t, filepath.Join(out, "crosstab_tests.csv")) {
			if r["status"] != "ok" {
				continue
			}
			num := func(col string) float64 {
				x, err := strconv.ParseFloat(r[col], 64)
				if err != nil {
					t.Fatalf("%s: %s = %q", r["table"], col, r[col])
				}
				return x
			}
			chi2, n := num("chi2"), num("n")
			if got := num("chi2_weighted"); math.Abs(got-chi2) > 1e-9*chi2 {
				t.Errorf("%s: chi2_weighted = %v, want chi2 = %v", r["table"], got, chi2)
			}
			if emptyCell[r["table"]] {
				continue
			}
			if got, want := num("mean_deff"), n/(n-1); math.Abs(got-want) > 1e-9 {
				t.Errorf("%s: mean_deff = %v, want n/(n−1) = %v", r["table"], got, want)
			}
			if got, want := num("df1_rao_scott"), num("df"); math.Abs(got-want) > 1e-9*want {
				t.Errorf("%s: df1_rao_scott = %v, want df = %v", r["table"], got, want)
			}
			checked++
		}
		if checked == 0 {
			t.Fatal("no weighted test checked")
		}
	})
	t.Run("unequal weights agree with R's svychisq", func(t *testing.T) {
		dir := t.TempDir()
		cfg := withWeights(t, dir, func(row int) string { return []string{"0.5", "1", "2.5"}[row%3] })
		cfgText, err := os.ReadFile(cfg)
		if err != nil {
			t.Fatal(err)
		}
		cfg = writeFile(t, dir, "config.yaml", string(cfgText)+"crosstab:\n  tables:\n    - {rows: \"3\", cols: \"1\"}\n    - {rows: \"2\", cols: \"1\"}\n")
		// Recorded from R 4.2.2, survey 4.1.1, run in cmd/surveymine:
		//	d <- read.csv("testdata/small/survey.csv", fileEncoding = "UTF-8-BOM", check.names = FALSE)
		//	d <- data.frame(q1 = d[[7]], q2 = d[[8]], q3 = d[[9]], w = c(0.5, 1, 2.5)[seq_len(nrow(d)) %% 3 + 1])
		//	des <- svydesign(ids = ~1, weights = ~w, data = d)
		//	svychisq(~q3 + q1, des, statistic = "Chisq"); svychisq(~q3 + q1, des)  # and ~q2 + q1
		// Both tables have empty cells (共青团员 × 派出机构; 局级 × 派出机构, 直属单位).
		want := map[string]map[string]float64{
			"Q3_by_Q1": {"chi2_weighted": 1.6488201144349048, "p_rao_scott": 0.88286364795315275,
				"f_rao_scott": 0.29272877517684676, "df1_rao_scott": 3.68344014842573, "df2_rao_scott": 290.99177172563265, "p_f_rao_scott": 0.86853458485030588},
			"Q2_by_Q1": {"chi2_weighted": 5.7990288657475517, "p_rao_scott": 0.3045310944240725,
				"f_rao_scott": 1.2090266211612528, "df1_rao_scott": 3.7456868423417684, "df2_rao_scott": 295.90926054499971, "p_f_rao_scott": 0.30724274198719126},
		}
		for _, test := range []string{"", "chisq"} {
			out := filepath.Join(dir, "out"+test)
			args := []string{"run", "-q", "--config", cfg, "--out", out}
			if test != "" {
				args = append(args, "--set", "crosstab.weighted_test="+test)
			}
			if code, _, stderr := runCLI(t, args...); code != 0 {
				t.Fatalf("exit %d: %s", code, stderr)
			}
			rows := readCSV(t, filepath.Join(out, "crosstab_tests.csv"))
			if len(rows) != len(want) {
				t.Fatalf("%d tables, want %d", len(rows), len(want))
			}
			for _, r := range rows {
				for col, w := range want[r["table"]] {
					got, err := strconv.ParseFloat(r[col], 64)
					if err != nil || math.Abs(got-w) > 1e-9*math.Abs(w) {
						t.Errorf("%s: %s = %q, want %.17g (R svychisq)", r["table"], col, r[col], w)
					}
				}
				wantTest, wantP := "rao_scott_f", r["p_f_rao_scott"]
				if test == "chisq" {
					wantTest, wantP = "rao_scott_chi2", r["p_rao_scott"]
				}
				if r["weighted_test"] != wantTest || r["p_weighted"] != wantP {
					t.Errorf("weighted_test=%s: %s weighted_test = %q, p_weighted = %q; want %q, %q", test, r["table"], r["weighted_test"], r["p_weighted"], wantTest, wantP)
				}
			}
		}
	})
	t.Run("a bad weight names file, row and column", func(t *testing.T) {
		dir := t.TempDir()
		cfg := withWeights(t, dir, func(row int) string {
			if row == 7 {
				return "abc"
			}
			return "1"
		})
		code, _, stderr := runCLI(t, "run", "-q", "--config", cfg, "--out", filepath.Join(dir, "out"))
		if code != exitInvalidData {
			t.Fatalf("exit %d, want %d: %s", code, exitInvalidData, stderr)
		}
		for _, want := range []string{"survey.csv:8", `column "权重"`, `"abc"`} {
			if !strings.Contains(stderr, want) {
				t.Errorf("stderr %q lacks %q", stderr, want)
			}
		}
	})
}

var (
	buildOnce sync.Once
	builtBin  string
	buildErr  error
)

// binary builds surveymine with -trimpath once per test run and returns a
// copy of it in a directory far from the source tree.
func binary(t *testing.T) string {
	t.Helper()
	if testing.Short() {
		t.Skip("builds the binary")
	}
	buildOnce.Do(func() {
		dir, err := os.MkdirTemp("", "surveymine-bin-")
		if err != nil {
			buildErr = err
			return
		}
		builtBin = filepath.Join(dir, "surveymine")
		if runtime.GOOS == "windows" {
			builtBin += ".exe"
		}
		cmd := exec.Command("go", "build", "-trimpath", "-o", builtBin, ".")
		cmd.Stderr = os.Stderr
		buildErr = cmd.Run()
	})
	if buildErr != nil {
		t.Fatalf("go build: %v", buildErr)
	}
	return builtBin
}

// TestBinaryWithoutFiles runs the -trimpath binary from an empty directory:
// the dictionaries are inside it.
func TestBinaryWithoutFiles(t *testing.T) {
	bin := binary(t)
	dir := t.TempDir()
	cmd := exec.Command(bin, "segment", "两张皮问题的根源在于一岗双责落实不到位，三会一课流于形式")
	cmd.Dir = dir
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("segment: %v\n%s", err, out)
	}
	for _, w := range []string{"两张皮\t", "一岗双责\t", "三会一课\t", "流于形式\t"} {
		if !bytes.Contains(out, []byte("\n"+w)) {
			t.Errorf("segment output lacks the whole token %q:\n%s", w, out)
		}
	}
}

func mustAbs(t *testing.T, p string) string {
	t.Helper()
	a, err := filepath.Abs(p)
	if err != nil {
		t.Fatal(err)
	}
	return a
}

// TestSchemaDoc keeps docs/schema.md in step with the tables a run writes:
// it runs the small case with automatic k (so every table appears), reads
// the Arrow files back and renders their schema. Update it with
// go test ./cmd/surveymine -run TestSchemaDoc -update.
func TestSchemaDoc(t *testing.T) {
	out := runJob(t, "--set", "cluster.k=0", "--set", "cluster.k_max=5")
	var tables []*table.Table
	for _, name := range schemaOrder {
		f, err := os.Open(filepath.Join(out, name+".arrow"))
		if err != nil {
			t.Fatalf("table %s not written: %v", name, err)
		}
		tb, err := output.ReadArrow(f)
		f.Close()
		if err != nil {
			t.Fatal(err)
		}
		tables = append(tables, tb)
	}
	if got := len(tableFiles(t, out, ".arrow")); got != len(schemaOrder) {
		t.Errorf("run wrote %d tables, schemaOrder lists %d: add the new table to schemaOrder", got, len(schemaOrder))
	}
	intro := "<!-- Generated by TestSchemaDoc in cmd/surveymine from the tables of a run on cmd/surveymine/testdata/small; do not edit by hand. -->\n\n"
	doc := output.SchemaDoc(tables)
	doc = strings.Replace(doc, "\n\n", "\n\n"+schemaNote+"\n\n", 1)
	golden.Check(t, "../../docs/schema.md", []byte(intro+doc))
}

// schemaNote explains the columns that depend on the survey.
const schemaNote = "The `respondents` table has one column per survey question (named by question id such as `Q1`, or by header for unnumbered columns), and `documents` one column per configured attribute; the ones listed below come from the sample survey. Join keys: `respondent` (respondents, documents, codes, respondent_codes), `unit_id` (documents, codes), `cluster` (documents, clusters, cluster_terms), `category` (codes, respondent_codes, codebook_agreement, cooccurrence), `table` (crosstab_cells, crosstab_tests)."

// schemaOrder is the order of tables in docs/schema.md: corpus, text
// processing, coding, clustering, statistics.
var schemaOrder = []string{
	"documents", "respondents", "questions", "rejects", "claims",
	"segmentation_audit",
	"codes", "respondent_codes", "codebook_agreement",
	"clusters", "cluster_terms", "k_sweep", "cluster_quality",
	"crosstab_cells", "crosstab_tests", "mmi_tests", "frequencies", "keyness", "cooccurrence",
}

func TestCrosstabTables(t *testing.T) {
	dir := t.TempDir()
	survey, err := os.ReadFile("testdata/small/survey.csv")
	if err != nil {
		t.Fatal(err)
	}
	writeFile(t, dir, "survey.csv", string(survey))
	base := "inputs:\n  surveys:\n    - path: survey.csv\n      id_column: 序号\n      text_columns: [\"6\"]\n      attribute_columns: [\"1\"]\n      multi_columns: [\"5\"]\ncodebook:\n  path: " + mustAbs(t, "../../configs/codebook/liangzhangpi.yaml") + "\ncluster:\n  k: 3\noutput:\n  formats: [csv]\ncrosstab:\n  tables:\n"
	t.Run("only the listed tables", func(t *testing.T) {
		cfg := writeFile(t, dir, "config.yaml", base+"    - {rows: categories, cols: \"2\"}\n    - {rows: \"3\", cols: \"1\"}\n    - {rows: clusters, cols: \"/职级/\"}\n")
		out := filepath.Join(dir, "out")
		if code, _, stderr := runCLI(t, "run", "-q", "--force", "--config", cfg, "--out", out); code != 0 {
			t.Fatalf("exit %d: %s", code, stderr)
		}
		var got []string
		for _, r := range readCSV(t, filepath.Join(out, "crosstab_tests.csv")) {
			got = append(got, r["table"])
		}
		want := "cat0_by_Q2 cat1_by_Q2 cat2_by_Q2 cat3_by_Q2 cat4_by_Q2 cat5_by_Q2 cat6_by_Q2 cat7_by_Q2 cat8_by_Q2 cat9_by_Q2 Q3_by_Q1 cluster_Q6_by_Q2"
		if strings.Join(got, " ") != want {
			t.Errorf("tables = %s\nwant %s", strings.Join(got, " "), want)
		}
		mmi := readCSV(t, filepath.Join(out, "mmi_tests.csv"))
		if len(mmi) != 1 || mmi[0]["test"] != "categories_by_Q2" {
			t.Errorf("mmi tests = %v, want only categories_by_Q2", mmi)
		}
	})
	t.Run("an unknown question is a config error", func(t *testing.T) {
		cfg := writeFile(t, dir, "config.yaml", base+"    - {rows: \"33\", cols: \"1\"}\n")
		code, _, stderr := runCLI(t, "run", "-q", "--force", "--config", cfg, "--out", filepath.Join(dir, "out2"))
		if code != exitUsage || !strings.Contains(stderr, "crosstab.tables[0].rows") {
			t.Errorf("exit %d, stderr %q; want %d naming crosstab.tables[0].rows", code, stderr, exitUsage)
		}
	})
}

// TestDegenerateSurvey runs the job on a survey where every respondent has
// the same unit type and one multiple-choice option is never chosen: the
// run succeeds, the degenerate tables carry a status instead of numbers,
// and no output cell holds NaN or Inf.
func TestDegenerateSurvey(t *testing.T) {
	dir := t.TempDir()
	var b strings.Builder
	b.WriteString("\ufeff序号,1、您所在单位的类型：,2、您的职级：,5、原因（多选）,6、请谈谈原因：\n")
	answers := []string{"重业务轻党建，说起来重要做起来次要", "(跳过)", "党务干部都是兼职的，人手不够", "考核评价机制不科学", "活动形式单一，流于形式", "无"}
	for i := 1; i <= 12; i++ {
		rank := []string{"处级", "科级及以下"}[i%2]
		opt := []string{"制度不完善", "制度不完善┋队伍不健全", "(跳过)"}[i%3]
		ans := answers[i%len(answers)]
		b.WriteString(strconv.Itoa(i) + ",机关," + rank + "," + opt + "," + ans + "\n")
	}
	writeFile(t, dir, "survey.csv", b.String())
	cfg := writeFile(t, dir, "config.yaml", "inputs:\n  surveys:\n    - path: survey.csv\n      id_column: 序号\n      text_columns: [\"6\"]\n      attribute_columns: [\"1\", \"2\"]\n      multi_columns: [\"5\"]\ncodebook:\n  path: "+mustAbs(t, "../../configs/codebook/liangzhangpi.yaml")+"\ncluster:\n  k: 2\noutput:\n  formats: [csv, html, md]\n")
	out := filepath.Join(dir, "out")
	if code, _, stderr := runCLI(t, "run", "-q", "--config", cfg, "--out", out); code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	statuses := map[string]string{}
	for _, r := range readCSV(t, filepath.Join(out, "crosstab_tests.csv")) {
		statuses[r["table"]] = r["status"]
		if r["status"] != "ok" && (r["chi2"] != "" || r["p"] != "" || r["status_detail"] == "") {
			t.Errorf("%s: status %s but chi2=%q p=%q detail=%q", r["table"], r["status"], r["chi2"], r["p"], r["status_detail"])
		}
	}
	// Unit type has one value: every table against it is 1×K.
	if got := statuses["cluster_Q6_by_Q1"]; got != "degenerate_1xK" {
		t.Errorf("cluster_Q6_by_Q1 status = %q, want degenerate_1xK", got)
	}
	files, _ := filepath.Glob(filepath.Join(out, "*"))
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
}

// TestSegmentConfig checks that the segment settings of a config reach the
// segmenter: a user dictionary entry is kept whole, a user stopword is
// dropped and reported, a user synonym merges.
func TestSegmentConfig(t *testing.T) {
	dir := t.TempDir()
	writeFile(t, dir, "user.dict", "融合度考评 50000 n\n")
	writeFile(t, dir, "stop.txt", "# extra stopwords\n感觉\n")
	writeFile(t, dir, "syn.yaml", "党务干部:\n  - 党务人员\n")
	cfg := writeFile(t, dir, "config.yaml", "segment:\n  user_dicts: [user.dict]\n  stopwords: [stop.txt]\n  synonyms: syn.yaml\n")
	code, out, stderr := runCLI(t, "segment", "--config", cfg, "感觉党务人员的融合度考评不到位")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	for _, want := range []string{
		"融合度考评\tn\t",                // the user entry, whole, with its POS
		"感觉\t", "\tuser_stopword\n", // the user stopword
		"党务人员\t", "\t党务干部\t", // the synonym
	} {
		if !strings.Contains(out, want) {
			t.Errorf("segment output lacks %q:\n%s", want, out)
		}
	}
}

// TestGuidedClustering runs the small case with codebook-guided clusters:
// the seeded clusters name their category, and the extra free clusters
// none.
func TestGuidedClustering(t *testing.T) {
	out := runJob(t, "--set", "cluster.guided=true", "--set", "cluster.extra=2", "--set", "cluster.k=0")
	seeded, free := 0, 0
	for _, r := range readCSV(t, filepath.Join(out, "clusters.csv")) {
		switch {
		case r["cluster"] == "0":
		case r["seeded_by"] != "":
			seeded++
		default:
			free++
		}
	}
	if seeded < 3 || free == 0 {
		t.Errorf("guided clustering: %d seeded and %d free clusters, want several seeded and some free", seeded, free)
	}
}
