package redact

import (
	"strings"
	"testing"
	"time"
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

// TestFindLinear checks that Find's time grows linearly: 8× the input
// may take at most 32× the time (a quadratic detector would take 64×).
func TestFindLinear(t *testing.T) {
	r := New()
	timeFind := func(s string) time.Duration {
		best := time.Duration(1 << 62)
		for range 5 {
			t0 := time.Now()
			r.Find(s)
			best = min(best, time.Since(t0))
		}
		return best
	}
	for name, unit := range adversarial {
		t.Run(name, func(t *testing.T) {
			small := strings.Repeat(unit, 20000/len(unit)+1)
			big := strings.Repeat(small, 8)
			ts, tb := timeFind(small), timeFind(big)
			if ts < 50*time.Microsecond {
				ts = 50 * time.Microsecond // timer noise on tiny inputs
			}
			if tb > 32*ts {
				t.Errorf("Find on %d bytes took %v, on %d bytes %v: not linear", len(small), ts, len(big), tb)
			}
		})
	}
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
