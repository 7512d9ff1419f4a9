package pipeline

import (
	"context"
	"fmt"

	"surveymine/analysis/codebook"
	"surveymine/analysis/segment"
)

// LintCodebook checks the configured codebook: terms the segmenter splits,
// drops or merges, and — when withCorpus — rules that never match the
// configured inputs and categories that code nearly the same units.
func LintCodebook(ctx context.Context, cfg *Config, env Env, withCorpus bool, maxJaccard float64) ([]codebook.Finding, error) {
	env = env.withDefaults()
	book, src, err := loadCodebook(cfg)
	if err != nil {
		return nil, err
	}
	if book == nil {
		return nil, &ConfigError{File: cfg.File, Key: "codebook.path", Msg: "no codebook configured"}
	}
	seg, err := newSegment(cfg, env)
	if err != nil {
		return nil, err
	}
	var ruleHits map[codebook.RuleRef]int
	var coded map[int][]int
	var words map[string]int
	if withCorpus {
		d, err := Run(ctx, []Stage{newIngest(cfg, env), seg, newCode(cfg, env, book, src)}, &Dataset{}, env.Progress)
		if err != nil {
			return nil, fmt.Errorf("code the corpus: %w", err)
		}
		ruleHits, coded, words = map[codebook.RuleRef]int{}, map[int][]int{}, map[string]int{}
		var ts []segment.Token
		for ui := range d.Corpus.Units.Len() {
			ts = d.Tokens(ui, ts)
			seen := map[string]bool{}
			for _, t := range ts {
				if t.Term != "" && !seen[t.Text] {
					seen[t.Text] = true
					words[t.Text]++
				}
			}
		}
		for ui, hits := range d.Coding.Hits {
			seen := map[codebook.RuleRef]bool{}
			for _, h := range hits {
				if !seen[h.Ref()] {
					seen[h.Ref()] = true
					ruleHits[h.Ref()]++
				}
			}
			for _, cat := range d.Coding.UnitCats[ui] {
				coded[cat] = append(coded[cat], ui)
			}
		}
	}
	return codebook.Lint(book, seg.seg.Cut, ruleHits, coded, codebook.LintOptions{MaxJaccard: maxJaccard, Words: words}), nil
}
