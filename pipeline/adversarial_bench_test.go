//go:build unix

package pipeline_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"surveymine/pipeline"
	"surveymine/pipeline/ingest"
)

// adversarialShape is an input shape that once made a stage super-linear
// (issue 11): one enormous line, one enormous cell, very many paragraphs,
// very many columns. Each shape comes at a small and a full size; the
// full size must run in seconds, and the ratio of the two times shows
// whether work grows linearly.
type adversarialShape struct {
	name  string
	sizes []int
	// build writes the input files for size n into dir and returns the
	// job's config (output formats, output dir and seed are set by the
	// benchmark).
	build func(tb testing.TB, dir string, n int) pipeline.Config
}

// oneLineReport is n bytes of one report line: the same enumerated
// sentence again and again, as a bad PDF-to-text conversion produces.
func oneLineReport(tb testing.TB, dir string, n int) pipeline.Config {
	const sentence = "一是加强理论学习，提高思想认识，有24%的人认为党建与业务融合不够。"
	path := filepath.Join(dir, "report.txt")
	writeBench(tb, path, strings.Repeat(sentence, n/len(sentence)+1))
	return pipeline.Config{Inputs: ingest.Config{Reports: []ingest.ReportInput{{Path: path}}}}
}

// shortParagraphs is a report of n short lines, each its own paragraph
// with a numbered point and a claim.
func shortParagraphs(tb testing.TB, dir string, n int) pipeline.Config {
	var b strings.Builder
	b.WriteString("三、原因分析\n")
	for i := range n {
		fmt.Fprintf(&b, "%d是考核机制不科学，有%d%%的人认为“重业务轻党建”。\n", i%9+1, i%100)
	}
	path := filepath.Join(dir, "report.txt")
	writeBench(tb, path, b.String())
	return pipeline.Config{Inputs: ingest.Config{Reports: []ingest.ReportInput{{Path: path}}}}
}

// markdownLines is a Markdown report whose one paragraph has n lines.
func markdownLines(tb testing.TB, dir string, n int) pipeline.Config {
	var b strings.Builder
	b.WriteString("# 原因分析\n\n")
	for i := range n {
		fmt.Fprintf(&b, "第%d条意见：党建要融入业务，考核是关键；\n", i)
	}
	path := filepath.Join(dir, "report.md")
	writeBench(tb, path, b.String())
	return pipeline.Config{Inputs: ingest.Config{Reports: []ingest.ReportInput{{Path: path}}}}
}

// answers are varied open answers for the survey shapes.
var answers = []string{
	"重业务轻党建，说起来重要做起来次要",
	"党务干部都是兼职的，人手不够，精力有限",
	"考核评价机制不科学，党建考核和业务考核两张皮",
	"活动形式单一，流于形式，学习教育走过场",
	"思想认识不到位，认为党建是虚的业务是实的",
	"制度不完善，缺少把党建和业务结合起来的抓手",
}

// longCell is a 问卷星-style survey of 40 respondents, one of whose open
// answers has n characters; max_field_bytes is raised to hold it.
func longCell(tb testing.TB, dir string, n int) pipeline.Config {
	var long strings.Builder
	for i := 0; long.Len() < 3*n; i++ {
		long.WriteString(answers[i%len(answers)])
		long.WriteString("。")
	}
	cell := string([]rune(long.String())[:n])
	var b strings.Builder
	b.WriteString("序号,1、您的职级：,6、请谈谈您的看法：\n")
	for i := 1; i <= 40; i++ {
		text := answers[i%len(answers)]
		if i == 7 {
			text = cell
		}
		fmt.Fprintf(&b, "%d,%s,\"%s\"\n", i, []string{"处级", "科级"}[i%2], text)
	}
	path := filepath.Join(dir, "survey.csv")
	writeBench(tb, path, b.String())
	return pipeline.Config{
		Inputs: ingest.Config{MaxFieldBytes: 4 << 20, Surveys: []ingest.SurveyInput{{
			Path: path, IDColumn: "序号", TextColumns: []string{"6"}, AttributeColumns: []string{"1"}}}},
		Cluster: pipeline.ClusterConfig{K: 3},
	}
}

