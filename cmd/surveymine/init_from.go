package main

import (
	"bytes"
	"fmt"
	"path/filepath"
	"strings"
	"unicode/utf8"

	"gopkg.in/yaml.v3"

	"surveymine/pipeline/corpus"
	"surveymine/pipeline/ingest"
)

// inspectRows is how many rows of an export `init --from` looks at.
const inspectRows = 2000

// fromSurvey is what `init --from` learnt about an export, ready to be
// written into the starter config.
type fromSurvey struct {
	path  string // as written into the config: relative to the config's directory when possible
	sheet string
	ins   *ingest.Inspection
}

// inspectExport reads the export file and guesses its columns. dir is the
// directory the config goes to.
func inspectExport(file, sheet, dir string) (*fromSurvey, error) {
	ins, err := ingest.Inspect(ingest.SurveyInput{Path: file, Sheet: sheet}, inspectRows)
	if err != nil {
		return nil, err
	}
	return &fromSurvey{path: configRelPath(file, dir), sheet: sheet, ins: ins}, nil
}

// configRelPath returns file relative to dir with forward slashes (which
// work on Windows too), or file's absolute path when there is no relative
// one (another drive).
func configRelPath(file, dir string) string {
	absFile, err1 := filepath.Abs(file)
	absDir, err2 := filepath.Abs(dir)
	if err1 != nil || err2 != nil {
		return filepath.ToSlash(file)
	}
	if rel, err := filepath.Rel(absDir, absFile); err == nil {
		return filepath.ToSlash(rel)
	}
	return filepath.ToSlash(absFile)
}

// starterFrom returns the starter config with its survey entry replaced by
// the columns guessed from the export, each with a comment saying why.
func starterFrom(starter []byte, s *fromSurvey) ([]byte, error) {
	lines := strings.SplitAfter(string(starter), "\n")
	first, last := -1, -1
	for i, l := range lines {
		switch {
		case strings.HasPrefix(l, "    - path: "):
			first = i
		case strings.HasPrefix(l, "      multi_columns: "):
			last = i
		}
	}
	if first < 0 || last < first {
		return nil, fmt.Errorf("starter config lacks its survey entry") // a bug in starter.yaml
	}
	set := map[ingest.Role]bool{}
	var b bytes.Buffer
	for _, l := range lines[:first] {
		b.WriteString(l)
	}
	b.WriteString(s.entry(set))
	for _, l := range lines[last+1:] {
		// Drop the commented examples of keys the entry sets.
		if k, ok := strings.CutPrefix(strings.TrimSpace(l), "# "); ok {
			key, _, _ := strings.Cut(k, ":")
			if set[ingest.Role(key)] {
				continue
			}
		}
		b.WriteString(l)
	}
	return b.Bytes(), nil
}

