package ingest

import (
	"math/rand/v2"
	"strings"
	"testing"

	"golang.org/x/text/unicode/norm"
)

func TestNormalize(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{"empty", "", ""},
		{"full-width digits and letters", "Ｑ５：２４％的人", "Q5：24%的人"},
		{"chinese punctuation kept", "党建，业务。“两张皮”（多选）！？；：、《》【】〖〗", "党建，业务。“两张皮”（多选）！？；：、《》【】〖〗"},
		{"ideographic space collapsed", "党建\u3000\u3000业务", "党建 业务"},
		{"tabs and nbsp", " a\t\u00a0 b ", "a b"},
		{"zero width removed", "党\u200b建\ufeff工\u200d作\u00ad", "党建工作"},
		{"controls removed", "a\x00b\x07c\x1b", "abc"},
		{"crlf kept as one break", "第一句\r\n\r\n  第二句\r第三句", "第一句\n第二句\n第三句"},
		{"unicode line separators", "甲\u2028乙\u2029丙\u0085丁", "甲\n乙\n丙\n丁"},
		{"trailing break dropped", "甲\n\n", "甲"},
		{"half-width katakana punctuation", "甲｡乙､", "甲。乙、"},
		{"circled digits kept", "①②", "①②"},
		{"nfc composes", "e\u0301", "\u00e9"},
		{"full-width period folded", "１．党建", "1.党建"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := Normalize(tc.in); got != tc.want {
				t.Errorf("Normalize(%q) = %q, want %q", tc.in, got, tc.want)
			}
			if got := Normalize(tc.want); got != tc.want {
				t.Errorf("Normalize(%q) = %q, want it unchanged (idempotent)", tc.want, got)
			}
		})
	}
}

// FuzzNormalize checks that the no-copy path of Normalize (isNormal) gives
// what normalising rune by rune gives.
func FuzzNormalize(f *testing.F) {
	for _, s := range []string{"", "a b", "a  b", " a", "a ", "a\nb", "a\n b", "党建 业务", "２４％", "e\u0301",
		"甲\u2028乙", "a\x00b", "处级", "2026/3/14 8:37:05", "221.218.134.169(北京-北京)", "其他〖考核不科学〗", "\xff", "a\r\nb"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if got, want := Normalize(s), normalize(s); got != want {
			t.Errorf("Normalize(%q) = %q, normalize gives %q", s, got, want)
		}
	})
}

// TestNFCStarter checks every rune that nfcStarter accepts against
// x/text/unicode/norm: combining class 0, a boundary before it, and NFC
// unchanged after ASCII, after an ideograph and after itself.
func TestNFCStarter(t *testing.T) {
	n := 0
	for r := rune(0); r <= 0x10FFFF; r++ {
		if !nfcStarter(r) {
			continue
		}
		n++
		s := string(r)
		p := norm.NFC.PropertiesString(s)
		if p.CCC() != 0 || !p.BoundaryBefore() {
			t.Fatalf("U+%04X: ccc %d, boundary before %v", r, p.CCC(), p.BoundaryBefore())
		}
		for _, prev := range []string{"a", "e", "党", s} {
			if !norm.NFC.IsNormalString(prev + s) {
				t.Fatalf("U+%04X after %q is not NFC", r, prev)
			}
		}
	}
	if n < 20000 {
		t.Fatalf("only %d runes checked", n)
	}
}

// TestIsNormalAgreesWithNormalize draws texts from an alphabet that mixes
// ASCII, ideographs, full-width forms, combining marks, Hangul jamo and
// white space: whenever isNormal says a text is normal, Normalize must
// build the same text.
func TestIsNormalAgreesWithNormalize(t *testing.T) {
	alphabet := []rune{'a', 'e', ' ', '\n', '1', '党', '建', '，', '“', '”', '…', 'Ａ', '％',
		'\u0301', '\u0308', '\u302A', '\u1100', '\u1161', '\u3000', '\u00A0', '\u200B', 'é', '\uAC00', '\uF900', '、'}
	rng := rand.New(rand.NewPCG(1, 2))
	normal := 0
	for range 200000 {
		var b strings.Builder
		for range 1 + rng.IntN(6) {
			b.WriteRune(alphabet[rng.IntN(len(alphabet))])
		}
		s := b.String()
		if isNormal(s) {
			normal++
			if got := normalize(s); got != s {
				t.Fatalf("isNormal(%q) but Normalize gives %q", s, got)
			}
		}
	}
	if normal < 1000 {
		t.Fatalf("only %d normal texts drawn", normal)
	}
}
