package cluster

import (
	"context"
	"fmt"
	"math/rand/v2"
	"testing"
)

// benchDocs generates n documents over a vocabulary of about 10k terms: 20
// topics of 400 Zipf-distributed words each plus 2000 shared words, 8–24
// tokens per document.
func benchDocs(n int) [][]string {
	rng := rand.New(rand.NewPCG(99, 1))
	topicZipf := rand.NewZipf(rng, 1.1, 1, 399)
	commonZipf := rand.NewZipf(rng, 1.1, 1, 1999)
	docs := make([][]string, n)
	for i := range docs {
		k := rng.IntN(20)
		l := 8 + rng.IntN(17)
		for range l {
			if rng.Float64() < 0.6 {
				docs[i] = append(docs[i], fmt.Sprintf("t%dw%d", k, topicZipf.Uint64()))
			} else {
				docs[i] = append(docs[i], fmt.Sprintf("c%d", commonZipf.Uint64()))
			}
		}
	}
	return docs
}

var benchSizes = []int{10_000, 100_000}

func BenchmarkTFIDF(b *testing.B) {
	for _, n := range benchSizes {
		docs := benchDocs(n)
		b.Run(fmt.Sprintf("docs=%d", n), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, _, err := TFIDF(docs, TFIDFOptions{}); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkKMeans times one restart of at most 20 iterations with k = 20.
func BenchmarkKMeans(b *testing.B) {
	for _, n := range benchSizes {
		m, _, err := TFIDF(benchDocs(n), TFIDFOptions{})
		if err != nil {
			b.Fatal(err)
		}
		b.Run(fmt.Sprintf("docs=%d/vocab=%d", n, m.Cols()), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := KMeans(context.Background(), m, KMeansOptions{K: 20, Restarts: 1, MaxIter: 20, Seed: 1}); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

func BenchmarkLSA(b *testing.B) {
	for _, n := range benchSizes {
		m, _, err := TFIDF(benchDocs(n), TFIDFOptions{})
		if err != nil {
			b.Fatal(err)
		}
		b.Run(fmt.Sprintf("docs=%d/dims=100", n), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := LSA(m, 100, 1); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkGSDMM times the default 4 chains of 30 + 5 sweeps with K = 20.
func BenchmarkGSDMM(b *testing.B) {
	for _, n := range benchSizes {
		docs := benchDocs(n)
		m, _, err := TFIDF(docs, TFIDFOptions{})
		if err != nil {
			b.Fatal(err)
		}
		bags := Bags(m, docs)
		b.Run(fmt.Sprintf("docs=%d", n), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := GSDMM(context.Background(), bags, m.Cols(), GSDMMOptions{K: 20, Seed: 1}); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkBTM times the default 100 sweeps with K = 20 (the documents of
// benchDocs have 8–24 terms, so 28–196 biterms each with the window of 15).
func BenchmarkBTM(b *testing.B) {
	for _, n := range benchSizes {
		docs := benchDocs(n)
		m, _, err := TFIDF(docs, TFIDFOptions{})
		if err != nil {
			b.Fatal(err)
		}
		seqs := Seqs(m, docs)
		b.Run(fmt.Sprintf("docs=%d", n), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := BTM(context.Background(), seqs, m.Cols(), BTMOptions{K: 20, Seed: 1}); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
