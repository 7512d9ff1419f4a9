package cluster

import (
	"context"
	"math"
	"slices"
	"testing"
)

// TestBTMWeights checks the full conditional of a biterm on a state small
// enough to do by hand. Expected values from /usr/bin/python3 evaluating
// (n_z+α)(n_{w1|z}+β)(n_{w2|z}+β+[w1=w2]) / ((2n_z+Vβ)(2n_z+Vβ+1)) and
// normalising (K = 2, V = 3, α = 0.5, β = 0.1; topic 0 holds 2 biterms with
// w0×3, w1×1; topic 1 one biterm (w2, w2)).
func TestBTMWeights(t *testing.T) {
	st := &btmState{k: 2, nz: []int{2, 1}, nwz: []int32{3, 0, 1, 0, 0, 2}, alpha: 0.5, beta: 0.1, vb: 0.3}
	cases := []struct {
		name   string
		w1, w2 int32
		want   []float64
	}{
		{"w0 w1", 0, 1, []float64{0.9947445369934785, 0.00525546300652148}},
		{"w2 w2 (repeated word)", 2, 2, []float64{0.009291880572457303, 0.9907081194275428}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			p := make([]float64, 2)
			sum := st.weights(tc.w1, tc.w2, p)
			for c := range p {
				if got := p[c] / sum; math.Abs(got-tc.want[c]) > 1e-12 {
					t.Errorf("p(z=%d | %d, %d) = %.15f, want %.15f", c, tc.w1, tc.w2, got, tc.want[c])
				}
			}
		})
	}
}

func TestBiterms(t *testing.T) {
	cases := []struct{ n, window, want int }{
		{0, 15, 0}, {1, 15, 0}, {2, 15, 1}, {5, 15, 10},
		// 20 words: 190 pairs less the 1+2+3+4+5 that are 15..19 apart.
		{20, 15, 175},
		{4, 2, 3},
	}
	for _, tc := range cases {
		if got := biterms(tc.n, tc.window); got != tc.want {
			t.Errorf("biterms(%d, %d) = %d, want %d", tc.n, tc.window, got, tc.want)
		}
		seq := make([]int32, tc.n)
		st := &btmState{}
		cnt := 0
		st.forBiterms([][]int32{seq}, tc.window, func(_, i int, _, _ int32) {
			if i != cnt {
				t.Fatalf("biterm index %d, want %d", i, cnt)
			}
			cnt++
		})
		if cnt != tc.want {
			t.Errorf("forBiterms over %d words, window %d: %d biterms, want %d", tc.n, tc.window, cnt, tc.want)
		}
	}
}

func twoTopicSeqs() [][]int32 {
	var seqs [][]int32
	for _, b := range twoTopicBags() {
		seqs = append(seqs, b.Idx)
	}
	return append(seqs, []int32{4}) // a one-word document of topic B
}

// TestBTMObvious: two disjoint vocabularies and K = 2: every document,
// the one-word one included, goes with its topic; the empty one gets -1.
func TestBTMObvious(t *testing.T) {
	seqs := twoTopicSeqs()
	res, err := BTM(context.Background(), seqs, 6, BTMOptions{K: 2, Seed: 7})
	if err != nil {
		t.Fatal(err)
	}
	if res.Biterms != 40 {
		t.Errorf("Biterms = %d, want 40", res.Biterms)
	}
	if res.Labels[40] != -1 {
		t.Errorf("empty document label = %d, want -1", res.Labels[40])
	}
	for i := range 40 {
		if res.Labels[i] != res.Labels[i%2] {
			t.Fatalf("labels = %v, want the two alternating topics", res.Labels)
		}
	}
	if res.Labels[0] == res.Labels[1] || res.Labels[41] != res.Labels[1] {
		t.Fatalf("labels = %v, want topics A and B apart and the last document with B", res.Labels)
	}
}

func TestBTMDeterministic(t *testing.T) {
	docs := synthDocs(1500, 6, 3)
	m, _, err := TFIDF(docs, TFIDFOptions{})
	if err != nil {
		t.Fatal(err)
	}
	d := &Data{TFIDF: m, Seqs: Seqs(m, docs)}
	fit := FitOptions{Method: MethodBTM, K: 6, KMeans: KMeansOptions{Seed: 5}, BTM: BTMOptions{Iters: 30}}
	a, _, err := Fit(context.Background(), d, fit)
	if err != nil {
		t.Fatal(err)
	}
	b, _, _ := Fit(context.Background(), d, fit)
	if !slices.Equal(a, b) {
		t.Fatal("same seed gave different labels")
	}
	if nmi := NMI(a, synthTruth(1500, 6)); nmi < 0.5 {
		t.Errorf("NMI with the planted topics = %.3f, want >= 0.5", nmi)
	}
	// A subset keeps the sequences of its rows.
	sub := d.Subset([]int{3, 1}, nil)
	if !slices.Equal(sub.Seqs[0], d.Seqs[3]) || !slices.Equal(sub.Seqs[1], d.Seqs[1]) {
		t.Error("Subset did not carry the sequences")
	}
	if _, _, err := Fit(context.Background(), &Data{TFIDF: m}, fit); err == nil {
		t.Error("Fit(btm) without sequences: nil error")
	}
}

func TestBTMErrors(t *testing.T) {
	for _, opt := range []BTMOptions{{K: 0}, {K: 70000}, {K: 2, Beta: -1}, {K: 2, Iters: -1}, {K: 2, Window: 1}} {
		if _, err := BTM(context.Background(), twoTopicSeqs(), 6, opt); err == nil {
			t.Errorf("BTM(%+v) = nil error, want one", opt)
		}
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := BTM(ctx, twoTopicSeqs(), 6, BTMOptions{K: 2}); err != context.Canceled {
		t.Errorf("cancelled BTM error = %v, want context.Canceled", err)
	}
}
