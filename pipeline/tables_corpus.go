package pipeline

import (
	"strconv"
	"strings"

	"surveymine/pipeline/corpus"
	"surveymine/pipeline/table"
)

// missingLabel is how a missing answer appears in tables and cross-tabs:
// the 问卷星 spellings, so researchers recognise them.
func missingLabel(m corpus.Missing) string {
	switch m {
	case corpus.Skipped:
		return "(跳过)"
	case corpus.LeftEmpty:
		return "(空)"
	case corpus.Unanswered:
		return "(未答)"
	}
	return ""
}

// answerLabel is the value of a single-choice or meta answer, or its
// missing label.
func answerLabel(c *corpus.Corpus, a corpus.Answer) string {
	if a.Missing != corpus.Answered {
		return missingLabel(a.Missing)
	}
	return c.Value(a)
}

// questionColumn is the column name of question q in the respondents and
// documents tables: its id ("Q1") for numbered questions, else its header.
func questionColumn(q corpus.Question) string {
	if q.ID != "" {
		return q.ID
	}
	return q.Header
}

// respondentsTable has one row per accepted survey row with every kept
// column: meta and single-choice as text, multiple choice as a list.
func respondentsTable(c *corpus.Corpus) *table.Table {
	t := table.New("respondents", "One row per accepted survey respondent, with every kept column. Missing answers read (跳过) skipped by logic, (空) left empty, (未答) blank.")
	n := c.Respondents.Len()
	// Every column is a view of the corpus, produced while writing.
	str := func(f func(r *corpus.Respondent) string) func(int) table.Cell {
		return func(i int) table.Cell { r := c.Respondents.At(i); return table.Cell{Str: f(&r)} }
	}
	t.AddFunc("respondent", "respondent key: the id column's value, else file:row", table.String, n, str(func(r *corpus.Respondent) string { return r.Key }))
	t.AddFunc("respondent_id", "value of the configured id column; empty when none", table.String, n, str(func(r *corpus.Respondent) string { return r.ID }))
	t.AddFunc("file", "input file", table.Category, n, str(func(r *corpus.Respondent) string { return r.Src.File }))
	t.AddFunc("sheet", "XLSX sheet; empty for other formats", table.Category, n, str(func(r *corpus.Respondent) string { return r.Src.Sheet }))
	t.AddFunc("row", "1-based row in the file, header counted", table.Int, n, func(i int) table.Cell {
		return table.Cell{Int: int64(c.Respondents.Src(i).Row)}
	})
	used := map[string]bool{"respondent": true, "respondent_id": true, "file": true, "sheet": true, "row": true}
	for qi, q := range c.Questions {
		if q.Kind == corpus.OpenText {
			continue // text lives in the documents table
		}
		name := uniqueName(questionColumn(q), used)
		doc := q.Header
		switch q.Kind {
		case corpus.Multi:
			t.AddListFunc(name, doc+" (options chosen)", n, func(i int) []string {
				a := c.Respondents.Answers(i)[qi]
				if a.Missing != corpus.Answered {
					return []string{missingLabel(a.Missing)}
				}
				return c.Options(a)
			})
		case corpus.Single:
			t.AddFunc(name, doc, table.Category, n, str(func(r *corpus.Respondent) string { return answerLabel(c, r.Answers[qi]) }))
		default:
			t.AddFunc(name, doc, table.String, n, str(func(r *corpus.Respondent) string { return answerLabel(c, r.Answers[qi]) }))
		}
	}
	return t
}

func uniqueName(name string, used map[string]bool) string {
	base := name
	for i := 2; used[name]; i++ {
		name = base + "_" + strconv.Itoa(i)
	}
	used[name] = true
	return name
}

// questionsTable lists the survey columns and how they were read.
func questionsTable(c *corpus.Corpus) *table.Table {
	t := table.New("questions", "One row per survey question (column, or group of one-hot columns) and how it was read.")
	n := len(c.Questions)
	ids, headers, kinds := make([]string, n), make([]string, n), make([]string, n)
	opts := make([][]string, n)
	for i, q := range c.Questions {
		ids[i], headers[i], kinds[i] = questionColumn(q), q.Header, q.Kind.String()
		opts[i] = append([]string{}, q.Options...)
	}
	t.AddString("question", "question id (Q1 …) or header of an unnumbered column; the column name in respondents", ids)
	t.AddString("header", "header text as exported, normalised", headers)
	t.AddCategory("kind", "meta, single, multi or text", kinds)
	t.AddList("options", "choice options in first-seen order", opts)
	return t
}

// rejectsTable lists every input row that was not accepted, with why.
func rejectsTable(c *corpus.Corpus) *table.Table {
	t := table.New("rejects", "Every input row that was not accepted, with the reason and the raw bytes (escaped). Rows read = accepted + rejected for every input.")
	n := len(c.Rejects)
	files, sheets, cols, reasons, details, raws := make([]string, n), make([]string, n), make([]string, n), make([]string, n), make([]string, n), make([]string, n)
	rows := make([]int64, n)
	for i, r := range c.Rejects {
		files[i], sheets[i], cols[i], rows[i] = r.Src.File, r.Src.Sheet, r.Src.Column, int64(r.Src.Row)
		reasons[i], details[i], raws[i] = r.Reason, r.Detail, r.Raw
	}
	t.AddCategory("file", "input file", files)
	t.AddCategory("sheet", "XLSX sheet; empty for other formats", sheets)
	t.AddInt("row", "1-based row in the file, header counted", rows)
	t.AddString("column", "header of the offending column; empty when the whole row is bad", cols)
	t.AddCategory("reason", "reason code: ragged_row, bad_encoding, field_too_long, duplicate_id, …", reasons)
	t.AddString("detail", "human-readable explanation", details)
	t.AddString("raw", "the row's raw bytes, escaped like a Go string literal", raws)
	return t
}

// claimsTable lists quantitative statements found in reports.
func claimsTable(c *corpus.Corpus) *table.Table {
	t := table.New("claims", "Quantitative claims found in reports, such as 有24%的人认为… or 有xx人认为“…”，占xx.x%.")
	n := len(c.Claims)
	files, heads, texts, claimed := make([]string, n), make([]string, n), make([]string, n), make([]string, n)
	arts, paras, counts := make([]int64, n), make([]int64, n), make([]int64, n)
	pct := make([]float64, n)
	ph := make([]bool, n)
	countNull := make([]bool, n)
	for i, cl := range c.Claims {
		files[i], heads[i], texts[i], claimed[i] = cl.Src.File, strings.Join(cl.Src.Heading, " > "), cl.Text, cl.Claimed
		arts[i], paras[i] = int64(cl.Src.Article), int64(cl.Src.Paragraph)
		counts[i], pct[i], ph[i] = int64(cl.Count), cl.Percent, cl.Placeholder
		if cl.Count < 0 {
			counts[i], countNull[i] = 0, true
		}
	}
	t.AddCategory("file", "report file", files)
	t.AddInt("article", "1-based article number within a compilation", arts)
	t.AddString("heading_path", "headings above the claim, outermost first, joined with >", heads)
	t.AddInt("paragraph", "1-based paragraph number in the file", paras)
	t.AddString("claimed", "what was claimed: the quoted option or statement", claimed)
	t.AddInt("count", "number of respondents named; null when absent or a placeholder", counts).Null = countNull
	t.AddFloat("percent", "share in percent; null when absent or a placeholder", pct)
	t.AddBool("placeholder", "the figure is a placeholder such as x, xx or XX.X", ph)
	t.AddString("text", "the sentence that makes the claim", texts)
	return t
}