// entry renders the survey entry, recording in set the keys it sets.
func (s *fromSurvey) entry(set map[ingest.Role]bool) string {
	ins := s.ins
	var b strings.Builder
	line := func(indent int, text, comment string) {
		l := strings.Repeat(" ", indent) + text
		if comment != "" {
			l += strings.Repeat(" ", max(1, 33-utf8.RuneCountInString(l))) + "# " + comment
		}
		b.WriteString(l + "\n")
	}
	where := fmt.Sprintf("%s, %s", ins.Format, ins.Encoding)
	if ins.Sheet != "" {
		where = fmt.Sprintf("%s, sheet %s", ins.Format, ins.Sheet)
	}
	if ins.HeaderRow > 0 {
		where += fmt.Sprintf(", header on row %d", ins.HeaderRow)
	}
	line(4, fmt.Sprintf("# surveymine init --from read %d rows of this export (%s).", ins.Rows, where), "")
	line(4, "# Every column below is a guess with its reason: check them, then run surveymine validate.", "")
	line(4, "- path: "+yamlScalar(s.path), "REQUIRED: the exported file (relative to this config)")
	line(6, "# format: csv", "csv | tsv | xlsx | jsonl; default: from extension and content")
	line(6, "# encoding: gb18030", "utf-8 | utf-8-bom | utf-16le | utf-16be | gb18030 | gbk; default: detect")
	if s.sheet != "" {
		line(6, "sheet: "+yamlScalar(s.sheet), "XLSX sheet by name or 1-based index")
	} else {
		line(6, "# sheet: Sheet1", "XLSX sheet by name or 1-based index; default: the first")
	}
	line(6, "# header_row: 1", "1-based header row; default: detect")

	byRole := map[ingest.Role][]ingest.QuestionGuess{}
	for _, q := range ins.Questions {
		byRole[q.Role] = append(byRole[q.Role], q)
	}
	if ids := byRole[ingest.RoleID]; len(ids) > 0 {
		line(6, "id_column: "+yamlScalar(ids[0].Spec), "guess: "+ids[0].Reason)
		set[ingest.RoleID] = true
	} else {
		line(6, `id_column: ""`, "no id column found: respondents are keyed by file:row")
	}
	list := func(role ingest.Role, what, none string) {
		qs := byRole[role]
		if len(qs) == 0 {
			line(6, string(role)+": []", none)
			return
		}
		line(6, string(role)+":", what)
		for _, q := range qs {
			line(8, "- "+yamlScalar(q.Spec), "guess: "+q.Reason+describe(q))
		}
	}
	list(ingest.RoleText, `open-ended questions: header text, number ("6", "Q6") or /regex/`,
		`TODO: no open-ended question detected; name yours, e.g. ["6"] or ["/原因/"]`)
	list(ingest.RoleAttribute, "respondent attributes to cross-tabulate (few distinct values)", "no attribute detected: single-choice questions with 2 to 20 values")
	list(ingest.RoleMulti, "multiple-choice questions (options joined with ┋ or one-hot columns)", "no multiple-choice question detected")
	for _, role := range []ingest.Role{ingest.RoleTruth, ingest.RoleCodes, ingest.RoleWeight} {
		if qs := byRole[role]; len(qs) > 0 {
			line(6, string(role)+": "+yamlScalar(qs[0].Spec), "guess: "+qs[0].Reason)
			set[role] = true
		}
	}
	var meta []string
	for _, q := range byRole[ingest.RoleSkip] {
		if q.Kind == corpus.Meta {
			meta = append(meta, oneLine(q.Header, 20))
			continue
		}
		line(6, "# left out: "+yamlScalar(q.Spec)+" ("+q.Reason+")"+headerNote(q), "")
	}
	if len(meta) > 0 {
		line(6, "# left out (问卷星 bookkeeping): "+strings.Join(meta, ", "), "")
	}
	if len(ins.Personal) > 0 {
		line(6, "# left out (personal data; keep_personal: true keeps it): "+strings.Join(ins.Personal, ", "), "")
	}
	return b.String()
}

// describe renders a question's examples and header for a comment.
func describe(q ingest.QuestionGuess) string {
	var ex []string
	if q.Role != ingest.RoleText {
		for _, e := range q.Examples[:min(3, len(q.Examples))] {
			ex = append(ex, oneLine(e, 12))
		}
	}
	s := ""
	if len(ex) > 0 {
		s = " (" + strings.Join(ex, ", ")
		if q.Distinct > len(ex) {
			s += ", …"
		}
		s += ")"
	}
	return s + headerNote(q)
}

// headerNote is ": header" when the config names q by number.
func headerNote(q ingest.QuestionGuess) string {
	if q.Spec != q.Header && q.Header != "Q"+q.Spec {
		return ": " + oneLine(q.Header, 40)
	}
	return ""
}

// oneLine shortens s to n characters on one line, for a YAML comment.
func oneLine(s string, n int) string {
	s = strings.Join(strings.Fields(s), " ")
	if r := []rune(s); len(r) > n {
		s = string(r[:n]) + "…"
	}
	return s
}

// yamlScalar renders s as a YAML scalar, quoted when it needs to be (and
// always for numbers, so "6" stays a string).
func yamlScalar(s string) string {
	out, err := yaml.Marshal(s)
	if err != nil {
		return fmt.Sprintf("%q", s)
	}
	return strings.TrimSuffix(string(out), "\n")
}

// summary says in one line what was guessed.
func (s *fromSurvey) summary() string {
	n := map[ingest.Role][]string{}
	for _, q := range s.ins.Questions {
		n[q.Role] = append(n[q.Role], q.Spec)
	}
	id := "none"
	if len(n[ingest.RoleID]) > 0 {
		id = n[ingest.RoleID][0]
	}
	text := "none found: fill in text_columns"
	if len(n[ingest.RoleText]) > 0 {
		text = strings.Join(n[ingest.RoleText], ", ")
	}
	return fmt.Sprintf("id %s; open questions %s; %d attributes; %d multiple-choice", id, text, len(n[ingest.RoleAttribute]), len(n[ingest.RoleMulti]))
}
