package codebook

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"sync"
	"unicode"

	"gopkg.in/yaml.v3"
)

// DefaultNegators are the tokens that negate a following term when the
// codebook does not list its own `negators:`. Matching is on whole token
// text, so the list holds the common one- and two-word forms.
var DefaultNegators = []string{
	"不", "没", "没有", "不是", "并非", "非", "未", "无", "不存在", "并不", "并没有", "并没", "并未",
	"并无", "从不", "从未", "从没", "毫无", "绝非", "决不", "绝不", "尚未", "未能", "没能", "不能",
	"无法", "不会", "不够", "还不", "也不", "都不", "还没", "还没有", "也没有", "都没有", "不再",
}

// DefaultEffectMarkers are the words after which the rest of a sentence
// states an effect, not a cause, when the codebook does not list its own
// `effect_markers:` (see Codebook.EffectMarkers).
var DefaultEffectMarkers = []string{"导致", "造成", "致使", "以致", "以至于", "使得", "从而", "进而"}

// effectReopeners end an effect stretch: in 导致X的原因是Y the cause Y
// follows them.
var effectReopeners = []string{"原因是", "原因在于", "根源在于", "根源是", "症结在于", "在于", "原因"}

// DefaultNegationWindow is the number of tokens before a term searched for a
// negator when the codebook does not set `negation_window:`.
const DefaultNegationWindow = 2

// Codebook is a parsed coding scheme. Build it with Parse; its fields may be
// read but should not be changed once it has coded a unit (or been parsed):
// its rules are compiled to alternative ids then, and later changes would
// not be seen.
type Codebook struct {
	Name        string
	Version     string // as written; "" when absent
	Description string
	Categories  []Category // in file order
	// Other is the fallback category for units no rule codes (其他); nil when
	// the codebook declares none. It has no rules.
	Other *Category
	// Negators are the token texts that negate a following term;
	// DefaultNegators when the file lists none.
	Negators []string
	// NegationWindow is how many tokens before a term are searched for a
	// negator (whitespace tokens are not counted); DefaultNegationWindow when
	// the file does not set it. Zero (a Codebook built by hand) turns the
	// negation check off.
	NegationWindow int
	// EffectMarkers are raw phrases (导致, 造成, 使得 …) after which the rest
	// of the sentence is an effect: no item counts there. The stretch ends
	// early at 原因是 / 在于 (导致X的原因是Y codes Y), and a marker directly
	// followed by 的 (是由A导致的) opens none. DefaultEffectMarkers when the
	// file lists none; an empty list in the file turns the check off.
	EffectMarkers []string

	indexOnce sync.Once
	idx       *altIndex // see index
}

// Category is one code of the codebook.
type Category struct {
	ID          int // unique within the codebook; >= 0
	Name        string
	Description string
	Rules       []Rule // a unit is coded with the category if any rule matches
	Line        int    // line of the category in the file, for messages
}

// Scope is the stretch of text in which all conditions of a rule must hold.
type Scope uint8

// The scopes. The zero value is ScopeSentence, the default.
const (
	ScopeSentence Scope = iota // one sentence (ends at 。！？；!?; or a line break)
	ScopeClause                // one clause (also ends at ，、：,:)
	ScopeUnit                  // the whole unit
	ScopeTokens                // a window of Within.Tokens tokens inside one sentence
)

var scopeNames = [...]string{"sentence", "clause", "unit", "tokens"}

// String returns "sentence", "clause", "unit" or "tokens".
func (s Scope) String() string {
	if int(s) < len(scopeNames) {
		return scopeNames[s]
	}
	return "unknown"
}

// Within is a rule's proximity constraint.
type Within struct {
	Scope  Scope
	Tokens int // window size in tokens when Scope is ScopeTokens; else 0
}

// String renders the constraint as written in YAML: "clause", "5" ….
func (w Within) String() string {
	if w.Scope == ScopeTokens {
		return strconv.Itoa(w.Tokens)
	}
	return w.Scope.String()
}

