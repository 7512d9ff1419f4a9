package ingest

import (
	"context"
	"fmt"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"unicode/utf8"

	"surveymine/pipeline/corpus"
)

// Role is what Inspect suggests a survey question be configured as.
type Role string

// The roles Inspect suggests; each is a key of SurveyInput except RoleSkip.
const (
	RoleID        Role = "id_column"
	RoleText      Role = "text_columns"
	RoleAttribute Role = "attribute_columns"
	RoleMulti     Role = "multi_columns"
	RoleTruth     Role = "truth_column"
	RoleCodes     Role = "codes_column"
	RoleWeight    Role = "weight_column"
	RoleSkip      Role = "" // left out of the config; Reason says why
)

// MaxAttributeValues is the largest number of distinct values Inspect
// suggests cross-tabulating a single-choice question by.
const MaxAttributeValues = 20

// Inspection is what Inspect found in a survey file.
type Inspection struct {
	Format    string // csv, tsv, xlsx or jsonl
	Encoding  string // as detected
	Sheet     string // XLSX sheet read; "" otherwise
	HeaderRow int    // 1-based row of the header (0 for JSON Lines)
	Rows      int    // rows looked at (at most the maxRows given to Inspect)
	Rejected  int    // of those, rows that would be rejected (ragged, bad encoding …)
	Questions []QuestionGuess
	Personal  []string // headers of personal columns (姓名, 来自IP …), dropped unless keep_personal
}

// QuestionGuess is one question of the file (one column, or the one-hot
// columns of a multiple-choice question) and the role Inspect suggests.
type QuestionGuess struct {
	Spec      string              // how a config names it: question number ("6") or header text
	Header    string              // header text, normalised
	Kind      corpus.QuestionKind // as a run without configured columns would read it
	Role      Role
	Reason    string   // why this role, in a few words, for a comment
	Answered  int      // sampled rows with an answer
	Distinct  int      // distinct answers (Single, Meta, OpenText) or options (Multi)
	MeanRunes float64  // mean length of the answers, in characters
	Examples  []string // the most frequent answers or options, at most 4
}

// idNames are headers of respondent id columns, compared after
// normalizeHeaderKey.
var idNames = []string{"序号", "编号", "答卷编号", "答卷序号", "答题序号", "用户id", "答卷id", "id", "respondent_id", "respondentid", "respondent", "resp_id", "uid"}

var reQID = regexp.MustCompile(`^Q(\d{1,4})(?:[_#]|$)`)

// Inspect reads the header and the first maxRows rows of the survey file
// in.Path (with in's format, encoding, sheet and header row, detected when
// empty; its column settings are ignored) and suggests a role for every
// question: the respondent id, open questions, attributes to cross-tabulate,
// multiple-choice questions, ground-truth, human-code and weight columns.
// Kinds are detected as a run without configured columns detects them.
// The whole file is parsed (rows beyond maxRows are not looked at). Errors
// are those of Read for the file: a missing file wraps ErrNoInput.
func Inspect(in SurveyInput, maxRows int) (*Inspection, error) {
	cfg := Config{MaxRejectShare: 1}
	probe := SurveyInput{Path: in.Path, Format: in.Format, Encoding: in.Encoding, Sheet: in.Sheet,
		HeaderRow: in.HeaderRow, Delimiter: in.Delimiter, Separator: in.Separator}
	t, st, err := readSurveyFile(context.Background(), in.Path, in.Path, probe, &cfg, nil)
	if err != nil {
		return nil, err
	}
	if maxRows > 0 && len(t.records) > maxRows {
		t.records = t.records[:maxRows]
	}
	b := &builder{cfg: &cfg, c: &corpus.Corpus{}, keys: map[string]int{}}
	var stats corpus.InputStats
	if err := b.addTable(probe, "surveys[0]", t, &stats); err != nil {
		return nil, err
	}
	ins := &Inspection{Format: st.Format, Encoding: st.Encoding, Sheet: t.sheet, HeaderRow: t.headerRow,
		Rows: stats.Read, Rejected: stats.Rejected}
	for _, h := range t.header {
		if hi := parseHeader(Normalize(h)); hi.personal {
			ins.Personal = append(ins.Personal, hi.text)
		}
	}
	c := b.c
	perNum := map[string]int{}
	for _, q := range c.Questions {
		if m := reQID.FindStringSubmatch(q.ID); m != nil {
			perNum[m[1]]++
		}
	}
	hasID := false
	for qi, q := range c.Questions {
		g := QuestionGuess{Spec: q.Header, Header: q.Header, Kind: q.Kind}
		if m := reQID.FindStringSubmatch(q.ID); m != nil && perNum[m[1]] == 1 {
			g.Spec = m[1]
		}
		counts := map[string]int{}
		runes := 0
		for _, r := range c.Respondents.All() {
			a := r.Answers[qi]
			if a.Missing != corpus.Answered {
				continue
			}
			g.Answered++
			runes += utf8.RuneCountInString(c.Value(a))
			if q.Kind == corpus.Multi {
				for _, o := range c.Options(a) {
					counts[o]++
				}
			} else {
				counts[c.Value(a)]++
			}
		}
		g.Distinct = len(counts)
		if g.Answered > 0 {
			g.MeanRunes = float64(runes) / float64(g.Answered)
		}
		g.Examples = frequent(counts, 4)
		guessRole(&g, q, c.Respondents.Len(), &hasID)
		ins.Questions = append(ins.Questions, g)
	}
	return ins, nil
}

