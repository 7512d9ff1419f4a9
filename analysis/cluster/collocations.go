package cluster

import (
	"math"
	"sort"
)

// Defaults of CollocationOptions.
const (
	DefaultCollocationMinCount = 5
	DefaultCollocationMinNPMI  = 0.5
)

// CollocationOptions configures Collocations.
type CollocationOptions struct {
	// MinCount is the number of times a pair must occur; zero means
	// DefaultCollocationMinCount.
	MinCount int
	// MinNPMI is the normalised PMI a pair needs, in (0, 1]; zero means
	// DefaultCollocationMinNPMI.
	MinNPMI float64
	// Counts, when not nil, gives the number of identical documents each
	// of docs stands for (as TFIDFOptions.Counts): pair counts count every
	// copy. Nil counts each document once.
	Counts []int32
}

// Collocation is a pair of adjacent terms merged into one.
type Collocation struct {
	Term  string // First + Second
	Count int    // occurrences of the pair
	NPMI  float64
}

// Collocations finds pairs of adjacent terms that occur together much more
// often than chance and adds each occurrence as one more term after its
// parts, so compounds the segmenter splits (一岗|双责) become a candidate
// term of their own (一岗 双责 一岗双责) while answers that use only a part
// still share it. (Replacing the parts instead cost the synthetic sample
// half its NMI: paraphrases stopped sharing terms.)
//
// Within each document, consecutive non-empty strings are adjacent; an
// empty string marks a gap (a token that is not a term) and is dropped from
// the output. A pair (a, b) is kept when it occurs at least MinCount times
// and its normalised PMI over the adjacent-pair positions reaches MinNPMI
// (Bouma 2009):
//
//	NPMI = ln(p(ab) / (p(a)·p(b))) / −ln p(ab)
//
// with p(ab) = count(ab)/P, p(a) = count(a as first)/P, p(b) = count(b as
// second)/P over the P adjacent pairs of the corpus. Pairs are taken
// greedily left to right, so a term joins at most one pair. The kept pairs are returned
// by count descending (ties: term order). docs is not modified.
func Collocations(docs [][]string, opt CollocationOptions) ([][]string, []Collocation) {
	if opt.MinCount == 0 {
		opt.MinCount = DefaultCollocationMinCount
	}
	if opt.MinNPMI == 0 {
		opt.MinNPMI = DefaultCollocationMinNPMI
	}
	type pair struct{ a, b string }
	pc := map[pair]int{}
	first, second := map[string]int{}, map[string]int{}
	total := 0
	for di, d := range docs {
		w := weightAt(opt.Counts, di)
		for i := 0; i+1 < len(d); i++ {
			if d[i] == "" || d[i+1] == "" {
				continue
			}
			pc[pair{d[i], d[i+1]}] += w
			first[d[i]] += w
			second[d[i+1]] += w
			total += w
		}
	}
	keep := map[pair]float64{}
	P := float64(total)
	for p, c := range pc {
		if c < opt.MinCount || p.a == p.b {
			continue
		}
		pab := float64(c) / P
		v := 1.0
		if pab < 1 {
			v = math.Log(pab/(float64(first[p.a])/P*float64(second[p.b])/P)) / -math.Log(pab)
		}
		if v >= opt.MinNPMI {
			keep[p] = v
		}
	}
	out := make([][]string, len(docs))
	used := map[pair]int{}
	for di, d := range docs {
		var o []string
		for i := 0; i < len(d); i++ {
			if d[i] == "" {
				continue
			}
			if i+1 < len(d) && d[i+1] != "" {
				p := pair{d[i], d[i+1]}
				if _, ok := keep[p]; ok {
					o = append(o, p.a, p.b, p.a+p.b)
					used[p] += weightAt(opt.Counts, di)
					i++
					continue
				}
			}
			o = append(o, d[i])
		}
		out[di] = o
	}
	var cs []Collocation
	for p, c := range used {
		cs = append(cs, Collocation{Term: p.a + p.b, Count: c, NPMI: keep[p]})
	}
	sort.Slice(cs, func(i, j int) bool {
		if cs[i].Count != cs[j].Count {
			return cs[i].Count > cs[j].Count
		}
		return cs[i].Term < cs[j].Term
	})
	return out, cs
}
