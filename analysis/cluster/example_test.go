package cluster_test

import (
	"context"
	"fmt"

	"surveymine/analysis/cluster"
)

func Example() {
	docs := [][]string{
		{"党建", "学习", "理论"}, {"党建", "理论", "学习", "学习"}, {"理论", "党建"},
		{"业务", "考核", "指标"}, {"考核", "指标", "业务", "业务"}, {"指标", "考核"},
		{}, // no terms: reported, labelled -1
	}
	m, empty, err := cluster.TFIDF(docs, cluster.TFIDFOptions{MinDF: 1, MaxDF: 1})
	if err != nil {
		fmt.Println(err)
		return
	}
	res, err := cluster.KMeans(context.Background(), m, cluster.KMeansOptions{K: 2, Seed: 1})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("vocabulary:", m.Vocab)
	fmt.Println("empty documents:", empty)
	fmt.Println("labels:", res.Labels)
	for _, d := range cluster.Describe(m, docs, res.Labels, cluster.DescribeOptions{Exemplars: 2, LabelTerms: 2}) {
		fmt.Printf("cluster %d: %d docs, exemplars %v\n", d.Cluster, d.Size, d.Exemplars)
	}
	fmt.Printf("ARI vs truth: %.2f\n", cluster.ARI(res.Labels[:6], []int{0, 0, 0, 1, 1, 1}))
	// Output:
	// vocabulary: [业务 党建 学习 指标 理论 考核]
	// empty documents: [6]
	// labels: [1 1 1 0 0 0 -1]
	// cluster 0: 3 docs, exemplars [3 4]
	// cluster 1: 3 docs, exemplars [0 1]
	// ARI vs truth: 1.00
}

// Cluster 0 comes back intact in both resamples; cluster 1 is split in two
// by the second one (best match 2 of 4).
func ExampleClusterJaccard() {
	ref := []int{0, 0, 0, 1, 1, 1, 1}
	all := []int{0, 1, 2, 3, 4, 5, 6}
	st := cluster.ClusterJaccard(ref, 2, []cluster.Resample{
		{Idx: all, Labels: []int{5, 5, 5, 2, 2, 2, 2}},
		{Idx: all, Labels: []int{0, 0, 0, 1, 1, 2, 2}},
	})
	fmt.Printf("%.2f %.2f\n", st[0], st[1])
	// Output: 1.00 0.75
}