// guessRole fills in g.Role and g.Reason. rows is the number of accepted
// sampled rows; hasID is set once an id column is chosen.
func guessRole(g *QuestionGuess, q corpus.Question, rows int, hasID *bool) {
	key := normalizeHeaderKey(q.Header)
	switch {
	case !*hasID && contains(idNames, key) && rows > 0 && g.Answered == rows && g.Distinct == rows:
		*hasID = true
		g.Role, g.Reason = RoleID, fmt.Sprintf("a distinct value in each of the %d sampled rows", rows)
		return
	case strings.Contains(key, "真实原因") || strings.Contains(key, "truth"):
		g.Role, g.Reason = RoleTruth, "known labels: cluster and codebook quality figures"
		return
	case strings.Contains(key, "人工编码") || key == "codes" || strings.Contains(key, "human_code"):
		g.Role, g.Reason = RoleCodes, "human codes (category ids): codebook agreement"
		return
	case (key == "权重" || key == "weight" || key == "weights") && numeric(g.Examples):
		g.Role, g.Reason = RoleWeight, "survey weights"
		return
	}
	switch q.Kind {
	case corpus.Meta:
		g.Reason = "问卷星 bookkeeping column"
	case corpus.OpenText:
		g.Role = RoleText
		g.Reason = fmt.Sprintf("free text: %d of %d answers distinct, %.0f characters on average", g.Distinct, g.Answered, g.MeanRunes)
	case corpus.Multi:
		g.Role = RoleMulti
		hinted := false
		for _, h := range multiHints {
			hinted = hinted || strings.Contains(q.Header, h)
		}
		switch {
		case q.Header == q.ID && strings.HasPrefix(q.ID, "Q"):
			g.Reason = fmt.Sprintf("one-hot: %d columns of 0/1", len(q.Options))
		case hinted:
			g.Reason = fmt.Sprintf("the header says 多选, %d options", g.Distinct)
		default:
			g.Reason = fmt.Sprintf("options joined with a separator, %d options", g.Distinct)
		}
	default:
		switch {
		case g.Answered == 0:
			g.Reason = "no answers in the sampled rows"
		case g.Distinct < 2:
			g.Reason = "a single value in every sampled row"
		case g.Distinct > MaxAttributeValues:
			g.Reason = fmt.Sprintf("%d distinct values: too many for a cross-tab", g.Distinct)
		default:
			g.Role = RoleAttribute
			g.Reason = fmt.Sprintf("%d values", g.Distinct)
		}
	}
}

// frequent returns up to n keys of counts, most frequent first, ties in
// string order.
func frequent(counts map[string]int, n int) []string {
	keys := make([]string, 0, len(counts))
	for k := range counts {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool {
		if counts[keys[i]] != counts[keys[j]] {
			return counts[keys[i]] > counts[keys[j]]
		}
		return keys[i] < keys[j]
	})
	if len(keys) > n {
		keys = keys[:n]
	}
	return keys
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

func numeric(vals []string) bool {
	for _, v := range vals {
		if _, err := strconv.ParseFloat(v, 64); err != nil {
			return false
		}
	}
	return len(vals) > 0
}
