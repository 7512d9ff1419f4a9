package cluster

import (
	"context"
	"errors"
	"math"
	"runtime"
	"slices"
	"testing"

	"gonum.org/v1/gonum/mat"
)

// exactSVD returns the dense matrix of m's rows and gonum's exact SVD of it.
func exactSVD(t *testing.T, m *Matrix) (*mat.Dense, *mat.SVD) {
	t.Helper()
	a := mat.NewDense(len(m.Docs), m.Cols(), nil)
	for i := range m.Docs {
		a.SetRow(i, dense(m, i))
	}
	var svd mat.SVD
	if !svd.Factorize(a, mat.SVDThin) {
		t.Fatal("gonum SVD did not converge")
	}
	return a, &svd
}

// TestLSAMatchesExactSVD: when dims+10 covers the whole vocabulary the
// subspace is exact, so the pairwise cosines of the reduced rows must equal
// those from gonum's exact SVD (cosines do not depend on the signs of
// singular vectors).
func TestLSAMatchesExactSVD(t *testing.T) {
	docs, _ := topicDocs(2, 80, 21)
	for i := range docs { // keep a 14-term vocabulary: t0w0..6, t1w0..6
		var keep []string
		for _, w := range docs[i] {
			if len(w) == 4 && w[0] == 't' && w[3] < '7' {
				keep = append(keep, w)
			}
		}
		docs[i] = keep
	}
	m, _, err := TFIDF(docs, TFIDFOptions{MinDF: 1, MaxDF: 1})
	if err != nil {
		t.Fatal(err)
	}
	if m.Cols() != 14 {
		t.Fatalf("test vocabulary has %d terms, want 14", m.Cols())
	}
	const dims = 4
	got, err := LSA(m, dims, 1)
	if err != nil {
		t.Fatal(err)
	}
	a, svd := exactSVD(t, m)
	var v mat.Dense
	svd.VTo(&v)
	var proj mat.Dense
	proj.Mul(a, v.Slice(0, m.Cols(), 0, dims))
	for i := range m.Docs {
		wi := mat.Row(nil, i, &proj)
		normalize(wi)
		for j := i; j < len(m.Docs); j++ {
			wj := mat.Row(nil, j, &proj)
			normalize(wj)
			var w float64
			for c := range dims {
				w += wi[c] * wj[c]
			}
			if g := sparseDot(got.Docs[i], got.Docs[j]); math.Abs(g-w) > 1e-9 {
				t.Fatalf("LSA cos(doc %d, doc %d) = %v, exact SVD gives %v", i, j, g, w)
			}
		}
	}
}

// TestLSABasisEnergy: in the randomized regime (vocabulary much larger than
// dims+10) the basis must be orthonormal and capture nearly the energy of
// the exact top singular vectors, ‖AV‖²_F >= 0.98·Σ_{i<=dims} σᵢ² (the
// quantity bounded by Halko et al. 2011, §10).
func TestLSABasisEnergy(t *testing.T) {
	m, _ := topicCorpus(t, 4, 120, 21)
	const dims = 4
	vs, err := lsaBasis(context.Background(), m, dims, 1)
	if err != nil {
		t.Fatal(err)
	}
	for a := range dims {
		for b := range dims {
			var dot float64
			for i := range m.Cols() {
				dot += vs[i*dims+a] * vs[i*dims+b]
			}
			want := 0.0
			if a == b {
				want = 1
			}
			if math.Abs(dot-want) > 1e-9 {
				t.Errorf("basis column %d · column %d = %v, want %v", a, b, dot, want)
			}
		}
	}
	var energy float64
	row := make([]float64, dims)
	for _, d := range m.Docs {
		rowTimes(d, vs, dims, row)
		for _, x := range row {
			energy += x * x
		}
	}
	_, svd := exactSVD(t, m)
	var best float64
	for _, s := range svd.Values(nil)[:dims] {
		best += s * s
	}
	if energy < 0.98*best || energy > best*(1+1e-9) {
		t.Errorf("LSA basis energy = %v, exact top-%d energy %v", energy, dims, best)
	}
}

func TestLSAClusters(t *testing.T) {
	m, truth := topicCorpus(t, 5, 2500, 8)
	r1, err := LSA(m, 20, 3)
	if err != nil {
		t.Fatal(err)
	}
	r2, _ := LSA(m, 20, 3)
	for i := range r1.Docs {
		if !slices.Equal(r1.Docs[i].Val, r2.Docs[i].Val) {
			t.Fatalf("LSA(seed 3) row %d differs between runs", i)
		}
	}
	if r1.Cols() != 20 || r1.Vocab[0] != "lsa1" {
		t.Errorf("LSA columns %d named %q…, want 20 named lsa1…", r1.Cols(), r1.Vocab[0])
	}
	res, err := KMeans(context.Background(), r1, KMeansOptions{K: 5, Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	if got := NMI(res.Labels, truth); got < 0.95 {
		t.Errorf("NMI(KMeans on LSA, truth) = %v, want >= 0.95", got)
	}
}

// TestLSAWorkerIndependent checks that the column split of the Gram product
// (GOMAXPROCS goroutines) does not change a single bit of the output.
func TestLSAWorkerIndependent(t *testing.T) {
	m, _ := topicCorpus(t, 5, 1500, 4)
	prev := runtime.GOMAXPROCS(1)
	defer runtime.GOMAXPROCS(prev)
	one, err := LSA(m, 12, 9)
	if err != nil {
		t.Fatal(err)
	}
	runtime.GOMAXPROCS(4)
	four, err := LSA(m, 12, 9)
	if err != nil {
		t.Fatal(err)
	}
	for i := range one.Docs {
		if !slices.Equal(one.Docs[i].Val, four.Docs[i].Val) {
			t.Fatalf("LSA row %d differs between GOMAXPROCS 1 and 4", i)
		}
	}
}

func TestLSAErrors(t *testing.T) {
	m, _ := topicCorpus(t, 2, 50, 1)
	for _, dims := range []int{0, m.Cols()} {
		if _, err := LSA(m, dims, 1); err == nil {
			t.Errorf("LSA(dims %d) error = nil, want one", dims)
		}
	}
}

// TestLSACancelled: LSAContext stops with context.Canceled; with a live
// context it gives what LSA gives.
func TestLSACancelled(t *testing.T) {
	m, _ := topicCorpus(t, 4, 120, 21)
	cancelled, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := LSAContext(cancelled, m, 4, 1); !errors.Is(err, context.Canceled) {
		t.Errorf("LSAContext(cancelled) = %v, want context.Canceled", err)
	}
	a, err := LSAContext(context.Background(), m, 4, 1)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := LSA(m, 4, 1)
	for i := range a.Docs {
		if !slices.Equal(a.Docs[i].Val, b.Docs[i].Val) {
			t.Fatalf("LSAContext and LSA differ in row %d", i)
		}
	}
}