// Rule is one way of recognising a category. It matches in a scope when
// every All item, at least one Any item (if Any is not empty) and no Not
// item occur there, counting only occurrences that are not negated. For a
// token window (ScopeTokens) the All and Any items must fit in one window
// and the Not items are looked for in the whole sentence.
type Rule struct {
	All    []Item
	Any    []Item // also holds the items of `phrase:`
	Not    []Item
	Within Within
	// IgnoreNegation is set by `negation: false`: occurrences count even
	// after a negator or inside 不是…而是.
	IgnoreNegation bool
	Line           int // line of the rule in the file, for messages
}

// String renders the rule on one line in the YAML flow style, e.g.
// "all: [党建|党务, 次要], within: clause".
func (r Rule) String() string {
	var parts []string
	list := func(key string, items []Item) {
		if len(items) == 0 {
			return
		}
		s := make([]string, len(items))
		for i, it := range items {
			s[i] = it.String()
		}
		parts = append(parts, key+": ["+strings.Join(s, ", ")+"]")
	}
	list("all", r.All)
	list("any", r.Any)
	list("not", r.Not)
	parts = append(parts, "within: "+r.Within.String())
	if r.IgnoreNegation {
		parts = append(parts, "negation: false")
	}
	return strings.Join(parts, ", ")
}

// Rule returns the rule a RuleRef names, or nil when there is none.
func (cb *Codebook) Rule(ref RuleRef) *Rule {
	c := cb.Category(ref.Category)
	if c == nil || ref.Rule < 0 || ref.Rule >= len(c.Rules) {
		return nil
	}
	return &c.Rules[ref.Rule]
}

// Item is one condition of a rule: any of its alternatives may occur.
type Item struct {
	Alts []Alt
}

// String renders the item as written in YAML, e.g. "党建|~党务".
func (it Item) String() string {
	parts := make([]string, len(it.Alts))
	for i, a := range it.Alts {
		parts[i] = a.String()
	}
	return strings.Join(parts, "|")
}

// Alt is one alternative of an item: a term (matched on whole tokens) or a
// raw phrase (matched as a substring of the text).
type Alt struct {
	Text   string // without the "~" marker
	Phrase bool
}

// String renders the alternative as written in YAML ("~" before phrases).
func (a Alt) String() string {
	if a.Phrase {
		return "~" + a.Text
	}
	return a.Text
}

// Category returns the category with the given id, the Other category if
// its id matches, or nil.
func (cb *Codebook) Category(id int) *Category {
	for i := range cb.Categories {
		if cb.Categories[i].ID == id {
			return &cb.Categories[i]
		}
	}
	if cb.Other != nil && cb.Other.ID == id {
		return cb.Other
	}
	return nil
}

// IDs returns the category ids in file order, followed by the Other id when
// the codebook has one.
func (cb *Codebook) IDs() []int {
	ids := make([]int, 0, len(cb.Categories)+1)
	for _, c := range cb.Categories {
		ids = append(ids, c.ID)
	}
	if cb.Other != nil {
		ids = append(ids, cb.Other.ID)
	}
	return ids
}

// ParseError is a problem in a codebook file, located by key path:
// `liangzhangpi.yaml: categories[2].rules[0].within: must be …`.
type ParseError struct {
	File string // file name as passed to Parse
	Path string // key path such as "categories[2].rules[0].within"; "" for the whole file
	Line int    // 1-based line in the file; 0 when unknown
	Msg  string
}

// Error renders "file: path: message", or "file: message" without a path.
func (e *ParseError) Error() string {
	if e.Path == "" {
		return e.File + ": " + e.Msg
	}
	return e.File + ": " + e.Path + ": " + e.Msg
}

// maxErrors is how many problems Parse reports before summarising the rest.
const maxErrors = 20

