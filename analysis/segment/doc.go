// Package segment cuts Chinese survey text into tokens and analysis terms.
//
// It uses the dictionaries compiled into github.com/go-ego/gse (no files
// are read at run time) with gse's shortest-path algorithm, re-implemented
// over a compact index that loads in a fraction of the time and memory of
// gse's own loader, plus a bundled domain lexicon for party-building and
// public-administration texts (DomainLexicon) and optional user entries,
// which take precedence.
//
// Data flow for one text:
//
//	text → Fold (traditional → simplified, rune for rune, OpenCC t2s)
//	     → masks (Config.Masks, e.g. [手机号]) as single dropped tokens
//	     → clauses (split at whitespace and punctuation)
//	     → clause cache hit, or shortest-path segmentation over
//	       gse dictionary ∪ domain lexicon ∪ synonym variants ∪ user entries
//	     → filters, in order: space, punct, number, stopword (generic),
//	       boilerplate, user stopword, single char (keep-list), POS
//	     → synonym map (variant → canonical) on kept tokens
//	     → []Token: every rune of the text in exactly one token; dropped
//	       tokens keep their Text (negations stay visible) with Term ""
//
// A Segmenter is built once (New) and shared by all goroutines; CutAll
// fans work out with errgroup and keeps input order. Audit reports what
// each filter dropped, synonym merges, single-character tokens and clause
// cache hits; Splits lists terms the segmenter does not keep whole.
//
// gse's package-level knobs: this package never sets them and never calls
// gse's cutting code, so a caller's settings cannot change its results.
// ASCII letters are folded to lower case when matching (foldKey), which is
// gse's default (gse.ToLower = true); Token.Text keeps the original case
// and Token.Term is lower-cased. The tests compare with a gse.Segmenter
// left at its defaults.
//
// The package is pure: callers pass file contents (ParseDict,
// ParseSynonyms, ParseWordList); nothing is logged.
package segment
