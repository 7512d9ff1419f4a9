package pipeline

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"surveymine/analysis/redact"
	"surveymine/pipeline/corpus"
	"surveymine/pipeline/ingest"
)

// PrivacyConfig controls the masking of personal information in free
// text (analysis/redact).
type PrivacyConfig struct {
	// Redact masks phone numbers, 身份证号, e-mail addresses, bank card
	// and licence plate numbers and names before titles in everything
	// read, before any stage sees the text; nil (unset) = true.
	Redact *bool `mapstructure:"redact"`
	// Types lists the kinds masked: phone, landline, id_card, email,
	// bank_card, plate, name; empty = all.
	Types []string `mapstructure:"types"`
}

// RedactOn reports whether personal information is masked (the default).
func (c *Config) RedactOn() bool { return c.Privacy.Redact == nil || *c.Privacy.Redact }

// Redactor returns the redactor the config asks for, or nil when
// privacy.redact is false. Unknown type names are left out (Validate
// reports them).
func (c *Config) Redactor() *redact.Redactor {
	if !c.RedactOn() {
		return nil
	}
	var types []redact.Type
	for _, name := range c.Privacy.Types {
		if t, ok := redact.ParseType(name); ok {
			types = append(types, t)
		}
	}
	return redact.New(types...)
}

// validatePrivacy checks privacy.types.
func (c *Config) validatePrivacy(bad func(key, format string, args ...any)) {
	for i, name := range c.Privacy.Types {
		if _, ok := redact.ParseType(name); !ok {
			names := make([]string, 0, redact.NumTypes)
			for _, t := range redact.Types() {
				names = append(names, t.String())
			}
			bad(fmt.Sprintf("privacy.types[%d]", i), "unknown type %q (want some of %v)", name, names)
		}
	}
}

// PrivacyFacts is what the manifest records about redaction (under
// facts.privacy).
type PrivacyFacts struct {
	Redact bool           `json:"redact"`
	Types  []string       `json:"types"`    // types masked
	Masked map[string]int `json:"masked"`   // spans masked per type
	Total  int            `json:"total"`    // spans masked in all
	Values int            `json:"values"`   // input values (cells, paragraphs, rejected rows) with at least one span
	Note   string         `json:"counting"` // what a count counts
}

const privacyCounting = "one per span in an input value: survey cell, report paragraph or rejected row; derived text (sentences, headings, claims, raw text) is masked too but not counted again"

func privacyFacts(r *redact.Redactor, c redact.Counts, values int) PrivacyFacts {
	f := PrivacyFacts{Redact: r != nil, Types: []string{}, Masked: map[string]int{}, Note: privacyCounting}
	if r == nil {
		return f
	}
	for _, t := range redact.Types() {
		if r.Enabled(t) {
			f.Types = append(f.Types, t.String())
			f.Masked[t.String()] = c[t]
		}
	}
	f.Total, f.Values = c.Total(), values
	return f
}

// redactor masks a corpus in place. It is used once, right after ingest,
// so no later stage and no output sees the original text.
type redactor struct {
	r       *redact.Redactor
	counts  redact.Counts
	values  int                // counted values with at least one span
	memo    map[string]string  // heading and option texts, which repeat
	answers map[string]counted // choice answers, which repeat
}

// count masks s and counts what it masked.
func (x *redactor) count(s string) string {
	out, c := x.r.Redact(s)
	if c.Total() > 0 {
		x.counts.Add(c)
		x.values++
	}
	return out
}

// maxMemo bounds the memo of repeated answer values.
const maxMemo = 1 << 16

type counted struct {
	out string
	c   redact.Counts
}

// countMemo is count for values that repeat (choice answers and options):
// each distinct value is masked once, and counted every time.
func (x *redactor) countMemo(s string) string {
	e, ok := x.answers[s]
	if !ok {
		e.out, e.c = x.r.Redact(s)
		if len(x.answers) < maxMemo {
			x.answers[s] = e
		}
	}
	if e.c.Total() > 0 {
		x.counts.Add(e.c)
		x.values++
	}
	return e.out
}

// countOptions is countMemo for each of a Multi answer's options. Equal
// answers share their options slice (see ingest), so a changed slice is a
// copy and opts itself is never written.
func (x *redactor) countOptions(opts []string) []string {
	var out []string
	for k, o := range opts {
		if m := x.countMemo(o); m != o {
			if out == nil {
				out = slices.Clone(opts)
			}
			out[k] = m
		}
	}
	if out == nil {
		return opts
	}
	return out
}

// mask masks s without counting (derived text).
func (x *redactor) mask(s string) string {
	out, _ := x.r.Redact(s)
	return out
}

