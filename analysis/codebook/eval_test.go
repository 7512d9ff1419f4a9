package codebook

import (
	"fmt"
	"math"
	"os"
	"strings"
	"sync"
	"testing"

	"surveymine/analysis/segment"
)

const goldFile = "testdata/gold/gold.tsv"

var (
	projOnce sync.Once
	projSeg  *segment.Segmenter
	projErr  error
)

// projectCut is the project segmenter with its defaults (embedded gse
// dictionary, domain lexicon, stopwords, synonyms), as a run uses it.
func projectCut(t *testing.T) func(string) []segment.Token {
	t.Helper()
	projOnce.Do(func() { projSeg, projErr = segment.New(segment.Config{}) })
	if projErr != nil {
		t.Fatalf("segment.New: %v", projErr)
	}
	return projSeg.Cut
}

func loadGold(t *testing.T) []GoldSentence {
	t.Helper()
	data, err := os.ReadFile(goldFile)
	if err != nil {
		t.Fatal(err)
	}
	gold, err := ParseGold(data, goldFile)
	if err != nil {
		t.Fatal(err)
	}
	return gold
}

func describe(ev Evaluation) string {
	var b strings.Builder
	fmt.Fprintf(&b, "n=%d micro P %.3f R %.3f F1 %.3f macro F1 %.3f\n", ev.N, ev.Micro.Precision, ev.Micro.Recall, ev.Micro.F1, ev.MacroF1)
	for _, a := range ev.Categories {
		fmt.Fprintf(&b, "  cat %d: gold %d P %.3f R %.3f F1 %.3f\n", a.Category, a.TP+a.FN, a.Precision, a.Recall, a.F1)
	}
	return b.String()
}

// TestGoldEval scores the default codebook on the gold set (see
// testdata/gold/README.md) and fails when the figures fall below those
// recorded when the codebook was last tuned.
func TestGoldEval(t *testing.T) {
	cb := loadDefault(t)
	gold := loadGold(t)
	cut := projectCut(t)
	for _, tc := range []struct {
		split                 string
		minF1, minP, minCatRe float64 // micro F1, micro precision, recall of categories with >= 10 gold sentences
	}{
		// Recorded on the final tuning of the fourth round (see
		// testdata/gold/README.md, "Figures"), a little below the measured
		// figures so that only a regression fails. Measured: micro F1,
		// precision, lowest recall of a category with >= 10 gold sentences.
		{"dev", 0.90, 0.87, 0.90},      // 0.914, 0.883, 0.917 (cat 3)
		{"test", 0.83, 0.93, 0.63},     // 0.845, 0.946, 0.649 (cat 1); never tuned on
		{"dev2", 0.93, 0.95, 0.88},     // 0.943, 0.962, 0.889 (cat 4)
		{"holdout", 0.97, 0.98, 0.88},  // 0.985, 1.000, 0.900 (cat 4); tuned on in round 2
		{"dev3", 0.93, 0.95, 0.90},     // 0.945, 0.963, 0.917 (cat 4); tuned on in round 2
		{"holdout2", 0.90, 0.92, 0.92}, // 0.918, 0.933, 0.933 (cat 1); round 3 added ideas it missed
		{"dev4", 0.92, 0.87, 0.98},     // 0.941, 0.889, 1.000 (cats 5 and 6); tuned on in rounds 3 and 4
		{"holdout3", 0.94, 0.90, 0},    // 0.957, 0.917, no category with 10; tuned on in round 4
		{"holdout4", 0.46, 0.63, 0},    // 0.481, 0.655, no category with 10; scored once, blind, round 4
		// "": every split but holdout4 (its blind figure has its own row,
		// and the set the earlier thresholds were recorded on)
		{"", 0.90, 0.91, 0.84}, // 0.918, 0.927, 0.864 (cat 1)
	} {
		var ev Evaluation
		if tc.split == "" {
			ev = Evaluate(cb, cut, gold, "dev", "test", "dev2", "holdout", "dev3", "holdout2", "holdout3", "dev4")
		} else {
			ev = Evaluate(cb, cut, gold, tc.split)
		}
		t.Logf("split %q: %s", tc.split, describe(ev))
		if ev.Micro.F1 < tc.minF1 || ev.Micro.Precision < tc.minP {
			t.Errorf("split %q: micro F1 %.3f precision %.3f, want >= %.2f and >= %.2f", tc.split, ev.Micro.F1, ev.Micro.Precision, tc.minF1, tc.minP)
		}
		for _, a := range ev.Categories {
			if a.TP+a.FN >= 10 && !(a.Recall >= tc.minCatRe) && !math.IsNaN(a.Recall) {
				t.Errorf("split %q: category %d recall %.3f, want >= %.2f", tc.split, a.Category, a.Recall, tc.minCatRe)
			}
		}
		if tc.split == "dev" && testing.Verbose() {
			for _, m := range ev.Misses {
				kind := "FN"
				if m.FalsePos {
					kind = "FP"
				}
				t.Logf("%s %d %s %s", kind, m.Category, m.Sentence.ID, m.Sentence.Text)
			}
		}
	}
}

// TestGoldAgreement recomputes Cohen's kappa between the two annotation
// passes of the gold set (testdata/gold/passes.tsv) with Agree. The
// expected values were computed independently with a short Python script
// (κ = (pₒ − pₑ)/(1 − pₑ) on the 318 per-category 0/1 vectors; pooled: the
// nine vectors concatenated), recorded in testdata/gold/README.md.
func TestGoldAgreement(t *testing.T) {
	data, err := os.ReadFile("testdata/gold/passes.tsv")
	if err != nil {
		t.Fatal(err)
	}
	parse := func(s string) []int {
		var out []int
		for _, f := range strings.Split(s, ",") {
			if f == "" {
				continue
			}
			var id int
			if _, err := fmt.Sscan(f, &id); err != nil {
				t.Fatalf("passes.tsv: %q: %v", f, err)
			}
			out = append(out, id)
		}
		return out
	}
	var a, b [][]int
	lines := strings.Split(strings.TrimRight(string(data), "\n"), "\n")
	for _, ln := range lines[1:] {
		f := strings.Split(ln, "\t")
		if len(f) != 4 {
			t.Fatalf("passes.tsv: %d fields in %q", len(f), ln)
		}
		a, b = append(a, parse(f[1])), append(b, parse(f[2]))
	}
	if len(a) != 318 {
		t.Fatalf("passes.tsv has %d sentences, want 318", len(a))
	}
	want := map[int]float64{1: 0.9549, 2: 0.9613, 3: 0.9300, 4: 0.9456, 5: 1, 6: 0.9615, 7: 1, 8: 0.8873, 9: 0.9566}
	var pooledA, pooledB [][]int
	for _, ag := range Agree(a, b, []int{1, 2, 3, 4, 5, 6, 7, 8, 9}) {
		if math.Abs(ag.Kappa-want[ag.Category]) > 5e-5 {
			t.Errorf("kappa category %d = %.4f, want %.4f", ag.Category, ag.Kappa, want[ag.Category])
		}
	}
	// Pooled: every (sentence, category) decision as one unit.
	for c := 1; c <= 9; c++ {
		for i := range a {
			var x, y []int
			if has(a[i], c) {
				x = []int{1}
			}
			if has(b[i], c) {
				y = []int{1}
			}
			pooledA, pooledB = append(pooledA, x), append(pooledB, y)
		}
	}
	if k := Agree(pooledA, pooledB, []int{1})[0].Kappa; math.Abs(k-0.9592) > 5e-5 {
		t.Errorf("pooled kappa = %.4f, want 0.9592", k)
	}
}