// Parse reads a codebook from YAML bytes. file names the source in error
// messages only; Parse does no I/O.
//
// Every problem is collected before Parse gives up: the error is a
// *ParseError, or an errors.Join of up to 20 of them followed by
// "... and N more". Unknown and duplicate keys are errors.
func Parse(data []byte, file string) (*Codebook, error) {
	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil {
		return nil, &ParseError{File: file, Msg: err.Error()}
	}
	if doc.Kind != yaml.DocumentNode || len(doc.Content) == 0 {
		return nil, &ParseError{File: file, Msg: "empty codebook"}
	}
	p := &parser{file: file}
	cb := p.codebook(doc.Content[0])
	if len(p.errs) == 0 {
		cb.index()
		return cb, nil
	}
	if len(p.errs) == 1 {
		return nil, p.errs[0]
	}
	errs := make([]error, 0, maxErrors+1)
	for i, e := range p.errs {
		if i == maxErrors {
			errs = append(errs, fmt.Errorf("... and %d more", len(p.errs)-maxErrors))
			break
		}
		errs = append(errs, e)
	}
	return nil, errors.Join(errs...)
}

type parser struct {
	file string
	errs []*ParseError
}

func (p *parser) fail(n *yaml.Node, path, format string, args ...any) {
	line := 0
	if n != nil {
		line = n.Line
	}
	p.errs = append(p.errs, &ParseError{File: p.file, Path: path, Line: line, Msg: fmt.Sprintf(format, args...)})
}

// fields checks that n is a mapping with only allowed keys, each once, and
// returns the values by key.
func (p *parser) fields(n *yaml.Node, path string, allowed ...string) map[string]*yaml.Node {
	if n.Kind != yaml.MappingNode {
		p.fail(n, path, "must be a mapping, got %s", kindName(n))
		return nil
	}
	out := make(map[string]*yaml.Node, len(n.Content)/2)
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		kp := join(path, k.Value)
		if !contains(allowed, k.Value) {
			p.fail(k, kp, "unknown key (allowed: %s)", strings.Join(allowed, ", "))
			continue
		}
		if _, dup := out[k.Value]; dup {
			p.fail(k, kp, "duplicate key")
			continue
		}
		out[k.Value] = v
	}
	return out
}

