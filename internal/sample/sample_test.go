package sample

import (
	"bytes"
	"encoding/csv"
	"errors"
	"io"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"
)

// generate returns Write's output for opt, failing the test on error.
func generate(t testing.TB, opt Options) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := Write(&buf, opt); err != nil {
		t.Fatalf("Write(%+v) = %v, want nil", opt, err)
	}
	return buf.Bytes()
}

// parse checks the BOM and returns the records (header first) of a
// generated file, read with encoding/csv and a fixed field count.
func parse(t testing.TB, b []byte, fields int) [][]string {
	t.Helper()
	if !bytes.HasPrefix(b, []byte(bom)) {
		t.Fatalf("output starts with % x, want the UTF-8 BOM ef bb bf", b[:min(len(b), 3)])
	}
	cr := csv.NewReader(bytes.NewReader(b[len(bom):]))
	cr.FieldsPerRecord = fields
	recs, err := cr.ReadAll()
	if err != nil {
		t.Fatalf("csv.ReadAll = %v, want nil", err)
	}
	return recs
}

func TestWriteDeterministic(t *testing.T) {
	tests := []struct {
		name string
		opt  Options
	}{
		{"header only", Options{Rows: 0, Seed: 5}},
		{"one row", Options{Rows: 1, Seed: 5}},
		{"small", Options{Rows: 10, Seed: 0}},
		{"medium", Options{Rows: 1000, Seed: 20261127}},
		{"no truth", Options{Rows: 1000, Seed: 20261127, NoTruth: true}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			a := generate(t, tc.opt)
			b := generate(t, tc.opt)
			if !bytes.Equal(a, b) {
				t.Fatalf("Write(%+v) twice gave different bytes (%d vs %d)", tc.opt, len(a), len(b))
			}
			if tc.opt.Rows == 0 {
				return
			}
			other := tc.opt
			other.Seed++
			if c := generate(t, other); bytes.Equal(a, c) {
				t.Errorf("Write with seeds %d and %d gave identical bytes, want different", tc.opt.Seed, other.Seed)
			}
		})
	}
}

func TestWritePrefixStable(t *testing.T) {
	// Row i does not depend on how many rows follow, except for its
	// timestamp: the pace of submissions is set from Rows.
	small := parse(t, generate(t, Options{Rows: 20, Seed: 9}), 13)
	large := parse(t, generate(t, Options{Rows: 20000, Seed: 9}), 13)
	for i := 1; i < len(small); i++ {
		s := slices.Delete(slices.Clone(small[i]), 1, 2)
		l := slices.Delete(slices.Clone(large[i]), 1, 2)
		if !slices.Equal(s, l) {
			t.Fatalf("row %d: got %q with Rows=20, %q with Rows=20000, want equal apart from the timestamp", i, s, l)
		}
	}
}

var (
	timeRE     = regexp.MustCompile(`^2026/([1-9]|1[0-2])/([1-9]|[12][0-9]|3[01]) ([0-9]|1[0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9]$`)
	durationRE = regexp.MustCompile(`^[1-9][0-9]*秒$`)
	ipRE       = regexp.MustCompile(`^([0-9]{1,3})\.([0-9]{1,3})\.([0-9]{1,3})\.([0-9]{1,3})\(\p{Han}+-\p{Han}+\)$`)
	otherRE    = regexp.MustCompile(`^其他〖[^〖〗]+〗$`)
)

func TestWriteShape(t *testing.T) {
	tests := []struct {
		name string
		opt  Options
	}{
		{"header only", Options{}},
		{"ten rows", Options{Rows: 10, Seed: 1}},
		{"with truth", Options{Rows: 3000, Seed: 2}},
		{"without truth", Options{Rows: 3000, Seed: 2, NoTruth: true}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			raw := generate(t, tc.opt)
			header := Header(tc.opt)
			recs := parse(t, raw, len(header))
			if !slices.Equal(recs[0], header) {
				t.Fatalf("header = %q, want %q", recs[0], header)
			}
			if got := len(recs) - 1; got != tc.opt.Rows {
				t.Fatalf("got %d data rows, want %d", got, tc.opt.Rows)
			}
			checkLineEndings(t, raw)
			checkRows(t, recs[1:], !tc.opt.NoTruth)
		})
	}
}

