// Package cluster groups documents by their analysis terms: TF-IDF weighting
// on sparse vectors, spherical (cosine) k-means with k-means++ seeding and
// restarts, optional latent semantic analysis (randomized truncated SVD), the
// choice of k by silhouette and stability, codebook-guided seeding, cluster
// descriptions (distinctive terms, labels, exemplars) and agreement metrics
// against a known labelling (NMI, ARI, purity).
//
// Data flow:
//
//	[][]string terms ─► TFIDF ─► *Matrix (L2-normalised sparse rows)
//	                               │   └─► LSA (optional) ─► *Matrix (dense rows)
//	                               ▼
//	      KMeans / Sweep (choose k) ─► *Result (labels, centroids)
//	                               ▼
//	      Describe ─► []Description   NMI / ARI / Purity vs ground truth
//
// The package is pure computation: no I/O, no logging, no configuration.
// Every random choice draws from math/rand/v2 PCG generators derived from a
// caller-supplied seed, and every floating-point reduction runs in a fixed
// order, so results are bit-identical across runs and across any number of
// workers. See docs/clustering.md for formulas and sources.
package cluster
