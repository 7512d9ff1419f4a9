package cluster

import (
	"context"
	"math"
	"testing"
)

func TestSweepChoosesTopicCount(t *testing.T) {
	m, truth := topicCorpus(t, 4, 800, 13)
	opt := SweepOptions{KMin: 2, KMax: 6, Sample: 400, KMeans: KMeansOptions{Seed: 7, Restarts: 3}}
	res, err := Sweep(context.Background(), m, opt)
	if err != nil {
		t.Fatal(err)
	}
	if res.K != 4 {
		t.Errorf("Sweep chose k = %d, want 4; rows %+v", res.K, res.Rows)
	}
	if len(res.Rows) != 5 || res.Rows[0].K != 2 || res.Rows[4].K != 6 {
		t.Fatalf("Sweep rows = %+v, want k 2..6", res.Rows)
	}
	for _, r := range res.Rows {
		if math.IsNaN(r.Silhouette) || r.Stability < -1 || r.Stability > 1 || r.Objective <= 0 {
			t.Errorf("Sweep row %+v out of range", r)
		}
	}
	if got := ARI(res.Result.Labels, truth); got < 0.99 {
		t.Errorf("ARI(Sweep result, truth) = %v, want >= 0.99", got)
	}
	again, _ := Sweep(context.Background(), m, opt)
	for i := range res.Rows {
		if again.Rows[i] != res.Rows[i] {
			t.Errorf("Sweep row %d = %+v then %+v, want equal", i, res.Rows[i], again.Rows[i])
		}
	}
}

func TestSweepErrors(t *testing.T) {
	m, _ := topicCorpus(t, 2, 50, 1)
	for _, opt := range []SweepOptions{{KMin: 1, KMax: 3}, {KMin: 4, KMax: 3}, {KMin: 2, KMax: 3, Runs: 1}} {
		if _, err := Sweep(context.Background(), m, opt); err == nil {
			t.Errorf("Sweep(%+v) error = nil, want one", opt)
		}
	}
}
