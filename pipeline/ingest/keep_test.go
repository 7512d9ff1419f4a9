package ingest

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"runtime"
	"slices"
	"strings"
	"testing"
	"time"
	"unsafe"

	"surveymine/internal/spill"
	"surveymine/pipeline/corpus"
)

func TestKeeper(t *testing.T) {
	var k keeper
	long := strings.Repeat("长", keepBlock/4)
	for _, s := range []string{"", "处级", "其他〖考核不科学〗", long} {
		if got := k.copy(s); got != s {
			t.Errorf("copy(%.20q) = %.20q, want it equal", s, got)
		}
	}
	src := corpus.Source{File: "w.xlsx", Sheet: "Sheet1", Row: 17}
	tests := []struct {
		q, suffix string
		n         int
		want      string
	}{
		{"", "", 0, "w.xlsx[Sheet1]:17"},
		{"Q5", "", 0, "w.xlsx[Sheet1]:17:Q5"},
		{"Q5", ":other", 1, "w.xlsx[Sheet1]:17:Q5:other"},
		{"Q5", ":other", 2, "w.xlsx[Sheet1]:17:Q5:other2"},
	}
	for _, tc := range tests {
		if got := k.unitID(src, tc.q, tc.suffix, tc.n); got != tc.want {
			t.Errorf("unitID(%v, %q, %q, %d) = %q, want %q", src, tc.q, tc.suffix, tc.n, got, tc.want)
		}
	}
	if got := k.unitID(corpus.Source{File: "s.csv", Row: 2}, "", "", 0); got != "s.csv:2" {
		t.Errorf("unitID(s.csv:2) = %q, want s.csv:2", got)
	}
}

func TestInterner(t *testing.T) {
	var pool corpus.AnswerPool
	var in interner
	a := in.code(&pool, strings.Clone("机关"))
	in.code(&pool, "处级")
	if b := in.code(&pool, strings.Clone("机关")); b != a || pool.Value(b) != "机关" {
		t.Errorf("code(机关) twice: %d and %d (%q), want one code", a, b, pool.Value(b))
	}
	if in.code(&pool, "") != 0 {
		t.Errorf("code(\"\") is not 0")
	}
	// Distinct values switch interning off; the values stay right.
	for i := range 2 * internProbe {
		s := fmt.Sprint(i)
		if got := pool.Value(in.code(&pool, s)); got != s {
			t.Fatalf("code(%q) reads back %q", s, got)
		}
	}
	if !in.off {
		t.Errorf("interner still on after %d distinct values", 2*internProbe)
	}
}

// same reports whether a and b share their bytes.
func same(a, b string) bool {
	return len(a) == len(b) && unsafe.StringData(a) == unsafe.StringData(b)
}

// TestReadShares checks that equal answers share their strings and
// options, and that a one-hot question's equal answers share theirs.
func TestReadShares(t *testing.T) {
	p := writeFile(t, "s.csv", []byte("序号,1、单位：,2、原因（多选）,3(A),3(B)\n"+
		"1,机关,甲┋乙,1,0\n2,机关,甲┋乙,1,0\n3,机关,甲┋其他〖丙〗,1,0\n"))
	c := readOne(t, SurveyInput{Path: p})
	q1, q2, q3 := c.Question("Q1"), c.Question("Q2"), c.Question("Q3")
	if q1 < 0 || q2 < 0 || q3 < 0 {
		t.Fatalf("questions %+v, want Q1, Q2 and Q3", c.Questions)
	}
	a, b := c.Respondents.Answers(0), c.Respondents.Answers(1)
	if a[q1].ValueCode() != b[q1].ValueCode() || c.Value(a[q1]) != "机关" {
		t.Errorf("Q1 values %q and %q do not share a code", c.Value(a[q1]), c.Value(b[q1]))
	}
	for _, q := range []int{q2, q3} {
		oa, ob := c.Options(a[q]), c.Options(b[q])
		if oa == nil || &oa[0] != &ob[0] {
			t.Errorf("%s options %q and %q are not one slice", c.Questions[q].ID, oa, ob)
		}
	}
	if got := strings.Join(c.Options(c.Respondents.Answers(2)[q2]), "|"); got != "甲|其他" {
		t.Errorf("row 3 Q2 options = %q, want 甲|其他", got)
	}
}

// TestCorpusDoesNotPinFile checks that no string the corpus keeps shares
// the file's bytes, which the CSV reader views without copying
// (viewLine): once the table is dropped, the bytes must be collectable
// while the corpus lives. The file has every kind of cell that ends up in
// the corpus: header texts and option labels, ids, choices, 其他 text,
// one-hot columns, open answers (one quoted across lines) and rejects.
func TestCorpusDoesNotPinFile(t *testing.T) {
	text := "序号,1、您的单位类型：,2、原因（多选）,3(甲),3(其他),4、请结合实际谈谈原因：\n" +
		"1,机关,甲┋其他〖考核不严〗,1,0,重业务轻党建\n" +
		"2,机关,甲┋乙,0,1,\"第一行\n第二行\"\n" +
		"2,事业单位,乙,1,考核〖不严〗,同上\n" +
		"3,机关,甲,1,0,太多,了,字段\n" +
		"4,其他〖派出机构〗,乙,0,0,党建与业务脱节\n"
	data := make([]byte, 4<<20) // its own allocation, large enough to notice
	data = data[:copy(data, text)]
	collected := make(chan struct{})
	runtime.AddCleanup(&data[0], func(ch chan struct{}) { close(ch) }, collected)

	cfg := Config{DuplicateIDs: "reject"}
	c := &corpus.Corpus{}
	in := SurveyInput{Path: "s.csv", IDColumn: "序号"}
	tab, st, err := parseSurvey(data, "s.csv", "s.csv", in, &cfg, false)
	if err != nil {
		t.Fatal(err)
	}
	b := &builder{cfg: &cfg, c: c, keys: map[string]int{}}
	if err := b.addTable(in, "surveys[0]", tab, &st); err != nil {
		t.Fatal(err)
	}
	if c.Respondents.Len() != 3 || len(c.Rejects) != 2 || c.Units.Len() < 4 {
		t.Fatalf("%d respondents, %d rejects, %d units; want 3, 2 and at least 4", c.Respondents.Len(), len(c.Rejects), c.Units.Len())
	}
	data, tab, b = nil, nil, nil
	for range 10 {
		runtime.GC()
		select {
		case <-collected:
			runtime.KeepAlive(c)
			return
		case <-time.After(20 * time.Millisecond):
		}
	}
	t.Fatal("the file's bytes are still reachable from the corpus")
}