// wideSurvey is a survey of 60 respondents and n columns: an id, an
// attribute, an open question, then single-choice questions and groups
// of one-hot option columns with question numbers.
func wideSurvey(tb testing.TB, dir string, n int) pipeline.Config {
	var b strings.Builder
	header := []string{"序号", "1、您的职级：", "2、请谈谈您的看法："}
	for j := len(header); j < n; j++ {
		q := 3 + j/50
		if j%50 < 25 {
			header = append(header, fmt.Sprintf("%d(选项%d)", q, j%50))
		} else {
			header = append(header, fmt.Sprintf("%d、题目%d", 3+j, j))
		}
	}
	b.WriteString(strings.Join(header, ","))
	b.WriteByte('\n')
	for i := 1; i <= 60; i++ {
		row := []string{strconv.Itoa(i), []string{"处级", "科级"}[i%2], answers[i%len(answers)]}
		for j := len(row); j < n; j++ {
			if j%50 < 25 {
				row = append(row, strconv.Itoa((i+j)%2))
			} else {
				row = append(row, []string{"A", "B", "C"}[(i*j)%3])
			}
		}
		b.WriteString(strings.Join(row, ","))
		b.WriteByte('\n')
	}
	path := filepath.Join(dir, "survey.csv")
	writeBench(tb, path, b.String())
	return pipeline.Config{
		Inputs: ingest.Config{Surveys: []ingest.SurveyInput{{
			Path: path, IDColumn: "序号", TextColumns: []string{"2"}, AttributeColumns: []string{"1"}}}},
		Cluster: pipeline.ClusterConfig{K: 2},
	}
}

var adversarialShapes = []adversarialShape{
	{"one_line_report_bytes", []int{1 << 20, 10 << 20}, oneLineReport},
	{"cell_chars", []int{100_000, 1_000_000}, longCell},
	{"paragraphs", []int{10_000, 100_000}, shortParagraphs},
	{"markdown_paragraph_lines", []int{10_000, 100_000}, markdownLines},
	{"columns", []int{2_000, 20_000}, wideSurvey},
}

// BenchmarkAdversarial runs the whole job (all output formats) on each
// adversarial shape at a small and a full size. Generating the input is
// not timed. One iteration of each is enough:
//
//	go test ./pipeline -run '^$' -bench BenchmarkAdversarial -benchtime=1x
func BenchmarkAdversarial(b *testing.B) {
	for _, sh := range adversarialShapes {
		for _, n := range sh.sizes {
			b.Run(fmt.Sprintf("%s=%d", sh.name, n), func(b *testing.B) {
				dir := b.TempDir()
				cfg := sh.build(b, dir, n)
				cfg.Seed = 1
				cfg.Codebook.Path = filepath.Join("..", "configs", "codebook", "liangzhangpi.yaml")
				cfg.Output = pipeline.OutputConfig{Dir: filepath.Join(dir, "out"), Force: true}
				if err := cfg.Validate(); err != nil {
					b.Fatal(err)
				}
				b.ReportAllocs()
				cpu0 := cpuSeconds()
				for b.Loop() {
					d, err := pipeline.Execute(context.Background(), &cfg, pipeline.Env{Version: "bench"})
					if err != nil {
						b.Fatal(err)
					}
					for _, t := range d.Timing {
						b.ReportMetric(t.Seconds, t.Stage+"-s")
					}
				}
				// CPU time (user + system) says how much work was done even
				// when other processes share the machine and stretch the
				// wall time.
				b.ReportMetric((cpuSeconds()-cpu0)/float64(b.N), "cpu-s/op")
			})
		}
	}
}

// cpuSeconds is the user plus system CPU time of this process so far.
func cpuSeconds() float64 {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano()).Seconds()
}

func writeBench(tb testing.TB, path, s string) {
	tb.Helper()
	if err := os.WriteFile(path, []byte(s), 0o644); err != nil {
		tb.Fatal(err)
	}
}
