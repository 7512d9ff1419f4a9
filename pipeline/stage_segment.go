package pipeline

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"strings"

	"surveymine/analysis/redact"
	"surveymine/analysis/segment"
	"surveymine/pipeline/table"
)

// segmentStage cuts every text unit into tokens with one shared segmenter.
type segmentStage struct {
	cfg *Config
	env Env
	seg *segment.Segmenter

	// checkTerms are the domain lexicon and codebook terms whose splitting
	// the audit reports.
	checkTerms []string
}

// NewSegmenter builds the run's segmenter from the segment config: the
// embedded gse dictionary, our domain lexicon, user dictionaries, stopword
// lists and the synonym map. It reads the files the config names.
func NewSegmenter(c SegmentConfig, file string) (*segment.Segmenter, error) {
	sc, err := segmenterConfig(c, file)
	if err != nil {
		return nil, err
	}
	return segment.New(sc)
}

// segmenterConfig reads the files the segment config names into a
// segment.Config.
func segmenterConfig(c SegmentConfig, file string) (segment.Config, error) {
	var sc segment.Config
	for i, p := range c.UserDicts {
		data, err := os.ReadFile(p)
		if err != nil {
			return sc, &ConfigError{File: file, Key: fmt.Sprintf("segment.user_dicts[%d]", i), Msg: err.Error()}
		}
		entries, err := segment.ParseDict(bytes.NewReader(data), p)
		if err != nil {
			return sc, &ConfigError{File: file, Key: fmt.Sprintf("segment.user_dicts[%d]", i), Msg: err.Error()}
		}
		sc.UserEntries = append(sc.UserEntries, entries...)
	}
	for i, p := range c.Stopwords {
		data, err := os.ReadFile(p)
		if err != nil {
			return sc, &ConfigError{File: file, Key: fmt.Sprintf("segment.stopwords[%d]", i), Msg: err.Error()}
		}
		sc.UserStopwords = append(sc.UserStopwords, segment.ParseWordList(bytes.NewReader(data))...)
	}
	if c.Synonyms != "" {
		data, err := os.ReadFile(c.Synonyms)
		if err != nil {
			return sc, &ConfigError{File: file, Key: "segment.synonyms", Msg: err.Error()}
		}
		syn, err := segment.ParseSynonyms(data, c.Synonyms)
		if err != nil {
			return sc, &ConfigError{File: file, Key: "segment.synonyms", Msg: err.Error()}
		}
		sc.Synonyms = syn
	}
	sc.NoGenericStopwords = c.NoDefaultStop
	sc.NoBoilerplate = c.NoBoilerplate
	sc.NoDefaultSynonyms = c.NoDefaultSynonym
	sc.KeepNumbers = c.KeepNumbers
	if len(c.KeepSingle) > 0 { // empty (also `keep_single: []`) means the built-in keep-list
		sc.KeepSingleChars = c.KeepSingle
	}
	sc.DropPOS = c.DropPOS
	sc.Masks = redact.Masks() // masked personal information: one dropped token each
	return sc, nil
}

func newSegment(cfg *Config, env Env) (*segmentStage, error) {
	sc, err := segmenterConfig(cfg.Segment, cfg.File)
	if err != nil {
		return nil, err
	}
	sc.CacheSize = clauseCacheSize(env.Memory)
	sc.Spill = env.Spill
	seg, err := segment.New(sc)
	if err != nil {
		return nil, err
	}
	var terms []string
	for _, e := range segment.DomainLexicon() {
		terms = append(terms, e.Word)
	}
	return &segmentStage{cfg: cfg, env: env, seg: seg, checkTerms: terms}, nil
}

func (s *segmentStage) Name() string { return "segment" }

func (s *segmentStage) Run(ctx context.Context, in *Dataset) (*Dataset, error) {
	units := &in.Corpus.Units
	texts := make([]string, units.Len())
	for i := range texts {
		texts[i] = units.Text(i)
	}
	s.env.Progress.Total(len(texts))
	var r segment.Distinct
	var err error
	if rp := s.env.Replay; rp != nil {
		if err := rp.Check(in.Corpus); err != nil {
			return nil, err
		}
		r, err = s.seg.ReplayDistinct(ctx, texts, rp.Tokens, s.cfg.workers())
	} else {
		r, err = s.seg.CutDistinct(ctx, texts, s.cfg.workers())
	}
	if err != nil {
		return nil, err
	}
	s.env.Progress.Add(len(texts))
	idx := &TextIndex{Of: r.Of, First: make([]int, len(r.Count)), Count: r.Count}
	for i := units.Len() - 1; i >= 0; i-- {
		idx.First[r.Of[i]] = i
	}
	out := in.clone()
	out.Cuts = r.Cuts
	out.Texts = idx
	out.Perf["segment_distinct_texts"] = len(r.Count)
	a := s.seg.Audit()
	// Cache figures depend on which worker reached a repeated clause
	// first, so they are run-dependent like timings: manifest only.
	out.Perf["segment_cache_lookups"] = a.CacheLookups
	out.Perf["segment_cache_hits"] = a.CacheHits
	out.Perf["segment_cache_hit_rate"] = a.HitRate()
	out.Tables = append(out.Tables, auditTable(a, s.seg.Splits(s.checkTerms)))
	return out, nil
}

// auditTable is the segmentation audit: what each filter dropped, the most
// frequent single characters, synonym merges, lexicon and codebook terms
// the segmenter splits. (The clause cache's hit rate is in the manifest:
// it varies with scheduling, and tables must not.)
func auditTable(a segment.Audit, splits []segment.Split) *table.Table {
	t := table.New("segmentation_audit", "What segmentation did to the corpus, for checking the dictionary: section filter_dropped (tokens each filter removed, with the most frequent words), single_char (most frequent single-character tokens), synonym_merge (surface forms merged into a canonical term), split_term (lexicon or codebook terms the segmenter does not keep whole, with the pieces) and totals.")
	var section, item, detail []string
	var count []int64
	add := func(s, i, d string, n int64) {
		section, item, detail, count = append(section, s), append(item, i), append(detail, d), append(count, n)
	}
	add("totals", "tokens", "tokens produced", a.Tokens)
	add("totals", "terms", "tokens kept as analysis terms", a.Terms)
	for _, f := range a.Dropped {
		add("filter_dropped", f.Filter.String(), "all tokens dropped by the filter", f.Tokens)
		for i, w := range f.Words {
			if i == auditTop {
				break
			}
			add("filter_dropped", f.Filter.String(), w.Word, w.Count)
		}
	}
	for i, c := range a.SingleChars {
		if i == auditTop {
			break
		}
		add("single_char", c.Word, "", c.Count)
	}
	for _, m := range a.Merges {
		add("synonym_merge", m.Canonical, m.Variant, m.Count)
	}
	for _, s := range splits {
		add("split_term", s.Term, strings.Join(s.Pieces, " / "), int64(len(s.Pieces)))
	}
	t.AddCategory("section", "totals, filter_dropped, single_char, synonym_merge or split_term", section)
	t.AddString("item", "filter name, character, canonical term or split term", item)
	t.AddString("detail", "the dropped word, the merged variant or the pieces of a split term", detail)
	t.AddInt("count", "occurrences (for split_term: the number of pieces)", count)
	return t
}

// auditTop bounds the words listed per filter and single characters.
const auditTop = 50
