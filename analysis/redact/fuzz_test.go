package redact

import (
	"testing"
	"unicode/utf8"
)

// FuzzFind checks Find's contract on any input: spans in order, inside
// the text, not overlapping, on UTF-8 boundaries; and Redact idempotent.
func FuzzFind(f *testing.F) {
	for _, s := range []string{
		"张书记说有事打138-1234-5678", "+86 138 1234 5678", "(0571)87654321转802", "11010519491231002X",
		"zhang.wei@example.com", "6222 0202 0000 1234 567", "粤B·D12345", "党委书记", "a@b@c.cn",
		"欧阳主任", "向董飞处长", "\xff1381234567\xfe8", "（+86）13812345678", "苏A1234学",
	} {
		f.Add(s)
	}
	r := New()
	f.Fuzz(func(t *testing.T, s string) {
		prev := 0
		for _, sp := range r.Find(s) {
			if sp.Start < prev || sp.End <= sp.Start || sp.End > len(s) || sp.Type >= NumTypes {
				t.Fatalf("Find(%q): bad span %+v after %d", s, sp, prev)
			}
			if !utf8.ValidString(s[sp.Start:sp.End]) {
				t.Fatalf("Find(%q): span %+v is not valid UTF-8", s, sp)
			}
			prev = sp.End
		}
		once, _ := r.Redact(s)
		if twice, c := r.Redact(once); twice != once || c.Total() != 0 {
			t.Fatalf("Redact(%q) = %q, again %q", s, once, twice)
		}
	})
}
