// Package ingest reads survey exports and research reports into one typed
// corpus (package corpus), losing nothing: every accepted row and text unit
// carries its provenance, and every malformed row is kept as a reject with
// a reason code and its raw bytes.
//
// Data flow:
//
//	surveys: file ─► format (csv/tsv/xlsx/jsonl; legacy .xls refused)
//	              ─► encoding (BOM, UTF-8, else GB18030; or configured)
//	              ─► records (per line decode + validate; malformed → reject)
//	              ─► header classification (问卷星 meta, personal, Q-number,
//	                 one-hot groups) ─► questions, respondents, units
//	reports: file/folder/glob ─► paragraphs (.txt lines, .md blocks, .docx
//	              w:p with heading styles) ─► articles (第N篇), heading
//	              paths, sentences, enumerated points, claims
//
// All text goes through Normalize (see its comment for the choices made:
// NFC plus a limited width fold rather than NFKC, so Chinese punctuation
// stays as written; line breaks inside cells kept as "\n" sentence
// boundaries). Unit.Raw keeps the text as read.
//
// Open-ended survey cells become one unit each, also when the cell is
// empty: such units have Text "" and Missing set, so later stages must
// skip units whose Missing is not corpus.Answered.
//
// Report units overlap on purpose: each paragraph is one ReportParagraph
// unit, and its sentences (ReportSentence) and enumerated points
// (ReportPoint) are units too, with Start/End rune offsets into the
// paragraph's normalised Text. Headings are paragraph units only. In a
// compilation (第一篇 … 第N篇) text before the first marker is article 0;
// a file without markers is article 1 throughout.
//
// Memory: the corpus outlives the files, so the strings it keeps are
// copied out of the parsed rows into shared blocks (keep.go), equal values
// of a column share one string, equal multiple-choice answers share one
// Options slice, report sentences and points are substrings of their
// paragraph, and paragraphs under the same headings share one
// Source.Heading slice. Shared slices are read-only: a stage that changes
// one (masking, for instance) copies it first.
//
// Unit ids: "<file>:<row>:<qid>" for survey answers ("<file>[<sheet>]:…"
// for XLSX), "…:<qid>:other" for 其他〖…〗 free text, "<file>:p<N>" for
// report paragraphs, "…:p<N>:s<K>" for sentences and "…:p<N>:e<K>" for
// enumerated points. <file> is the path as written in the config
// (slash-separated), suffixed #2, #3 … when the same file is read twice.
package ingest
