package pipeline

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"slices"
	"strings"
	"time"

	"surveymine/pipeline/output"
	"surveymine/pipeline/report"
	"surveymine/pipeline/table"
)

// writeStage writes every table, the manifest and the resolved config into
// a staged directory and renames it into place at the end.
type writeStage struct {
	cfg *Config
	env Env
}

func newWrite(cfg *Config, env Env) *writeStage { return &writeStage{cfg: cfg, env: env} }

func (s *writeStage) Name() string { return "write" }

// OutputDir returns the configured output directory ("out" when unset).
func (c *Config) OutputDir() string {
	if c.Output.Dir == "" {
		return "out"
	}
	return c.Output.Dir
}

func (s *writeStage) Run(ctx context.Context, in *Dataset) (out *Dataset, err error) {
	start := time.Now()
	d := in.clone()
	d.Tables = append([]*table.Table{documentsTable(in, s.cfg)}, d.Tables...)
	dir, err := output.Begin(s.cfg.OutputDir(), s.cfg.Output.Force)
	if err != nil {
		return nil, err
	}
	for _, n := range dir.Notices() {
		s.env.Log.Warn(n)
	}
	defer func() {
		if err != nil {
			dir.Abort()
		}
	}()
	formats := s.cfg.formats()
	var tableFormats []string
	for _, f := range formats {
		if f != "html" && f != "md" {
			tableFormats = append(tableFormats, f)
		}
	}
	if slices.Contains(tableFormats, "xlsx") {
		for _, t := range output.XLSXOmitted(d.Tables, s.cfg.Output.XLSXMaxRows) {
			s.env.Log.Warn("table too long or wide for tables.xlsx; read its CSV or Parquet file", "table", t.Name, "rows", t.NumRows(), "columns", len(t.Columns), "output.xlsx_max_rows", s.cfg.Output.XLSXMaxRows)
		}
	}
	var files []output.FileInfo
	if len(tableFormats) > 0 {
		files, err = output.WriteAll(ctx, dir.Path(), d.Tables, output.Options{
			Formats:      tableFormats,
			CSVBOM:       s.cfg.Output.CSVBOM,
			CSVExcelSafe: s.cfg.Output.ExcelSafe(),
			Codec:        s.cfg.Output.Codec,
			XLSXMaxRows:  s.cfg.Output.XLSXMaxRows,
			Meta:         map[string]string{"program": "surveymine", "program_version": s.env.Version},
		})
		if err != nil {
			return nil, err
		}
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if slices.Contains(formats, "html") || slices.Contains(formats, "md") {
		model := buildReportModel(d, s.cfg, s.env)
		for _, rf := range []struct {
			format, name string
			write        func(io.Writer, *report.Model) error
		}{{"html", "report.html", report.WriteHTML}, {"md", "report.md", report.WriteMarkdown}} {
			if !slices.Contains(formats, rf.format) {
				continue
			}
			if err := ctx.Err(); err != nil {
				return nil, err
			}
			fi, err := output.WriteFile(dir.Path(), rf.name, func(w io.Writer) error { return rf.write(w, model) })
			if err != nil {
				return nil, fmt.Errorf("write %s: %w", rf.name, err)
			}
			fi.Format = rf.format
			files = append(files, fi)
		}
	}
	if len(s.env.ConfigYAML) > 0 {
		if err := os.WriteFile(filepath.Join(dir.Path(), "config.yaml"), s.env.ConfigYAML, 0o644); err != nil {
			return nil, err
		}
	}
	d.Timing = append(append([]StageTiming(nil), in.Timing...), StageTiming{"write", time.Since(start).Seconds()})
	m := buildManifest(d, s.cfg, s.env, files)
	data, err := json.MarshalIndent(m, "", "  ")
	if err != nil {
		return nil, err
	}
	if err := os.WriteFile(filepath.Join(dir.Path(), "manifest.json"), append(data, '\n'), 0o644); err != nil {
		return nil, err
	}
	// The last moment to stop: after Commit the new output is in place.
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if err := dir.Commit(); err != nil {
		return nil, err
	}
	d.Timing = in.Timing // Run appends this stage's timing
	return d, nil
}

// Manifest makes a run reproducible: what ran, on what, with which
// settings, and what it wrote.
type Manifest struct {
	Program       string              `json:"program"`
	Version       string              `json:"version"`
	SchemaVersion string              `json:"schema_version"`
	Go            string              `json:"go"`
	Libraries     map[string]string   `json:"libraries"`
	Seed          uint64              `json:"seed"`
	Workers       int                 `json:"workers"`
	ConfigFile    string              `json:"config_file"`
	Config        string              `json:"config"` // merged config as YAML
	Inputs        []ManifestInput     `json:"inputs"`
	Outputs       []ManifestOutput    `json:"outputs"`
	Stages        []StageTiming       `json:"stages"`      // wall time per stage: varies between runs
	Performance   map[string]any      `json:"performance"` // other run-dependent figures (clause cache hits)
	Facts         map[string]any      `json:"facts"`
	Codebook      *CodebookSource     `json:"codebook"`           // null when no codebook coded the run
	Warnings      []string            `json:"warnings,omitempty"` // input problems the run went on with (duplicate headers, duplicate ids)
	Tables        map[string]TableRef `json:"tables"`
}

// ManifestInput accounts for one input: rows read = accepted + rejected.
type ManifestInput struct {
	File     string `json:"file"`
	Format   string `json:"format"`
	Encoding string `json:"encoding"`
	SHA256   string `json:"sha256"`
	Bytes    int64  `json:"bytes"`
	Read     int    `json:"rows_read"`
	Accepted int    `json:"rows_accepted"`
	Rejected int    `json:"rows_rejected"`
}

// ManifestOutput is one written file.
type ManifestOutput struct {
	File   string `json:"file"`
	Table  string `json:"table,omitempty"`
	Format string `json:"format"`
	Rows   int    `json:"rows"`
	Bytes  int64  `json:"bytes"`
	SHA256 string `json:"sha256"`
}

// TableRef gives a table's row count and description.
type TableRef struct {
	Rows int    `json:"rows"`
	Doc  string `json:"doc"`
}

func buildManifest(d *Dataset, cfg *Config, env Env, files []output.FileInfo) Manifest {
	m := Manifest{
		Program: "surveymine", Version: env.Version, SchemaVersion: table.SchemaVersion,
		Go: runtime.Version(), Libraries: map[string]string{},
		Seed: cfg.seed(), Workers: cfg.workers(), ConfigFile: cfg.File, Config: string(env.ConfigYAML),
		Stages: d.Timing, Performance: d.Perf, Facts: d.Facts, Tables: map[string]TableRef{},
	}
	if bi, ok := debug.ReadBuildInfo(); ok {
		for _, dep := range bi.Deps {
			if slices.Contains([]string{"github.com/go-ego/gse", "gonum.org/v1/gonum", "github.com/apache/arrow-go/v18", "github.com/parquet-go/parquet-go", "github.com/xuri/excelize/v2"}, dep.Path) {
				m.Libraries[dep.Path] = dep.Version
			}
		}
	}
	if d.Corpus != nil {
		m.Warnings = d.Corpus.Warnings
		for _, in := range d.Corpus.Inputs {
			m.Inputs = append(m.Inputs, ManifestInput{File: in.File, Format: in.Format, Encoding: in.Encoding, SHA256: in.SHA256,
				Bytes: in.Bytes, Read: in.Read, Accepted: in.Accepted, Rejected: in.Rejected})
		}
	}
	for _, f := range files {
		m.Outputs = append(m.Outputs, ManifestOutput{File: f.Path, Table: f.Table, Format: f.Format, Rows: f.Rows, Bytes: f.Bytes, SHA256: f.SHA256})
	}
	if d.Coding != nil {
		m.Codebook = d.Coding.Source
	}
	for _, t := range d.Tables {
		m.Tables[t.Name] = TableRef{Rows: t.NumRows(), Doc: t.Doc}
	}
	return m
}

// documentsTable has one row per text unit: where it came from, its
// text, tokens and terms, its cluster and codes, and the respondent's
// attributes.
func documentsTable(d *Dataset, cfg *Config) *table.Table {
	c := d.Corpus
	t := table.New("documents", "One row per text unit (open answer, 其他 free text, report paragraph, sentence or enumerated point) with its provenance, text, tokens, analysis terms, cluster, codebook categories and the respondent's attributes.")
	n := len(c.Units)
	s := func() []string { return make([]string, n) }
	i64 := func() []int64 { return make([]int64, n) }
	id, kind, resp, ques, file, sheet, col, head, missing, text, raw, clLabel, clReason := s(), s(), s(), s(), s(), s(), s(), s(), s(), s(), s(), s(), s()
	row, art, para, sp0, sp1, cl := i64(), i64(), i64(), i64(), i64(), i64()
	clNull := make([]bool, n)
	inCauses := make([]bool, n)
	cats := make([][]string, n)
	for i, u := range c.Units {
		id[i], kind[i], resp[i], ques[i] = u.ID, u.Kind.String(), respondentKey(c, u), u.Question
		file[i], sheet[i], col[i], head[i] = u.Src.File, u.Src.Sheet, u.Src.Column, strings.Join(u.Src.Heading, " > ")
		row[i], art[i], para[i], sp0[i], sp1[i] = int64(u.Src.Row), int64(u.Src.Article), int64(u.Src.Paragraph), int64(u.Src.Start), int64(u.Src.End)
		missing[i], text[i], raw[i], inCauses[i] = u.Missing.String(), u.Text, u.Raw, u.InCauses
		clNull[i] = true
		if g := d.Groups; g != nil && g.Cluster[i] >= 0 {
			clNull[i] = false
			cl[i] = int64(g.Cluster[i])
			if g.Cluster[i] >= 1 {
				clLabel[i] = g.Labels[g.Cluster[i]-1]
			}
			clReason[i] = g.Reason[i]
		}
		cats[i] = []string{}
		if d.Coding != nil {
			for _, cat := range d.Coding.UnitCats[i] {
				cats[i] = append(cats[i], fmt.Sprintf("%d %s", cat, d.Coding.CategoryName(cat)))
			}
		}
	}
	t.AddString("unit_id", "text unit id: file:row:Q6 for an answer, file:row:Q5:other for 其他 free text, file:pN for report paragraph N, file:pN:sK and file:pN:eK for its sentences and enumerated points", id)
	t.AddCategory("kind", "answer, other_text, paragraph, sentence or point", kind)
	t.AddString("respondent", "respondent key (joins respondents.respondent); empty for report units", resp)
	t.AddCategory("question", "question id of an answer; empty for report units", ques)
	t.AddCategory("file", "input file", file)
	t.AddCategory("sheet", "XLSX sheet; empty otherwise", sheet)
	t.AddInt("row", "1-based row in the file, header counted; 0 for report units", row)
	t.AddCategory("column", "header of the column the text came from", col)
	t.AddInt("article", "1-based article number in a report compilation; 0 for survey units", art)
	t.AddString("heading_path", "report headings above the unit, outermost first, joined with >", head)
	t.AddInt("paragraph", "1-based paragraph number in the report; 0 for survey units", para)
	t.AddInt("span_start", "rune offset of the unit in its paragraph (reports)", sp0)
	t.AddInt("span_end", "rune offset one past the unit's end (reports)", sp1)
	t.AddBool("in_causes", "the unit is in a report section about causes (原因/成因/根源 …)", inCauses)
	t.AddCategory("missing", "answered, skipped ((跳过)), empty ((空)) or unanswered (blank)", missing)
	t.AddString("text", "normalised text that the analysis used", text)
	t.AddString("raw", "text as read, before normalisation", raw)
	// Token lists are produced while writing, not held: for a million
	// answers they would be the largest thing in memory.
	t.AddListFunc("tokens", "every token the segmenter cut, in order", n, func(i int) []string {
		out := make([]string, len(d.Tokens[i]))
		for j, tk := range d.Tokens[i] {
			out[j] = tk.Text
		}
		return out
	})
	t.AddListFunc("pos", "part-of-speech tag of each token", n, func(i int) []string {
		out := make([]string, len(d.Tokens[i]))
		for j, tk := range d.Tokens[i] {
			out[j] = tk.POS.String()
		}
		return out
	})
	t.AddListFunc("terms", "analysis terms after filters and synonym merging", n, func(i int) []string {
		out := []string{}
		for _, tk := range d.Tokens[i] {
			if tk.Term != "" {
				out = append(out, tk.Term)
			}
		}
		return out
	})
	t.AddInt("cluster", "cluster number (1..K), 0 = unclassified open answer; null for units that are not open answers", cl).Null = clNull
	t.AddString("cluster_label", "label of the cluster", clLabel)
	t.AddString("cluster_reason", "why an open answer is unclassified", clReason)
	t.AddList("categories", "codebook categories coded in the unit, as 'id name'; 0 其他 = content that no rule codes", cats)
	// Respondent attributes, so the table can be filtered without a join.
	used := map[string]bool{}
	for _, tc := range t.Columns {
		used[tc.Name] = true
	}
	for _, sv := range cfg.Inputs.Surveys {
		for _, name := range sv.AttributeColumns {
			for _, qi := range matchQuestions(c, name) {
				q := c.Questions[qi]
				cname := questionColumn(q)
				if used[cname] {
					continue
				}
				used[cname] = true
				v := make([]string, n)
				for i, u := range c.Units {
					if u.Respondent >= 0 {
						v[i] = answerLabel(c.Respondents[u.Respondent].Answers[qi])
					}
				}
				t.AddCategory(cname, "attribute: "+q.Header, v)
			}
		}
	}
	return t
}
