package pipeline

import (
	"context"
	"slices"

	"surveymine/pipeline/output"
	"surveymine/pipeline/table"
)

// outputs is the run's staged output directory, shared by the stages that
// write a per-row table as soon as they have built it (so that they can
// drop the data behind it before the next stage runs; issue 10) and by the
// write stage, which writes everything else into the same directory and
// commits it. The directory is begun on first use. Execute makes one per
// run and aborts it when a stage fails; stages built without one (Build,
// for shard workers and codebook lint) write nothing early.
type outputs struct {
	cfg   *Config
	env   Env
	dir   *output.Dir
	files []output.FileInfo // written early, in order
}

// open returns the staged directory, beginning it on the first call.
func (o *outputs) open() (*output.Dir, error) {
	if o.dir != nil {
		return o.dir, nil
	}
	dir, err := output.Begin(o.cfg.OutputDir(), o.cfg.Output.Force)
	if err != nil {
		return nil, err
	}
	for _, n := range dir.Notices() {
		o.env.Log.Warn(n)
	}
	o.dir = dir
	return dir, nil
}

// abort removes the staged directory of a failed run, if one was begun.
func (o *outputs) abort() {
	if o != nil && o.dir != nil {
		o.dir.Abort()
		o.dir = nil
	}
}

// writeEarly writes t now and drops its cells (t.MarkWritten), when the
// run has an outputs and t is not wanted in tables.xlsx (the workbook is
// not requested, or t is over its row limit and would be left out anyway).
// It reports whether t was written, so that the caller can drop the data
// the table was a view of.
func (o *outputs) writeEarly(ctx context.Context, t *table.Table) (bool, error) {
	if o == nil {
		return false, nil
	}
	formats := o.cfg.tableFormats()
	if slices.Contains(formats, output.FormatXLSX) && len(output.XLSXOmitted([]*table.Table{t}, o.cfg.Output.XLSXMaxRows)) == 0 {
		return false, nil
	}
	dir, err := o.open()
	if err != nil {
		return false, err
	}
	if len(formats) > 0 && !(len(formats) == 1 && formats[0] == output.FormatXLSX) {
		files, err := output.WriteAll(ctx, dir.Path(), []*table.Table{t}, o.options(withoutXLSX(formats)))
		if err != nil {
			return false, err
		}
		o.files = append(o.files, files...)
	}
	t.MarkWritten()
	return true, nil
}

// options are the writer options of the run for the given table formats.
func (o *outputs) options(formats []string) output.Options {
	return output.Options{
		Formats:      formats,
		CSVBOM:       o.cfg.Output.CSVBOM,
		CSVExcelSafe: o.cfg.Output.ExcelSafe(),
		Codec:        o.cfg.Output.Codec,
		XLSXMaxRows:  o.cfg.Output.XLSXMaxRows,
		Meta:         map[string]string{"program": "surveymine", "program_version": o.env.Version},
	}
}

// tableFormats returns the configured formats that are table files
// (arrow, parquet, csv, xlsx), without the reports.
func (c *Config) tableFormats() []string {
	var out []string
	for _, f := range c.formats() {
		if f != "html" && f != "md" {
			out = append(out, f)
		}
	}
	return out
}

func withoutXLSX(formats []string) []string {
	return slices.DeleteFunc(slices.Clone(formats), func(f string) bool { return f == output.FormatXLSX })
}

// ordered returns files sorted by the position of their table in tables
// (files of the same table, and files of no table, keep their order), so
// that the manifest lists files in table order whichever stage wrote them.
func ordered(files []output.FileInfo, tables []*table.Table) []output.FileInfo {
	pos := make(map[string]int, len(tables))
	for i, t := range tables {
		pos[t.Name] = i
	}
	rank := func(f output.FileInfo) int {
		if p, ok := pos[f.Table]; ok && f.Table != "" {
			return p
		}
		return len(tables)
	}
	out := slices.Clone(files)
	slices.SortStableFunc(out, func(a, b output.FileInfo) int { return rank(a) - rank(b) })
	return out
}
