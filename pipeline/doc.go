// Package pipeline runs a surveymine job: it owns the job's Config, the
// Dataset that flows between stages, the stages themselves and the tables
// and manifest they produce. Readers live in pipeline/ingest, writers in
// pipeline/output, the report in pipeline/report; the computations they
// call are in analysis/.
//
// Build constructs the stages once (dictionaries and the codebook are
// loaded there); Run executes them in order, each returning a new Dataset:
//
//	inputs (CSV/TSV/XLSX/JSONL surveys, txt/md/docx reports)
//	   │
//	   ▼
//	ingest ──► Corpus: respondents, text units with provenance, rejects, claims
//	   │
//	segment ─► Tokens per unit (gse dictionary + domain lexicon, filters, synonyms)
//	   │
//	code ────► Coding: codebook hits per unit (unit and sentence level)
//	   │
//	cluster ─► Clustering: kmeans / gsdmm / lsa (auto) over the open answers, stability
//	   │
//	crosstab ► CrosstabResults: clusters, categories, options × attributes
//	   │
//	write ───► <out>/*.arrow *.parquet *.csv tables.xlsx report.html report.md
//	           manifest.json config.yaml (staged, then renamed into place)
//
// Every stage appends the tables it produces to Dataset.Tables; the write
// stage writes them. Per-row tables are lazy views of the corpus and the
// stages' results (table.Column.At), read a batch at a time by the writers;
// the code stage writes its codes table at once and drops the hits behind
// it when the workbook does not need them (outputs.writeEarly). Parallel work happens inside a stage (errgroup with
// a limit), with results in input order, so outputs do not depend on the
// number of workers.
package pipeline
