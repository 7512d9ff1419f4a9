package corpus

import (
	"reflect"
	"testing"
	"unsafe"

	"surveymine/internal/spill"
)

func TestRespondentRecordSize(t *testing.T) {
	if n := unsafe.Sizeof(respRec{}); n != 48 {
		t.Errorf("respRec is %d bytes, want 48", n)
	}
}

func TestRespondentsRoundTrip(t *testing.T) {
	for _, arena := range []*spill.Arena{nil, spill.New(t.TempDir())} {
		var tab Respondents
		tab.UseArena(arena)
		all := tab.NewAnswers(6)
		for i := range all {
			all[i] = MakeAnswer(Answered, uint32(i+1), 0)
		}
		want := []Respondent{
			{Key: "A1", ID: "A1", Src: RowSource{File: "s.csv", Row: 2}, Answers: all[0:3:3]},
			{Key: "s.xlsx[表1]:3", Src: RowSource{File: "s.xlsx", Sheet: "表1", Row: 3}, Answers: all[3:6:6]},
			{Key: "B7", ID: "B7", Src: RowSource{File: "s.csv", Row: 4}, Answers: []Answer{MakeAnswer(Skipped, 0, 0)}}, // not from NewAnswers: copied
			{Key: "s.csv:5", Src: RowSource{File: "s.csv", Row: 5}},
		}
		for _, r := range want {
			tab.Append(r)
		}
		arena.Release()
		if tab.Len() != len(want) {
			t.Fatalf("%d respondents, want %d", tab.Len(), len(want))
		}
		for i, r := range tab.All() {
			if !reflect.DeepEqual(r, want[i]) {
				t.Errorf("arena %v: respondent %d = %+v, want %+v", arena != nil, i, r, want[i])
			}
			if tab.Key(i) != want[i].Key || tab.ID(i) != want[i].ID || tab.Src(i) != want[i].Src {
				t.Errorf("arena %v: respondent %d's accessors disagree with At", arena != nil, i)
			}
		}
		// Answers from NewAnswers stay in place; others are copied.
		if &tab.Answers(1)[0] != &all[3] {
			t.Error("answers from NewAnswers were copied")
		}
		if &tab.Answers(2)[0] == &want[2].Answers[0] {
			t.Error("answers from outside the table were not copied")
		}
		// Answers write through.
		tab.At(0).Answers[1] = MakeAnswer(LeftEmpty, 0, 0)
		if tab.Answers(0)[1].Missing != LeftEmpty {
			t.Error("a change to At's answers did not reach the table")
		}
	}
}

func TestRespondentsSetters(t *testing.T) {
	var tab Respondents
	tab.Append(Respondent{Key: "13800138000", ID: "13800138000", Src: RowSource{File: "s.csv", Row: 2}, Answers: []Answer{{}}})
	tab.SetKey(0, "s.csv:2", "[手机号]")
	if tab.Key(0) != "s.csv:2" || tab.ID(0) != "[手机号]" {
		t.Errorf("after SetKey: key %q id %q", tab.Key(0), tab.ID(0))
	}
	longer := tab.NewAnswers(3)
	copy(longer, tab.Answers(0))
	longer[1].Missing, longer[2].Missing = Unanswered, Unanswered
	tab.SetAnswers(0, longer)
	if got := tab.Answers(0); len(got) != 3 || &got[0] != &longer[0] || got[2].Missing != Unanswered {
		t.Errorf("after SetAnswers: %+v", got)
	}
}
