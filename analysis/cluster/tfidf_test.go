package cluster

import (
	"errors"
	"math"
	"slices"
	"testing"
)

var tinyCorpus = [][]string{
	{"党建", "业务", "融合", "党建"},
	{"业务", "考核", "考核", "考核"},
	{"党建", "学习", "融合"},
	{"两张皮", "党建", "业务"},
	{"学习", "学习", "考核", "融合"},
	{},
	{"罕见"},
}

// dense expands row d of m to len(m.Vocab) columns.
func dense(m *Matrix, d int) []float64 {
	out := make([]float64, m.Cols())
	for p, t := range m.Docs[d].Idx {
		out[t] = m.Docs[d].Val[p]
	}
	return out
}

// Expected values from Debian python3-sklearn 1.2.1:
// v = TfidfVectorizer(analyzer=lambda d: d, sublinear_tf=True, **kw);
// M = v.fit_transform(tinyCorpus).toarray(); v.get_feature_names_out(); v.idf_
// with kw = dict(min_df=1, max_df=1.0), dict(min_df=2, max_df=0.5) and
// dict(min_df=1, max_df=1.0, max_features=3).
func TestTFIDFMatchesSklearn(t *testing.T) {
	cases := []struct {
		name  string
		opt   TFIDFOptions
		vocab []string
		idf   []float64
		rows  [][]float64
		empty []int
	}{
		{
			name:  "all terms",
			opt:   TFIDFOptions{MinDF: 1, MaxDF: 1},
			vocab: []string{"业务", "两张皮", "党建", "学习", "罕见", "考核", "融合"},
			idf:   []float64{1.69314718055995, 2.38629436111989, 1.69314718055995, 1.98082925301173, 2.38629436111989, 1.98082925301173, 1.69314718055995},
			rows: [][]float64{
				{0.453294655227886, 0, 0.767494567461988, 0, 0, 0, 0.453294655227886},
				{0.377212354541613, 0, 0, 0, 0, 0.926126794548766, 0},
				{0, 0, 0.544840728324846, 0.637414434663118, 0, 0, 0.544840728324846},
				{0.500854501048524, 0.705896265437684, 0.500854501048524, 0, 0, 0, 0},
				{0, 0, 0, 0.789659394005531, 0, 0.46638555884101, 0.398650914916015},
				{0, 0, 0, 0, 0, 0, 0},
				{0, 0, 0, 0, 1, 0, 0},
			},
			empty: []int{5},
		},
		{
			name:  "df limits",
			opt:   TFIDFOptions{MinDF: 2, MaxDF: 0.5},
			vocab: []string{"业务", "党建", "学习", "考核", "融合"},
			idf:   []float64{1.69314718055995, 1.69314718055995, 1.98082925301173, 1.98082925301173, 1.69314718055995},
			rows: [][]float64{
				{0.453294655227886, 0.767494567461988, 0, 0, 0.453294655227886},
				{0.377212354541613, 0, 0, 0.926126794548766, 0},
				{0, 0.544840728324846, 0.637414434663118, 0, 0.544840728324846},
				{0.707106781186548, 0.707106781186548, 0, 0, 0},
				{0, 0, 0.789659394005531, 0.46638555884101, 0.398650914916015},
				{0, 0, 0, 0, 0},
				{0, 0, 0, 0, 0},
			},
			empty: []int{5, 6},
		},
		{
			// 业务, 学习 and 融合 tie at 3 occurrences; sklearn and our
			// lexical tie-break both keep 业务.
			name:  "max features",
			opt:   TFIDFOptions{MinDF: 1, MaxDF: 1, MaxFeatures: 3},
			vocab: []string{"业务", "党建", "考核"},
			idf:   []float64{1.69314718055995, 1.69314718055995, 1.98082925301173},
			rows: [][]float64{
				{0.508542320378327, 0.861036995943977, 0},
				{0.377212354541613, 0, 0.926126794548766},
				{0, 1, 0},
				{0.707106781186548, 0.707106781186548, 0},
				{0, 0, 1},
				{0, 0, 0},
				{0, 0, 0},
			},
			empty: []int{5, 6},
		},
	}
	const tol = 1e-12
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			m, empty, err := TFIDF(tinyCorpus, tc.opt)
			if err != nil {
				t.Fatalf("TFIDF(%+v): %v", tc.opt, err)
			}
			if !slices.Equal(m.Vocab, tc.vocab) {
				t.Fatalf("TFIDF(%+v) vocab = %v, want %v", tc.opt, m.Vocab, tc.vocab)
			}
			if !slices.Equal(empty, tc.empty) {
				t.Errorf("TFIDF(%+v) empty = %v, want %v", tc.opt, empty, tc.empty)
			}
			for j, want := range tc.idf {
				if math.Abs(m.IDF[j]-want) > tol {
					t.Errorf("idf[%s] = %.15g, want %.15g", m.Vocab[j], m.IDF[j], want)
				}
			}
			for d, want := range tc.rows {
				got := dense(m, d)
				for j := range want {
					if math.Abs(got[j]-want[j]) > tol {
						t.Errorf("row %d col %s = %.15g, want %.15g", d, m.Vocab[j], got[j], want[j])
					}
				}
				if !slices.IsSorted(m.Docs[d].Idx) {
					t.Errorf("row %d ids %v not sorted", d, m.Docs[d].Idx)
				}
			}
		})
	}
}

func TestTFIDFErrors(t *testing.T) {
	cases := []struct {
		name string
		opt  TFIDFOptions
		is   error
	}{
		{"negative", TFIDFOptions{MinDF: -1}, nil},
		{"max below min", TFIDFOptions{MinDF: 5, MaxDF: 3}, nil},
		{"nothing survives", TFIDFOptions{MinDF: 6, MaxDF: 7}, ErrNoTerms},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, _, err := TFIDF(tinyCorpus, tc.opt)
			if err == nil {
				t.Fatalf("TFIDF(%+v) error = nil, want one", tc.opt)
			}
			if tc.is != nil && !errors.Is(err, tc.is) {
				t.Errorf("TFIDF(%+v) error = %v, want %v", tc.opt, err, tc.is)
			}
		})
	}
}

func TestTFIDFDefaults(t *testing.T) {
	// Defaults: min_df 2 documents, max_df 95%: 罕见 and 两张皮 (df 1) go.
	m, _, err := TFIDF(tinyCorpus, TFIDFOptions{})
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"业务", "党建", "学习", "考核", "融合"}
	if !slices.Equal(m.Vocab, want) {
		t.Errorf("TFIDF(defaults) vocab = %v, want %v", m.Vocab, want)
	}
}
