package ingest

import (
	"context"
	"errors"
	"slices"
	"strings"
	"testing"

	"surveymine/pipeline/corpus"
)

const wjxMulti = `序号,提交答卷时间,来自IP,姓名,1、您的职级：,5、主要原因有哪些？（多选）,6、请谈谈您的看法：
1,2026/3/14 8:43:45,1.2.3.4(北京),张三,处级,党务干部队伍不健全┋其他〖考核不科学〗,考核是关键
2,2026/3/14 9:00:16,1.2.3.5(北京),李四,(跳过),(跳过),(空)
3,2026/3/14 9:02:57,1.2.3.6(北京),王五,其他〖借调人员〗,,
4,2026/3/14 9:03:00,1.2.3.7(北京),赵六,局级,(空),党建是务虚的
`

func TestWJXMultipleChoice(t *testing.T) {
	p := writeFile(t, "wjx.csv", []byte(wjxMulti))
	c := readOne(t, SurveyInput{Path: p})
	var ids []string
	for _, q := range c.Questions {
		ids = append(ids, q.ID)
	}
	if want := []string{"序号", "提交答卷时间", "Q1", "Q5", "Q6"}; !slices.Equal(ids, want) {
		t.Errorf("questions = %q, want %q (personal columns dropped)", ids, want)
	}
	q5 := c.Question("Q5")
	if got, want := c.Questions[q5].Options, []string{"党务干部队伍不健全", "其他"}; !slices.Equal(got, want) {
		t.Errorf("Q5 options = %q, want %q", got, want)
	}
	if got, want := c.Questions[c.Question("Q1")].Options, []string{"处级", "其他", "局级"}; !slices.Equal(got, want) {
		t.Errorf("Q1 options = %q, want %q", got, want)
	}
	tests := []struct {
		row     int
		q       string
		missing corpus.Missing
		value   string
		options []string
	}{
		{0, "Q5", corpus.Answered, "党务干部队伍不健全┋其他〖考核不科学〗", []string{"党务干部队伍不健全", "其他"}},
		{1, "Q5", corpus.Skipped, "(跳过)", nil},
		{2, "Q5", corpus.Unanswered, "", nil},
		{3, "Q5", corpus.LeftEmpty, "(空)", nil},
		{1, "Q1", corpus.Skipped, "(跳过)", nil},
		{2, "Q1", corpus.Answered, "其他", nil},
		{1, "Q6", corpus.LeftEmpty, "(空)", nil},
		{2, "Q6", corpus.Unanswered, "", nil},
	}
	for _, tc := range tests {
		a := c.Respondents.Answers(tc.row)[c.Question(tc.q)]
		if a.Missing != tc.missing || c.Value(a) != tc.value || !slices.Equal(c.Options(a), tc.options) {
			t.Errorf("respondent %d %s = %+v, want %s %q %q", tc.row, tc.q, a, tc.missing, tc.value, tc.options)
		}
	}
	// Units: open answers for every row (missing ones empty) and the two
	// 其他 free texts.
	var got []string
	for _, u := range c.Units.All() {
		got = append(got, strings.TrimPrefix(u.ID, p)+"|"+u.Kind.String()+"|"+u.Text+"|"+u.Missing.String())
	}
	want := []string{
		":2:Q5:other|other_text|考核不科学|answered",
		":2:Q6|answer|考核是关键|answered",
		":3:Q6|answer||empty",
		":4:Q1:other|other_text|借调人员|answered",
		":4:Q6|answer||unanswered",
		":5:Q6|answer|党建是务虚的|answered",
	}
	if !slices.Equal(got, want) {
		t.Errorf("units =\n%q\nwant\n%q", got, want)
	}
}

func TestKeepPersonal(t *testing.T) {
	p := writeFile(t, "wjx.csv", []byte(wjxMulti))
	c := readOne(t, SurveyInput{Path: p, KeepPersonal: true})
	for _, id := range []string{"来自IP", "姓名"} {
		i := c.Question(id)
		if i < 0 || c.Questions[i].Kind != corpus.Meta {
			t.Errorf("question %s = %d, want a kept meta column", id, i)
		}
	}
}