// TestSpilledReadMatchesHeapRead reads the bundled sample and a report
// folder with the corpus spilled into an arena and in the heap: the two
// corpora must be equal, and the arena must really have been used.
func TestSpilledReadMatchesHeapRead(t *testing.T) {
	if _, err := os.Stat(samplePath); err != nil {
		t.Skipf("sample absent: %v", err)
	}
	cfg := Config{
		Surveys: []SurveyInput{{Path: samplePath, IDColumn: "序号", TruthColumn: "真实原因",
			TextColumns: []string{"6"}, MultiColumns: []string{"5"}}},
		Reports: []ReportInput{{Path: "../../testdata/reports"}},
	}
	heap, err := Read(context.Background(), cfg, "")
	if err != nil {
		t.Fatal(err)
	}
	arena := spill.New(t.TempDir())
	spilled, err := ReadSpilling(context.Background(), cfg, "", arena)
	if err != nil {
		t.Fatal(err)
	}
	if err := arena.Err(); err != nil {
		t.Fatal(err)
	}
	if runtime.GOOS == "linux" && arena.Mapped() == 0 {
		t.Fatal("nothing was spilled")
	}
	arena.Release() // the data must survive its pages being dropped
	// Claims hold NaN percentages, which DeepEqual never finds equal.
	if a, b := fmt.Sprintf("%+v", heap.Claims), fmt.Sprintf("%+v", spilled.Claims); a != b || len(heap.Claims) == 0 {
		t.Fatalf("claims differ or are missing:\n%s\n%s", a, b)
	}
	heap.Claims, spilled.Claims = nil, nil
	// Units are compared as the units they return (the tables differ in
	// where they keep them).
	if heap.Units.Len() == 0 || heap.Units.Len() != spilled.Units.Len() {
		t.Fatalf("units: %d in the heap, %d spilled", heap.Units.Len(), spilled.Units.Len())
	}
	for i, u := range heap.Units.All() {
		if v := spilled.Units.At(i); !reflect.DeepEqual(u, v) {
			t.Fatalf("unit %d: %+v in the heap, %+v spilled", i, u, v)
		}
	}
	heap.Units, spilled.Units = corpus.Units{}, corpus.Units{}
	// The pools likewise, through the answers that refer to them.
	if heap.Pool.Values() != spilled.Pool.Values() {
		t.Fatalf("pool values: %d in the heap, %d spilled", heap.Pool.Values(), spilled.Pool.Values())
	}
	for code := range uint32(heap.Pool.Values()) {
		if a, b := heap.Pool.Value(code+1), spilled.Pool.Value(code+1); a != b {
			t.Fatalf("pool value %d: %q in the heap, %q spilled", code+1, a, b)
		}
	}
	for i, r := range heap.Respondents.All() {
		for q, a := range r.Answers {
			b := spilled.Respondents.Answers(i)[q]
			if !slices.Equal(heap.Options(a), spilled.Options(b)) {
				t.Fatalf("respondent %d question %d: options %q in the heap, %q spilled", i, q, heap.Options(a), spilled.Options(b))
			}
		}
	}
	if heap.Respondents.Len() == 0 || heap.Respondents.Len() != spilled.Respondents.Len() {
		t.Fatalf("respondents: %d in the heap, %d spilled", heap.Respondents.Len(), spilled.Respondents.Len())
	}
	for i, r := range heap.Respondents.All() {
		if s := spilled.Respondents.At(i); r.Key != s.Key || r.ID != s.ID || r.Src != s.Src || !slices.Equal(r.Answers, s.Answers) {
			t.Fatalf("respondent %d: %+v in the heap, %+v spilled", i, r, s)
		}
	}
	heap.Pool, spilled.Pool = corpus.AnswerPool{}, corpus.AnswerPool{}
	heap.Respondents, spilled.Respondents = corpus.Respondents{}, corpus.Respondents{}
	if !reflect.DeepEqual(heap, spilled) {
		t.Fatal("the spilled corpus differs from the one read into the heap")
	}
}

func TestReadWholeIntoArena(t *testing.T) {
	want := []byte(strings.Repeat("序号,答案\n1,党建与业务脱节\n", 5000))
	path := writeFile(t, "big.csv", want)
	got, err := readWhole(path, spill.New(t.TempDir()))
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		t.Fatalf("read %d bytes, want the file's %d", len(got), len(want))
	}
	if _, err := readWhole(filepath.Join(t.TempDir(), "absent.csv"), spill.New(t.TempDir())); !errors.Is(err, os.ErrNotExist) {
		t.Fatalf("absent file: %v, want os.ErrNotExist", err)
	}
}
