package pipeline_test

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/xuri/excelize/v2"

	"surveymine/internal/sample"
	"surveymine/pipeline"
	"surveymine/pipeline/ingest"
)

// TestCodesWrittenEarly runs the job on 600 generated rows three ways: with
// the workbook (the codes table is kept for it and written at the end),
// without it (the code stage writes codes at once and drops the hits), and
// with a workbook row limit below the codes table's rows (written early and
// listed in the workbook's omitted sheet). The codes files are byte-
// identical in all three, and the manifest lists files in table order.
func TestCodesWrittenEarly(t *testing.T) {
	dir := t.TempDir()
	in := filepath.Join(dir, "survey.csv")
	f, err := os.Create(in)
	if err != nil {
		t.Fatal(err)
	}
	if err := sample.Write(f, sample.Options{Rows: 600, Seed: 4}); err != nil {
		t.Fatal(err)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
	book, err := filepath.Abs("../configs/codebook/liangzhangpi.yaml")
	if err != nil {
		t.Fatal(err)
	}
	run := func(name string, formats []string, xlsxMax int) (*pipeline.Dataset, string) {
		t.Helper()
		out := filepath.Join(dir, name)
		cfg := &pipeline.Config{
			Inputs: ingest.Config{Surveys: []ingest.SurveyInput{{
				Path: in, IDColumn: sample.ColSeq, TextColumns: []string{"6"}, AttributeColumns: []string{"1"},
			}}},
			Codebook: pipeline.CodebookConfig{Path: book},
			Cluster:  pipeline.ClusterConfig{K: 5, Method: "kmeans"},
			Seed:     5,
			Output:   pipeline.OutputConfig{Dir: out, Formats: formats, Force: true, XLSXMaxRows: xlsxMax},
		}
		if err := cfg.Validate(); err != nil {
			t.Fatal(err)
		}
		d, err := pipeline.Execute(context.Background(), cfg, pipeline.Env{Version: "test"})
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		return d, out
	}
	held, heldDir := run("held", []string{"arrow", "parquet", "csv", "xlsx"}, 0)
	early, earlyDir := run("early", []string{"arrow", "parquet", "csv"}, 0)
	omitted, omittedDir := run("omitted", []string{"csv", "xlsx"}, 50)
	if held.Coding.Hits == nil {
		t.Error("with the workbook the hits were dropped, want them kept for the codes sheet")
	}
	if early.Coding.Hits != nil || omitted.Coding.Hits != nil {
		t.Error("codes written early but the hits were kept")
	}
	for _, file := range []string{"codes.arrow", "codes.parquet", "codes.csv", "respondent_codes.csv", "documents.csv"} {
		a, err := os.ReadFile(filepath.Join(heldDir, file))
		if err != nil {
			t.Fatal(err)
		}
		for _, other := range []string{earlyDir, omittedDir} {
			b, err := os.ReadFile(filepath.Join(other, file))
			if os.IsNotExist(err) && filepath.Ext(file) != ".csv" && other == omittedDir {
				continue
			}
			if err != nil {
				t.Fatal(err)
			}
			if string(a) != string(b) {
				t.Errorf("%s differs between %s and %s", file, heldDir, other)
			}
		}
	}
	// The manifests list the same table files in the same order.
	list := func(dir string, ext string) []string {
		var m struct {
			Outputs []struct{ File string } `json:"outputs"`
		}
		b, err := os.ReadFile(filepath.Join(dir, "manifest.json"))
		if err != nil {
			t.Fatal(err)
		}
		if err := json.Unmarshal(b, &m); err != nil {
			t.Fatal(err)
		}
		var out []string
		for _, o := range m.Outputs {
			if filepath.Ext(o.File) == ext {
				out = append(out, o.File)
			}
		}
		return out
	}
	if a, b := list(heldDir, ".csv"), list(earlyDir, ".csv"); !slices.Equal(a, b) || slices.Index(a, "codes.csv") < slices.Index(a, "respondents.csv") {
		t.Errorf("manifest CSV files:\nheld  %q\nearly %q", a, b)
	}
	// The workbook with a row limit of 50 lists codes among the omitted
	// tables and has no codes sheet.
	x, err := excelize.OpenFile(filepath.Join(omittedDir, "tables.xlsx"))
	if err != nil {
		t.Fatal(err)
	}
	defer x.Close()
	if slices.Contains(x.GetSheetList(), "codes") {
		t.Error("tables.xlsx has a codes sheet, want it omitted")
	}
	cells, err := x.GetRows("omitted")
	if err != nil {
		t.Fatal(err)
	}
	found := false
	for _, r := range cells {
		found = found || (len(r) > 0 && r[0] == "codes")
	}
	if !found {
		t.Errorf("omitted sheet %q does not list codes", cells)
	}
}