const wjxOneHot = `序号,3(党建工作制度规定不完善),3(党务干部队伍不健全),3(其他),Q4_1,Q4_2,7(满意度),7(参与度)
1,1,0,0,1,0,非常满意,高
2,0,1,单位考核不合理,0,0,满意,低
3,(跳过),(跳过),(跳过),,,一般,中
4,0,0,0,(空),(空),满意,高
`

func TestWJXOneHot(t *testing.T) {
	p := writeFile(t, "onehot.csv", []byte(wjxOneHot))
	c := readOne(t, SurveyInput{Path: p})
	var ids []string
	for _, q := range c.Questions {
		ids = append(ids, q.ID+":"+q.Kind.String())
	}
	// Q7 sub-columns hold scale text, not 0/1: a matrix, kept apart.
	if want := []string{"序号:meta", "Q3:multi", "Q4:multi", "Q7_满意度:single", "Q7_参与度:single"}; !slices.Equal(ids, want) {
		t.Fatalf("questions = %q, want %q", ids, want)
	}
	q3 := c.Questions[c.Question("Q3")]
	if want := []string{"党建工作制度规定不完善", "党务干部队伍不健全", "其他"}; !slices.Equal(q3.Options, want) {
		t.Errorf("Q3 options = %q, want %q", q3.Options, want)
	}
	if want := []string{"1", "2"}; !slices.Equal(c.Questions[c.Question("Q4")].Options, want) {
		t.Errorf("Q4 options = %q, want %q", c.Questions[c.Question("Q4")].Options, want)
	}
	tests := []struct {
		row     int
		q       string
		missing corpus.Missing
		options []string
	}{
		{0, "Q3", corpus.Answered, []string{"党建工作制度规定不完善"}},
		{1, "Q3", corpus.Answered, []string{"党务干部队伍不健全", "其他"}},
		{2, "Q3", corpus.Skipped, nil},
		{3, "Q3", corpus.LeftEmpty, nil},
		{0, "Q4", corpus.Answered, []string{"1"}},
		{2, "Q4", corpus.Unanswered, nil},
		{3, "Q4", corpus.LeftEmpty, nil},
	}
	for _, tc := range tests {
		a := c.Respondents.Answers(tc.row)[c.Question(tc.q)]
		if a.Missing != tc.missing || !slices.Equal(c.Options(a), tc.options) {
			t.Errorf("respondent %d %s = %+v, want %s %q", tc.row, tc.q, a, tc.missing, tc.options)
		}
	}
	if c.Units.Len() != 1 || c.Units.Kind(0) != corpus.OtherText || c.Units.Text(0) != "单位考核不合理" || c.Units.At(0).Src.Column != "3(其他)" {
		t.Errorf("units = %+v, want one OtherText 单位考核不合理 from column 3(其他)", c.Units)
	}
}

func TestColumnSelection(t *testing.T) {
	p := writeFile(t, "wjx.csv", []byte(wjxMulti))
	tests := []struct {
		name string
		in   SurveyInput
		q    string
		kind corpus.QuestionKind
	}{
		{"number as text", SurveyInput{TextColumns: []string{"1"}}, "Q1", corpus.OpenText},
		{"Q number as multi", SurveyInput{MultiColumns: []string{"Q1"}}, "Q1", corpus.Multi},
		{"regex as attribute", SurveyInput{AttributeColumns: []string{"/看法/"}}, "Q6", corpus.Single},
		{"header after normalisation", SurveyInput{TextColumns: []string{" 1、您的职级： "}}, "Q1", corpus.OpenText},
		{"id column is meta", SurveyInput{IDColumn: "序号"}, "序号", corpus.Meta},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			in := tc.in
			in.Path = p
			c := readOne(t, in)
			if i := c.Question(tc.q); i < 0 || c.Questions[i].Kind != tc.kind {
				t.Errorf("question %s kind = %v, want %s", tc.q, c.Questions, tc.kind)
			}
		})
	}
}

