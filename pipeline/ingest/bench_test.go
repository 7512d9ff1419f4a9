package ingest

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"surveymine/internal/sample"
)

// wjxRows builds a 问卷星-style CSV with n respondents.
func wjxRows(n int) []byte {
	var b strings.Builder
	b.WriteString("序号,提交答卷时间,来自IP,1、您的职级：,5、主要原因有哪些？（多选）,6、请谈谈您的看法：\n")
	for i := 1; i <= n; i++ {
		fmt.Fprintf(&b, "%d,2026/3/14 8:%02d:45,1.2.3.%d(北京),处级,党务干部队伍不健全┋其他〖考核不科学〗,\"第%d条意见：考核是关键，\n党建要融入业务。\"\n", i, i%60, i%250, i)
	}
	return []byte(b.String())
}

func BenchmarkReadCSV(b *testing.B) {
	for _, n := range []int{100, 5000} {
		b.Run(fmt.Sprintf("rows=%d", n), func(b *testing.B) {
			data := wjxRows(n)
			path := benchFile(b, "b.csv", data)
			b.ReportAllocs()
			b.SetBytes(int64(len(data)))
			for b.Loop() {
				if _, err := Read(context.Background(), Config{Surveys: []SurveyInput{{Path: path}}}, ""); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

func BenchmarkReadReport(b *testing.B) {
	para := "一是思想不够重视是根本原因。调查中有16%的人认为机关党务干部队伍不稳定,有xx人认为“好”,占x%。\n"
	for _, n := range []int{100, 5000} {
		b.Run(fmt.Sprintf("paragraphs=%d", n), func(b *testing.B) {
			data := []byte("第一篇:甲\n三、原因分析\n" + strings.Repeat(para, n))
			path := benchFile(b, "r.txt", data)
			b.ReportAllocs()
			b.SetBytes(int64(len(data)))
			for b.Loop() {
				if _, err := Read(context.Background(), Config{Reports: []ReportInput{{Path: path}}}, ""); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkCorpusHeap reads a generated sample (the columns of
// docs/bench/bench.yaml) and reports the heap the corpus keeps, measured
// with runtime.ReadMemStats after a forced GC before and after Read:
// heap-B/in-B is retained heap bytes per input byte (issue 10), heap-B/row
// per survey row.
func BenchmarkCorpusHeap(b *testing.B) {
	for _, n := range []int{10000, 50000} {
		b.Run(fmt.Sprintf("rows=%d", n), func(b *testing.B) {
			var buf bytes.Buffer
			if err := sample.Write(&buf, sample.Options{Rows: n, Seed: 1}); err != nil {
				b.Fatal(err)
			}
			path := benchFile(b, "s.csv", buf.Bytes())
			size := buf.Len()
			buf = bytes.Buffer{}
			cfg := Config{Surveys: []SurveyInput{{Path: path, IDColumn: "序号", TextColumns: []string{"6"},
				AttributeColumns: []string{"1", "2"}, TruthColumn: "真实原因"}}}
			b.ReportAllocs()
			b.SetBytes(int64(size))
			var retained uint64
			for b.Loop() {
				before := heapAfterGC()
				c, err := Read(context.Background(), cfg, "")
				if err != nil {
					b.Fatal(err)
				}
				after := heapAfterGC()
				runtime.KeepAlive(c)
				retained = after - min(after, before)
			}
			b.ReportMetric(float64(retained)/float64(size), "heap-B/in-B")
			b.ReportMetric(float64(retained)/float64(n), "heap-B/row")
		})
	}
}

// BenchmarkReportHeap reads the bundled report compilation repeated to
// about 1 MB and reports the heap the corpus keeps per input byte, as
// BenchmarkCorpusHeap does for surveys.
func BenchmarkReportHeap(b *testing.B) {
	one, err := os.ReadFile(filepath.Join("..", "..", "testdata", "reports", "compilation_two_reports.txt"))
	if err != nil {
		b.Skip(err)
	}
	data := bytes.Repeat(append(one, '\n'), 1<<20/len(one))
	path := benchFile(b, "r.txt", data)
	cfg := Config{Reports: []ReportInput{{Path: path}}}
	b.ReportAllocs()
	b.SetBytes(int64(len(data)))
	var retained uint64
	for b.Loop() {
		before := heapAfterGC()
		c, err := Read(context.Background(), cfg, "")
		if err != nil {
			b.Fatal(err)
		}
		after := heapAfterGC()
		runtime.KeepAlive(c)
		retained = after - min(after, before)
	}
	b.ReportMetric(float64(retained)/float64(len(data)), "heap-B/in-B")
}

// heapAfterGC returns the bytes of live heap objects after a forced GC.
func heapAfterGC() uint64 {
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return m.HeapAlloc
}
