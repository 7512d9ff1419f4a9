package ingest

import (
	"os"
	"reflect"
	"slices"
	"strings"
	"testing"

	"golang.org/x/text/encoding/simplifiedchinese"

	"surveymine/pipeline/corpus"
)

const samplePath = "../../testdata/survey_wjx.csv"

// TestSampleUTF8AndGB18030 reads the bundled 问卷星 sample and a GB18030
// copy of it made here; both must give identical units.
func TestSampleUTF8AndGB18030(t *testing.T) {
	data, err := os.ReadFile(samplePath)
	if err != nil {
		t.Skipf("sample absent: %v", err)
	}
	gb, err := simplifiedchinese.GB18030.NewEncoder().Bytes([]byte(strings.TrimPrefix(string(data), "\ufeff")))
	if err != nil {
		t.Fatal(err)
	}
	gbPath := writeFile(t, "survey_wjx.csv", gb)
	in := SurveyInput{Path: samplePath, TruthColumn: "真实原因"}
	cu := readOne(t, in)
	in.Path = gbPath
	cg := readOne(t, in)

	if got, want := cg.Inputs[0].Encoding, "gb18030"; got != want {
		t.Errorf("GB18030 copy: encoding %q, want %q", got, want)
	}
	if got, want := cu.Inputs[0].Encoding, "utf-8-bom"; got != want {
		t.Errorf("sample: encoding %q, want %q", got, want)
	}
	if cu.Units.Len() == 0 || cu.Units.Len() != cg.Units.Len() {
		t.Fatalf("got %d and %d units, want the same non-zero count", cu.Units.Len(), cg.Units.Len())
	}
	for i := range cu.Units.Len() {
		a, b := cu.Units.At(i), cg.Units.At(i)
		a.ID = strings.TrimPrefix(a.ID, samplePath)
		b.ID = strings.TrimPrefix(b.ID, gbPath)
		a.Src.File, b.Src.File = "", ""
		if !reflect.DeepEqual(a, b) {
			t.Fatalf("unit %d: UTF-8 %+v, GB18030 %+v", i, a, b)
		}
	}
	if !reflect.DeepEqual(cu.Questions, cg.Questions) {
		t.Errorf("questions differ:\n%+v\n%+v", cu.Questions, cg.Questions)
	}

	// Shape of the sample.
	wantIDs := []string{"序号", "提交答卷时间", "所用时间", "来源", "来源详情", "Q1", "Q2", "Q3", "Q4", "Q5", "Q6", "真实原因"}
	var ids []string
	for _, q := range cu.Questions {
		ids = append(ids, q.ID)
	}
	if !slices.Equal(ids, wantIDs) {
		t.Errorf("question ids = %q, want %q (来自IP dropped)", ids, wantIDs)
	}
	kinds := map[string]corpus.QuestionKind{"序号": corpus.Meta, "Q1": corpus.Single, "Q5": corpus.Multi, "Q6": corpus.OpenText, "真实原因": corpus.Meta}
	for id, k := range kinds {
		if q := cu.Questions[cu.Question(id)]; q.Kind != k {
			t.Errorf("question %s kind = %s, want %s", id, q.Kind, k)
		}
	}
	r := cu.Respondents.At(0)
	q5 := r.Answers[cu.Question("Q5")]
	if want := []string{"党务干部队伍不健全", "落实党风廉政责任制与业务工作脱节"}; !slices.Equal(cu.Options(q5), want) {
		t.Errorf("row 2 Q5 options = %q, want %q", cu.Options(q5), want)
	}
	u := cu.Units.At(0)
	if u.ID != samplePath+":2:Q6" || u.Src.Row != 2 || u.Kind != corpus.OpenAnswer || u.Text != "党建工作面对的是人和思想，而业务面对的是具体任务！" {
		t.Errorf("first unit = %+v, want row 2 Q6 answer", u)
	}
}
