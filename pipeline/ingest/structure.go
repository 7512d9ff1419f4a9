package ingest

import (
	"context"
	"fmt"
	"math"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"surveymine/pipeline/corpus"
)

var (
	// reArticle marks the start of an article in a compilation: 第一篇, 第2篇.
	reArticle = regexp.MustCompile(`^第[一二三四五六七八九十百零〇\d]+篇`)
	// Numbered headings by rank, outermost first: 一、  (一)  1.  (1)  ①.
	reHeadings = []*regexp.Regexp{
		regexp.MustCompile(`^[一二三四五六七八九十]+[、.]`),
		regexp.MustCompile(`^[(（][一二三四五六七八九十]+[)）]`),
		regexp.MustCompile(`^\d{1,2}(?:[、]|\.(?:[^\d]|$))`),
		regexp.MustCompile(`^[(（]\d{1,2}[)）]`),
		regexp.MustCompile(`^[①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳]`),
	}
	// reCauses matches headings about causes.
	reCauses = regexp.MustCompile(`原因|成因|根源|症结|根子|病因|缘由|归因`)
)

// maxHeadingRunes is the longest line taken as a numbered heading; longer
// numbered lines are body paragraphs that start with a number.
const maxHeadingRunes = 40

// textHeadingLevel classifies a normalised body line that starts with a
// numbering pattern. level is base+rank (rank 1 for 一、 … 5 for ①), or 0
// when the line has no numbering. heading is true when the line is a
// heading rather than a numbered body paragraph: at most 40 runes, no
// sentence end before its last rune, and, for the inner ranks 1. (1) ①,
// no sentence end at all (those are list items when they end with 。).
// Word styles and Markdown use levels 1–9, so pattern headings in those
// files nest below styled ones (base 9).
func textHeadingLevel(s string, base int) (level int, heading bool) {
	rank := 0
	for i, re := range reHeadings {
		if re.MatchString(s) {
			rank = i + 1
			break
		}
	}
	if rank == 0 {
		return 0, false
	}
	level = base + rank
	if utf8.RuneCountInString(s) > maxHeadingRunes {
		return level, false
	}
	if i := strings.IndexAny(s, "。！？!?；;"); i >= 0 {
		_, size := utf8.DecodeRuneInString(s[i:])
		if rank >= 3 || strings.TrimSpace(s[i+size:]) != "" {
			return level, false
		}
	}
	return level, true
}

// runInHeading returns the first sentence of a paragraph numbered 一、 or
// (一) (rank 1 or 2) when it ends within maxHeadingRunes runes and text
// follows it, as in "(一)思想认识不到位。一些党员…"; else "".
func runInHeading(s string, rank int) string {
	if rank > 2 {
		return ""
	}
	r := []rune(s)
	for i, c := range r {
		if i >= maxHeadingRunes {
			break
		}
		if strings.ContainsRune("。！？!?；;", c) {
			if i+1 < len(r) {
				return string(r[:i+1])
			}
			break
		}
	}
	return ""
}

type heading struct {
	level int
	text  string
}

func (h heading) causes() bool { return reCauses.MatchString(h.text) }

// maxHeadingPathRunes bounds each heading of a unit's heading path
// (Source.Heading). The heading paragraph itself keeps its whole text; a
// very long heading (a whole chapter styled as a heading, or a Markdown #
// line of megabytes) would otherwise be copied into every unit below it.
const maxHeadingPathRunes = 200

// clipHeading shortens s to maxHeadingPathRunes runes, marking the cut
// with "…".
func clipHeading(s string) string {
	n := 0
	for i := range s {
		if n == maxHeadingPathRunes {
			return s[:i] + "…"
		}
		n++
	}
	return s
}

