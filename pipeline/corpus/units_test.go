package corpus

import (
	"reflect"
	"runtime"
	"strings"
	"testing"
	"unsafe"

	"surveymine/internal/spill"
)

func TestUnitRecordSize(t *testing.T) {
	// A million answers: every byte here is a megabyte of the arena.
	if n := unsafe.Sizeof(unitRec{}); n != 84 {
		t.Errorf("unitRec is %d bytes, want 84", n)
	}
}

// sampleUnits are units of every kind, with shared and distinct strings,
// raw text equal to and different from the text, and one text longer
// than a quarter of a store block.
func sampleUnits() []Unit {
	long := strings.Repeat("党建与业务两张皮", storeBlock/16)
	head := []string{"三、原因分析", "（一）思想认识"}
	return []Unit{
		{ID: "s.csv:2:Q5", Question: "Q5", Src: Source{File: "s.csv", Row: 2, Column: "5、原因"}, Raw: " 重业务轻党建 ", Text: "重业务轻党建", Respondent: 0, Kind: OpenAnswer},
		{ID: "s.csv:3:Q5", Question: "Q5", Src: Source{File: "s.csv", Row: 3, Column: "5、原因"}, Respondent: 1, Kind: OpenAnswer, Missing: Skipped},
		{ID: "s.xlsx[表1]:4:Q2:other", Question: "Q2", Src: Source{File: "s.xlsx", Sheet: "表1", Row: 4, Column: "2、单位"}, Raw: "其他〖街道〗", Text: "街道", Respondent: 2, Kind: OtherText},
		{ID: "r.txt:p3", Src: Source{File: "r.txt", Article: 1, Heading: head, Paragraph: 3, End: len([]rune(long))}, Raw: long, Text: long, Respondent: -1, Kind: ReportParagraph, InCauses: true},
		{ID: "r.txt:p3:s1", Src: Source{File: "r.txt", Article: 1, Heading: head, Paragraph: 3, Start: 0, End: 8}, Raw: "党建与业务两张皮", Text: "党建与业务两张皮", Respondent: -1, Kind: ReportSentence, InCauses: true},
	}
}

func TestUnitsRoundTrip(t *testing.T) {
	for _, arena := range []*spill.Arena{nil, spill.New(t.TempDir())} {
		var tab Units
		tab.UseArena(arena)
		want := sampleUnits()
		for _, u := range want {
			tab.Append(u)
		}
		arena.Release() // the units must survive their pages being dropped
		if tab.Len() != len(want) {
			t.Fatalf("arena %v: %d units, want %d", arena != nil, tab.Len(), len(want))
		}
		for i, u := range tab.All() {
			if !reflect.DeepEqual(u, want[i]) {
				t.Errorf("arena %v: unit %d = %+v, want %+v", arena != nil, i, u, want[i])
			}
			if tab.Text(i) != want[i].Text || tab.ID(i) != want[i].ID || tab.Kind(i) != want[i].Kind ||
				tab.Respondent(i) != want[i].Respondent || tab.Question(i) != want[i].Question || tab.Missing(i) != want[i].Missing {
				t.Errorf("arena %v: unit %d's accessors disagree with At", arena != nil, i)
			}
		}
		if runtime.GOOS == "linux" && arena != nil && arena.Mapped() == 0 {
			t.Error("nothing was kept in the arena")
		}
	}
}

func TestUnitsGrowKeepsUnits(t *testing.T) {
	var tab Units
	var want []Unit
	for i := range 2000 { // several doublings
		u := Unit{ID: strings.Repeat("x", i%7+1), Text: strings.Repeat("答", i%50), Respondent: i}
		want = append(want, u)
		tab.Append(u)
	}
	for i, u := range tab.All() {
		if u.ID != want[i].ID || u.Text != want[i].Text || u.Respondent != i {
			t.Fatalf("unit %d = %+v, want %+v", i, u, want[i])
		}
	}
}

func TestUnitsSetCopiesOnlyWhatChanged(t *testing.T) {
	tab := NewUnits(sampleUnits()...)
	blocks, used := len(tab.text.blocks), tab.text.used
	u := tab.At(0)
	u.Src.Start = 7
	tab.Set(0, u) // the strings are unit 0's own: nothing is copied
	if len(tab.text.blocks) != blocks || tab.text.used != used {
		t.Errorf("setting unchanged strings copied them: store %d/%d -> %d/%d", blocks, used, len(tab.text.blocks), tab.text.used)
	}
	u.Text = "[手机号]党建"
	u.Raw = u.Text
	tab.Set(0, u)
	got := tab.At(0)
	if got.Text != "[手机号]党建" || got.Raw != got.Text || got.Src.Start != 7 || got.ID != "s.csv:2:Q5" {
		t.Errorf("after Set: %+v", got)
	}
	if tab.text.used != used+len(u.Text) {
		t.Errorf("equal raw and text were stored %d bytes, want once (%d)", tab.text.used-used, len(u.Text))
	}
	if tab.At(1).ID != "s.csv:3:Q5" {
		t.Error("Set changed another unit")
	}
}

func TestUnitsSelectSharesText(t *testing.T) {
	tab := NewUnits(sampleUnits()...)
	sel := tab.Select(func(i int) bool { return i%2 == 0 })
	all := sampleUnits()
	want := []Unit{all[0], all[2], all[4]}
	if sel.Len() != len(want) {
		t.Fatalf("%d units selected, want %d", sel.Len(), len(want))
	}
	for i, u := range sel.All() {
		if !reflect.DeepEqual(u, want[i]) {
			t.Errorf("selected unit %d = %+v, want %+v", i, u, want[i])
		}
	}
	if sel.text != tab.text {
		t.Error("the selection copied the text")
	}
}

func TestAnswerPoolInArena(t *testing.T) {
	var c Corpus
	arena := spill.New(t.TempDir())
	c.UseArena(arena)
	const n = 5000 // several doublings of the value table
	for i := range n {
		if code := c.Pool.AddValue(strings.Repeat("答", i%40+1)); code != uint32(i+1) {
			t.Fatalf("value %d got code %d", i, code)
		}
	}
	arena.Release()
	for i := range n {
		if v := c.Pool.Value(uint32(i + 1)); v != strings.Repeat("答", i%40+1) {
			t.Fatalf("value %d reads back %q", i+1, v)
		}
	}
	c.Pool.ReplaceValue(3, "[手机号]")
	if c.Pool.Value(3) != "[手机号]" || c.Pool.Value(4) != strings.Repeat("答", 4) {
		t.Errorf("after ReplaceValue: %q, %q", c.Pool.Value(3), c.Pool.Value(4))
	}
}
