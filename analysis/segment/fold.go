package segment

import (
	"sync"
	"unicode/utf8"

	"github.com/longbridgeapp/opencc"
)

// Fold maps traditional Chinese characters to simplified ones, rune for
// rune: the result has exactly as many runes as text, so rune offsets
// (Token.Start, Token.End, hit spans) computed on the folded text are
// valid in the original. Text without a traditional character is returned
// unchanged and without copying.
//
// The mapping is OpenCC's traditional→simplified conversion (t2s: the
// TSPhrases then TSCharacters dictionaries, via
// github.com/longbridgeapp/opencc, which embeds them): phrases first, so
// that characters with several simplified forms are resolved in context
// (顯著 → 显著 but 著作 stays, 頭髮 → 头发). When a phrase conversion would
// change the number of characters, which OpenCC's t2s tables do not do for
// ordinary text, Fold falls back to converting each character on its own.
// Characters that are simplified already, Latin text, digits and
// punctuation are left as they are. If the converter cannot be built (it
// reads only data compiled into the binary, so this does not happen in
// practice), Fold returns text unchanged.
//
// Callers fold the analysis text before segmentation and coding and keep
// the original text for output. Fold is safe for concurrent use.
func Fold(text string) string {
	f := folder()
	if f.cc == nil || !f.needs(text) {
		return text
	}
	out, err := f.convert(text)
	if err == nil && utf8.RuneCountInString(out) == utf8.RuneCountInString(text) {
		return out
	}
	// Character by character: the per-character table keeps the length.
	b := make([]rune, 0, utf8.RuneCountInString(text))
	for _, r := range text {
		if s, ok := f.char[r]; ok {
			r = s
		}
		b = append(b, r)
	}
	return string(b)
}

type folding struct {
	mu   sync.Mutex // the converter keeps state while converting
	cc   *opencc.OpenCC
	char map[rune]rune // traditional → simplified, single characters that map to one character
	// has marks the keys of char, rune r at bit r-foldFirst: all of them
	// lie in [foldFirst, foldLast], the blocks the table is built from.
	has [(foldLast - foldFirst + 64) / 64]uint64
}

// The blocks folder converts: CJK Unified Ideographs Extension A and CJK
// Unified Ideographs.
const foldFirst, foldLast = 0x3400, 0x9FFF

var (
	foldOnce sync.Once
	foldData *folding
)

// folder builds the converter and the character table once. The table
// comes from converting each character of the CJK Unified Ideographs and
// Extension A blocks on its own (about 27,000 conversions, a few ms).
func folder() *folding {
	foldOnce.Do(func() {
		f := &folding{char: map[rune]rune{}}
		cc, err := opencc.New("t2s")
		if err != nil {
			foldData = f
			return
		}
		f.cc = cc
		for _, block := range [][2]rune{{foldFirst, 0x4DBF}, {0x4E00, foldLast}} {
			for r := block[0]; r <= block[1]; r++ {
				s, err := cc.Convert(string(r))
				if err != nil || s == string(r) {
					continue
				}
				if sr, size := utf8.DecodeRuneInString(s); size == len(s) && sr != utf8.RuneError {
					f.char[r] = sr
					f.has[(r-foldFirst)/64] |= 1 << ((r - foldFirst) % 64)
				}
			}
		}
		foldData = f
	})
	return foldData
}

// needs reports whether text has a character the table would change.
func (f *folding) needs(text string) bool {
	for _, r := range text {
		if foldFirst <= r && r <= foldLast && f.has[(r-foldFirst)/64]&(1<<((r-foldFirst)%64)) != 0 {
			return true
		}
	}
	return false
}

func (f *folding) convert(text string) (string, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.cc.Convert(text)
}
