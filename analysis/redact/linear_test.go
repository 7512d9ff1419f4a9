package redact

import (
	"sort"
	"strings"
	"testing"
)

// adversarial are inputs that make a careless detector quadratic: every
// position a candidate start whose check reads far ahead or back.
var adversarial = map[string]string{
	"digits":        "1",
	"digit groups":  "138 ",
	"dashed digits": "0-",
	"at signs":      "a@",
	"local part":    "abcdefghij",
	"titles":        "书记",
	"names":         "张书记",
	"plates":        "京A1",
	"ids":           "11010519491231002X",
	"mixed":         "张13812345678京A12345a@b.cn书记",
}

// BenchmarkFindAdversarial runs Find on each adversarial shape at 20 kB
// and 160 kB. A linear detector shows the same MB/s at both sizes; a
// quadratic one drops 8×. Figures are in docs/privacy.md.
func BenchmarkFindAdversarial(b *testing.B) {
	r := New()
	for _, name := range sortedKeys(adversarial) {
		unit := adversarial[name]
		small := strings.Repeat(unit, 20000/len(unit)+1)
		for _, size := range []struct {
			label string
			text  string
		}{{"20kB", small}, {"160kB", strings.Repeat(small, 8)}} {
			b.Run(name+"/"+size.label, func(b *testing.B) {
				b.SetBytes(int64(len(size.text)))
				b.ReportAllocs()
				for b.Loop() {
					r.Find(size.text)
				}
			})
		}
	}
}

func sortedKeys(m map[string]string) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

func BenchmarkFind(b *testing.B) {
	text := strings.Repeat("党建和业务两张皮的问题，张书记多次强调要融合。我的电话13812345678，邮箱zhang@example.com。", 200)
	r := New()
	b.SetBytes(int64(len(text)))
	b.ReportAllocs()
	for b.Loop() {
		r.Find(text)
	}
}