func TestErrors(t *testing.T) {
	csv := writeFile(t, "wjx.csv", []byte(wjxMulti))
	xls := writeFile(t, "old.xls", []byte("\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1rest"))
	bad := writeFile(t, "bad.csv", []byte("序号,1、职级\n1,处级\n2\n3\n"))
	tests := []struct {
		name string
		cfg  Config
		want error
		row  int // > 0: want a *corpus.InputError at this row
	}{
		{"missing file", Config{Surveys: []SurveyInput{{Path: csv + ".nope"}}}, ErrNoInput, 0},
		{"missing report", Config{Reports: []ReportInput{{Path: csv + "*.nope"}}}, ErrNoInput, 0},
		{"unknown column", Config{Surveys: []SurveyInput{{Path: csv, TextColumns: []string{"Q99"}}}}, ErrUnknownColumn, 0},
		{"unknown regex column", Config{Surveys: []SurveyInput{{Path: csv, IDColumn: "/^nothing$/"}}}, ErrUnknownColumn, 0},
		{"legacy xls", Config{Surveys: []SurveyInput{{Path: xls}}}, ErrUnsupportedFormat, 0},
		{"too many rejects", Config{Surveys: []SurveyInput{{Path: bad}}}, ErrTooManyRejects, 0},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Read(context.Background(), tc.cfg, "")
			if !errors.Is(err, tc.want) {
				t.Fatalf("Read error = %v, want %v", err, tc.want)
			}
			if cerr := Check(context.Background(), tc.cfg, ""); tc.want != ErrTooManyRejects && !errors.Is(cerr, tc.want) {
				t.Errorf("Check error = %v, want %v", cerr, tc.want)
			}
		})
	}
	// The reject share error still returns the corpus with its rejects.
	c, err := Read(context.Background(), Config{Surveys: []SurveyInput{{Path: bad}}, MaxRejectShare: 0.5}, "")
	var ie *corpus.InputError
	if !errors.As(err, &ie) || c == nil || len(c.Rejects) != 2 {
		t.Errorf("Read with 2 of 3 rows bad = %v, %v; want *InputError and the corpus with 2 rejects", c, err)
	}
	if _, err := Read(context.Background(), Config{Surveys: []SurveyInput{{Path: bad}}, MaxRejectShare: 0.7}, ""); err != nil {
		t.Errorf("Read with max_reject_share 0.7 error = %v, want nil", err)
	}
	if err := Check(context.Background(), Config{Surveys: []SurveyInput{{Path: csv, TextColumns: []string{"6"}, IDColumn: "序号"}}}, ""); err != nil {
		t.Errorf("Check(valid) = %v, want nil", err)
	}
}

func TestDuplicateIDs(t *testing.T) {
	p := writeFile(t, "dup.csv", []byte("编号,1、职级\nA1,处级\nA2,局级\nA1,科级\n"))
	tests := []struct {
		mode     string
		accepted int
		rejects  []string
		warnings int
	}{
		{"", 2, []string{"4:duplicate_id"}, 0},
		{"reject", 2, []string{"4:duplicate_id"}, 0},
		{"warn", 3, nil, 1},
	}
	for _, tc := range tests {
		t.Run("mode "+tc.mode, func(t *testing.T) {
			c, err := Read(context.Background(), Config{Surveys: []SurveyInput{{Path: p, IDColumn: "编号"}}, DuplicateIDs: tc.mode, MaxRejectShare: 1}, "")
			if err != nil {
				t.Fatal(err)
			}
			checkInvariants(t, c)
			if c.Respondents.Len() != tc.accepted || !slices.Equal(rejectReasons(c), tc.rejects) || len(c.Warnings) != tc.warnings {
				t.Errorf("got %d respondents, rejects %q, warnings %q; want %d, %q, %d warnings",
					c.Respondents.Len(), rejectReasons(c), c.Warnings, tc.accepted, tc.rejects, tc.warnings)
			}
			if c.Respondents.Key(0) != "A1" || c.Respondents.ID(0) != "A1" {
				t.Errorf("respondent 0 key %q id %q, want A1", c.Respondents.Key(0), c.Respondents.ID(0))
			}
		})
	}
}

