// Package codebook codes text units with a researcher-written YAML codebook:
// a list of categories (for surveymine, the causes of the 两张皮 problem),
// each with rules that look for analysis terms and raw phrases.
//
// Data flow:
//
//	codebook YAML ──Parse──▶ *Codebook
//	unit text + []segment.Token ──Code / CodeAt──▶ []Hit ──Labels──▶ category ids
//	hits of a corpus ──Tally──▶ rule counts, coded units ──Lint──▶ []Finding
//	predicted and human codes ──Agree──▶ per-category precision, recall, F1, kappa
//
// # Rule language
//
// A rule is a conjunction of the conditions it names, all evaluated inside
// one scope (a clause, a sentence, the whole unit, or a window of N tokens):
//
//	all:    every item must occur
//	any:    at least one item must occur
//	phrase: at least one item must occur, every item read as a raw phrase
//	not:    no item may occur
//	within: clause | sentence | unit | N   (default sentence; N tokens
//	        inside one sentence, where not looks at the whole sentence)
//	negation: false                       (turn the negation check off)
//
// An item is one or more alternatives separated by "|". An alternative is a
// term, matched against whole tokens: a token whose analysis term (after
// synonym merging) or surface text equals it, or a run of adjacent tokens
// whose texts (or terms) concatenate to it, so a term the segmenter splits
// still matches. An alternative starting with "~" is a raw phrase, matched
// as a substring of the normalised text wherever it occurs, also inside a
// token. Whitespace tokens are ignored when runs are joined.
//
// Negation: an occurrence does not count when a negator (不, 没有, 并非,
// 不是, 不存在 … see DefaultNegators) stands within NegationWindow tokens
// before it in the same clause, or just before it inside the same token. A
// negator that is itself part of an occurrence of one of the rule's own
// items does not negate: the rule `all: [没有, 长效机制]` matches
// "没有长效机制", while `any: [长效机制]` does not. In a contrast
// "不是A而是B" (also 并非…而是, 不在于…而在于) within one sentence, only B
// counts: every occurrence starting between the negator and 而是 is ignored.
//
// Everything here is pure computation: no file I/O and no logging. A parsed
// Codebook is never modified and is safe for concurrent use.
package codebook
