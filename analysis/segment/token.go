package segment

// Filter names the token filter that removed a token from the analysis
// terms. Keep means the token survived every filter.
type Filter uint8

// The filters, in the order they are applied to each token.
const (
	Keep        Filter = iota // token is an analysis term
	Space                     // whitespace only
	Punct                     // punctuation or symbol
	Number                    // digits, numerals, percentages
	Stopword                  // generic stopword list (ours)
	Boilerplate               // survey boilerplate list (无, 同上, 不清楚 …)
	UserStop                  // a stopword list named in the config
	SingleChar                // single character not on the keep-list
	POS                       // part of speech excluded by the config
	Masked                    // a redaction mask such as [手机号] (Config.Masks); checked first
	numFilters
)

var filterNames = [...]string{"keep", "space", "punct", "number", "stopword", "boilerplate", "user_stopword", "single_char", "pos", "masked"}

// String returns the filter's name as written in outputs ("keep", "punct", …).
func (f Filter) String() string {
	if int(f) < len(filterNames) {
		return filterNames[f]
	}
	return "unknown"
}

// Token is one segment of a text as cut by the segmenter.
//
// Start and End are character offsets (Unicode code points, not bytes) into
// the text that was cut, End exclusive, so text[Start:End] in runes is Text.
type Token struct {
	Text    string // surface form as cut
	POS     string // part-of-speech tag from the dictionary; "x" when unknown
	Start   int    // offset of the first character, in runes
	End     int    // offset one past the last character, in runes
	Term    string // analysis term after synonym merging; "" when dropped
	Dropped Filter // the filter that dropped the token; Keep when Term != ""
}