func TestValidate(t *testing.T) {
	tests := []struct {
		name string
		cfg  Config
		want string // substring of the error; "" for none
	}{
		{"ok", Config{Surveys: []SurveyInput{{Path: "a.csv"}}}, ""},
		{"nothing", Config{}, "give at least one"},
		{"format", Config{Surveys: []SurveyInput{{Path: "a", Format: "sav"}}}, "surveys[0].format"},
		{"encoding", Config{Reports: []ReportInput{{Path: "r.txt", Encoding: "latin9"}}}, "reports[0].encoding"},
		{"share", Config{Surveys: []SurveyInput{{Path: "a"}}, MaxRejectShare: 2}, "max_reject_share"},
		{"dup", Config{Surveys: []SurveyInput{{Path: "a"}}, DuplicateIDs: "merge"}, "duplicate_ids"},
		{"regex", Config{Surveys: []SurveyInput{{Path: "a", TextColumns: []string{"/(/"}}}}, "surveys[0].text_columns[0]"},
		{"delimiter", Config{Surveys: []SurveyInput{{Path: "a", Delimiter: ";;"}}}, "surveys[0].delimiter"},
		{"empty path", Config{Surveys: []SurveyInput{{}}}, "surveys[0].path"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			err := tc.cfg.Validate("")
			if (err == nil) != (tc.want == "") || (err != nil && !strings.Contains(err.Error(), tc.want)) {
				t.Errorf("Validate() = %v, want error containing %q", err, tc.want)
			}
		})
	}
}

func TestSeveralSurveys(t *testing.T) {
	a := writeFile(t, "a.csv", []byte("编号,1、职级,6、请谈谈看法\nA1,处级,考核是关键\n"))
	b := writeFile(t, "b.csv", []byte("编号,1、职级,7、其他意见\nB1,局级,多一些交流\nA1,科级,重复\n"))
	c, err := Read(context.Background(), Config{Surveys: []SurveyInput{{Path: a, IDColumn: "编号"}, {Path: b, IDColumn: "编号", TextColumns: []string{"7"}}}, MaxRejectShare: 1}, "")
	if err != nil {
		t.Fatal(err)
	}
	checkInvariants(t, c)
	var ids []string
	for _, q := range c.Questions {
		ids = append(ids, q.ID)
	}
	if want := []string{"编号", "Q1", "Q6", "Q7"}; !slices.Equal(ids, want) {
		t.Fatalf("questions = %q, want %q", ids, want)
	}
	if got := c.Respondents.Answers(0)[c.Question("Q7")].Missing; got != corpus.Unanswered {
		t.Errorf("first file's respondent Q7 = %s, want unanswered (padded)", got)
	}
	if got := c.Value(c.Respondents.Answers(0)[c.Question("Q1")]); got != "处级" {
		t.Errorf("first file's respondent Q1 = %q, want 处级 (kept by padding)", got)
	}
	if got := c.Value(c.Respondents.Answers(1)[c.Question("Q1")]); got != "局级" {
		t.Errorf("second file's respondent Q1 = %q, want 局级", got)
	}
	if got := rejectReasons(c); !slices.Equal(got, []string{"3:duplicate_id"}) || c.Rejects[0].Src.File != b {
		t.Errorf("rejects = %+v, want the A1 row of b.csv as duplicate_id", c.Rejects)
	}
	if len(c.Inputs) != 2 || c.Inputs[1].Read != 2 || c.Inputs[1].Rejected != 1 {
		t.Errorf("inputs = %+v, want b.csv 2 read 1 rejected", c.Inputs)
	}
}
