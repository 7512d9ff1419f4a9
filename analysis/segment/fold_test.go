package segment

import (
	"testing"
	"unicode/utf8"
)

func TestFold(t *testing.T) {
	// Expected forms: the traditional/simplified pairs of the 2013 Table of
	// General Standard Chinese Characters (通用规范汉字表), checked by hand.
	cases := []struct{ in, want string }{
		{"黨建與業務“兩張皮”", "党建与业务“两张皮”"},
		{"重業務輕黨建，認識不到位", "重业务轻党建，认识不到位"},
		{"黨務幹部兼職", "党务干部兼职"},
		{"認知偏差、組織生活不規範", "认知偏差、组织生活不规范"},
		{"显著", "显著"}, // simplified text with 著 stays as it is
		{"顯著", "显著"}, // phrase table: 著 is not turned into 着 here
		{"党建abc 123。", "党建abc 123。"},
		{"", ""},
	}
	for _, tc := range cases {
		got := Fold(tc.in)
		if got != tc.want {
			t.Errorf("Fold(%q) = %q, want %q", tc.in, got, tc.want)
		}
		if utf8.RuneCountInString(got) != utf8.RuneCountInString(tc.in) {
			t.Errorf("Fold(%q) changed the rune count", tc.in)
		}
	}
}

func TestCutFoldsTraditional(t *testing.T) {
	s := defaultSegmenter(t)
	trad := s.Cut("黨建工作與業務工作兩張皮")
	simp := s.Cut("党建工作与业务工作两张皮")
	if len(trad) != len(simp) {
		t.Fatalf("Cut(traditional) gives %d tokens, Cut(simplified) %d", len(trad), len(simp))
	}
	for i := range trad {
		if trad[i] != simp[i] {
			t.Errorf("token %d: traditional %+v, simplified %+v", i, trad[i], simp[i])
		}
	}
}
