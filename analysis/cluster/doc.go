// Package cluster groups documents by their analysis terms: TF-IDF (or BM25,
// or tf) weighting on sparse vectors, PMI-filtered collocations, spherical
// (cosine) k-means with k-means++ seeding and restarts, optional latent
// semantic analysis (randomized truncated SVD), GSDMM (the Dirichlet
// multinomial mixture for short texts), the choice of k by silhouette and
// stability, codebook-guided seeding, per-cluster stability (Hennig's
// best-match Jaccard), NPMI topic coherence, cluster descriptions
// (distinctive terms, labels, exemplars) and agreement metrics against a
// known labelling (NMI, ARI, purity).
//
// Data flow:
//
//	[][]string terms ─► (Collocations) ─► TFIDF ─► *Matrix (L2-normalised sparse rows)
//	                               │   ├─► LSA (optional) ─► *Matrix (dense rows)
//	                               │   └─► Bags (term counts) ─► GSDMM
//	                               ▼
//	      Fit (kmeans | lsa | gsdmm), KMeans / Sweep ─► labels
//	                               ▼
//	      Stability (per cluster)   Coherence
//	      Describe ─► []Description   NMI / ARI / Purity vs ground truth
//
// The package is pure computation: no I/O, no logging, no configuration.
// Every random choice draws from math/rand/v2 PCG generators derived from a
// caller-supplied seed, and every floating-point reduction runs in a fixed
// order, so results are bit-identical across runs and across any number of
// workers. See docs/clustering.md for formulas and sources.
package cluster
