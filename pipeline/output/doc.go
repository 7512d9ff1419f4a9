// Package output writes the pipeline's tables to disk and makes the output
// directory appear all at once or not at all.
//
// Every stage hands its results over as *table.Table values. This package
// turns each table into three files and all tables into one workbook:
//
//	<name>.arrow    Arrow IPC file format, one record batch per 65,536 rows
//	                (written with arrow-go v18)
//	<name>.parquet  Parquet (snappy by default; V1 data pages, PLAIN values,
//	                dictionaries for category columns and list elements)
//	                with the Arrow schema stored, so category columns read
//	                back as dictionaries in Arrow readers (written with
//	                parquet-go, which keeps the binary free of arrow-go's
//	                compute kernels and gRPC)
//	<name>.csv      UTF-8, RFC 4180 quoting, header row, optional BOM
//	tables.xlsx     one sheet per table, header row frozen
//
// Arrow and Parquet carry the same schema metadata: schema_version
// (table.SchemaVersion), table (the table name), table_doc, plus whatever
// the caller passes (program version, run id, …); each field carries its
// column Doc under the "doc" key.
//
// A run writes through a Dir:
//
//	d, err := output.Begin(target, force)  // fails early if target is non-empty
//	defer d.Abort()                        // no-op after a successful Commit
//	files, err := output.WriteAll(ctx, d.Path(), tables, opts)
//	... write manifest, report into d.Path() ...
//	err = d.Commit()                       // rename into place
//
// Files are staged in a hidden temporary directory beside the target and
// swapped into place by Commit, so an interrupted or failed run never
// leaves a half-written output directory and never replaces an existing
// non-empty one unless force is set. A lock beside the target keeps two
// runs from writing it at once. A process killed outright (SIGKILL) may
// leave its staging directory, or mid-swap the previous output moved
// aside; the next Begin for the same target puts the previous output back
// or removes what is stale, and says so (Dir.Notices).
//
// All writers are deterministic: the same tables and metadata give
// byte-identical CSV, Arrow and Parquet files, and (with excelize v2.11,
// which writes fixed document dates and no zip timestamps) XLSX files.
package output
