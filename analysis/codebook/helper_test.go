package codebook

import (
	"strings"
	"testing"

	"surveymine/analysis/segment"
)

// toks builds a unit from a space-separated token list, so the rule logic
// is tested independently of the segmenter. A word written "-w" is dropped
// as a stopword, "w=t" has the analysis term t (synonym merging), and words
// without letters or digits are dropped as punctuation. "\n" may be its own
// word. It returns the text (the words joined) and the tokens with rune
// offsets.
func toks(t *testing.T, spec string) (string, []segment.Token) {
	t.Helper()
	var b strings.Builder
	var out []segment.Token
	pos := 0
	for _, w := range strings.Split(spec, " ") {
		if w == "" {
			continue
		}
		tok := segment.Token{}
		switch {
		case strings.HasPrefix(w, "-") && len(w) > 1:
			tok.Text, tok.Dropped = w[1:], segment.Stopword
		case strings.Contains(w, "=") && len(w) > 1:
			tok.Text, tok.Term, _ = strings.Cut(w, "=")
		default:
			tok.Text = w
			if hasContent(w) {
				tok.Term = w
			} else if isSpace(w) {
				tok.Dropped = segment.Space
			} else {
				tok.Dropped = segment.Punct
			}
		}
		n := len([]rune(tok.Text))
		tok.Start, tok.End = int32(pos), int32(pos+n)
		pos += n
		b.WriteString(tok.Text)
		out = append(out, tok)
	}
	return b.String(), out
}

// mustParse parses a codebook snippet, failing the test on error.
func mustParse(t *testing.T, src string) *Codebook {
	t.Helper()
	cb, err := Parse([]byte(src), "test.yaml")
	if err != nil {
		t.Fatalf("Parse: %v", err)
	}
	return cb
}

func TestToksHelper(t *testing.T) {
	text, ts := toks(t, "重业务 轻 -的 党务=党建 ，")
	if text != "重业务轻的党务，" {
		t.Fatalf("text = %q", text)
	}
	want := []segment.Token{
		{Text: "重业务", Start: 0, End: 3, Term: "重业务"},
		{Text: "轻", Start: 3, End: 4, Term: "轻"},
		{Text: "的", Start: 4, End: 5, Dropped: segment.Stopword},
		{Text: "党务", Start: 5, End: 7, Term: "党建"},
		{Text: "，", Start: 7, End: 8, Dropped: segment.Punct},
	}
	if len(ts) != len(want) {
		t.Fatalf("got %d tokens, want %d", len(ts), len(want))
	}
	for i := range want {
		if ts[i] != want[i] {
			t.Errorf("token %d = %+v, want %+v", i, ts[i], want[i])
		}
	}
}
