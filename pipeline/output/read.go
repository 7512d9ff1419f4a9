package output

import (
	"fmt"
	"io"
	"math"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/ipc"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"surveymine/pipeline/table"
)

// ReadArrow reads an Arrow IPC file written by WriteArrow back into a
// table, so outputs can be checked or converted (e.g. to CSV with
// WriteCSV). The table name and doc come from the schema metadata.
// Columns of types WriteArrow does not produce are an error.
func ReadArrow(r io.ReadSeeker) (*table.Table, error) {
	ra, ok := r.(interface {
		io.ReadSeeker
		io.ReaderAt
	})
	if !ok {
		return nil, fmt.Errorf("read arrow: reader must implement io.ReaderAt")
	}
	size, err := r.Seek(0, io.SeekEnd)
	if err != nil {
		return nil, err
	}
	fr, err := ipc.NewFileReader(io.NewSectionReader(ra, 0, size), ipc.WithAllocator(memory.NewGoAllocator()))
	if err != nil {
		return nil, fmt.Errorf("read arrow: %w", err)
	}
	defer fr.Close()
	t, err := newTableFor(fr.Schema())
	if err != nil {
		return nil, err
	}
	for i := 0; i < fr.NumRecords(); i++ {
		rec, err := fr.Record(i)
		if err != nil {
			return nil, fmt.Errorf("read arrow: record %d: %w", i, err)
		}
		if err := appendRecord(t, rec); err != nil {
			return nil, err
		}
	}
	return t, nil
}

// newTableFor creates an empty table with a column per schema field.
func newTableFor(s *arrow.Schema) (*table.Table, error) {
	md := s.Metadata()
	get := func(k string) string {
		if i := md.FindKey(k); i >= 0 {
			return md.Values()[i]
		}
		return ""
	}
	t := table.New(get(MetaTable), get(MetaTableDoc))
	for _, f := range s.Fields() {
		kind, err := kindOf(f.Type)
		if err != nil {
			return nil, fmt.Errorf("column %q: %w", f.Name, err)
		}
		doc := ""
		if i := f.Metadata.FindKey(FieldMetaDoc); i >= 0 {
			doc = f.Metadata.Values()[i]
		}
		t.Columns = append(t.Columns, &table.Column{Name: f.Name, Kind: kind, Doc: doc})
	}
	return t, nil
}

func kindOf(dt arrow.DataType) (table.Kind, error) {
	switch dt.ID() {
	case arrow.INT64:
		return table.Int, nil
	case arrow.FLOAT64:
		return table.Float, nil
	case arrow.STRING:
		return table.String, nil
	case arrow.DICTIONARY:
		return table.Category, nil
	case arrow.LIST:
		return table.List, nil
	case arrow.BOOL:
		return table.Bool, nil
	}
	return 0, fmt.Errorf("unsupported arrow type %s", dt)
}

// appendRecord appends the rows of rec to t, whose columns match rec's.
func appendRecord(t *table.Table, rec arrow.RecordBatch) error {
	if int(rec.NumCols()) != len(t.Columns) {
		return fmt.Errorf("record has %d columns, want %d", rec.NumCols(), len(t.Columns))
	}
	for j, c := range t.Columns {
		a := rec.Column(j)
		for i := 0; i < a.Len(); i++ {
			null := a.IsNull(i)
			if c.Kind != table.Float {
				c.Null = append(c.Null, null)
			}
			switch c.Kind {
			case table.Int:
				v := int64(0)
				if !null {
					v = a.(*array.Int64).Value(i)
				}
				c.Ints = append(c.Ints, v)
			case table.Float:
				v := math.NaN()
				if !null {
					v = a.(*array.Float64).Value(i)
				}
				c.Floats = append(c.Floats, v)
			case table.String:
				v := ""
				if !null {
					v = a.(*array.String).Value(i)
				}
				c.Strings = append(c.Strings, v)
			case table.Category:
				v := ""
				if !null {
					d := a.(*array.Dictionary)
					v = d.Dictionary().(*array.String).Value(d.GetValueIndex(i))
				}
				c.Strings = append(c.Strings, v)
			case table.List:
				var v []string
				if !null {
					l := a.(*array.List)
					start, end := l.ValueOffsets(i)
					vals := l.ListValues().(*array.String)
					v = make([]string, 0, end-start)
					for k := start; k < end; k++ {
						v = append(v, vals.Value(int(k)))
					}
				}
				c.Lists = append(c.Lists, v)
			case table.Bool:
				v := false
				if !null {
					v = a.(*array.Boolean).Value(i)
				}
				c.Bools = append(c.Bools, v)
			}
		}
	}
	return nil
}
