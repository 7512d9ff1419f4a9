package codebook

import (
	"math"
	"testing"
)

// TestAgreeSklearn checks Agree against scikit-learn 1.2.1 (Debian
// python3-sklearn), computed by hand with /usr/bin/python3:
//
//	from sklearn.metrics import precision_recall_fscore_support, cohen_kappa_score
//	pred=[[1,3],[1],[2],[],[1,2],[3],[1],[2,3],[1],[]]
//	gold=[[1],[1,2],[2],[1],[2],[3],[],[3],[1],[0]]
//	for c in [1,2,3,0,4]:
//	    p=[int(c in x) for x in pred]; g=[int(c in x) for x in gold]
//	    P,R,F,_=precision_recall_fscore_support(g,p,average='binary',pos_label=1,zero_division=0)
//	    print(c, P, R, F, cohen_kappa_score(g,p))
//
// Output:
//
//	1 0.6 0.75 0.6666666666666665 0.4
//	2 0.6666666666666666 0.6666666666666666 0.6666666666666666 0.5238095238095238
//	3 0.6666666666666666 1.0 0.8 0.736842105263158
//	0 0.0 0.0 0.0 0.0      (precision undefined: sklearn says 0, Agree NaN)
//	4 0.0 0.0 0.0 nan      (category never coded: all undefined)
func TestAgreeSklearn(t *testing.T) {
	pred := [][]int{{1, 3}, {1}, {2}, {}, {1, 2}, {3}, {1}, {2, 3}, {1}, {}}
	gold := [][]int{{1}, {1, 2}, {2}, {1}, {2}, {3}, {}, {3}, {1}, {0}}
	nan := math.NaN()
	want := []Agreement{
		{Category: 1, TP: 3, FP: 2, FN: 1, TN: 4, Precision: 0.6, Recall: 0.75, F1: 0.6666666666666665, Kappa: 0.4},
		{Category: 2, TP: 2, FP: 1, FN: 1, TN: 6, Precision: 0.6666666666666666, Recall: 0.6666666666666666, F1: 0.6666666666666666, Kappa: 0.5238095238095238},
		{Category: 3, TP: 2, FP: 1, FN: 0, TN: 7, Precision: 0.6666666666666666, Recall: 1, F1: 0.8, Kappa: 0.736842105263158},
		{Category: 0, TP: 0, FP: 0, FN: 1, TN: 9, Precision: nan, Recall: 0, F1: 0, Kappa: 0},
		{Category: 4, TP: 0, FP: 0, FN: 0, TN: 10, Precision: nan, Recall: nan, F1: nan, Kappa: nan},
	}
	got := Agree(pred, gold, []int{1, 2, 3, 0, 4})
	if len(got) != len(want) {
		t.Fatalf("Agree returned %d rows, want %d", len(got), len(want))
	}
	for i, w := range want {
		checkAgreement(t, got[i], w)
	}
}

// TestAgreeTextbook uses the worked example of Cohen's kappa on Wikipedia
// ("Cohen's kappa", simple example): 50 proposals, both readers yes 20,
// only A yes 5, only B yes 10, both no 15; pₒ = 0.7, pₑ = 0.5, κ = 0.4.
func TestAgreeTextbook(t *testing.T) {
	var pred, gold [][]int
	add := func(n int, a, b bool) {
		for i := 0; i < n; i++ {
			var p, g []int
			if a {
				p = []int{1}
			}
			if b {
				g = []int{1}
			}
			pred, gold = append(pred, p), append(gold, g)
		}
	}
	add(20, true, true)
	add(5, true, false)
	add(10, false, true)
	add(15, false, false)
	got := Agree(pred, gold, []int{1})[0]
	checkAgreement(t, got, Agreement{Category: 1, TP: 20, FP: 5, FN: 10, TN: 15,
		Precision: 0.8, Recall: 20.0 / 30, F1: 40.0 / 55, Kappa: 0.4})
}

func TestAgreePanicsOnLength(t *testing.T) {
	defer func() {
		if recover() == nil {
			t.Error("Agree with pred and gold of different lengths did not panic")
		}
	}()
	Agree([][]int{{1}}, nil, []int{1})
}

func checkAgreement(t *testing.T, got, want Agreement) {
	t.Helper()
	if got.Category != want.Category || got.TP != want.TP || got.FP != want.FP || got.FN != want.FN || got.TN != want.TN {
		t.Errorf("Agree category %d counts = %d/%d/%d/%d, want %d/%d/%d/%d", want.Category,
			got.TP, got.FP, got.FN, got.TN, want.TP, want.FP, want.FN, want.TN)
	}
	for _, m := range []struct {
		name      string
		got, want float64
	}{
		{"precision", got.Precision, want.Precision},
		{"recall", got.Recall, want.Recall},
		{"F1", got.F1, want.F1},
		{"kappa", got.Kappa, want.Kappa},
	} {
		if math.IsNaN(m.want) != math.IsNaN(m.got) || math.Abs(m.got-m.want) > 1e-12 {
			t.Errorf("Agree category %d %s = %v, want %v", want.Category, m.name, m.got, m.want)
		}
	}
}
