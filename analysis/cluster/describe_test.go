package cluster

import (
	"math"
	"slices"
	"strings"
	"testing"
)

// Expected z-scores computed independently in Python (/usr/bin/python3,
// plain math module) from Monroe, Colaresi & Quinn (2008) eq. 16–22 with
// α_w = y_w (α₀ = n), cluster vs rest; only positive scores are kept
// (script: for each cluster c and term w with y_wc > 0, δ and z as in the
// Describe doc comment, sorted by z descending).
func TestDescribeLogOdds(t *testing.T) {
	docs := [][]string{{"a", "a", "b"}, {"a", "c"}, {"b", "c", "c"}, {"c", "d"}, {"d"}}
	labels := []int{0, 0, 1, 1, 1}
	m, _, err := TFIDF(docs, TFIDFOptions{MinDF: 1, MaxDF: 1})
	if err != nil {
		t.Fatal(err)
	}
	got := Describe(m, docs, labels, DescribeOptions{})
	want := []struct {
		size   int
		terms  []string
		scores []float64
		label  string
	}{
		{2, []string{"a", "b"}, []float64{1.45610174386028, 0.0907633588245019}, "a、b"},
		{3, []string{"d", "c"}, []float64{0.885949937912726, 0.737408860453258}, "d、c"},
	}
	if len(got) != len(want) {
		t.Fatalf("Describe returned %d clusters, want %d", len(got), len(want))
	}
	for c, w := range want {
		d := got[c]
		if d.Size != w.size || math.Abs(d.Share-float64(w.size)/5) > 1e-15 || d.Label != w.label {
			t.Errorf("cluster %d: size %d share %v label %q, want %d %v %q", c, d.Size, d.Share, d.Label, w.size, float64(w.size)/5, w.label)
		}
		if len(d.Terms) != len(w.terms) {
			t.Fatalf("cluster %d terms = %+v, want %v", c, d.Terms, w.terms)
		}
		for i, term := range d.Terms {
			if term.Term != w.terms[i] || math.Abs(term.Score-w.scores[i]) > 1e-12 {
				t.Errorf("cluster %d term %d = %s %.15g, want %s %.15g", c, i, term.Term, term.Score, w.terms[i], w.scores[i])
			}
		}
	}
}

func TestDescribeTopics(t *testing.T) {
	docs, truth := topicDocs(3, 300, 5)
	m, _, err := TFIDF(docs, TFIDFOptions{})
	if err != nil {
		t.Fatal(err)
	}
	labels := append([]int(nil), truth...)
	labels[0] = -1 // unclustered documents are skipped
	ds := Describe(m, docs, labels, DescribeOptions{Terms: 5, Exemplars: 4})
	for c, d := range ds {
		prefix := "t" + string(rune('0'+c)) + "w"
		if len(d.Terms) != 5 {
			t.Errorf("cluster %d has %d terms, want 5", c, len(d.Terms))
		}
		for _, term := range d.Terms {
			if !strings.HasPrefix(term.Term, prefix) {
				t.Errorf("cluster %d distinctive term %q, want prefix %q", c, term.Term, prefix)
			}
		}
		if parts := strings.Split(d.Label, LabelSep); len(parts) != 3 || parts[0] != d.Terms[0].Term {
			t.Errorf("cluster %d label %q, want its top 3 terms", c, d.Label)
		}
		if len(d.Exemplars) != 4 {
			t.Fatalf("cluster %d exemplars %v, want 4", c, d.Exemplars)
		}
		mean := make([]float64, m.Cols())
		for i, l := range labels {
			if l == c {
				for p, j := range m.Docs[i].Idx {
					mean[j] += m.Docs[i].Val[p]
				}
			}
		}
		normalize(mean)
		prev := math.Inf(1)
		for _, i := range d.Exemplars {
			if labels[i] != c {
				t.Errorf("cluster %d exemplar %d has label %d", c, i, labels[i])
			}
			s := m.Docs[i].Dot(mean)
			if s > prev {
				t.Errorf("cluster %d exemplars %v not by decreasing cosine", c, d.Exemplars)
			}
			prev = s
		}
		// No non-exemplar member is closer than the last exemplar.
		for i, l := range labels {
			if l == c && !slices.Contains(d.Exemplars, i) && m.Docs[i].Dot(mean) > prev+1e-12 {
				t.Errorf("cluster %d: document %d closer than exemplars %v", c, i, d.Exemplars)
			}
		}
	}
	if want := 99.0 / 300; math.Abs(ds[0].Share-want) > 1e-15 {
		t.Errorf("cluster 0 share = %v, want %v (unclustered count in the denominator)", ds[0].Share, want)
	}
}