// memoMask masks s without counting, remembering the result (up to
// maxMemo values).
func (x *redactor) memoMask(s string) string {
	if out, ok := x.memo[s]; ok {
		return out
	}
	out := x.mask(s)
	if len(x.memo) < maxMemo {
		x.memo[s] = out
	}
	return out
}

// raw masks text as read, before normalisation. Full-width digits or a
// zero-width space inside a number hide it from the detectors until the
// text is normalised; when the normalised form of the masked raw text
// still holds something to mask, the masked normalised text replaces it.
func (x *redactor) raw(s string) string {
	out := x.mask(s)
	if n := ingest.Normalize(out); len(x.r.Find(n)) > 0 {
		return x.mask(n)
	}
	return out
}

// quoted masks a reject's raw bytes, escaped like a Go string literal,
// and counts what it masked.
func (x *redactor) quoted(q string) string {
	s, err := strconv.Unquote(q)
	if err != nil {
		return x.raw(q)
	}
	m := x.count(s)
	if n := ingest.Normalize(m); len(x.r.Find(n)) > 0 {
		m = x.mask(n)
	}
	if m == s {
		return q
	}
	return strconv.Quote(m)
}

func (x *redactor) heading(h []string) []string {
	var out []string
	for i, s := range h {
		if m := x.memoMask(s); m != s {
			if out == nil {
				out = slices.Clone(h)
			}
			out[i] = m
		}
	}
	if out == nil {
		return h
	}
	return out
}

// paraKey identifies a report paragraph.
type paraKey struct {
	file string
	para int
}

// paraMask is a masked report paragraph: its masked text in runes and
// its spans in rune offsets of the original text, with the mask lengths.
type paraMask struct {
	runes []rune
	spans [][3]int      // original start, original end, mask length (runes)
	found []redact.Span // the spans in bytes of the original text
	orig  string        // the original text
}

// scrub masks s, a piece of the paragraph's text cut out by ingest (a
// claim and its statement), and then replaces any text the paragraph's
// spans covered that is left in it: detection at the edges of a piece
// can differ from detection in the whole paragraph.
func (p *paraMask) scrub(x *redactor, s string) string {
	s = x.mask(s)
	for _, sp := range p.found {
		orig := p.orig[sp.Start:sp.End]
		if sp.Type == redact.Name && utf8.RuneCountInString(orig) < 2 {
			continue // a lone surname (张) is an everyday character elsewhere
		}
		s = strings.ReplaceAll(s, orig, sp.Type.Mask())
	}
	return s
}

// at maps a rune offset of the original paragraph to the masked one. An
// offset inside a span maps to the mask's start (end false) or end (end
// true), so a sentence never holds part of a mask.
func (p *paraMask) at(x int, end bool) int {
	shift := 0
	for _, sp := range p.spans {
		switch {
		case x <= sp[0]:
			return x + shift
		case x < sp[1]:
			if end {
				return sp[0] + shift + sp[2]
			}
			return sp[0] + shift
		}
		shift += sp[2] - (sp[1] - sp[0])
	}
	return x + shift
}

