package ingest

import (
	"strings"
	"testing"

	"golang.org/x/text/encoding/simplifiedchinese"
)

// hostileSurveys are seed shapes from issue 11: tiny valid exports in
// every encoding, formula-like cells, emoji and astral-plane CJK,
// duplicate headers, a wide header and a long cell.
func hostileSurveys() []string {
	const tiny = "序号,1、您的职级：,6、请谈谈您的看法：\r\n1,处级,\"=HYPERLINK(\"\"http://x\"\") 重业务轻党建😀\"\r\n2,科级,+考核机制不科学，𠀀𪚥\r\n3,处级,@人手不够 👍🏽\r\n"
	gb, _ := simplifiedchinese.GB18030.NewEncoder().String(strings.ReplaceAll(tiny, "\r\n", "\n"))
	var wide strings.Builder
	for j := range 300 {
		if j > 0 {
			wide.WriteByte(',')
		}
		wide.WriteString("3(选项" + strings.Repeat("x", j%5) + ")")
	}
	wide.WriteString("\n" + strings.Repeat("1,", 299) + "0\n")
	return []string{
		"\ufeff" + tiny, gb, string(utf16Bytes(tiny, false)), string(utf16Bytes(tiny, false)[2:]),
		"序号,评论,评论,评论\n1,好,差,一般\n",
		"序号,6、意见\n1," + strings.Repeat("一是加强学习。", 2000) + "\n",
		wide.String(),
		"序号,6、意见\n", "序号\n1\n2\n3\n", "a,b\n1,\"=1+1\n2,-3\n",
	}
}

func FuzzReadTSV(f *testing.F) {
	for _, s := range hostileSurveys() {
		f.Add([]byte(strings.ReplaceAll(s, ",", "\t")))
	}
	f.Add([]byte("序号\t6、意见\n1\t\"a\tb\"\n2\t\"未闭合\n"))
	f.Fuzz(func(t *testing.T, data []byte) { fuzzRead(t, "f.tsv", data, true) })
}

func FuzzReadMarkdown(f *testing.F) {
	for _, s := range []string{
		"# 三、原因分析\n\n一是思想认识不到位；\n二是考核不科学。\n\n- 首先，x；其次，y\n1. 有24%的人认为好\n",
		"#\n##没有空格\n####### 七级\n\n" + strings.Repeat("第1条：党建要融入业务；\n", 500),
		"# " + strings.Repeat("很长的标题", 300) + "\n正文有xx人认为“好”，占x%。\n",
		"\ufeff# 标题\r\n\r\n正文😀𠀀\r\n", "\xff\xfe#\x00 \x00a\x00", "",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) { fuzzRead(t, "f.md", data, false) })
}

// TestHostileSeedsRead reads every hostile seed shape as CSV and TSV, so
// the seeds are checked in every test run, not only when fuzzing.
func TestHostileSeedsRead(t *testing.T) {
	for _, s := range hostileSurveys() {
		fuzzRead(t, "f.csv", []byte(s), true)
		fuzzRead(t, "f.tsv", []byte(strings.ReplaceAll(s, ",", "\t")), true)
	}
	fuzzRead(t, "f.txt", []byte(strings.Repeat("一是加强理论学习，有24%的人认为好。", 3000)), false)
	fuzzRead(t, "f.md", []byte("# 原因\n\n"+strings.Repeat("第1条：党建要融入业务；\n", 3000)), false)
}
