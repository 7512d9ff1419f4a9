package codebook

import "math"

// Agreement compares predicted codes with human (gold) codes for one
// category, treating the category as present or absent in each unit.
type Agreement struct {
	Category int
	// TP: coded by both; FP: predicted only; FN: gold only; TN: neither.
	TP, FP, FN, TN int
	// Precision = TP/(TP+FP), Recall = TP/(TP+FN),
	// F1 = 2·TP/(2·TP+FP+FN) (the harmonic mean of the two).
	// Each is NaN when its denominator is zero.
	Precision, Recall, F1 float64
	// Kappa is Cohen's kappa for the 2×2 table (Cohen 1960,
	// "A coefficient of agreement for nominal scales"):
	// κ = (pₒ − pₑ)/(1 − pₑ) with observed agreement pₒ = (TP+TN)/n and
	// chance agreement pₑ = ((TP+FP)(TP+FN) + (FN+TN)(FP+TN))/n².
	// NaN when pₑ = 1 (both coders constant and equal) or n = 0.
	Kappa float64
}

// Agree computes per-category agreement between predicted and gold codes.
// pred[i] and gold[i] are the category ids of unit i (order and repeats do
// not matter); categories lists the ids to report, in the order wanted.
//
// Where defined, the metrics equal scikit-learn's
// precision_recall_fscore_support(average="binary") and cohen_kappa_score on
// the per-category 0/1 vectors; where a denominator is zero scikit-learn 1.2
// reports 0 with a warning and Agree reports NaN.
//
// It panics if pred and gold differ in length: aligning the two codings is
// the caller's job.
func Agree(pred, gold [][]int, categories []int) []Agreement {
	if len(pred) != len(gold) {
		panic("codebook: Agree: pred and gold differ in length")
	}
	out := make([]Agreement, len(categories))
	for k, c := range categories {
		a := Agreement{Category: c}
		for i := range pred {
			p, g := has(pred[i], c), has(gold[i], c)
			switch {
			case p && g:
				a.TP++
			case p:
				a.FP++
			case g:
				a.FN++
			default:
				a.TN++
			}
		}
		a.Precision = ratio(a.TP, a.TP+a.FP)
		a.Recall = ratio(a.TP, a.TP+a.FN)
		a.F1 = ratio(2*a.TP, 2*a.TP+a.FP+a.FN)
		a.Kappa = kappa(a.TP, a.FP, a.FN, a.TN)
		out[k] = a
	}
	return out
}

func has(ids []int, c int) bool {
	for _, x := range ids {
		if x == c {
			return true
		}
	}
	return false
}

func ratio(num, den int) float64 {
	if den == 0 {
		return math.NaN()
	}
	return float64(num) / float64(den)
}

func kappa(tp, fp, fn, tn int) float64 {
	n := float64(tp + fp + fn + tn)
	if n == 0 {
		return math.NaN()
	}
	po := float64(tp+tn) / n
	pe := (float64(tp+fp)*float64(tp+fn) + float64(fn+tn)*float64(fp+tn)) / (n * n)
	if pe == 1 {
		return math.NaN()
	}
	return (po - pe) / (1 - pe)
}
