package stats

import (
	"math"
	"testing"
)

func TestHolmBH(t *testing.T) {
	nan := math.NaN()
	// Reference computed by hand with numpy (ref1.py), implementing
	// R's p.adjust definitions:
	//	p=np.array([0.01,0.04,0.03,0.005,0.2,0.04]); m=len(p); o=np.argsort(p,kind="stable")
	//	holm: run=max(run,min(1,(m-k)*p[o[k]])) for k ascending
	//	bh:   run=min(run,m*p[o[k]]/(k+1))      for k descending
	// R: p.adjust(c(.01,.04,.03,.005,.2,.04),"holm") gives the same
	// 0.05 0.12 0.12 0.03 0.20 0.12, and "BH" 0.03 0.048 0.048 0.03 0.2 0.048.
	tests := []struct {
		name     string
		p        []float64
		holm, bh []float64
	}{
		{"six", []float64{0.01, 0.04, 0.03, 0.005, 0.2, 0.04},
			[]float64{0.05, 0.12, 0.12, 0.03, 0.2, 0.12},
			[]float64{0.03, 0.048, 0.048, 0.03, 0.2, 0.048}},
		// NaN entries are skipped: same family as "six" with NaNs inserted.
		{"with NaN", []float64{nan, 0.01, 0.04, 0.03, nan, 0.005, 0.2, 0.04},
			[]float64{nan, 0.05, 0.12, 0.12, nan, 0.03, 0.2, 0.12},
			[]float64{nan, 0.03, 0.048, 0.048, nan, 0.03, 0.2, 0.048}},
		// Capped at 1.
		{"cap", []float64{0.6, 0.9}, []float64{1, 1}, []float64{0.9, 0.9}},
		{"empty", nil, []float64{}, []float64{}},
		{"all NaN", []float64{nan}, []float64{nan}, []float64{nan}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			for _, f := range []struct {
				name string
				fn   func([]float64) []float64
				want []float64
			}{{"Holm", Holm, tc.holm}, {"BH", BH, tc.bh}} {
				got := f.fn(tc.p)
				if len(got) != len(f.want) {
					t.Fatalf("%s(%v) = %v, want %v", f.name, tc.p, got, f.want)
				}
				for i := range got {
					if !approx(got[i], f.want[i], 1e-12) {
						t.Errorf("%s(%v) = %v, want %v", f.name, tc.p, got, f.want)
						break
					}
				}
			}
		})
	}
}
