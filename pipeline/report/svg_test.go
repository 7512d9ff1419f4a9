package report

import (
	"encoding/xml"
	"errors"
	"io"
	"math"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

func TestNum(t *testing.T) {
	cases := []struct {
		x    float64
		want string
	}{
		{3.14159, "3.14"}, {760, "760"}, {-2.5, "-2.5"}, {0.004, "0"}, {-0.001, "0"},
		{math.Copysign(0, -1), "0"}, {math.NaN(), "0"}, {1e6 / 3, "333333.33"},
	}
	for _, tc := range cases {
		if got := num(tc.x); got != tc.want {
			t.Errorf("num(%v) = %q, want %q", tc.x, got, tc.want)
		}
	}
}

// The end colours are ColorBrewer RdBu's darkest red (#b2182b) and blue
// (#2166ac) around #f7f7f7; the midpoints were interpolated by hand:
// (247+178)/2 = 212.5 → 213 = d5, (247+24)/2 = 135.5 → 136 = 88,
// (247+43)/2 = 145 = 91.
func TestDivergingColor(t *testing.T) {
	cases := []struct {
		z    float64
		want string
	}{
		{0, "#f7f7f7"}, {4, "#b2182b"}, {100, "#b2182b"}, {-4, "#2166ac"}, {-1e9, "#2166ac"},
		{2, "#d58891"}, {math.NaN(), "#e0e0e0"},
	}
	for _, tc := range cases {
		if got := divergingColor(tc.z); got != tc.want {
			t.Errorf("divergingColor(%v) = %q, want %q", tc.z, got, tc.want)
		}
	}
}

func TestEsc(t *testing.T) {
	got := esc(`<a href="https://x.example/?a=1&b=2">'x'</a>`)
	for _, bad := range []string{"<", ">", `"`, "'", "://"} {
		if strings.Contains(got, bad) {
			t.Errorf("esc(...) = %q, contains %q", got, bad)
		}
	}
	if want := "https:&#47;/x.example/?a=1&amp;b=2"; !strings.Contains(got, want) {
		t.Errorf("esc(...) = %q, want it to contain %q", got, want)
	}
}

func TestFit(t *testing.T) {
	cases := []struct {
		name string
		s    string
		maxW float64
		want string
	}{
		{"fits", "机关", 100, "机关"},
		{"cut CJK", "落实党风廉政责任制与业务工作脱节", 60, "落实党风…"}, // 4 chars + ellipsis = 60 px at 12 px
		{"cut ASCII", "abcdefghij", 36, "abc…"},      // 3×7.2 + 12 = 33.6 ≤ 36 < 40.8
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got := fit(tc.s, tc.maxW, 12)
			if got != tc.want {
				t.Errorf("fit(%q, %v) = %q, want %q", tc.s, tc.maxW, got, tc.want)
			}
			if w := textWidth(got, 12); w > tc.maxW+1e-9 {
				t.Errorf("textWidth(fit(%q)) = %v, want <= %v", tc.s, w, tc.maxW)
			}
		})
	}
}

// svgStats parses an SVG fragment as XML and counts its elements by name,
// collecting the text of <text> elements.
func svgStats(t *testing.T, s string) (map[string]int, []string) {
	t.Helper()
	d := xml.NewDecoder(strings.NewReader(s))
	counts := map[string]int{}
	var texts []string
	inText := 0
	for {
		tok, err := d.Token()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			t.Fatalf("SVG is not well-formed XML: %v\n%s", err, s)
		}
		switch x := tok.(type) {
		case xml.StartElement:
			counts[x.Name.Local]++
			if x.Name.Local == "text" {
				inText++
				texts = append(texts, "")
			}
		case xml.EndElement:
			if x.Name.Local == "text" {
				inText--
			}
		case xml.CharData:
			if inText > 0 {
				texts[len(texts)-1] += string(x)
			}
		}
	}
	return counts, texts
}