// structure turns paragraphs into report units and claims of c: articles
// (第N篇), heading paths, paragraphs, sentences, enumerated points and
// quantitative claims. Paragraph numbers count every non-blank paragraph
// of the file, including headings and rejected ones. When the file has
// article markers, text before the first one is article 0 (front matter);
// without markers everything is article 1.
func structure(ctx context.Context, c *corpus.Corpus, file string, paras []para, st *corpus.InputStats) error {
	article := 1
	for _, p := range paras {
		if reArticle.MatchString(Normalize(p.raw)) {
			article = 0
			break
		}
	}
	base := 0
	for _, p := range paras {
		if p.level > 0 {
			base = 9
			break
		}
	}
	var path []heading
	var lastPath []string // the heading path of the last paragraph
	for i, p := range paras {
		if err := stopped(ctx, i); err != nil {
			return err
		}
		n := i + 1
		st.Read++
		src := corpus.Source{File: file, Paragraph: n}
		if p.bad != "" {
			st.Rejected++
			c.Rejects = append(c.Rejects, corpus.Reject{Src: src, Reason: reasonBadEncoding, Detail: p.bad, Raw: strconv.Quote(string(p.rawB))})
			continue
		}
		st.Accepted++
		text := Normalize(p.raw)
		level := p.level
		if reArticle.MatchString(text) {
			article++
			path = nil
		} else if level == 0 {
			// A numbered body paragraph ends the sections at its level
			// and below; with 一、 or (一) numbering its short first
			// sentence is a run-in heading that opens a section.
			l, isHeading := textHeadingLevel(text, base)
			switch {
			case isHeading:
				level = l
			case l > 0:
				for len(path) > 0 && path[len(path)-1].level >= l {
					path = path[:len(path)-1]
				}
				if h := runInHeading(text, l-base); h != "" {
					path = append(path, heading{level: l, text: h})
				}
			}
		}
		if level > 0 {
			for len(path) > 0 && path[len(path)-1].level >= level {
				path = path[:len(path)-1]
			}
			path = append(path, heading{level: level, text: clipHeading(text)})
		}
		src.Article = article
		causes := false
		for _, h := range path {
			causes = causes || h.causes()
		}
		// Paragraphs under the same headings share one heading path.
		if !samePath(lastPath, path) {
			lastPath = make([]string, len(path))
			for k, h := range path {
				lastPath[k] = h.text
			}
		}
		if len(path) > 0 {
			src.Heading = lastPath
		}
		nr := utf8.RuneCountInString(text)
		ps := src
		ps.Start, ps.End = 0, nr
		pid := fmt.Sprintf("%s:p%d", file, n)
		c.Units.Append(corpus.Unit{ID: pid, Kind: corpus.ReportParagraph, Respondent: -1, Src: ps,
			Raw: p.raw, Text: text, InCauses: causes})
		if level > 0 || reArticle.MatchString(text) {
			continue // headings are kept as paragraphs only
		}
		runes := []rune(text)
		piece := pieces(text, runes)
		for k, sp := range sentences(runes) {
			ss := src
			ss.Start, ss.End = sp[0], sp[1]
			t := piece(sp)
			c.Units.Append(corpus.Unit{ID: fmt.Sprintf("%s:s%d", pid, k+1), Kind: corpus.ReportSentence,
				Respondent: -1, Src: ss, Raw: t, Text: t, InCauses: causes})
		}
		for k, sp := range points(runes) {
			ss := src
			ss.Start, ss.End = sp[0], sp[1]
			t := piece(sp)
			c.Units.Append(corpus.Unit{ID: fmt.Sprintf("%s:e%d", pid, k+1), Kind: corpus.ReportPoint,
				Respondent: -1, Src: ss, Raw: t, Text: t, InCauses: causes})
		}
		c.Claims = append(c.Claims, claims(runes, src)...)
	}
	return nil
}

// samePath reports whether the heading path texts equal the texts of path.
func samePath(texts []string, path []heading) bool {
	if texts == nil || len(texts) != len(path) {
		return false
	}
	for k, h := range path {
		if texts[k] != h.text {
			return false
		}
	}
	return true
}

// pieces returns a function giving the text of a rune span [start, end)
// of text, whose runes are runes: a substring of text, so that sentences
// and points share their paragraph's memory (a copy when text is not
// valid UTF-8, where runes hold U+FFFD for bytes text does not).
func pieces(text string, runes []rune) func(sp [2]int) string {
	if !utf8.ValidString(text) {
		return func(sp [2]int) string { return string(runes[sp[0]:sp[1]]) }
	}
	off := make([]int, 0, len(runes)+1)
	for i := range text {
		off = append(off, i)
	}
	off = append(off, len(text))
	return func(sp [2]int) string { return text[off[sp[0]]:off[sp[1]]] }
}

