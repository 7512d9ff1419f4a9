package codebook

import (
	"fmt"
	"sort"
	"strings"

	"surveymine/analysis/segment"
)

// FindingKind says what Lint found.
type FindingKind uint8

// The kinds of findings.
const (
	// SplitTerm: the segmenter cuts a term into several tokens. The term
	// still matches as a run of those tokens, but never through synonym
	// merging of the whole, and negation counts the parts as tokens.
	SplitTerm FindingKind = iota
	// DroppedTerm: the term is one token that the filters drop (a
	// stopword); it matches only by surface text.
	DroppedTerm
	// MergedTerm: synonym merging maps the term to another analysis term;
	// the rule then matches only this surface form, not the whole synonym
	// group. Writing the merged term matches them all.
	MergedTerm
	// UnusedRule: the rule matched no unit of the corpus.
	UnusedRule
	// Overlap: two categories code nearly the same units.
	Overlap
	// HiddenTerm: the segmenter keeps the term inside longer words of the
	// corpus (重业务轻党建工作 hides 轻党建), where a term never matches. A
	// word made only of codebook terms is not reported: the matcher reads
	// it as those terms. Writing the term as a ~phrase matches it inside
	// words.
	HiddenTerm
)

var findingNames = [...]string{"split_term", "dropped_term", "merged_term", "unused_rule", "overlap", "hidden_term"}

// String returns the kind as written in outputs ("split_term", …).
func (k FindingKind) String() string {
	if int(k) < len(findingNames) {
		return findingNames[k]
	}
	return "unknown"
}

// Finding is one problem Lint reports.
type Finding struct {
	Kind FindingKind
	Rule RuleRef // the rule (term and unused-rule findings)
	Term string  // the term as written (term findings)
	// Parts are the token texts the segmenter cut the term into
	// (SplitTerm), the merged analysis term (MergedTerm), or up to three
	// corpus words hiding the term, most frequent first (HiddenTerm).
	Parts []string
	// Units is the number of units with a word in Parts (HiddenTerm).
	Units int
	// Categories and Jaccard describe an Overlap: the two category ids (in
	// codebook order) and |A∩B|/|A∪B| of their coded unit sets.
	Categories [2]int
	Jaccard    float64
}

// String renders the finding for a report line, e.g.
// `category 4 rule 2: term "长效机制" is cut into 长效/机制`.
func (f Finding) String() string {
	switch f.Kind {
	case SplitTerm:
		return fmt.Sprintf("category %d rule %d: term %q is cut into %s", f.Rule.Category, f.Rule.Rule, f.Term, strings.Join(f.Parts, "/"))
	case DroppedTerm:
		return fmt.Sprintf("category %d rule %d: term %q is dropped as a stopword and matches by surface text only", f.Rule.Category, f.Rule.Rule, f.Term)
	case MergedTerm:
		return fmt.Sprintf("category %d rule %d: term %q is merged into %q; write %q to match all its synonyms", f.Rule.Category, f.Rule.Rule, f.Term, f.Parts[0], f.Parts[0])
	case UnusedRule:
		return fmt.Sprintf("category %d rule %d: matched no unit", f.Rule.Category, f.Rule.Rule)
	case Overlap:
		return fmt.Sprintf("categories %d and %d overlap: Jaccard %.3f", f.Categories[0], f.Categories[1], f.Jaccard)
	case HiddenTerm:
		return fmt.Sprintf("category %d rule %d: term %q is hidden inside the words %s (%d units); write ~%s to match inside words", f.Rule.Category, f.Rule.Rule, f.Term, strings.Join(f.Parts, "/"), f.Units, f.Term)
	}
	return "unknown finding"
}

// LintOptions tune Lint. The zero value uses the defaults.
type LintOptions struct {
	// MaxJaccard is the overlap above which two categories are reported;
	// 0 means 0.5.
	MaxJaccard float64
	// Words are the corpus's token texts with the number of units each
	// occurs in; nil skips the HiddenTerm check.
	Words map[string]int
}

// Lint checks a codebook against the segmenter and against the results of
// coding a corpus. Each check runs only when its input is given:
//
//   - cut (the real segmenter: text → tokens with analysis terms): every
//     term alternative (not phrases) is cut on its own and reported when it
//     becomes several tokens (SplitTerm), one dropped token (DroppedTerm) or
//     one token with another analysis term (MergedTerm);
//   - ruleHits (units matched per rule, see Tally): every rule with no
//     entry or a zero count is reported (UnusedRule);
//   - opt.Words (the corpus's words): every term alternative that occurs
//     only inside longer words, which the matcher cannot split into
//     codebook terms, is reported with the words hiding it (HiddenTerm);
//   - coded (category id → units coded, see Tally): every pair of
//     categories whose Jaccard index |A∩B|/|A∪B| (Jaccard 1901) exceeds
//     MaxJaccard is reported (Overlap). Unit lists need not be sorted;
//     repeated units count once.
//
// Findings come in that order, rules and pairs in codebook order.
func Lint(cb *Codebook, cut func(string) []segment.Token, ruleHits map[RuleRef]int, coded map[int][]int, opt LintOptions) []Finding {
	var out []Finding
	if cut != nil {
		for _, c := range cb.Categories {
			for ri, r := range c.Rules {
				ref := RuleRef{Category: c.ID, Rule: ri}
				seen := map[string]bool{}
				for _, g := range [][]Item{r.All, r.Any, r.Not} {
					for _, it := range g {
						for _, a := range it.Alts {
							if a.Phrase || seen[a.Text] {
								continue
							}
							seen[a.Text] = true
							if f, ok := lintTerm(ref, a.Text, cut(a.Text)); ok {
								out = append(out, f)
							}
						}
					}
				}
			}
		}
	}
	if opt.Words != nil {
		out = append(out, hiddenTerms(cb, opt.Words)...)
	}
	if ruleHits != nil {
		for _, c := range cb.Categories {
			for ri := range c.Rules {
				ref := RuleRef{Category: c.ID, Rule: ri}
				if ruleHits[ref] == 0 {
					out = append(out, Finding{Kind: UnusedRule, Rule: ref})
				}
			}
		}
	}
	if coded != nil {
		limit := opt.MaxJaccard
		if limit == 0 {
			limit = 0.5
		}
		ids := cb.IDs()
		for i := range ids {
			for k := i + 1; k < len(ids); k++ {
				j, ok := jaccard(coded[ids[i]], coded[ids[k]])
				if ok && j > limit {
					out = append(out, Finding{Kind: Overlap, Categories: [2]int{ids[i], ids[k]}, Jaccard: j})
				}
			}
		}
	}
	return out
}