func TestHeatmap(t *testing.T) {
	rows, cols := []string{"1 党建工作", "2 <考核>"}, []string{"机关", "派出机构", "(跳过)"}
	resid := [][]float64{{2.14, -0.5, math.NaN()}, {-1.96, 0, 5}}
	s := Heatmap("热图", rows, cols, resid)
	counts, texts := svgStats(t, s)
	if counts["svg"] != 1 {
		t.Errorf("Heatmap has %d <svg>, want 1", counts["svg"])
	}
	// 6 cells + 9 legend swatches.
	if got, want := counts["rect"], 6+9; got != want {
		t.Errorf("Heatmap has %d <rect>, want %d", got, want)
	}
	joined := "|" + strings.Join(texts, "|") + "|"
	for _, want := range []string{"|2.1|", "|-0.5|", "|—|", "|-2.0|", "|0.0|", "|5.0|", "|2 <考核>|", "|派出机构|", "|(跳过)|"} {
		if !strings.Contains(joined, want) {
			t.Errorf("Heatmap texts %s lack %s", joined, want)
		}
	}
	// |z| ≥ 1.96 is bold: 2.14, -1.96 and 5.
	if got := strings.Count(s, `class="cell sig`); got != 3 {
		t.Errorf("Heatmap has %d bold cells, want 3", got)
	}
	if !strings.Contains(s, `fill="#b2182b"`) {
		t.Errorf("Heatmap lacks the saturated red of z = 5")
	}
}

func TestStackedChart(t *testing.T) {
	rows, cols := []string{"1 a", "2 b", "3 c"}, []string{"机关", "直属单位"}
	share := [][]float64{{50, 0}, {30, 100}, {20, math.NaN()}}
	s := StackedChart("构成", rows, cols, share)
	counts, texts := svgStats(t, s)
	// Segments: 3 in the first bar, 1 in the second (0 and NaN skipped); 3 legend swatches.
	if got, want := counts["rect"], 4+3; got != want {
		t.Errorf("StackedChart has %d <rect>, want %d", got, want)
	}
	joined := "|" + strings.Join(texts, "|") + "|"
	for _, want := range []string{"|50%|", "|30%|", "|100%|", "|机关|", "|直属单位|", "|1 a|"} {
		if !strings.Contains(joined, want) {
			t.Errorf("StackedChart texts %s lack %s", joined, want)
		}
	}
}

func TestGroupedAndBarChart(t *testing.T) {
	g := GroupedChart("分组", []string{"思想认识", "考核评价"}, []string{"机关", "派出机构"}, [][]float64{{50, 25}, {math.NaN(), 12.5}})
	counts, texts := svgStats(t, g)
	if got, want := counts["rect"], 4+2; got != want {
		t.Errorf("GroupedChart has %d <rect>, want %d", got, want)
	}
	joined := "|" + strings.Join(texts, "|") + "|"
	for _, want := range []string{"|50.0%|", "|12.5%|", "|—|", "|思想认识|"} {
		if !strings.Contains(joined, want) {
			t.Errorf("GroupedChart texts %s lack %s", joined, want)
		}
	}
	b := BarChart("频数", []string{"机关", "派出机构"}, []float64{60, 40}, []int{6, 4})
	counts, texts = svgStats(t, b)
	if counts["rect"] != 2 {
		t.Errorf("BarChart has %d <rect>, want 2", counts["rect"])
	}
	if joined := strings.Join(texts, "|"); !strings.Contains(joined, "60.0%（6）") {
		t.Errorf("BarChart texts %s lack 60.0%%（6）", joined)
	}
	if b2 := BarChart("频数", []string{"机关", "派出机构"}, []float64{60, 40}, []int{6, 4}); b2 != b {
		t.Errorf("BarChart is not deterministic")
	}
}

func TestHeatmapManyColumns(t *testing.T) {
	cols := make([]string, 20)
	resid := [][]float64{make([]float64, 20)}
	for j := range cols {
		cols[j] = "地区" + strconv.Itoa(j+1)
		resid[0][j] = float64(j) / 5
	}
	s := Heatmap("宽热图", []string{"党建"}, cols, resid)
	counts, _ := svgStats(t, s)
	if got, want := counts["rect"], 20+9; got != want {
		t.Errorf("Heatmap has %d <rect>, want %d", got, want)
	}
	// 20 cells of at least 64 px do not fit in 760 px: the chart widens.
	m := regexp.MustCompile(`^<svg class="chart" width="([0-9.]+)"`).FindStringSubmatch(s)
	if m == nil {
		t.Fatalf("Heatmap does not start with a sized <svg>: %.80s", s)
	}
	if w, _ := strconv.ParseFloat(m[1], 64); w < 20*64 {
		t.Errorf("Heatmap width = %v, want >= %v", w, 20*64)
	}
}