// isSentenceEnd reports runes that end a sentence.
func isSentenceEnd(r rune) bool {
	switch r {
	case '。', '！', '？', '!', '?', '\n', '…':
		return true
	}
	return false
}

// isCloser reports closing quotes and brackets that stay with the sentence
// they close.
func isCloser(r rune) bool {
	switch r {
	case '”', '’', '」', '』', '）', ')', '》', '"', '\'':
		return true
	}
	return false
}

// sentences returns the rune spans [start, end) of the sentences of text,
// split after 。！？!?… and line breaks (closing quotes and brackets
// included), without surrounding spaces or line breaks; empty spans are
// dropped.
func sentences(text []rune) [][2]int {
	var out [][2]int
	start := 0
	emit := func(end int) {
		s, e := start, end
		for s < e && (text[s] == ' ' || text[s] == '\n') {
			s++
		}
		for e > s && (text[e-1] == ' ' || text[e-1] == '\n') {
			e--
		}
		if e > s {
			out = append(out, [2]int{s, e})
		}
		start = end
	}
	for i := 0; i < len(text); i++ {
		if !isSentenceEnd(text[i]) {
			continue
		}
		j := i + 1
		for j < len(text) && (isSentenceEnd(text[j]) && text[j] != '\n' || isCloser(text[j])) {
			j++
		}
		emit(j)
		i = j - 1
	}
	emit(len(text))
	return out
}

var (
	reNumberPoint = regexp.MustCompile(`[一二三四五六七八九十]是|第[一二三四五六七八九十]+[，,、:：]`)
	reOrderPoint  = regexp.MustCompile(`(?:首先|其次|再次|最后)(?:[，,、:：]|是)`)
)

// pointBoundary reports whether a point marker may start after rune r:
// the start of the paragraph or punctuation.
func pointBoundary(text []rune, at int) bool {
	if at == 0 {
		return true
	}
	switch text[at-1] {
	case '，', ',', '；', ';', '：', ':', '。', '\n', ' ', '、', '！', '？', '!', '?', '“', '"', '(', '（':
		return true
	}
	return false
}

// points returns the rune spans of enumerated points: from a marker (一是,
// 二是 …, 第一， …, and 首先/其次/再次/最后 when 首先 or 其次 occurs) to
// the next marker or the end of the paragraph, trailing spaces trimmed.
// A marker counts only at the paragraph start or after punctuation, so
// 统一是 is not a point.
func points(text []rune) [][2]int {
	s := string(text)
	var starts []int
	add := func(re *regexp.Regexp) {
		var ri runeIndex
		for _, m := range re.FindAllStringIndex(s, -1) {
			at := ri.at(s, m[0])
			if pointBoundary(text, at) {
				starts = append(starts, at)
			}
		}
	}
	add(reNumberPoint)
	if strings.Contains(s, "首先") || strings.Contains(s, "其次") {
		add(reOrderPoint)
	}
	if len(starts) == 0 {
		return nil
	}
	slices.Sort(starts)
	var out [][2]int
	for k, st := range starts {
		end := len(text)
		if k+1 < len(starts) {
			end = starts[k+1]
		}
		for end > st && (text[end-1] == ' ' || text[end-1] == '\n') {
			end--
		}
		if end > st {
			out = append(out, [2]int{st, end})
		}
	}
	return out
}

// runeIndex converts byte offsets of a string into rune offsets. Queries
// in ascending order cost time linear in the distance moved, so a pass
// over the matches of a regular expression is linear in the text rather
// than quadratic (counting from the start for every match). A query
// before the previous one restarts from the beginning.
type runeIndex struct {
	byteOff, runeOff int
}

// at returns the number of runes in s[:b].
func (ri *runeIndex) at(s string, b int) int {
	if b < ri.byteOff {
		ri.byteOff, ri.runeOff = 0, 0
	}
	ri.runeOff += utf8.RuneCountInString(s[ri.byteOff:b])
	ri.byteOff = b
	return ri.runeOff
}

// clauseEnds lists the rune positions of text that end a clause (the
// runes 。；;！？!? and line breaks), ascending.
func clauseEnds(text []rune) []int {
	var out []int
	for i, r := range text {
		if strings.ContainsRune(clauseEndRunes, r) {
			out = append(out, i)
		}
	}
	return out
}

