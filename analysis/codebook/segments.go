package codebook

import (
	"strings"
	"unicode"

	"surveymine/analysis/segment"
)

// sentenceEnds are the characters that end a sentence, in full and half
// width (normalisation may have folded the full-width forms).
const sentenceEnds = "。！？；!?;\n\r"

// clauseEnds additionally end a clause.
const clauseEnds = sentenceEnds + "，、：,:"

// Sentences splits a token sequence into sentences and returns them as
// token index ranges [start, end), in order, covering every token.
//
// A sentence ends after a token containing 。！？； (or ! ? ;) or a line
// break. Punctuation and whitespace that follow a sentence without any
// letter or digit of their own (a second 。, a blank line) are appended to
// the previous sentence, so every range holds some content unless the whole
// sequence has none. It returns nil for no tokens.
func Sentences(tokens []segment.Token) [][2]int {
	return split(tokens, sentenceEnds)
}

// Clauses splits a token sequence into clauses like Sentences does, ending
// clauses also after ，、：(or , :). Clauses nest in sentences: every
// sentence boundary is a clause boundary. It returns nil for no tokens.
func Clauses(tokens []segment.Token) [][2]int {
	return split(tokens, clauseEnds)
}

func split(tokens []segment.Token, ends string) [][2]int {
	var out [][2]int
	start, content := 0, false
	for i, t := range tokens {
		if hasContent(t.Text) {
			content = true
		}
		if !strings.ContainsAny(t.Text, ends) {
			continue
		}
		if content {
			out = append(out, [2]int{start, i + 1})
		} else if len(out) > 0 {
			out[len(out)-1][1] = i + 1
		} else {
			continue // leading punctuation: keep it with the first sentence
		}
		start, content = i+1, false
	}
	if start < len(tokens) {
		if content || len(out) == 0 {
			out = append(out, [2]int{start, len(tokens)})
		} else {
			out[len(out)-1][1] = len(tokens)
		}
	}
	return out
}

func hasContent(s string) bool {
	return strings.IndexFunc(s, func(r rune) bool { return unicode.IsLetter(r) || unicode.IsNumber(r) }) >= 0
}

// RuneRange returns the character span [start, end) covered by the tokens
// in the index range r, e.g. a range from Sentences or Clauses. It returns
// 0, 0 for an empty range.
//
// It panics if r is out of range of tokens.
func RuneRange(tokens []segment.Token, r [2]int) (start, end int) {
	if r[0] >= r[1] {
		return 0, 0
	}
	return tokens[r[0]].Start, tokens[r[1]-1].End
}

func isSpace(s string) bool {
	return strings.TrimFunc(s, unicode.IsSpace) == ""
}
