package codebook

import (
	"errors"
	"fmt"
	"reflect"
	"strings"
	"testing"
)

func TestParse(t *testing.T) {
	cb := mustParse(t, `
name: 两张皮成因
version: 2
description: 测试
negators: [没有, 不]
negation_window: 3
other:
  id: 0
  name: 其他
categories:
  - id: 1
    name: 思想认识
    description: 重业务轻党建
    rules:
      - any: [重业务轻党建, ~务虚]
      - phrase: [说起来重要, 做起来次要]
      - all: [党建|党务, 次要]
        within: clause
      - all: [考核]
        not: 业务
        within: 4
        negation: false
`)
	if cb.Name != "两张皮成因" || cb.Version != "2" || cb.Description != "测试" {
		t.Errorf("header = %q %q %q", cb.Name, cb.Version, cb.Description)
	}
	if !reflect.DeepEqual(cb.Negators, []string{"没有", "不"}) || cb.NegationWindow != 3 {
		t.Errorf("negation = %v %d, want [没有 不] 3", cb.Negators, cb.NegationWindow)
	}
	if cb.Other == nil || cb.Other.ID != 0 || cb.Other.Name != "其他" {
		t.Errorf("Other = %+v, want id 0 其他", cb.Other)
	}
	if got := cb.IDs(); !reflect.DeepEqual(got, []int{1, 0}) {
		t.Errorf("IDs() = %v, want [1 0]", got)
	}
	if c := cb.Category(1); c == nil || c.Name != "思想认识" {
		t.Errorf("Category(1) = %+v", c)
	}
	if c := cb.Category(9); c != nil {
		t.Errorf("Category(9) = %+v, want nil", c)
	}
	r := cb.Categories[0].Rules
	var got []string
	for _, x := range r {
		got = append(got, fmt.Sprintf("all=%v any=%v not=%v within=%s neg=%v", x.All, x.Any, x.Not, x.Within, !x.IgnoreNegation))
	}
	want := []string{
		"all=[] any=[重业务轻党建 ~务虚] not=[] within=sentence neg=true",
		"all=[] any=[~说起来重要 ~做起来次要] not=[] within=sentence neg=true",
		"all=[党建|党务 次要] any=[] not=[] within=clause neg=true",
		"all=[考核] any=[] not=[业务] within=4 neg=false",
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("rules =\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if r[2].Line != 17 {
		t.Errorf("rule 2 line = %d, want 17", r[2].Line)
	}
}

func TestParseDefaults(t *testing.T) {
	cb := mustParse(t, "name: t\ncategories: [{id: 3, name: c, rules: [{any: [a]}]}]\n")
	if cb.Version != "" || cb.Other != nil || cb.NegationWindow != DefaultNegationWindow ||
		!reflect.DeepEqual(cb.Negators, DefaultNegators) {
		t.Errorf("defaults = %q %v %d %v", cb.Version, cb.Other, cb.NegationWindow, cb.Negators)
	}
}

func TestParseErrors(t *testing.T) {
	const head = "name: t\ncategories:\n  - id: 1\n    name: c\n    rules:\n"
	tests := []struct {
		name string
		src  string
		want []string // error lines
	}{
		{"empty", "", []string{"x.yaml: empty codebook"}},
		{"syntax", "name: [", []string{"x.yaml: yaml: line 1: did not find expected node content"}},
		{"not a mapping", "- a\n", []string{"x.yaml: must be a mapping, got a list"}},
		{"missing name and categories", "version: 1\n", []string{"x.yaml: name: is required", "x.yaml: categories: is required"}},
		{"unknown top key", "name: t\ncategory: []\ncategories: [{id: 1, name: c, rules: [{any: [a]}]}]\n",
			[]string{"x.yaml: category: unknown key (allowed: name, version, description, negators, negation_window, effect_markers, other, categories)"}},
		{"no categories", "name: t\ncategories: []\n", []string{"x.yaml: categories: must list at least one category"}},
		{"categories not a list", "name: t\ncategories: {a: 1}\n", []string{"x.yaml: categories: must be a list, got a mapping"}},
		{"bad within", head + "      - all: [a, b]\n        within: paragraph\n",
			[]string{`x.yaml: categories[0].rules[0].within: must be clause, sentence, unit or a number of tokens >= 1, got "paragraph"`}},
		{"zero within", head + "      - all: [a, b]\n        within: 0\n",
			[]string{`x.yaml: categories[0].rules[0].within: must be clause, sentence, unit or a number of tokens >= 1, got "0"`}},
		{"third category", "name: t\ncategories:\n  - {id: 1, name: a, rules: [{any: [x]}]}\n  - {id: 2, name: b, rules: [{any: [x]}]}\n  - id: 3\n    name: c\n    rules:\n      - all: [x]\n        within: 1.5\n",
			[]string{`x.yaml: categories[2].rules[0].within: must be clause, sentence, unit or a number of tokens >= 1, got "1.5"`}},
		{"unknown rule key", head + "      - anyy: [a]\n",
			[]string{"x.yaml: categories[0].rules[0].anyy: unknown key (allowed: all, any, phrase, not, within, negation)",
				"x.yaml: categories[0].rules[0]: needs at least one of all, any or phrase"}},
		{"only not", head + "      - not: [a]\n", []string{"x.yaml: categories[0].rules[0]: needs at least one of all, any or phrase"}},
		{"duplicate key", head + "      - any: [a]\n        any: [b]\n", []string{"x.yaml: categories[0].rules[0].any: duplicate key"}},
		{"empty list", head + "      - any: []\n", []string{"x.yaml: categories[0].rules[0].any: must be a non-empty list of terms, got a list"}},
		{"empty alternative", head + "      - all: [a, b|]\n", []string{`x.yaml: categories[0].rules[0].all[1]: "b|" has an empty alternative`}},
		{"term with space", head + "      - any: [a b]\n",
			[]string{`x.yaml: categories[0].rules[0].any[0]: term "a b" contains a space; terms are matched on tokens, write ~a b for a raw phrase`}},
		{"item not text", head + "      - any: [[a]]\n", []string{"x.yaml: categories[0].rules[0].any[0]: must be a text, got a list"}},
		{"bad negation", head + "      - any: [a]\n        negation: maybe\n",
			[]string{`x.yaml: categories[0].rules[0].negation: must be true or false, got "maybe"`}},
		{"no rules", "name: t\ncategories:\n  - id: 1\n    name: c\n    rules: []\n",
			[]string{"x.yaml: categories[0].rules: must list at least one rule"}},
		{"category without id and name", "name: t\ncategories:\n  - rules: [{any: [a]}]\n",
			[]string{"x.yaml: categories[0].id: is required", "x.yaml: categories[0].name: is required"}},
		{"negative id", "name: t\ncategories:\n  - {id: -1, name: c, rules: [{any: [a]}]}\n",
			[]string{"x.yaml: categories[0].id: must be >= 0, got -1"}},
		{"text id", "name: t\ncategories:\n  - {id: one, name: c, rules: [{any: [a]}]}\n",
			[]string{`x.yaml: categories[0].id: must be a whole number, got "one"`}},
		{"duplicate id", "name: t\nother: {id: 0, name: o}\ncategories:\n  - {id: 1, name: a, rules: [{any: [a]}]}\n  - {id: 1, name: b, rules: [{any: [a]}]}\n  - {id: 0, name: c, rules: [{any: [a]}]}\n",
			[]string{"x.yaml: categories[1].id: 1 is already used by categories[0]", "x.yaml: categories[2].id: 0 is already used by other"}},
		{"other with rules", "name: t\nother: {id: 0, name: o, rules: []}\ncategories: [{id: 1, name: c, rules: [{any: [a]}]}]\n",
			[]string{"x.yaml: other.rules: unknown key (allowed: id, name, description)"}},
		{"negation window", "name: t\nnegation_window: 0\ncategories: [{id: 1, name: c, rules: [{any: [a]}]}]\n",
			[]string{"x.yaml: negation_window: must be between 1 and 10 tokens, got 0"}},
		{"empty negator", "name: t\nnegators: [不, '']\ncategories: [{id: 1, name: c, rules: [{any: [a]}]}]\n",
			[]string{"x.yaml: negators[1]: must not be empty"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			cb, err := Parse([]byte(tc.src), "x.yaml")
			if err == nil {
				t.Fatalf("Parse(%q) = %+v, want error", tc.src, cb)
			}
			if cb != nil {
				t.Errorf("Parse(%q) returned a codebook with the error", tc.src)
			}
			if got := strings.Split(err.Error(), "\n"); !reflect.DeepEqual(got, tc.want) {
				t.Errorf("Parse(%q) error =\n%s\nwant\n%s", tc.src, err, strings.Join(tc.want, "\n"))
			}
			var pe *ParseError
			if !errors.As(err, &pe) || pe.File != "x.yaml" {
				t.Errorf("Parse(%q) error %v is not a *ParseError for x.yaml", tc.src, err)
			}
		})
	}
}

func TestParseErrorLimit(t *testing.T) {
	var b strings.Builder
	b.WriteString("name: t\ncategories:\n")
	for i := 0; i < 25; i++ {
		fmt.Fprintf(&b, "  - {id: %d, name: c, rules: [{any: [a], within: x}]}\n", i)
	}
	_, err := Parse([]byte(b.String()), "x.yaml")
	if err == nil {
		t.Fatal("Parse = nil error, want 25 problems")
	}
	lines := strings.Split(err.Error(), "\n")
	if len(lines) != 21 || lines[20] != "... and 5 more" {
		t.Errorf("got %d lines ending %q, want 21 ending %q", len(lines), lines[len(lines)-1], "... and 5 more")
	}
	var pe *ParseError
	if !errors.As(err, &pe) || pe.Path != "categories[0].rules[0].within" || pe.Line != 3 {
		t.Errorf("first error = %+v, want path categories[0].rules[0].within line 3", pe)
	}
}

func TestRuleString(t *testing.T) {
	cb := mustParse(t, `
name: t
categories:
  - id: 5
    name: c
    rules:
      - all: [党建|~党务, 次要]
        within: clause
      - phrase: [说起来重要]
        not: [并非]
        within: 4
        negation: false
`)
	tests := []struct {
		ref  RuleRef
		want string
	}{
		{RuleRef{5, 0}, "all: [党建|~党务, 次要], within: clause"},
		{RuleRef{5, 1}, "any: [~说起来重要], not: [并非], within: 4, negation: false"},
	}
	for _, tc := range tests {
		r := cb.Rule(tc.ref)
		if r == nil {
			t.Fatalf("Rule(%v) = nil", tc.ref)
		}
		if got := r.String(); got != tc.want {
			t.Errorf("Rule(%v).String() = %q, want %q", tc.ref, got, tc.want)
		}
	}
	for _, ref := range []RuleRef{{5, 2}, {4, 0}, {5, -1}} {
		if r := cb.Rule(ref); r != nil {
			t.Errorf("Rule(%v) = %v, want nil", ref, r)
		}
	}
}
