package segment

import (
	"bufio"
	"bytes"
	_ "embed"
	"fmt"
	"io"
	"strings"
	"sync"

	"gopkg.in/yaml.v3"
)

var (
	//go:embed lists/lexicon.txt
	lexiconText string
	//go:embed lists/generic.txt
	genericText string
	//go:embed lists/boilerplate.txt
	boilerplateText string
	//go:embed lists/keepchars.txt
	keepCharsText string
	//go:embed lists/synonyms.yaml
	synonymsYAML []byte
)

var (
	lexiconOnce sync.Once
	lexicon0    []Entry
	synOnce     sync.Once
	syn0        map[string]string
)

// DomainLexicon returns the bundled party-building and public
// administration lexicon (lists/lexicon.txt), in file order. The slice is a
// fresh copy on each call.
func DomainLexicon() []Entry {
	lexiconOnce.Do(func() {
		var err error
		lexicon0, err = ParseDict(strings.NewReader(lexiconText), "lists/lexicon.txt")
		if err != nil {
			panic(err) // bundled data; TestDomainLexicon keeps it valid
		}
	})
	return append([]Entry(nil), lexicon0...)
}

// GenericStopwords returns our generic stopword list (lists/generic.txt).
// It includes negation words, which Cut drops from the terms but keeps in
// the token stream.
func GenericStopwords() []string { return ParseWordList(strings.NewReader(genericText)) }

// BoilerplateWords returns the survey-boilerplate list (lists/boilerplate.txt):
// 无, 暂无, 同上, 不清楚, 跳过 and similar non-answers.
func BoilerplateWords() []string { return ParseWordList(strings.NewReader(boilerplateText)) }

// DefaultKeepSingleChars returns the single characters kept as terms by
// default (lists/keepchars.txt): 党, 学, 责, 岗, 廉, …
func DefaultKeepSingleChars() []string { return ParseWordList(strings.NewReader(keepCharsText)) }

// DefaultSynonyms returns the bundled synonym map (lists/synonyms.yaml),
// variant → canonical, as a fresh map.
func DefaultSynonyms() map[string]string {
	synOnce.Do(func() {
		var err error
		syn0, err = ParseSynonyms(synonymsYAML, "lists/synonyms.yaml")
		if err != nil {
			panic(err) // bundled data; TestDefaultSynonyms keeps it valid
		}
	})
	m := make(map[string]string, len(syn0))
	for k, v := range syn0 {
		m[k] = v
	}
	return m
}

// ParseWordList reads one word per line, trimming spaces and skipping blank
// lines and lines starting with '#'; a UTF-8 byte-order mark is ignored.
// Read errors end the list early (word lists come from memory or files the
// caller has already read).
func ParseWordList(r io.Reader) []string {
	var out []string
	sc := bufio.NewScanner(r)
	first := true
	for sc.Scan() {
		w := strings.TrimSpace(sc.Text())
		if first {
			w, first = strings.TrimPrefix(w, "\ufeff"), false
		}
		if w == "" || strings.HasPrefix(w, "#") {
			continue
		}
		out = append(out, w)
	}
	return out
}

// ParseSynonyms reads a YAML mapping whose entries are either
// `variant: canonical` or `canonical: [variant, ...]`, and returns
// variant → canonical with ASCII letters lower-cased. Errors name
// name:line and are returned for invalid YAML, a top level that is not a
// mapping, empty terms, a variant given two different canonicals, and a
// canonical that is itself a variant (chains).
func ParseSynonyms(data []byte, name string) (map[string]string, error) {
	out := make(map[string]string)
	if len(bytes.TrimSpace(data)) == 0 {
		return out, nil
	}
	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	if len(doc.Content) == 0 {
		return out, nil
	}
	root := doc.Content[0]
	if root.Kind != yaml.MappingNode {
		return nil, fmt.Errorf("%s:%d: want a mapping of variant: canonical or canonical: [variants]", name, root.Line)
	}
	line := make(map[string]int)
	add := func(variant, canonical string, at int) error {
		v, c := foldKey(strings.TrimSpace(variant)), foldKey(strings.TrimSpace(canonical))
		if v == "" || c == "" {
			return fmt.Errorf("%s:%d: empty term", name, at)
		}
		if v == c {
			return nil
		}
		if old, ok := out[v]; ok && old != c {
			return fmt.Errorf("%s:%d: %q maps to %q and to %q (line %d)", name, at, v, c, old, line[v])
		}
		out[v], line[v] = c, at
		return nil
	}
	for i := 0; i+1 < len(root.Content); i += 2 {
		k, v := root.Content[i], root.Content[i+1]
		if k.Kind != yaml.ScalarNode {
			return nil, fmt.Errorf("%s:%d: key must be a term", name, k.Line)
		}
		switch v.Kind {
		case yaml.ScalarNode:
			if err := add(k.Value, v.Value, k.Line); err != nil {
				return nil, err
			}
		case yaml.SequenceNode:
			for _, item := range v.Content {
				if item.Kind != yaml.ScalarNode {
					return nil, fmt.Errorf("%s:%d: variant must be a term", name, item.Line)
				}
				if err := add(item.Value, k.Value, item.Line); err != nil {
					return nil, err
				}
			}
		default:
			return nil, fmt.Errorf("%s:%d: value of %q must be a term or a list of terms", name, v.Line, k.Value)
		}
	}
	for _, v := range sortedKeys(out) {
		if _, ok := out[out[v]]; ok {
			return nil, fmt.Errorf("%s:%d: canonical %q of %q is itself a variant", name, line[v], out[v], v)
		}
	}
	return out, nil
}
