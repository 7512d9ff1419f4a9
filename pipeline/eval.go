package pipeline

import (
	"errors"
	"fmt"
	"os"
	"sort"
	"strings"

	"surveymine/analysis/codebook"
)

// ErrUnknownSplit is returned (wrapped, naming the split and the file's
// splits) by EvalCodebook when a split asked for has no sentence in the gold
// set, so that a misspelt split is not scored as zero sentences.
var ErrUnknownSplit = errors.New("unknown split")

// EvalCodebook scores the config's codebook on a gold set (see
// codebook.ParseGold for the format) with the config's segmenter: every
// gold sentence is folded, cut and coded on its own. Only sentences of the
// given splits are scored (none: all). It returns a *ConfigError when no
// codebook is configured or it does not parse, and an error naming the
// file when the gold set cannot be read or parsed, and an error wrapping
// ErrUnknownSplit when a split has no sentence in it.
func EvalCodebook(cfg *Config, goldPath string, splits ...string) (codebook.Evaluation, error) {
	book, err := LoadCodebook(cfg)
	if err != nil {
		return codebook.Evaluation{}, err
	}
	if book == nil {
		return codebook.Evaluation{}, &ConfigError{File: cfg.File, Key: "codebook.path", Msg: "no codebook configured"}
	}
	data, err := os.ReadFile(goldPath)
	if err != nil {
		return codebook.Evaluation{}, fmt.Errorf("read gold set: %w", err)
	}
	gold, err := codebook.ParseGold(data, goldPath)
	if err != nil {
		return codebook.Evaluation{}, err
	}
	if err := checkSplits(gold, goldPath, splits); err != nil {
		return codebook.Evaluation{}, err
	}
	seg, err := NewSegmenter(cfg.Segment, cfg.File)
	if err != nil {
		return codebook.Evaluation{}, err
	}
	return codebook.Evaluate(book, seg.Cut, gold, splits...), nil
}

// checkSplits reports the first of splits that no gold sentence belongs to.
func checkSplits(gold []codebook.GoldSentence, path string, splits []string) error {
	have := map[string]bool{}
	for _, g := range gold {
		have[g.Split] = true
	}
	for _, s := range splits {
		if !have[s] {
			names := make([]string, 0, len(have))
			for n := range have {
				names = append(names, n)
			}
			sort.Strings(names)
			return fmt.Errorf("%w %q: %s has %s", ErrUnknownSplit, s, path, strings.Join(names, ", "))
		}
	}
	return nil
}
