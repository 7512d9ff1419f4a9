package ingest

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// Normalize returns the text every later stage analyses:
//
//   - canonical composition (NFC), not NFKC: NFKC would also turn the
//     Chinese full-width punctuation ，：；？！（） into ASCII and ① into
//     1, changing how sentences and enumerations look;
//   - width folding limited to full-width ASCII letters and digits, the
//     ideographic space and the symbols ％＋－＝＜＞＠＃＄＆＊／＼＿｜．
//     (so "２４％" becomes "24%"); Chinese punctuation ，。、；：？！（）“”‘’
//     《》【】〖〗 is kept as is, and half-width ｡｢｣､ become 。「」、;
//   - zero-width characters (U+200B–U+200F, U+2060–U+2064, U+FEFF, soft
//     hyphen) and other control and format characters removed;
//   - line breaks (\r\n, \r, U+2028, U+2029, U+0085) turned into "\n" and
//     kept as sentence boundaries; runs of line breaks collapse to one;
//   - every other run of white space (tabs, NBSP, ideographic space …)
//     collapsed to one ASCII space; spaces next to a line break and at
//     both ends dropped.
//
// Normalize is idempotent. The empty string maps to itself. When
// normalising changes nothing, s itself is returned, so that raw and
// normalised text share memory.
func Normalize(s string) string {
	if s == "" || isNormal(s) {
		return s
	}
	return normalize(s)
}

// normalize is Normalize without the check for text already normal.
func normalize(s string) string {
	orig := s
	s = norm.NFC.String(s)
	var b strings.Builder
	b.Grow(len(s))
	pendingSpace, pendingBreak := false, false
	wrote := false
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		i += size
		if r == '\r' {
			if i < len(s) && s[i] == '\n' {
				i++
			}
			r = '\n'
		}
		switch {
		case r == '\n' || r == '\u2028' || r == '\u2029' || r == '\u0085':
			pendingBreak = true
			pendingSpace = false
			continue
		case isZeroWidth(r):
			continue
		case r == '\t' || r == '\u3000' || unicode.IsSpace(r):
			pendingSpace = true
			continue
		case unicode.IsControl(r) || unicode.Is(unicode.Cf, r):
			continue
		}
		r = foldWidth(r)
		if wrote {
			if pendingBreak {
				b.WriteByte('\n')
			} else if pendingSpace {
				b.WriteByte(' ')
			}
		}
		pendingSpace, pendingBreak = false, false
		b.WriteRune(r)
		wrote = true
	}
	if out := b.String(); out != orig {
		return out
	}
	// Unchanged: return the input so raw and normalised text share memory.
	return orig
}

// isNormal reports, without allocating, that Normalize would return s
// unchanged: s is NFC and holds no rune that Normalize drops, folds or
// collapses, except single ASCII spaces and line feeds between two kept
// runes. It may return false for some normal texts; normalize then
// builds the same text again.
func isNormal(s string) bool {
	prevKept := false // the previous rune is kept as is and is not a space or break
	checkNFC := false // a rune outside nfcStarter's blocks was seen
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			switch {
			case c > ' ' && c < 0x7f:
				prevKept = true
			case (c == ' ' || c == '\n') && prevKept && i+1 < len(s):
				prevKept = false
			default:
				return false
			}
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		i += size
		prevKept = true
		if r >= 0x4E00 && r <= 0x9FFF { // CJK Unified Ideographs: kept, NFC starters
			continue
		}
		if r == utf8.RuneError && size == 1 || !keptRune(r) {
			return false
		}
		if !nfcStarter(r) {
			checkNFC = true
		}
	}
	return prevKept && (!checkNFC || norm.NFC.IsNormalString(s))
}

// nfcStarter reports whether r is in a block whose characters are all
// NFC-stable starters (quick check Yes, combining class 0, never composed
// with the rune before): a text of ASCII and such runes is NFC, so the
// full check can be skipped for it. The blocks are those of Chinese
// text: ideographs, CJK and general punctuation, full-width forms.
// TestNFCStarter checks every rune of them against x/text/unicode/norm.
func nfcStarter(r rune) bool {
	switch {
	case r >= 0x4E00 && r <= 0x9FFF, // CJK Unified Ideographs
		r >= 0x3001 && r <= 0x3029, r >= 0x3030 && r <= 0x303F, // CJK punctuation, not the tone marks U+302A–U+302F
		r >= 0x2010 && r <= 0x2027, // dashes, quotes “”‘’, ellipsis
		r >= 0xFF01 && r <= 0xFF5E: // full-width forms
		return true
	}
	return false
}

// keptRune reports whether Normalize keeps the non-ASCII rune r as is
// (composition aside).
func keptRune(r rune) bool {
	switch {
	case r == '\u2028' || r == '\u2029' || r == '\u0085' || r == '\u3000':
		return false
	case isZeroWidth(r) || unicode.IsSpace(r) || unicode.IsControl(r) || unicode.Is(unicode.Cf, r):
		return false
	}
	return foldWidth(r) == r
}

func isZeroWidth(r rune) bool {
	switch {
	case r >= 0x200B && r <= 0x200F, r >= 0x2060 && r <= 0x2064, r == 0xFEFF, r == 0x00AD, r == 0x180E:
		return true
	}
	return false
}

// keepFullWidth lists full-width forms that are ordinary Chinese
// punctuation and therefore not folded.
const keepFullWidth = "，；：？！（）＂＇［］｛｝～｀＾"

// foldWidth maps full-width ASCII letters, digits and the symbols listed in
// Normalize to ASCII, and half-width CJK punctuation to full width.
func foldWidth(r rune) rune {
	switch {
	case r >= 0xFF01 && r <= 0xFF5E:
		if strings.ContainsRune(keepFullWidth, r) {
			return r
		}
		return r - 0xFF01 + 0x21
	case r == 0xFF61:
		return '。'
	case r == 0xFF62:
		return '「'
	case r == 0xFF63:
		return '」'
	case r == 0xFF64:
		return '、'
	}
	return r
}
