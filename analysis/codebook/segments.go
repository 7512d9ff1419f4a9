package codebook

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"surveymine/analysis/segment"
)

// isEnd reports whether r ends a sentence (。！？；!?; or a line break, in
// full and half width: normalisation may have folded the full-width
// forms) or, when clauses is set, a clause (also ，、：,:).
func isEnd(r rune, clauses bool) bool {
	switch r {
	case '。', '！', '？', '；', '!', '?', ';', '\n', '\r':
		return true
	case '，', '、', '：', ',', ':':
		return clauses
	}
	return false
}

// containsEnd reports whether s holds a rune for which isEnd is true.
func containsEnd(s string, clauses bool) bool {
	for _, r := range s {
		if isEnd(r, clauses) {
			return true
		}
	}
	return false
}

// Sentences splits a token sequence into sentences and returns them as
// token index ranges [start, end), in order, covering every token.
//
// A sentence ends after a token containing 。！？； (or ! ? ;) or a line
// break, except a wrapped line: a break between two letters (no
// punctuation before it) after a line of at least 15 characters continues
// the sentence, as text copied from PDF does. Punctuation and whitespace that follow a sentence without any
// letter or digit of their own (a second 。, a blank line) are appended to
// the previous sentence, so every range holds some content unless the whole
// sequence has none. It returns nil for no tokens.
func Sentences(tokens []segment.Token) [][2]int {
	return appendSplit(nil, tokens, false)
}

// Clauses splits a token sequence into clauses like Sentences does, ending
// clauses also after ，、：(or , :), except an enumeration comma 、 that
// follows a noun (see listComma: 党支部、党小组活动 is one phrase, 内容不同、
// 特点不一 two clauses). Clauses nest in sentences: every sentence boundary
// is a clause boundary. It returns nil for no tokens.
func Clauses(tokens []segment.Token) [][2]int {
	return appendSplit(nil, tokens, true)
}

// wrapWidth is the shortest line (in characters) after which a line break
// between two letters is read as a wrapped line of one sentence (PDF or
// fixed-width text) rather than the end of a sentence.
const wrapWidth = 15

// appendSplit appends the ranges of Sentences or, when clauses is set,
// Clauses to out.
func appendSplit(out [][2]int, tokens []segment.Token, clauses bool) [][2]int {
	base := len(out)
	start, content := 0, false
	lineStart := 0 // rune offset where the current line starts
	for i, t := range tokens {
		if hasContent(t.Text) {
			content = true
		}
		if !containsEnd(t.Text, clauses) || clauses && listComma(tokens, i, start) {
			continue
		}
		if softWrap(tokens, i, lineStart) {
			lineStart = int(t.End)
			continue
		}
		if strings.ContainsAny(t.Text, "\n\r") {
			lineStart = int(t.End)
		}
		if content {
			out = append(out, [2]int{start, i + 1})
		} else if len(out) > base {
			out[len(out)-1][1] = i + 1
		} else {
			continue // leading punctuation: keep it with the first sentence
		}
		start, content = i+1, false
	}
	if start < len(tokens) {
		if content || len(out) == base {
			out = append(out, [2]int{start, len(tokens)})
		} else {
			out[len(out)-1][1] = len(tokens)
		}
	}
	return out
}

// listComma reports whether token i is an enumeration comma 、 that joins
// the nouns of one phrase rather than two clauses: the last content token
// before it (after start, the current clause's first token) is a noun, a
// pronoun, a numeral, a measure or place word (tags n…, vn, an, r, m, q, f,
// s, t). In 对参加党支部、党小组活动的积极性不高 and 缺乏统筹现代农业、工业的
// 能力 the clause goes on; in 内容对象不同、工作特点不一 (a predicate before
// 、) each item is a clause of its own. A 、 after an unknown word (tag x)
// ends the clause, as every 、 did before this rule.
func listComma(tokens []segment.Token, i, start int) bool {
	if tokens[i].Text != "、" {
		return false
	}
	for k := i - 1; k >= start; k-- {
		if !hasContent(tokens[k].Text) {
			continue
		}
		pos := tokens[k].POS.String()
		if pos == "" {
			return false
		}
		if pos == "vn" || pos == "an" {
			return true
		}
		switch pos[0] {
		case 'n', 'r', 'm', 'q', 'f', 's', 't':
			return true
		}
		return false
	}
	return false
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
	return int(tokens[r[0]].Start), int(tokens[r[1]-1].End)
}

// isSpace reports whether s is empty or only whitespace (an invalid byte
// is not whitespace).
func isSpace(s string) bool {
	for _, r := range s {
		if !unicode.IsSpace(r) {
			return false
		}
	}
	return true
}

// softWrap reports whether token i, a whitespace token with a line break,
// only wraps a line: the line before it (from rune offset lineStart) is at
// least wrapWidth characters long and ends in a letter or digit, and the
// next non-space token starts with one.
func softWrap(tokens []segment.Token, i, lineStart int) bool {
	t := tokens[i]
	if !isSpace(t.Text) || !strings.ContainsAny(t.Text, "\n\r") || int(t.Start)-lineStart < wrapWidth {
		return false
	}
	prev, next := -1, -1
	for k := i - 1; k >= 0; k-- {
		if !isSpace(tokens[k].Text) {
			prev = k
			break
		}
	}
	for k := i + 1; k < len(tokens); k++ {
		if !isSpace(tokens[k].Text) {
			next = k
			break
		}
	}
	if prev < 0 || next < 0 {
		return false
	}
	last, _ := utf8.DecodeLastRuneInString(tokens[prev].Text)
	first, _ := utf8.DecodeRuneInString(tokens[next].Text)
	isWord := func(r rune) bool { return unicode.IsLetter(r) || unicode.IsNumber(r) }
	return isWord(last) && isWord(first)
}
