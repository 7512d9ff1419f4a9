package shard

import (
	"fmt"
	"hash/fnv"
	"io"
	"testing"
)

// TestTextIndex: every text added is found at the place it was first
// added with; a text never added is not found.
func TestTextIndex(t *testing.T) {
	// Two "partials" of texts; the second repeats some of the first.
	parts := [][]string{{"同上", "", "两张皮", "形式主义"}, {"形式主义", "考核", "同上", "x"}}
	for i := 0; i < 1000; i++ {
		parts[i%2] = append(parts[i%2], fmt.Sprintf("答案%d", i))
	}
	textOf := func(at textRef) string {
		p, k := at.part()
		return parts[p][k]
	}
	var x textIndex
	x.init(len(parts[0]) + len(parts[1]))
	for p, texts := range parts {
		for k, text := range texts {
			x.add(text, ref(p, k), textOf)
		}
	}
	cases := []struct {
		text    string
		part, k int
	}{
		{"同上", 0, 0},
		{"", 0, 1},
		{"形式主义", 0, 3},
		{"考核", 1, 1},
		{"x", 1, 3},
		{"答案1", 1, 4},
		{"答案998", 0, 4 + 499},
	}
	for _, tc := range cases {
		at, ok := x.get(tc.text, textOf)
		if p, k := at.part(); !ok || p != tc.part || k != tc.k {
			t.Errorf("get(%q) = (%d, %d), %v, want (%d, %d), true", tc.text, p, k, ok, tc.part, tc.k)
		}
	}
	for _, text := range []string{"同", "答案1000", "两张皮 "} {
		if at, ok := x.get(text, textOf); ok {
			t.Errorf("get(%q) = %v, true, want not found", text, at)
		}
	}
	var empty textIndex
	if _, ok := empty.get("同上", textOf); ok {
		t.Errorf("get on an index never initialised = true, want false")
	}
}

// TestKeyShard: the inline FNV-1a is hash/fnv's, so logical shards are
// those of earlier versions (and of partials already written).
func TestKeyShard(t *testing.T) {
	for _, k := range [][3]string{{"survey", "a.csv", "17"}, {"report", "年度报告.docx", "3"}, {"survey", "", ""}, {"survey", "问卷星.xlsx", "序号-١٢"}} {
		h := fnv.New64a()
		io.WriteString(h, k[0]+"\x00"+k[1]+"\x00"+k[2])
		if got, want := keyShard(k[0], k[1], k[2]), int(h.Sum64()%LogicalShards); got != want {
			t.Errorf("keyShard(%q, %q, %q) = %d, want %d", k[0], k[1], k[2], got, want)
		}
	}
}
