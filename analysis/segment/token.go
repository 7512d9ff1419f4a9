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

// Tag is a part-of-speech tag ("n", "v", "x" …) interned as a small id:
// every distinct tag string is stored once per process, and a token holds
// one byte instead of a 16-byte string header.
type Tag uint8

// TagOf returns the interned tag of name; "" is "x" (unknown).
func TagOf(name string) Tag { return Tag(posID(name)) }

// String returns the tag as written in dictionaries and outputs.
func (t Tag) String() string { return posName(uint8(t)) }

// Token is one segment of a text as cut by the segmenter.
//
// Start and End are character offsets (Unicode code points, not bytes) into
// the text that was cut, End exclusive, so text[Start:End] in runes is Text.
// Text and Term share the memory of the cut text (or of the synonym map);
// the struct is 48 bytes (int32 offsets, one-byte tag and filter), against
// 72 with int offsets and a string tag.
type Token struct {
	Text    string // surface form as cut
	Term    string // analysis term after synonym merging; "" when dropped
	Start   int32  // offset of the first character, in runes
	End     int32  // offset one past the last character, in runes
	POS     Tag    // part-of-speech tag from the dictionary; "x" when unknown
	Dropped Filter // the filter that dropped the token; Keep when Term != ""
}