// checkLineEndings verifies every line break, inside cells too, is CRLF and
// the file ends with one.
func checkLineEndings(t *testing.T, raw []byte) {
	t.Helper()
	for i, c := range raw {
		if c == '\n' && (i == 0 || raw[i-1] != '\r') {
			t.Fatalf("byte %d: bare LF, want CRLF", i)
		}
	}
	if !bytes.HasSuffix(raw, []byte("\r\n")) {
		t.Fatalf("output does not end with CRLF")
	}
}

func checkRows(t *testing.T, rows [][]string, truth bool) {
	t.Helper()
	q5 := Choices(ColQ5)
	var prev time.Time
	for i, r := range rows {
		if got, want := r[0], strconv.Itoa(i+1); got != want {
			t.Fatalf("row %d: 序号 = %q, want %q", i+1, got, want)
		}
		if !timeRE.MatchString(r[1]) {
			t.Fatalf("row %d: 提交答卷时间 = %q, want like 2026/3/14 9:41:07", i+1, r[1])
		}
		ts, err := time.Parse("2006/1/2 15:04:05", r[1])
		if err != nil {
			t.Fatalf("row %d: parse 提交答卷时间 %q: %v", i+1, r[1], err)
		}
		if ts.Before(prev) {
			t.Fatalf("row %d: 提交答卷时间 %v before previous %v", i+1, ts, prev)
		}
		prev = ts
		if !durationRE.MatchString(r[2]) {
			t.Fatalf("row %d: 所用时间 = %q, want like 215秒", i+1, r[2])
		}
		if !slices.Contains([]string{"微信", "手机提交", "链接"}, r[3]) {
			t.Fatalf("row %d: 来源 = %q", i+1, r[3])
		}
		if r[4] != "直接访问" && r[4] != "N/A" {
			t.Fatalf("row %d: 来源详情 = %q, want 直接访问 or N/A", i+1, r[4])
		}
		m := ipRE.FindStringSubmatch(r[5])
		if m == nil {
			t.Fatalf("row %d: 来自IP = %q, want like 117.136.12.45(江苏-南京)", i+1, r[5])
		}
		for _, o := range m[1:5] {
			if n, _ := strconv.Atoi(o); n > 255 {
				t.Fatalf("row %d: 来自IP = %q has octet %d > 255", i+1, r[5], n)
			}
		}
		for k, col := range []string{ColQ1, ColQ2, ColQ3, ColQ4} {
			if !slices.Contains(Choices(col), r[6+k]) {
				t.Fatalf("row %d: %s = %q, want one of %q", i+1, col, r[6+k], Choices(col))
			}
		}
		opts := strings.Split(r[10], MultiSep)
		last := -1
		for _, o := range opts {
			idx := slices.Index(q5, o)
			if otherRE.MatchString(o) {
				idx = len(q5) - 1
			}
			if idx < 0 || idx == len(q5)-1 && !otherRE.MatchString(o) {
				t.Fatalf("row %d: Q5 option %q not in the questionnaire", i+1, o)
			}
			if idx <= last {
				t.Fatalf("row %d: Q5 = %q, want options in questionnaire order without repeats", i+1, r[10])
			}
			last = idx
		}
		if r[11] == "" {
			t.Fatalf("row %d: Q6 is empty, want an answer, %q or %q", i+1, Skipped, Empty)
		}
		if !truth {
			continue
		}
		c, err := strconv.Atoi(r[12])
		if err != nil || c < 0 || c > 9 {
			t.Fatalf("row %d: 真实原因 = %q, want 0–9", i+1, r[12])
		}
		if (r[11] == Skipped || r[11] == Empty) && c != 0 {
			t.Fatalf("row %d: Q6 = %q with 真实原因 %d, want 0", i+1, r[11], c)
		}
		if r[11] == Skipped && r[9] != "未从事党务工作" {
			t.Fatalf("row %d: Q6 skipped for Q4 = %q, want only for 未从事党务工作", i+1, r[9])
		}
	}
}

