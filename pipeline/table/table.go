// Package table is the typed, column-oriented table that every stage hands to
// the writers. A stage builds a Table with the Add* methods; the writers in
// package output turn it into Arrow IPC, Parquet, CSV and XLSX without
// knowing which stage made it.
//
// A Table is a plain value: no Arrow memory is held, so nothing needs
// releasing. Column kinds map to Arrow types as follows:
//
//	Int      int64
//	Float    float64 (NaN is written as null)
//	String   utf8
//	Category dictionary<int32, utf8>
//	List     list<utf8> (joined with " | " in CSV and XLSX)
//	Bool     bool
package table

import (
	"fmt"
	"math"
)

// SchemaVersion is written into every output file's metadata and the
// manifest. Bump it when a table or column changes meaning or type.
const SchemaVersion = "2" // 2: k_sweep has one row per method × k, its stability is a Jaccard

// Kind is the type of a column.
type Kind uint8

// The column kinds.
const (
	Int Kind = iota
	Float
	String
	Category
	List
	Bool
)

var kindNames = [...]string{"int64", "float64", "string", "category", "list<string>", "bool"}

// String returns the kind as written in docs/schema.md.
func (k Kind) String() string {
	if int(k) < len(kindNames) {
		return kindNames[k]
	}
	return "unknown"
}

// Column is one named, typed column. Exactly one of the value slices is used,
// according to Kind. Null, when non-nil, marks null cells (true = null) for
// Int, String, Category and Bool columns; Float columns use NaN for null.
//
// A column can instead produce its cells on demand (a lazy column, made by
// the Add*Func methods): then At holds the producer, the value slices stay
// nil and Rows is the number of cells. Per-row tables of a large corpus are
// views of the data the stages already hold, not copies of it; the writers
// read them a batch at a time. A producer must be safe to call repeatedly
// and concurrently (the writers of several formats read a table at once)
// and return the same value each time.
type Column struct {
	Name    string
	Kind    Kind
	Doc     string // one line for docs/schema.md
	Ints    []int64
	Floats  []float64
	Strings []string // String and Category
	Lists   [][]string
	Bools   []bool
	Null    []bool

	// ListAt produces cell i of a lazy List column.
	ListAt func(i int) []string
	// At produces cell i of a lazy column of any other kind; NullAt, when
	// set, reports null cells of a lazy column (Float columns use NaN).
	At     func(i int) Cell
	NullAt func(i int) bool
	Rows   int
}

// Cell is one value of a lazy column: the field of the column's kind is
// used (Str for String and Category).
type Cell struct {
	Int   int64
	Float float64
	Str   string
	Bool  bool
}

// Lazy reports whether the column produces its cells on demand.
func (c *Column) Lazy() bool { return c.At != nil || c.ListAt != nil }

// Int returns cell i of an Int column.
func (c *Column) Int(i int) int64 {
	if c.At != nil {
		return c.At(i).Int
	}
	return c.Ints[i]
}

// Float returns cell i of a Float column.
func (c *Column) Float(i int) float64 {
	if c.At != nil {
		return c.At(i).Float
	}
	return c.Floats[i]
}

// Str returns cell i of a String or Category column.
func (c *Column) Str(i int) string {
	if c.At != nil {
		return c.At(i).Str
	}
	return c.Strings[i]
}

// Bool returns cell i of a Bool column.
func (c *Column) Bool(i int) bool {
	if c.At != nil {
		return c.At(i).Bool
	}
	return c.Bools[i]
}

// List returns cell i of a List column.
func (c *Column) List(i int) []string {
	if c.ListAt != nil {
		return c.ListAt(i)
	}
	return c.Lists[i]
}

// Len returns the number of cells in the column.
func (c *Column) Len() int {
	if c.Lazy() {
		return c.Rows
	}
	switch c.Kind {
	case Int:
		return len(c.Ints)
	case Float:
		return len(c.Floats)
	case String, Category:
		return len(c.Strings)
	case List:
		return len(c.Lists)
	case Bool:
		return len(c.Bools)
	}
	return 0
}

// IsNull reports whether cell i is null.
func (c *Column) IsNull(i int) bool {
	if c.Kind == Float {
		return math.IsNaN(c.Float(i))
	}
	if c.NullAt != nil {
		return c.NullAt(i)
	}
	return c.Null != nil && c.Null[i]
}

