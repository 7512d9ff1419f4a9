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
	"strconv"
	"strings"
	"time"

	"surveymine/analysis/segment"
	"surveymine/pipeline/corpus"
	"surveymine/pipeline/output"
	"surveymine/pipeline/report"
	"surveymine/pipeline/table"
)

// writeStage writes every table, the manifest and the resolved config into
// a staged directory and renames it into place at the end.
type writeStage struct {
	cfg *Config
	env Env
	out *outputs // the staged directory, perhaps begun by an earlier stage
}

// newWrite returns the write stage; out nil makes it stage its own
// directory.
func newWrite(cfg *Config, env Env, out *outputs) *writeStage {
	if out == nil {
		out = &outputs{cfg: cfg, env: env}
	}
	return &writeStage{cfg: cfg, env: env, out: out}
}

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
	dir, err := s.out.open()
	if err != nil {
		return nil, err
	}
	defer func() {
		if err != nil {
			s.out.abort()
		}
	}()
	formats := s.cfg.formats()
	tableFormats := s.cfg.tableFormats()
	if slices.Contains(tableFormats, "xlsx") {
		for _, t := range output.XLSXOmitted(d.Tables, s.cfg.Output.XLSXMaxRows) {
			s.env.Log.Warn("table too long or wide for tables.xlsx; read its CSV or Parquet file", "table", t.Name, "rows", t.NumRows(), "columns", len(t.Columns), "output.xlsx_max_rows", s.cfg.Output.XLSXMaxRows)
		}
	}
	files := s.out.files
	if len(tableFormats) > 0 {
		more, err := output.WriteAll(ctx, dir.Path(), d.Tables, s.out.options(tableFormats))
		if err != nil {
			return nil, err
		}
		files = ordered(append(slices.Clone(files), more...), d.Tables)
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
	n := c.Units.Len()
	// Every column is a view of the corpus and the stages' results,
	// produced while writing: for a million answers, copies of them would
	// be the largest thing in memory.
	str := func(f func(u *corpus.Unit) string) func(int) table.Cell {
		return func(i int) table.Cell { u := c.Units.At(i); return table.Cell{Str: f(&u)} }
	}
	num := func(f func(u *corpus.Unit) int) func(int) table.Cell {
		return func(i int) table.Cell { u := c.Units.At(i); return table.Cell{Int: int64(f(&u))} }
	}
	clusterOf := func(i int) int {
		if g := d.Groups; g != nil {
			return g.Cluster[i]
		}
		return -1
	}
	id := str(func(u *corpus.Unit) string { return u.ID })
	kind := str(func(u *corpus.Unit) string { return u.Kind.String() })
	resp := str(func(u *corpus.Unit) string { return respondentKey(c, *u) })
	ques := str(func(u *corpus.Unit) string { return u.Question })
	file := str(func(u *corpus.Unit) string { return u.Src.File })
	sheet := str(func(u *corpus.Unit) string { return u.Src.Sheet })
	col := str(func(u *corpus.Unit) string { return u.Src.Column })
	head := str(func(u *corpus.Unit) string { return strings.Join(u.Src.Heading, " > ") })
	missing := str(func(u *corpus.Unit) string { return u.Missing.String() })
	text := str(func(u *corpus.Unit) string { return u.Text })
	raw := str(func(u *corpus.Unit) string { return u.Raw })
	row := num(func(u *corpus.Unit) int { return u.Src.Row })
	art := num(func(u *corpus.Unit) int { return u.Src.Article })
	para := num(func(u *corpus.Unit) int { return u.Src.Paragraph })
	sp0 := num(func(u *corpus.Unit) int { return u.Src.Start })
	sp1 := num(func(u *corpus.Unit) int { return u.Src.End })
	inCauses := func(i int) table.Cell { return table.Cell{Bool: c.Units.At(i).InCauses} }
	cl := func(i int) table.Cell { return table.Cell{Int: int64(max(clusterOf(i), 0))} }
	clNull := func(i int) bool { return clusterOf(i) < 0 }
	clLabel := func(i int) table.Cell {
		if k := clusterOf(i); k >= 1 {
			return table.Cell{Str: d.Groups.Labels[k-1]}
		}
		return table.Cell{}
	}
	clReason := func(i int) table.Cell {
		if clusterOf(i) >= 0 {
			return table.Cell{Str: d.Groups.Reason[i]}
		}
		return table.Cell{}
	}
	cats := func(i int) []string {
		out := []string{}
		if d.Coding != nil {
			for _, cat := range d.Coding.UnitCats[i] {
				out = append(out, strconv.Itoa(cat)+" "+d.Coding.CategoryName(cat))
			}
		}
		return out
	}
	t.AddFunc("unit_id", "text unit id: file:row:Q6 for an answer, file:row:Q5:other for 其他 free text, file:pN for report paragraph N, file:pN:sK and file:pN:eK for its sentences and enumerated points", table.String, n, id)
	t.AddFunc("kind", "answer, other_text, paragraph, sentence or point", table.Category, n, kind)
	t.AddFunc("respondent", "respondent key (joins respondents.respondent); empty for report units", table.String, n, resp)
	t.AddFunc("question", "question id of an answer; empty for report units", table.Category, n, ques)
	t.AddFunc("file", "input file", table.Category, n, file)
	t.AddFunc("sheet", "XLSX sheet; empty otherwise", table.Category, n, sheet)
	t.AddFunc("row", "1-based row in the file, header counted; 0 for report units", table.Int, n, row)
	t.AddFunc("column", "header of the column the text came from", table.Category, n, col)
	t.AddFunc("article", "1-based article number in a report compilation; 0 for survey units", table.Int, n, art)
	t.AddFunc("heading_path", "report headings above the unit, outermost first, joined with >", table.String, n, head)
	t.AddFunc("paragraph", "1-based paragraph number in the report; 0 for survey units", table.Int, n, para)
	t.AddFunc("span_start", "rune offset of the unit in its paragraph (reports)", table.Int, n, sp0)
	t.AddFunc("span_end", "rune offset one past the unit's end (reports)", table.Int, n, sp1)
	t.AddFunc("in_causes", "the unit is in a report section about causes (原因/成因/根源 …)", table.Bool, n, inCauses)
	t.AddFunc("missing", "answered, skipped ((跳过)), empty ((空)) or unanswered (blank)", table.Category, n, missing)
	t.AddFunc("text", "normalised text that the analysis used", table.String, n, text)
	t.AddFunc("raw", "text as read, before normalisation", table.String, n, raw)
	// Token lists are produced while writing, not held: for a million
	// answers they would be the largest thing in memory.
	// The writers of the formats run at once: producers share no state.
	// Each column reads the packed tokens it needs (no rune offsets).
	list := func(i int, pick func(text, term string, pos segment.Tag, out []string) []string) []string {
		ti := int(d.Texts.Of[i])
		out := make([]string, 0, d.Cuts.NumTokens(ti))
		d.Cuts.Each(ti, func(text, term string, pos segment.Tag) { out = pick(text, term, pos, out) })
		return out
	}
	t.AddListFunc("tokens", "every token the segmenter cut, in order", n, func(i int) []string {
		return list(i, func(text, _ string, _ segment.Tag, out []string) []string { return append(out, text) })
	})
	t.AddListFunc("pos", "part-of-speech tag of each token", n, func(i int) []string {
		return list(i, func(_, _ string, pos segment.Tag, out []string) []string { return append(out, pos.String()) })
	})
	t.AddListFunc("terms", "analysis terms after filters and synonym merging", n, func(i int) []string {
		return list(i, func(_, term string, _ segment.Tag, out []string) []string {
			if term != "" {
				out = append(out, term)
			}
			return out
		})
	})
	t.AddFunc("cluster", "cluster number (1..K), 0 = unclassified open answer; null for units that are not open answers", table.Int, n, cl).NullAt = clNull
	t.AddFunc("cluster_label", "label of the cluster", table.String, n, clLabel)
	t.AddFunc("cluster_reason", "why an open answer is unclassified", table.String, n, clReason)
	t.AddListFunc("categories", "codebook categories coded in the unit, as 'id name'; 0 其他 = content that no rule codes", n, cats)
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
				t.AddFunc(cname, "attribute: "+q.Header, table.Category, n, func(i int) table.Cell {
					if r := c.Units.Respondent(i); r >= 0 {
						return table.Cell{Str: answerLabel(c, c.Respondents.Answers(r)[qi])}
					}
					return table.Cell{}
				})
			}
		}
	}
	return t
}