func FuzzWrite(f *testing.F) {
	f.Add(uint64(0), uint16(0), false)
	f.Add(uint64(1), uint16(10), false)
	f.Add(uint64(20261127), uint16(600), true)
	f.Fuzz(func(t *testing.T, seed uint64, rows uint16, noTruth bool) {
		opt := Options{Rows: int(rows % 2000), Seed: seed, NoTruth: noTruth}
		raw := generate(t, opt)
		recs := parse(t, raw, len(Header(opt)))
		if len(recs)-1 != opt.Rows {
			t.Fatalf("Write(%+v): got %d data rows, want %d", opt, len(recs)-1, opt.Rows)
		}
		checkLineEndings(t, raw)
		checkRows(t, recs[1:], !noTruth)
	})
}

func TestWriteNegativeRows(t *testing.T) {
	var buf bytes.Buffer
	err := Write(&buf, Options{Rows: -1})
	if !errors.Is(err, ErrNegativeRows) {
		t.Fatalf("Write(Rows: -1) = %v, want ErrNegativeRows", err)
	}
	if buf.Len() != 0 {
		t.Errorf("Write(Rows: -1) wrote %d bytes, want 0", buf.Len())
	}
}

var errDiskFull = errors.New("disk full")

// failAfter accepts n bytes, then fails every write.
type failAfter struct{ n int }

func (w *failAfter) Write(p []byte) (int, error) {
	if len(p) > w.n {
		k := w.n
		w.n = 0
		return k, errDiskFull
	}
	w.n -= len(p)
	return len(p), nil
}

func TestWriteError(t *testing.T) {
	for _, n := range []int{0, 10, 100 << 10} {
		err := Write(&failAfter{n: n}, Options{Rows: 2000, Seed: 1})
		if !errors.Is(err, errDiskFull) {
			t.Errorf("Write to a writer failing after %d bytes = %v, want errDiskFull", n, err)
		}
	}
}

func TestCauses(t *testing.T) {
	cs := Causes()
	if len(cs) != 10 {
		t.Fatalf("len(Causes()) = %d, want 10", len(cs))
	}
	want := []string{"其他", "思想认识", "能力素质", "队伍建设", "制度机制", "考核评价", "载体形式", "内容方法差异", "管理体制", "党员意识"}
	for i, c := range cs {
		if c.ID != i || c.Name != want[i] || c.Desc == "" {
			t.Errorf("Causes()[%d] = %+v, want ID %d, Name %q, a description", i, c, i, want[i])
		}
	}
	cs[1].Name = "changed"
	if Causes()[1].Name != "思想认识" {
		t.Errorf("modifying the result of Causes() changed the package's table")
	}
	for c := 1; c < 10; c++ {
		if len(clauses[c]) < 4 || len(phrases[c]) < 4 {
			t.Errorf("cause %d has %d clauses and %d phrases, want at least 4 of each", c, len(clauses[c]), len(phrases[c]))
		}
	}
}

func TestChoices(t *testing.T) {
	tests := []struct {
		col  string
		want int
	}{
		{ColQ1, 3}, {ColQ2, 3}, {ColQ3, 3}, {ColQ4, 3}, {ColQ5, 8}, {ColQ6, 0}, {ColSeq, 0}, {"", 0},
	}
	for _, tc := range tests {
		if got := len(Choices(tc.col)); got != tc.want {
			t.Errorf("len(Choices(%q)) = %d, want %d", tc.col, got, tc.want)
		}
	}
	Choices(ColQ1)[0] = "changed"
	if Choices(ColQ1)[0] != "机关" {
		t.Errorf("modifying the result of Choices changed the package's table")
	}
}

// table is a contingency table of counts, rows × columns.
type table [][]float64

// pearson returns Pearson's chi-square statistic X² = Σ (O−E)²/E with
// E = row total × column total / grand total, without Yates' correction
// (e.g. Agresti, Categorical Data Analysis, 3rd ed., §3.2.1), and its degrees
// of freedom (r−1)(c−1). Rows and columns whose totals are zero are dropped.
func pearson(tab table) (x2 float64, df int) {
	var rows, cols []int
	rs := make([]float64, len(tab))
	cs := make([]float64, len(tab[0]))
	total := 0.0
	for i, row := range tab {
		for j, v := range row {
			rs[i] += v
			cs[j] += v
			total += v
		}
	}
	for i, v := range rs {
		if v > 0 {
			rows = append(rows, i)
		}
	}
	for j, v := range cs {
		if v > 0 {
			cols = append(cols, j)
		}
	}
	for _, i := range rows {
		for _, j := range cols {
			e := rs[i] * cs[j] / total
			d := tab[i][j] - e
			x2 += d * d / e
		}
	}
	return x2, (len(rows) - 1) * (len(cols) - 1)
}