const clauseEndRunes = "。；;！？!?\n"

// maxClaimContext bounds how far (in runes) a claim's Text reaches before
// and after the claim when the clause around it has no end: a paragraph
// without punctuation would otherwise give every claim in it the whole
// paragraph, and output quadratic in its length.
const maxClaimContext = 200

const num = `(\d+(?:\.\d+)?|[xX]+(?:\.[xX]+)?)`

var (
	// 有xx人认为“不存在”，占xx.x%   xx人认为是“…”占xx.x%
	reClaimQuoted = regexp.MustCompile(`(?:只有|仅有|有)?` + num + `(?:人|名)(?:认为|选择|表示)(?:是)?“([^”]{1,120})”[,，]?\s*(?:占|占比)?` + num + `%`)
	// 有24%的人认为…   24%的干部表示，…
	// 选择“…”的有126人，占21.3%   认为“…”的占xx%
	reClaimChosen = regexp.MustCompile(`(?:选择|认为)(?:是)?“([^”]{1,120})”的(?:有|共)?(?:` + num + `(?:人|名)[,，]?\s*)?(?:占|占比)(?:总数的|比为|比)?` + num + `%`)
	// The statement runs to the clause end or the next claim.
	reClaimShare = regexp.MustCompile(`(?:只有|仅有|有)?` + num + `%的(?:人|干部|党员|受访者|被调查者|调查对象|党务干部|职工)?(?:认为|表示|选择)[,，:：]?\s*`)
)

// claims finds quantitative claims in a normalised paragraph.
func claims(text []rune, src corpus.Source) []corpus.Claim {
	s := string(text)
	var out []corpus.Claim
	var ends []int // clause ends, computed on the first claim
	var ri runeIndex
	add := func(m []int, count, claimed, pct string) {
		cl := corpus.Claim{Src: src, Claimed: strings.TrimSpace(claimed), Count: -1, Percent: math.NaN()}
		start, end := ri.at(s, m[0]), ri.at(s, m[1])
		cl.Src.Start, cl.Src.End = start, end
		// Text is the sentence or clause (up to 。；) holding the claim,
		// at most maxClaimContext runes either side of it.
		if ends == nil {
			ends = append(clauseEnds(text), len(text))
		}
		k, _ := slices.BinarySearch(ends, start) // first end at or after start
		ts := 0
		if k > 0 {
			ts = ends[k-1] + 1
		}
		k, _ = slices.BinarySearch(ends, end)
		te := ends[k]
		ts, te = max(ts, start-maxClaimContext), min(te, end+maxClaimContext)
		cl.Text = strings.TrimSpace(string(text[ts:te]))
		if count != "" {
			if v, err := strconv.Atoi(count); err == nil {
				cl.Count = v
			} else {
				cl.Placeholder = true
			}
		}
		if pct != "" {
			if v, err := strconv.ParseFloat(pct, 64); err == nil {
				cl.Percent = v
			} else {
				cl.Placeholder = true
			}
		}
		out = append(out, cl)
	}
	for _, m := range reClaimQuoted.FindAllStringSubmatchIndex(s, -1) {
		add(m, s[m[2]:m[3]], s[m[4]:m[5]], s[m[6]:m[7]])
	}
	ri = runeIndex{}
	for _, m := range reClaimChosen.FindAllStringSubmatchIndex(s, -1) {
		count := ""
		if m[4] >= 0 {
			count = s[m[4]:m[5]]
		}
		add(m, count, s[m[2]:m[3]], s[m[6]:m[7]])
	}
	ri = runeIndex{}
	shares := reClaimShare.FindAllStringSubmatchIndex(s, -1)
	for k, m := range shares {
		end := len(s)
		if k+1 < len(shares) {
			end = shares[k+1][0]
		}
		if i := strings.IndexAny(s[m[1]:end], "。；;！？!?\n"); i >= 0 {
			end = m[1] + i
		}
		stmt := strings.TrimRight(s[m[1]:end], ",， ")
		if stmt == "" {
			continue
		}
		m[1] = end
		add(m, "", stmt, s[m[2]:m[3]])
	}
	// Keep claims in text order.
	slices.SortStableFunc(out, func(a, b corpus.Claim) int { return a.Src.Start - b.Src.Start })
	return out
}
