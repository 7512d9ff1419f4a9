package cluster

import (
	"fmt"
	"math/rand/v2"
	"testing"
)

// topicDocs generates n synthetic documents from the given number of topics:
// each has 6–14 tokens: 3 drawn from its topic's 30 words ("t<k>w<j>"), the
// rest with probability 0.6 from those and 0.4 from 60 shared words
// ("common<j>"). Topics are assigned round-robin.
func topicDocs(topics, n int, seed uint64) ([][]string, []int) {
	rng := rand.New(rand.NewPCG(seed, 1))
	docs := make([][]string, n)
	truth := make([]int, n)
	for i := range docs {
		k := i % topics
		truth[i] = k
		l := 6 + rng.IntN(9)
		for p := range l {
			if p < 3 || rng.Float64() < 0.6 {
				docs[i] = append(docs[i], fmt.Sprintf("t%dw%d", k, rng.IntN(30)))
			} else {
				docs[i] = append(docs[i], fmt.Sprintf("common%d", rng.IntN(60)))
			}
		}
	}
	return docs, truth
}

func topicCorpus(t testing.TB, topics, n int, seed uint64) (*Matrix, []int) {
	t.Helper()
	docs, truth := topicDocs(topics, n, seed)
	m, _, err := TFIDF(docs, TFIDFOptions{})
	if err != nil {
		t.Fatalf("TFIDF: %v", err)
	}
	return m, truth
}
