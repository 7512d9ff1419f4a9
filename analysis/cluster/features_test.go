package cluster

import (
	"math"
	"slices"
	"testing"
)

func TestCollocations(t *testing.T) {
	var docs [][]string
	for range 6 {
		docs = append(docs, []string{"落实", "一岗", "双责", "制度"})
	}
	// 一岗 and 双责 separated by a gap: not adjacent, not merged.
	docs = append(docs, []string{"一岗", "", "双责"})
	// 落实 and 制度 co-occur only with other words: frequent words whose
	// pairs are spread (low NPMI) stay apart.
	for i := range 20 {
		docs = append(docs, []string{"落实", []string{"工作", "任务", "责任", "要求"}[i%4], "制度"})
	}
	got, found := Collocations(docs, CollocationOptions{})
	if want := []string{"落实", "一岗", "双责", "一岗双责", "制度"}; !slices.Equal(got[0], want) {
		t.Errorf("Collocations doc 0 = %v, want %v", got[0], want)
	}
	if want := []string{"一岗", "双责"}; !slices.Equal(got[6], want) {
		t.Errorf("Collocations doc 6 = %v, want %v", got[6], want)
	}
	if len(found) != 1 || found[0].Term != "一岗双责" || found[0].Count != 6 {
		t.Fatalf("Collocations found %+v, want only 一岗双责 × 6", found)
	}
	// NPMI by hand: P = 6·3 + 20·2 = 58 adjacent pairs; 一岗 first 6 times,
	// 双责 second 6 times, the pair 6 times: ln((6/58)/((6/58)²)) / −ln(6/58) = 1.
	if math.Abs(found[0].NPMI-1) > 1e-12 {
		t.Errorf("NPMI = %v, want 1", found[0].NPMI)
	}
	if docs[0][1] != "一岗" {
		t.Error("Collocations modified its input")
	}
}

// TestCoherence: NPMI by hand (and /usr/bin/python3) over 6 documents
// {a,b} {a,b} {a,c} {b} {c,d} {d}: NPMI(a,b) = ln((2/6)/((3/6)(3/6))) /
// −ln(2/6) = 0.2618595071429148, NPMI(a,c) = 0, NPMI(b,c) = −1 (never
// together), NPMI(c,d) = 0.22629438553091683. Cluster 0 terms a,b,c (size
// 3), cluster 1 c,d (size 2): (3·(−0.2460468309523617) + 2·0.2262943855)/5.
func TestCoherence(t *testing.T) {
	docs := [][]string{{"a", "b"}, {"a", "b"}, {"a", "c"}, {"b"}, {"c", "d"}, {"d"}}
	m, _, err := TFIDF(docs, TFIDFOptions{MinDF: 1, MaxDF: 1})
	if err != nil {
		t.Fatal(err)
	}
	got := Coherence(m, [][]string{{"a", "b", "c", "zz"}, {"c", "d"}}, []int{3, 2})
	if want := -0.057110344359050304; math.Abs(got-want) > 1e-12 {
		t.Errorf("Coherence = %.15f, want %.15f", got, want)
	}
}

// TestBM25Weights: values from /usr/bin/python3 applying the formula of
// WeightBM25 (k1 = 1.2, b = 0.75) and L2 normalisation to
// d0 = x x y, d1 = y z, d2 = x z z z.
func TestBM25Weights(t *testing.T) {
	docs := [][]string{{"x", "x", "y"}, {"y", "z"}, {"x", "z", "z", "z"}}
	m, _, err := TFIDF(docs, TFIDFOptions{MinDF: 1, MaxDF: 1, Weighting: WeightBM25})
	if err != nil {
		t.Fatal(err)
	}
	want := [][]float64{{0.808736084303, 0.588171697675, 0}, {0, 0.707106781187, 0.707106781187}, {0.514495755428, 0, 0.857492925713}}
	for d, row := range m.Docs {
		dense := make([]float64, 3)
		for p, j := range row.Idx {
			dense[j] = row.Val[p]
		}
		for j := range dense {
			if math.Abs(dense[j]-want[d][j]) > 1e-11 {
				t.Errorf("BM25 weight doc %d term %s = %.12f, want %.12f", d, m.Vocab[j], dense[j], want[d][j])
			}
		}
	}
	tf, _, _ := TFIDF(docs, TFIDFOptions{MinDF: 1, MaxDF: 1, Weighting: WeightTF})
	// d2 = x z z z: raw counts (1, 3) / √10.
	if got := tf.Docs[2].Val; math.Abs(got[0]-1/math.Sqrt(10)) > 1e-15 || math.Abs(got[1]-3/math.Sqrt(10)) > 1e-15 {
		t.Errorf("tf weights of d2 = %v, want [1/√10 3/√10]", got)
	}
	if _, _, err := TFIDF(docs, TFIDFOptions{Weighting: "okapi"}); err == nil {
		t.Error("unknown weighting accepted")
	}
}
