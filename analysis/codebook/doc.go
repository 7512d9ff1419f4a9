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
//	gold set TSV ──ParseGold──▶ []GoldSentence ──Evaluate──▶ Evaluation (P/R/F1, misses)
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
// still matches. A token made only of term alternatives of the codebook
// (the lexicon word 重业务轻党建 = 重业务 + 轻党建) is read as those terms,
// with inner boundaries where they meet: a dictionary word never hides
// the terms a rule needs (Lint's HiddenTerm reports the words that still
// do). An alternative starting with "~" is a raw phrase, matched
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
// Effects: after an effect marker (导致, 造成, 使得 … see
// DefaultEffectMarkers and the codebook key effect_markers) the rest of the
// sentence states an effect, and no occurrence starting there counts; the
// stretch ends after 原因是/在于 (导致X的原因是Y codes Y), and a marker
// followed by 的 (是由A导致的) opens none.
//
// Subject carry-over: in a rule scoped to the clause (and not at
// LevelClause), every All item but the last may occur in the previous
// clause of the same sentence when the clause opens with a predicate (its
// first content token is tagged verb, adverb, adjective, preposition or
// conjunction), so the subject of 党务干部对党务知识学习不深入，投入党建工作精
// 力不足 reaches the second clause. A not item then also looks at the
// previous clause when an item stands only there (考核机制单一，缺乏互动:
// the 机制 carried over is an assessment one). Clauses end at ，、：, but not
// at a 、 after a noun, which lists the nouns of one phrase (see Clauses).
// Sentences do not end at a line break that only wraps a line (see
// Sentences).
//
// Text is expected folded to simplified characters (segment.Fold), as the
// segmenter's tokens are; Evaluate folds gold sentences itself.
//
// Everything here is pure computation: no file I/O and no logging. A parsed
// Codebook is never modified and is safe for concurrent use.
package codebook
