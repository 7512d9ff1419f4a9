package pipeline

import (
	"fmt"
	"os"

	"surveymine/analysis/codebook"
)

// EvalCodebook scores the config's codebook on a gold set (see
// codebook.ParseGold for the format) with the config's segmenter: every
// gold sentence is folded, cut and coded on its own. Only sentences of the
// given splits are scored (none: all). It returns a *ConfigError when no
// codebook is configured or it does not parse, and an error naming the
// file when the gold set cannot be read or parsed.
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
	seg, err := NewSegmenter(cfg.Segment, cfg.File)
	if err != nil {
		return codebook.Evaluation{}, err
	}
	return codebook.Evaluate(book, seg.Cut, gold, splits...), nil
}
