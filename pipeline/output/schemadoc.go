package output

import (
	"strings"

	"surveymine/pipeline/table"
)

// SchemaDoc renders the tables' schema as Markdown for docs/schema.md: a
// title with table.SchemaVersion, then per table (in the given order) a
// section with the table Doc, the file names, and a column list giving
// name, kind (Kind.String, e.g. "list<string>") and Doc. Pipes and line
// breaks in docs are escaped so every column stays one table row. Nil
// tables are skipped; no tables give just the title.
func SchemaDoc(tables []*table.Table) string {
	var b strings.Builder
	b.WriteString("# Output schema\n\nSchema version: " + table.SchemaVersion + "\n\n")
	b.WriteString("Every table is written as `<name>.arrow`, `<name>.parquet` and `<name>.csv`, and as a sheet of `" + XLSXName + "`. ")
	b.WriteString("In CSV and XLSX, lists are joined with `" + ListSep + "` and nulls are empty cells; Arrow and Parquet keep nulls, and `category` columns are dictionary-encoded. ")
	b.WriteString("Every file carries `schema_version`, `table` and `table_doc` in its schema metadata and each column's description as field metadata `doc`.\n")
	for _, t := range tables {
		if t == nil {
			continue
		}
		b.WriteString("\n## " + t.Name + "\n\n")
		if t.Doc != "" {
			b.WriteString(oneLine(t.Doc) + "\n\n")
		}
		b.WriteString("| column | type | description |\n|---|---|---|\n")
		for _, c := range t.Columns {
			b.WriteString("| `" + c.Name + "` | " + c.Kind.String() + " | " + cellDoc(c.Doc) + " |\n")
		}
	}
	return b.String()
}

// oneLine folds line breaks into spaces.
func oneLine(s string) string {
	return strings.Join(strings.Fields(s), " ")
}

// cellDoc makes s safe inside a Markdown table cell.
func cellDoc(s string) string {
	return strings.ReplaceAll(oneLine(s), "|", `\|`)
}
