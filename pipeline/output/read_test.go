package output

import (
	"bytes"
	"errors"
	"testing"

	"surveymine/pipeline/table"
)

// TestReadBack writes the all-kinds table as Arrow and Parquet, reads each
// file back into a table and checks that its CSV rendering equals the CSV
// written from the original table.
type tableCase struct {
	name string
	t    *table.Table
}

func TestReadBack(t *testing.T) {
	for _, tb := range []*tableCase{{"all kinds", allKinds()}, {"empty", emptyKinds()}, {"big", bigTable(70000)}} {
		t.Run(tb.name, func(t *testing.T) {
			want := csvText(t, tb.t)
			var a bytes.Buffer
			if err := WriteArrow(&a, tb.t, nil); err != nil {
				t.Fatal(err)
			}
			got, err := ReadArrow(bytes.NewReader(a.Bytes()))
			if err != nil {
				t.Fatalf("ReadArrow: %v", err)
			}
			if got.Name != tb.t.Name || got.Doc != tb.t.Doc {
				t.Errorf("ReadArrow name/doc = %q/%q, want %q/%q", got.Name, got.Doc, tb.t.Name, tb.t.Doc)
			}
			if g := csvText(t, got); g != want {
				t.Errorf("ReadArrow CSV differs:\n got %s\nwant %s", head(g), head(want))
			}
			var p bytes.Buffer
			if err := WriteParquet(&p, tb.t, nil, ""); err != nil {
				t.Fatal(err)
			}
			got, err = ReadParquet(bytes.NewReader(p.Bytes()))
			if err != nil {
				t.Fatalf("ReadParquet: %v", err)
			}
			if g := csvText(t, got); g != want {
				t.Errorf("ReadParquet CSV differs:\n got %s\nwant %s", head(g), head(want))
			}
			for i, c := range got.Columns {
				if c.Kind != tb.t.Columns[i].Kind || c.Doc != tb.t.Columns[i].Doc {
					t.Errorf("ReadParquet column %q: kind %v doc %q, want %v %q", c.Name, c.Kind, c.Doc, tb.t.Columns[i].Kind, tb.t.Columns[i].Doc)
				}
			}
		})
	}
}

type brokenWriter struct{}

func (brokenWriter) Write([]byte) (int, error) { return 0, errors.New("disk full") }

// TestWriteParquetBrokenWriter: arrow's Parquet writer panics when it
// cannot write its header; WriteParquet must return an error instead.
func TestWriteParquetBrokenWriter(t *testing.T) {
	err := WriteParquet(brokenWriter{}, allKinds(), nil, "")
	if err == nil {
		t.Fatal("WriteParquet to a failing writer returned nil error")
	}
	if err := WriteArrow(brokenWriter{}, allKinds(), nil); err == nil {
		t.Fatal("WriteArrow to a failing writer returned nil error")
	}
}
