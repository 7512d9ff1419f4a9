package stats

import (
	"errors"
	"slices"
	"testing"
)

func TestCooccurrence(t *testing.T) {
	// Counted by hand: units {0,1,2}, {0,1}, {1,1,3}, {2}, {}.
	// single: 0→2, 1→3, 2→2, 3→1. pairs: 0-1: 2, 0-2: 1, 1-2: 1, 1-3: 1.
	// Jaccard 0-1 = 2/(2+3−2) = 2/3; 0-2 = 1/3; 1-2 = 1/4; 1-3 = 1/3.
	labels := [][]int{{0, 1, 2}, {1, 0}, {1, 1, 3}, {2}, {}}
	want := []Edge{
		{A: 0, B: 1, Count: 2, CountA: 2, CountB: 3, Jaccard: 2.0 / 3},
		{A: 0, B: 2, Count: 1, CountA: 2, CountB: 2, Jaccard: 1.0 / 3},
		{A: 1, B: 2, Count: 1, CountA: 3, CountB: 2, Jaccard: 1.0 / 4},
		{A: 1, B: 3, Count: 1, CountA: 3, CountB: 1, Jaccard: 1.0 / 3},
	}
	got, err := Cooccurrence(labels, 5)
	if err != nil {
		t.Fatalf("Cooccurrence(%v, 5) error %v", labels, err)
	}
	if !slices.Equal(got, want) {
		t.Errorf("Cooccurrence(%v, 5) = %+v, want %+v", labels, got, want)
	}
	if _, err := Cooccurrence([][]int{{0, 5}}, 5); !errors.Is(err, ErrLabelRange) {
		t.Errorf("Cooccurrence with label 5, k=5: error %v, want ErrLabelRange", err)
	}
	if got, err := Cooccurrence([][]int{{0}, {1}}, 2); got != nil || err != nil {
		t.Errorf("Cooccurrence without pairs = %v, %v, want nil, nil", got, err)
	}
}