func join(path, key string) string {
	if path == "" {
		return key
	}
	return path + "." + key
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

func kindName(n *yaml.Node) string {
	switch n.Kind {
	case yaml.MappingNode:
		return "a mapping"
	case yaml.SequenceNode:
		return "a list"
	case yaml.AliasNode:
		return "an alias"
	case yaml.ScalarNode:
		if n.Tag == "!!null" {
			return "nothing"
		}
		return fmt.Sprintf("%q", n.Value)
	}
	return "nothing"
}

func (p *parser) str(n *yaml.Node, path string) (string, bool) {
	if n.Kind != yaml.ScalarNode || n.Tag == "!!null" {
		p.fail(n, path, "must be a text, got %s", kindName(n))
		return "", false
	}
	return strings.TrimSpace(n.Value), true
}

func (p *parser) integer(n *yaml.Node, path string) (int, bool) {
	if n.Kind == yaml.ScalarNode && n.Tag == "!!int" {
		if v, err := strconv.Atoi(n.Value); err == nil {
			return v, true
		}
	}
	p.fail(n, path, "must be a whole number, got %s", kindName(n))
	return 0, false
}

func (p *parser) codebook(n *yaml.Node) *Codebook {
	f := p.fields(n, "", "name", "version", "description", "negators", "negation_window", "effect_markers", "other", "categories")
	cb := &Codebook{Negators: DefaultNegators, NegationWindow: DefaultNegationWindow, EffectMarkers: DefaultEffectMarkers}
	if f == nil {
		return cb
	}
	if v, ok := f["name"]; ok {
		cb.Name, _ = p.str(v, "name")
	}
	if cb.Name == "" {
		p.fail(n, "name", "is required")
	}
	if v, ok := f["version"]; ok {
		cb.Version, _ = p.str(v, "version")
	}
	if v, ok := f["description"]; ok {
		cb.Description, _ = p.str(v, "description")
	}
	if v, ok := f["negators"]; ok {
		cb.Negators = nil
		for i, e := range p.seq(v, "negators") {
			s, ok := p.str(e, fmt.Sprintf("negators[%d]", i))
			switch {
			case !ok:
			case s == "":
				p.fail(e, fmt.Sprintf("negators[%d]", i), "must not be empty")
			default:
				cb.Negators = append(cb.Negators, s)
			}
		}
	}
	if v, ok := f["effect_markers"]; ok {
		cb.EffectMarkers = []string{}
		for i, e := range p.seq(v, "effect_markers") {
			s, ok := p.str(e, fmt.Sprintf("effect_markers[%d]", i))
			switch {
			case !ok:
			case s == "":
				p.fail(e, fmt.Sprintf("effect_markers[%d]", i), "must not be empty")
			default:
				cb.EffectMarkers = append(cb.EffectMarkers, s)
			}
		}
	}
	if v, ok := f["negation_window"]; ok {
		if w, ok := p.integer(v, "negation_window"); ok {
			if w < 1 || w > 10 {
				p.fail(v, "negation_window", "must be between 1 and 10 tokens, got %d", w)
			}
			cb.NegationWindow = w
		}
	}
	seen := map[int]string{}
	if v, ok := f["other"]; ok {
		c := p.category(v, "other", false)
		cb.Other = &c
		seen[c.ID] = "other"
	}
	v, ok := f["categories"]
	if !ok {
		p.fail(n, "categories", "is required")
		return cb
	}
	items := p.seq(v, "categories")
	if v.Kind == yaml.SequenceNode && len(items) == 0 {
		p.fail(v, "categories", "must list at least one category")
	}
	for i, e := range items {
		path := fmt.Sprintf("categories[%d]", i)
		c := p.category(e, path, true)
		if prev, dup := seen[c.ID]; dup {
			p.fail(e, path+".id", "%d is already used by %s", c.ID, prev)
		} else {
			seen[c.ID] = path
		}
		cb.Categories = append(cb.Categories, c)
	}
	return cb
}

// seq returns the elements of a list node, reporting anything else.
func (p *parser) seq(n *yaml.Node, path string) []*yaml.Node {
	if n.Kind != yaml.SequenceNode {
		p.fail(n, path, "must be a list, got %s", kindName(n))
		return nil
	}
	return n.Content
}

func (p *parser) category(n *yaml.Node, path string, withRules bool) Category {
	c := Category{Line: n.Line}
	keys := []string{"id", "name", "description"}
	if withRules {
		keys = append(keys, "rules")
	}
	f := p.fields(n, path, keys...)
	if f == nil {
		return c
	}
	if v, ok := f["id"]; !ok {
		p.fail(n, join(path, "id"), "is required")
	} else if id, ok := p.integer(v, join(path, "id")); ok {
		if id < 0 {
			p.fail(v, join(path, "id"), "must be >= 0, got %d", id)
		}
		c.ID = id
	}
	if v, ok := f["name"]; ok {
		c.Name, _ = p.str(v, join(path, "name"))
	}
	if c.Name == "" {
		p.fail(n, join(path, "name"), "is required")
	}
	if v, ok := f["description"]; ok {
		c.Description, _ = p.str(v, join(path, "description"))
	}
	if !withRules {
		return c
	}
	v, ok := f["rules"]
	if !ok {
		p.fail(n, join(path, "rules"), "is required")
		return c
	}
	rules := p.seq(v, join(path, "rules"))
	if v.Kind == yaml.SequenceNode && len(rules) == 0 {
		p.fail(v, join(path, "rules"), "must list at least one rule")
	}
	for i, e := range rules {
		c.Rules = append(c.Rules, p.rule(e, fmt.Sprintf("%s.rules[%d]", path, i)))
	}
	return c
}

func (p *parser) rule(n *yaml.Node, path string) Rule {
	r := Rule{Line: n.Line}
	f := p.fields(n, path, "all", "any", "phrase", "not", "within", "negation")
	if f == nil {
		return r
	}
	if v, ok := f["all"]; ok {
		r.All = p.items(v, join(path, "all"), false)
	}
	if v, ok := f["any"]; ok {
		r.Any = p.items(v, join(path, "any"), false)
	}
	if v, ok := f["phrase"]; ok {
		r.Any = append(r.Any, p.items(v, join(path, "phrase"), true)...)
	}
	if v, ok := f["not"]; ok {
		r.Not = p.items(v, join(path, "not"), false)
	}
	_, hasAll := f["all"]
	_, hasAny := f["any"]
	_, hasPhrase := f["phrase"]
	if !hasAll && !hasAny && !hasPhrase {
		p.fail(n, path, "needs at least one of all, any or phrase")
	}
	if v, ok := f["within"]; ok {
		r.Within = p.within(v, join(path, "within"))
	}
	if v, ok := f["negation"]; ok {
		if v.Kind == yaml.ScalarNode && v.Tag == "!!bool" {
			b, _ := strconv.ParseBool(v.Value)
			r.IgnoreNegation = !b
		} else {
			p.fail(v, join(path, "negation"), "must be true or false, got %s", kindName(v))
		}
	}
	return r
}

func (p *parser) within(n *yaml.Node, path string) Within {
	if n.Kind == yaml.ScalarNode {
		switch n.Value {
		case "clause":
			return Within{Scope: ScopeClause}
		case "sentence":
			return Within{Scope: ScopeSentence}
		case "unit":
			return Within{Scope: ScopeUnit}
		}
		if v, err := strconv.Atoi(n.Value); err == nil && v >= 1 && n.Tag == "!!int" {
			return Within{Scope: ScopeTokens, Tokens: v}
		}
	}
	p.fail(n, path, "must be clause, sentence, unit or a number of tokens >= 1, got %s", kindName(n))
	return Within{}
}

// items reads a list of items (a single text counts as a list of one).
func (p *parser) items(n *yaml.Node, path string, phrases bool) []Item {
	var elems []*yaml.Node
	var paths []string
	switch n.Kind {
	case yaml.ScalarNode:
		if n.Tag != "!!null" {
			elems, paths = []*yaml.Node{n}, []string{path}
		}
	case yaml.SequenceNode:
		elems = n.Content
		for i := range elems {
			paths = append(paths, fmt.Sprintf("%s[%d]", path, i))
		}
	}
	if len(elems) == 0 {
		p.fail(n, path, "must be a non-empty list of terms, got %s", kindName(n))
		return nil
	}
	var out []Item
	for i, e := range elems {
		s, ok := p.str(e, paths[i])
		if !ok {
			continue
		}
		it, msg := parseItem(s, phrases)
		if msg != "" {
			p.fail(e, paths[i], "%s", msg)
			continue
		}
		out = append(out, it)
	}
	return out
}

// parseItem splits "a|~b" into alternatives. It returns a message saying
// what is wrong, or "".
func parseItem(s string, phrase bool) (Item, string) {
	var it Item
	for _, part := range strings.Split(s, "|") {
		part = strings.TrimSpace(part)
		a := Alt{Phrase: phrase}
		if t, ok := strings.CutPrefix(part, "~"); ok {
			a = Alt{Text: strings.TrimSpace(t), Phrase: true}
		} else {
			a.Text = part
		}
		if a.Text == "" {
			return Item{}, fmt.Sprintf("%q has an empty alternative", s)
		}
		if !a.Phrase && strings.IndexFunc(a.Text, unicode.IsSpace) >= 0 {
			return Item{}, fmt.Sprintf("term %q contains a space; terms are matched on tokens, write ~%s for a raw phrase", a.Text, a.Text)
		}
		it.Alts = append(it.Alts, a)
	}
	return it, ""
}
