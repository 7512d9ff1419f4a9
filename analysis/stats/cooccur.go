package stats

import (
	"errors"
	"fmt"
)

// ErrLabelRange is returned (wrapped) by Cooccurrence for a label outside
// [0, k).
var ErrLabelRange = errors.New("label out of range")

// Edge is one pair of categories that occur together in at least one unit.
type Edge struct {
	// A < B are the category indices.
	A, B int
	// Count is the number of units labelled with both A and B; CountA and
	// CountB the number of units labelled with A and with B.
	Count, CountA, CountB int
	// Jaccard is Count / (CountA + CountB − Count), in (0, 1].
	Jaccard float64
}

// Cooccurrence counts, over units (respondents, answers, paragraphs), how
// often each pair of categories is assigned to the same unit, and returns one
// Edge per pair that co-occurs at least once, sorted by A then B. labels[u]
// holds the categories of unit u in [0, k); duplicates within a unit count
// once, and units with fewer than two distinct labels only add to the
// per-category counts. It returns an error wrapping ErrLabelRange (naming
// the unit) for a label outside [0, k), and nil, nil when there is no pair.
func Cooccurrence(labels [][]int, k int) ([]Edge, error) {
	if k <= 0 {
		return nil, nil
	}
	single := make([]int, k)
	pair := make(map[[2]int]int)
	seen := make([]int, k) // seen[x] == u+1 when label x already counted for unit u
	for u, ls := range labels {
		var uniq []int
		for _, x := range ls {
			if x < 0 || x >= k {
				return nil, fmt.Errorf("unit %d: label %d: %w (k = %d)", u, x, ErrLabelRange, k)
			}
			if seen[x] == u+1 {
				continue
			}
			seen[x] = u + 1
			uniq = append(uniq, x)
			single[x]++
		}
		for i := range uniq {
			for j := i + 1; j < len(uniq); j++ {
				a, b := min(uniq[i], uniq[j]), max(uniq[i], uniq[j])
				pair[[2]int{a, b}]++
			}
		}
	}
	var out []Edge
	for a := range k {
		for b := a + 1; b < k; b++ {
			n, ok := pair[[2]int{a, b}]
			if !ok {
				continue
			}
			out = append(out, Edge{A: a, B: b, Count: n, CountA: single[a], CountB: single[b],
				Jaccard: float64(n) / float64(single[a]+single[b]-n)})
		}
	}
	return out, nil
}