// redactCorpus masks the personal information in every text of c: units
// (text and raw text; report sentences, points and claims keep their
// spans consistent with the masked paragraph), answers and options,
// respondent ids, heading paths, rejected rows, claims and warnings.
func redactCorpus(c *corpus.Corpus, r *redact.Redactor) PrivacyFacts {
	x := &redactor{r: r, memo: map[string]string{}, answers: map[string]counted{}}
	paras := map[paraKey]*paraMask{}
	maskUnit := func(u *corpus.Unit) {
		u.Src.Heading = x.heading(u.Src.Heading)
		switch u.Kind {
		case corpus.ReportParagraph:
			spans := r.Find(u.Text)
			same := u.Raw == u.Text
			if !same {
				u.Raw = x.raw(u.Raw)
			}
			if len(spans) == 0 {
				return
			}
			p := &paraMask{found: spans, orig: u.Text}
			var cnt redact.Counts
			for _, sp := range spans {
				cnt[sp.Type]++
				st := utf8.RuneCountInString(u.Text[:sp.Start])
				p.spans = append(p.spans, [3]int{st, st + utf8.RuneCountInString(u.Text[sp.Start:sp.End]), utf8.RuneCountInString(sp.Type.Mask())})
			}
			x.counts.Add(cnt)
			x.values++
			u.Text = redact.Replace(u.Text, spans)
			if same {
				u.Raw = u.Text
			}
			p.runes = []rune(u.Text)
			paras[paraKey{u.Src.File, u.Src.Paragraph}] = p
			u.Src.End = len(p.runes)
		case corpus.ReportSentence, corpus.ReportPoint:
			p := paras[paraKey{u.Src.File, u.Src.Paragraph}]
			if p == nil {
				u.Text, u.Raw = x.mask(u.Text), x.raw(u.Raw)
				return
			}
			st, en := p.at(u.Src.Start, false), p.at(u.Src.End, true)
			u.Src.Start, u.Src.End = st, en
			// Masking the slice again catches anything its new edges
			// expose; a mask is never detected, so this changes nothing
			// in the usual case.
			u.Text = x.mask(string(p.runes[st:en]))
			u.Raw = u.Text
		default:
			same := u.Raw == u.Text // usual: normalising changed nothing
			u.Text = x.count(u.Text)
			if same {
				u.Raw = u.Text
			} else {
				u.Raw = x.raw(u.Raw)
			}
		}
	}
	for i := range c.Units.Len() {
		u := c.Units.At(i)
		maskUnit(&u)
		c.Units.Set(i, u)
	}
	for qi, q := range c.Questions {
		if q.Kind == corpus.OpenText || len(q.Options) == 0 {
			continue
		}
		// Masking can make two options equal ([手机号]); keep one.
		var opts []string
		for _, o := range q.Options {
			if m := x.memoMask(o); !slices.Contains(opts, m) {
				opts = append(opts, m)
			}
		}
		c.Questions[qi].Options = opts
	}
	// Every value of the answer pool is masked once, in place: equal
	// answers to a question share a code, so a value that repeats costs
	// one scan however often it is given. Choice and meta answers are
	// counted once per answer; open answers are counted with their unit,
	// and a multiple-choice value with its 其他 unit and its options.
	found := map[uint32]redact.Counts{}
	for code := uint32(1); code <= uint32(c.Pool.Values()); code++ {
		v := c.Pool.Value(code)
		out, cnt := x.r.Redact(v)
		if cnt.Total() > 0 {
			found[code] = cnt
		}
		if out != v {
			c.Pool.ReplaceValue(code, out)
		}
	}
	for ri := range c.Respondents.Len() {
		rs := c.Respondents.At(ri) // its Answers write through
		for qi := range rs.Answers {
			a := &rs.Answers[qi]
			switch c.Questions[qi].Kind {
			case corpus.OpenText:
			case corpus.Multi:
				c.SetOptions(a, x.countOptions(c.Options(*a)))
			default:
				if cnt, ok := found[a.ValueCode()]; ok {
					x.counts.Add(cnt)
					x.values++
				}
			}
		}
		if rs.ID != "" {
			id := x.mask(rs.ID)
			if id != rs.ID {
				key := rs.Key
				if key == rs.ID {
					// Masked ids are no longer unique; fall back to the
					// file:row key every respondent without an id has.
					key = rs.Src.String()
				}
				c.Respondents.SetKey(ri, key, id)
			}
		}
	}
	for i := range c.Rejects {
		rj := &c.Rejects[i]
		rj.Raw = x.quoted(rj.Raw)
		rj.Detail = x.mask(rj.Detail)
	}
	for i := range c.Claims {
		cl := &c.Claims[i]
		cl.Src.Heading = x.heading(cl.Src.Heading)
		if p := paras[paraKey{cl.Src.File, cl.Src.Paragraph}]; p != nil {
			cl.Src.Start, cl.Src.End = p.at(cl.Src.Start, false), p.at(cl.Src.End, true)
			cl.Text, cl.Claimed = p.scrub(x, cl.Text), p.scrub(x, cl.Claimed)
			continue
		}
		cl.Text, cl.Claimed = x.mask(cl.Text), x.mask(cl.Claimed)
	}
	for i, w := range c.Warnings {
		c.Warnings[i] = x.mask(w)
	}
	return privacyFacts(r, x.counts, x.values)
}

// privacySentence states in the report what was masked, e.g.
// "个人信息已脱敏（privacy.redact）：手机号 2 处，姓名 5 处。".
func privacySentence(v any) string {
	f, ok := v.(PrivacyFacts)
	if !ok {
		return ""
	}
	if !f.Redact {
		return "未对个人信息脱敏（privacy.redact: false）。"
	}
	var parts []string
	for _, name := range f.Types {
		t, _ := redact.ParseType(name)
		if n := f.Masked[name]; n > 0 {
			parts = append(parts, strings.Trim(t.Mask(), "[]")+" "+strconv.Itoa(n)+" 处")
		}
	}
	if len(parts) == 0 {
		return "个人信息脱敏已开启（privacy.redact），未发现需遮蔽的内容。"
	}
	return "个人信息已脱敏（privacy.redact），遮蔽" + strings.Join(parts, "，") + "。"
}