// Table is a named list of equally long columns.
type Table struct {
	Name    string // file stem: documents, clusters, crosstab_cells, …
	Doc     string // one paragraph for docs/schema.md
	Columns []*Column

	// Written marks a table whose files were written before the end of
	// the run so that the data behind it could be dropped (MarkWritten):
	// its columns keep their names, kinds and docs, and NumRows its row
	// count, but it has no cells; writers refuse it.
	Written bool
	rows    int
}

// MarkWritten drops the cells of t, keeping its schema and row count, and
// sets Written.
func (t *Table) MarkWritten() {
	t.rows = t.NumRows()
	t.Written = true
	for i, c := range t.Columns {
		t.Columns[i] = &Column{Name: c.Name, Kind: c.Kind, Doc: c.Doc}
	}
}

// New returns an empty table.
func New(name, doc string) *Table { return &Table{Name: name, Doc: doc} }

// NumRows returns the number of rows; 0 for a table without columns.
func (t *Table) NumRows() int {
	if t.Written {
		return t.rows
	}
	if len(t.Columns) == 0 {
		return 0
	}
	return t.Columns[0].Len()
}

// Column returns the column with the given name, or nil.
func (t *Table) Column(name string) *Column {
	for _, c := range t.Columns {
		if c.Name == name {
			return c
		}
	}
	return nil
}

func (t *Table) add(c *Column) *Column {
	t.Columns = append(t.Columns, c)
	return c
}

// AddInt appends an int64 column and returns it.
func (t *Table) AddInt(name, doc string, v []int64) *Column {
	return t.add(&Column{Name: name, Kind: Int, Doc: doc, Ints: v})
}

// AddFloat appends a float64 column (NaN = null) and returns it.
func (t *Table) AddFloat(name, doc string, v []float64) *Column {
	return t.add(&Column{Name: name, Kind: Float, Doc: doc, Floats: v})
}

// AddString appends a free-text column and returns it.
func (t *Table) AddString(name, doc string, v []string) *Column {
	return t.add(&Column{Name: name, Kind: String, Doc: doc, Strings: v})
}

// AddCategory appends a categorical (dictionary-encoded) column and returns it.
func (t *Table) AddCategory(name, doc string, v []string) *Column {
	return t.add(&Column{Name: name, Kind: Category, Doc: doc, Strings: v})
}

// AddList appends a list-of-strings column and returns it.
func (t *Table) AddList(name, doc string, v [][]string) *Column {
	return t.add(&Column{Name: name, Kind: List, Doc: doc, Lists: v})
}

// AddListFunc appends a list-of-strings column of n cells produced on demand
// by at (see Column.ListAt) and returns it.
func (t *Table) AddListFunc(name, doc string, n int, at func(i int) []string) *Column {
	return t.add(&Column{Name: name, Kind: List, Doc: doc, ListAt: at, Rows: n})
}

// AddFunc appends a lazy column of the given kind (any but List) with n
// cells produced by at (see Column.At) and returns it; set NullAt on the
// result for null cells.
func (t *Table) AddFunc(name, doc string, kind Kind, n int, at func(i int) Cell) *Column {
	return t.add(&Column{Name: name, Kind: kind, Doc: doc, At: at, Rows: n})
}

// AddBool appends a boolean column and returns it.
func (t *Table) AddBool(name, doc string, v []bool) *Column {
	return t.add(&Column{Name: name, Kind: Bool, Doc: doc, Bools: v})
}

// Validate checks that the table has a name, unique column names and
// columns of equal length. A failure is a programming error in the stage
// that built the table, reported as an error so the run can name it.
func (t *Table) Validate() error {
	if t.Name == "" {
		return fmt.Errorf("table without a name")
	}
	seen := make(map[string]bool, len(t.Columns))
	n := t.NumRows()
	for _, c := range t.Columns {
		if seen[c.Name] {
			return fmt.Errorf("table %s: duplicate column %q", t.Name, c.Name)
		}
		seen[c.Name] = true
		if t.Written {
			continue
		}
		if c.Len() != n {
			return fmt.Errorf("table %s: column %q has %d rows, want %d", t.Name, c.Name, c.Len(), n)
		}
		if (c.Kind == List && c.At != nil) || (c.Kind != List && c.ListAt != nil) {
			return fmt.Errorf("table %s: column %q: lazy producer does not match its kind %s", t.Name, c.Name, c.Kind)
		}
		if c.Null != nil && len(c.Null) != n {
			return fmt.Errorf("table %s: column %q null mask has %d rows, want %d", t.Name, c.Name, len(c.Null), n)
		}
	}
	return nil
}