func TestPearson(t *testing.T) {
	// Hand computation: totals 30/70 and 40/60 of 100 give expected counts
	// 12, 18, 28, 42, so X² = 4/12 + 4/18 + 4/28 + 4/42 = 0.7936507936…
	// (scipy.stats.chi2_contingency with correction=False agrees).
	x2, df := pearson(table{{10, 20}, {30, 40}})
	if df != 1 || x2 < 0.793650 || x2 > 0.793651 {
		t.Fatalf("pearson = %v, %d, want 0.793651, 1", x2, df)
	}
}

// chi2Crit999 holds upper 0.1% critical values of the chi-square
// distribution by degrees of freedom, from the standard table (NIST/SEMATECH
// e-Handbook of Statistical Methods, §1.3.6.7.4), cross-checked with gonum's
// distuv.ChiSquared{K: df}.Quantile(0.999).
var chi2Crit999 = map[int]float64{2: 13.816, 8: 26.124, 16: 39.252, 18: 42.312}

// crosstab counts 真实原因 (columns 0–9) by the answer in column col, whose
// values are given in order; truth 0 is left out when skipZero is set.
func crosstab(recs [][]string, col int, values []string, skipZero bool) table {
	tab := make(table, len(values))
	for i := range tab {
		tab[i] = make([]float64, 10)
	}
	for _, r := range recs {
		c, _ := strconv.Atoi(r[12])
		if skipZero && c == 0 {
			continue
		}
		tab[slices.Index(values, r[col])][c]++
	}
	return tab
}

func TestTruthDependsOnUnitAndRank(t *testing.T) {
	for _, seed := range []uint64{1, 2, 3, 4, 20261127} {
		recs := parse(t, generate(t, Options{Rows: 500, Seed: seed}), 13)[1:]
		units := crosstab(recs, 6, Choices(ColQ1), true)
		x2, df := pearson(units)
		if crit := chi2Crit999[df]; x2 < crit {
			t.Errorf("seed %d: 500 rows, 真实原因 × Q1: X² = %.1f with %d df, want > %.3f (p < 0.001)", seed, x2, df, crit)
		}
		// Negative control: 来源 is drawn independently of the cause.
		sources := crosstab(recs, 3, []string{"微信", "手机提交", "链接"}, true)
		if x2, df := pearson(sources); x2 > chi2Crit999[df] {
			t.Errorf("seed %d: 真实原因 × 来源: X² = %.1f with %d df, want no dependence", seed, x2, df)
		}
	}

	recs := parse(t, generate(t, Options{Rows: 4000, Seed: 11}), 13)[1:]
	share := func(tab table, row int, causes ...int) float64 {
		n, k := 0.0, 0.0
		for c := 1; c < 10; c++ {
			n += tab[row][c]
			if slices.Contains(causes, c) {
				k += tab[row][c]
			}
		}
		return k / n
	}
	units := crosstab(recs, 6, Choices(ColQ1), true)
	if a, b := share(units, 2, 8), share(units, 0, 8); a < 3*b {
		t.Errorf("管理体制 share: 派出机构 %.3f, 机关 %.3f, want at least 3 times", a, b)
	}
	if a, b := share(units, 2, 3), share(units, 0, 3); a < 2*b {
		t.Errorf("队伍建设 share: 派出机构 %.3f, 机关 %.3f, want at least 2 times", a, b)
	}
	ranks := crosstab(recs, 7, Choices(ColQ2), true)
	if a, b := share(ranks, 0, 4, 5), share(ranks, 2, 4, 5); a < 2*b {
		t.Errorf("制度机制+考核评价 share: 局级 %.3f, 科级及以下 %.3f, want at least 2 times", a, b)
	}
	if a, b := share(ranks, 2, 1, 6), share(ranks, 0, 1, 6); a < 2*b {
		t.Errorf("思想认识+载体形式 share: 科级及以下 %.3f, 局级 %.3f, want at least 2 times", a, b)
	}
}

