package stats

import (
	"math"
	"testing"
)

func TestKeyness(t *testing.T) {
	// Reference: scipy 1.10.1 (ref2.py, run by hand) on the 2×2 table
	// [[a, b], [C−a, D−b]] with C = 10000, D = 20000:
	//	x2 = chi2_contingency(tab, correction=False)[0]
	//	g2, p = chi2_contingency(tab, correction=False, lambda_="log-likelihood")[:2]
	//	lr = log2(((a or 0.5)/C)/((b or 0.5)/D))
	target := map[string]float64{"党建": 120, "业务": 40, "两张皮": 30, "会议": 10, "罕见": 2, "other": 9798}
	reference := map[string]float64{"党建": 80, "业务": 160, "会议": 20, "罕见": 1, "other": 19739}
	want := []struct {
		term          string
		g2, x2, p, lr float64
	}{
		{"两张皮", 65.9768174503315, 60.0600600600601, 4.56258037033881e-16, 6.90689059560852},
		{"党建", 59.7666158943191, 64.4295302013423, 1.06799680879613e-14, 1.58496250072116},
		{"业务", 17.5841828738406, 16.1073825503356, 2.74865048268834e-05, -1},
		{"会议", 0, 0, 1, 0},
	}
	got := Keyness(target, reference, KeynessOptions{})
	// "罕见" (3 < MinFreq 5) is left out; "other" is tested too, so drop it
	// from the comparison after checking it exists.
	var kept []KeyTerm
	sawOther := false
	for _, k := range got {
		if k.Term == "other" {
			sawOther = true
			continue
		}
		if k.Term == "罕见" {
			t.Errorf("Keyness kept %q below MinFreq", k.Term)
		}
		kept = append(kept, k)
	}
	if !sawOther || len(kept) != len(want) {
		t.Fatalf("Keyness returned %d terms (+other %v), want %d", len(kept), sawOther, len(want))
	}
	for i, w := range want {
		k := kept[i]
		if k.Term != w.term || !approx(k.G2, w.g2, 1e-10) || !approx(k.Chi2, w.x2, 1e-10) || !approx(k.P, w.p, 1e-8) || !approx(k.LogRatio, w.lr, 1e-12) {
			t.Errorf("Keyness[%d] = %s G2=%.15g X2=%.15g p=%.15g LR=%.15g, want %s %.15g %.15g %.15g %.15g",
				i, k.Term, k.G2, k.Chi2, k.P, k.LogRatio, w.term, w.g2, w.x2, w.p, w.lr)
		}
		if k.Overuse != (w.lr > 0) {
			t.Errorf("Keyness[%s].Overuse = %v, want %v", k.Term, k.Overuse, w.lr > 0)
		}
	}
	// PAdj is the BH adjustment over the five terms returned.
	p := make([]float64, len(got))
	for i, k := range got {
		p[i] = k.P
	}
	for i, q := range BH(p) {
		if got[i].PAdj != q || got[i].PAdj < got[i].P {
			t.Errorf("Keyness[%s].PAdj = %v, want BH %v", got[i].Term, got[i].PAdj, q)
		}
	}
	if Keyness(nil, reference, KeynessOptions{}) != nil {
		t.Errorf("Keyness(nil, ...) != nil")
	}
	if math.IsNaN(kept[0].TargetPer10k) || kept[0].TargetPer10k != 30 {
		t.Errorf("TargetPer10k = %v, want 30", kept[0].TargetPer10k)
	}
}