func lintTerm(ref RuleRef, term string, toks []segment.Token) (Finding, bool) {
	var parts []segment.Token
	for _, t := range toks {
		if !isSpace(t.Text) {
			parts = append(parts, t)
		}
	}
	switch {
	case len(parts) > 1:
		texts := make([]string, len(parts))
		for i, t := range parts {
			texts[i] = t.Text
		}
		return Finding{Kind: SplitTerm, Rule: ref, Term: term, Parts: texts}, true
	case len(parts) == 1 && parts[0].Term == "":
		return Finding{Kind: DroppedTerm, Rule: ref, Term: term}, true
	case len(parts) == 1 && parts[0].Term != term:
		return Finding{Kind: MergedTerm, Rule: ref, Term: term, Parts: []string{parts[0].Term}}, true
	}
	return Finding{}, false
}

// jaccard returns |A∩B|/|A∪B| of two unit sets; ok is false when both are
// empty.
func jaccard(a, b []int) (j float64, ok bool) {
	set := map[int]int{}
	for _, u := range a {
		set[u] |= 1
	}
	for _, u := range b {
		set[u] |= 2
	}
	if len(set) == 0 {
		return 0, false
	}
	both := 0
	for _, v := range set {
		if v == 3 {
			both++
		}
	}
	return float64(both) / float64(len(set)), true
}

// Tally accumulates coding results over a corpus for Lint. The zero value
// is not usable; call NewTally.
type Tally struct {
	// Rules counts, per rule, the units it matched (once per unit).
	Rules map[RuleRef]int
	// Coded lists, per category id, the units coded with it, in the order
	// added (each unit once).
	Coded map[int][]int
}

// NewTally returns an empty Tally.
func NewTally() *Tally {
	return &Tally{Rules: map[RuleRef]int{}, Coded: map[int][]int{}}
}

// Add records the hits of one unit, numbered by the caller (e.g. its index
// in the corpus). Each unit should be added once.
func (t *Tally) Add(unit int, hits []Hit) {
	rules := map[RuleRef]bool{}
	cats := map[int]bool{}
	for _, h := range hits {
		rules[h.Ref()] = true
		cats[h.Category] = true
	}
	for r := range rules {
		t.Rules[r]++
	}
	ids := make([]int, 0, len(cats))
	for c := range cats {
		ids = append(ids, c)
	}
	sort.Ints(ids)
	for _, c := range ids {
		t.Coded[c] = append(t.Coded[c], unit)
	}
}

// hiddenTerms reports term alternatives that corpus words hide.
func hiddenTerms(cb *Codebook, words map[string]int) []Finding {
	x := cb.index()
	var out []Finding
	for _, c := range cb.Categories {
		for ri, r := range c.Rules {
			seen := map[string]bool{}
			for _, g := range [][]Item{r.All, r.Any, r.Not} {
				for _, it := range g {
					for _, a := range it.Alts {
						if a.Phrase || seen[a.Text] {
							continue
						}
						seen[a.Text] = true
						type wc struct {
							w string
							n int
						}
						var hide []wc
						units := 0
						for w, n := range words {
							if w == a.Text || !strings.Contains(w, a.Text) || splitHas(x, w, a.Text) {
								continue
							}
							hide = append(hide, wc{w, n})
							units += n
						}
						if len(hide) == 0 {
							continue
						}
						sort.Slice(hide, func(i, k int) bool {
							if hide[i].n != hide[k].n {
								return hide[i].n > hide[k].n
							}
							return hide[i].w < hide[k].w
						})
						f := Finding{Kind: HiddenTerm, Rule: RuleRef{Category: c.ID, Rule: ri}, Term: a.Text, Units: units}
						for i := 0; i < len(hide) && i < 3; i++ {
							f.Parts = append(f.Parts, hide[i].w)
						}
						out = append(out, f)
					}
				}
			}
		}
	}
	return out
}

// splitHas reports whether the matcher reads word as codebook terms one of
// which is term.
func splitHas(x *altIndex, word, term string) bool {
	cuts := x.split(word)
	prev := 0
	for _, c := range append(cuts, len(word)) {
		if len(cuts) > 0 && word[prev:c] == term {
			return true
		}
		prev = c
	}
	return false
}
