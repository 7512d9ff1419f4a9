package output

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"surveymine/pipeline/table"
)

// lazyCopy returns t with every column turned into a lazy view of the
// original's values, as the stages build their per-row tables.
func lazyCopy(t *table.Table) *table.Table {
	out := table.New(t.Name, t.Doc)
	for _, c := range t.Columns {
		n := c.Len()
		var lc *table.Column
		if c.Kind == table.List {
			lc = out.AddListFunc(c.Name, c.Doc, n, c.List)
		} else {
			lc = out.AddFunc(c.Name, c.Doc, c.Kind, n, func(i int) table.Cell {
				switch c.Kind {
				case table.Int:
					return table.Cell{Int: c.Ints[i]}
				case table.Float:
					return table.Cell{Float: c.Floats[i]}
				case table.Bool:
					return table.Cell{Bool: c.Bools[i]}
				}
				return table.Cell{Str: c.Strings[i]}
			})
		}
		if null := c.Null; null != nil {
			lc.NullAt = func(i int) bool { return null[i] }
		}
	}
	return out
}

// TestLazyColumnsWriteSameBytes checks that a table of lazy columns writes
// the same bytes, in every format, as the same table held in slices; with
// more rows than one batch, so that lazy cells are read batch by batch.
func TestLazyColumnsWriteSameBytes(t *testing.T) {
	for _, mk := range []func() *table.Table{allKinds, emptyKinds, func() *table.Table { return bigTable(batchRows + 1234) }} {
		held := mk()
		lazy := lazyCopy(mk())
		if err := lazy.Validate(); err != nil {
			t.Fatalf("%s: Validate = %v", held.Name, err)
		}
		dirs := [2]string{t.TempDir(), t.TempDir()}
		for k, tb := range []*table.Table{held, lazy} {
			if _, err := writeAll(context.Background(), dirs[k], []*table.Table{tb}, Options{Meta: testMeta}, osCreate, defaultMem()); err != nil {
				t.Fatalf("%s: WriteAll = %v", tb.Name, err)
			}
		}
		files, _ := filepath.Glob(filepath.Join(dirs[0], "*"))
		if len(files) != 4 {
			t.Fatalf("%s: wrote %d files, want 4", held.Name, len(files))
		}
		for _, f := range files {
			a, _ := os.ReadFile(f)
			b, err := os.ReadFile(filepath.Join(dirs[1], filepath.Base(f)))
			if err != nil {
				t.Fatal(err)
			}
			if string(a) != string(b) {
				t.Errorf("%s: lazy columns wrote different bytes", filepath.Base(f))
			}
		}
	}
}

// TestLazyKindMismatch checks that Validate rejects a lazy producer of the
// wrong shape for its column kind.
func TestLazyKindMismatch(t *testing.T) {
	tb := table.New("bad", "")
	tb.AddFunc("l", "", table.List, 1, func(int) table.Cell { return table.Cell{} })
	if err := tb.Validate(); err == nil {
		t.Error("Validate accepted a List column with a scalar producer")
	}
}