func TestQ5FollowsTruth(t *testing.T) {
	recs := parse(t, generate(t, Options{Rows: 4000, Seed: 12}), 13)[1:]
	// cause → the option that names it
	direct := map[int]string{2: "开展党务工作的能力素质不够强", 3: "党务干部队伍不健全", 4: "党建工作制度规定不完善", 5: "考核评价机制不科学", 6: "党建活动形式单一"}
	for c, opt := range direct {
		var with, withN, without, withoutN float64
		for _, r := range recs {
			ticked := slices.Contains(strings.Split(r[10], MultiSep), opt)
			if r[12] == strconv.Itoa(c) {
				withN++
				if ticked {
					with++
				}
			} else if r[12] != "0" {
				withoutN++
				if ticked {
					without++
				}
			}
		}
		if p, q := with/withN, without/withoutN; p < 0.7 || q > 0.4 {
			t.Errorf("cause %d: %q ticked by %.2f of its rows and %.2f of other rows, want > 0.7 and < 0.4", c, opt, p, q)
		}
	}
}

func TestAnswerVariety(t *testing.T) {
	recs := parse(t, generate(t, Options{Rows: 5000, Seed: 3}), 13)[1:]
	counts := map[string]int{}
	var skipped, empty, short, multiline, wide, spaced, negated, list int
	for _, r := range recs {
		a := r[11]
		switch {
		case a == Skipped:
			skipped++
			continue
		case a == Empty:
			empty++
			continue
		case slices.Contains(nonAnswers, strings.TrimSpace(a)):
			short++
			if r[12] != "0" {
				t.Errorf("non-answer %q has 真实原因 %s, want 0", a, r[12])
			}
			continue
		}
		if r[12] == "0" {
			continue
		}
		counts[a]++
		if strings.Contains(a, "\n") {
			multiline++
		}
		if strings.ContainsAny(a, "０１２３ＫＰＩ") {
			wide++
		}
		if strings.ContainsAny(a, " 　") {
			spaced++
		}
		if strings.Contains(a, "而是") || strings.Contains(a, "不如说是") {
			negated++
		}
		if strings.HasPrefix(a, "1、") || strings.HasPrefix(a, "一是") {
			list++
		}
	}
	top := 0
	for _, n := range counts {
		top = max(top, n)
	}
	checks := []struct {
		name     string
		got, min int
	}{
		{"distinct substantive answers", len(counts), 2500},
		{"copies of the most common answer", top, 5},
		{"(跳过) cells", skipped, 200},
		{"(空) cells", empty, 10},
		{"short non-answers", short, 150},
		{"multi-line answers", multiline, 50},
		{"answers with full-width letters or digits", wide, 10},
		{"answers with stray spaces", spaced, 50},
		{"negated distractors", negated, 100},
		{"numbered lists", list, 50},
	}
	for _, c := range checks {
		if c.got < c.min {
			t.Errorf("5000 rows: got %d %s, want at least %d", c.got, c.name, c.min)
		}
	}
}

func TestFullWidth(t *testing.T) {
	tests := []struct{ in, want string }{
		{"", ""},
		{"1、KPI不合理", "１、ＫＰＩ不合理"},
		{"无", "无"},
		{"a9z", "ａ９ｚ"},
	}
	for _, tc := range tests {
		if got := fullWidth(tc.in); got != tc.want {
			t.Errorf("fullWidth(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

// countingWriter counts bytes and discards them.
type countingWriter struct{ n int64 }

func (w *countingWriter) Write(p []byte) (int, error) {
	w.n += int64(len(p))
	return len(p), nil
}

func BenchmarkWrite(b *testing.B) {
	for _, rows := range []int{10_000, 1_000_000} {
		b.Run(strconv.Itoa(rows)+"rows", func(b *testing.B) {
			b.ReportAllocs()
			var w countingWriter
			for b.Loop() {
				w.n = 0
				if err := Write(&w, Options{Rows: rows, Seed: 1}); err != nil {
					b.Fatal(err)
				}
			}
			// Bytes per op: the size of one generated file.
			b.SetBytes(w.n)
		})
	}
}

var _ io.Writer = (*countingWriter)(nil)
