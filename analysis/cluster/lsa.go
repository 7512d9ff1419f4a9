package cluster

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"strconv"
	"sync"

	"gonum.org/v1/gonum/mat"
)

// LSA settings: columns added to the target rank for the random subspace
// (Halko et al. recommend 5–10) and subspace (power) iterations.
const (
	lsaOversample = 10
	lsaPowerIters = 3
	lsaStream     = 0x6c7361 // "lsa"
)

// LSA projects the rows of m on their top dims right singular vectors
// (latent semantic analysis, Deerwester et al. 1990) and L2-normalises the
// projections, returning a dense-row Matrix with columns "lsa1".."lsa<dims>"
// (DF and IDF nil). Rows that are empty, or project to zero, stay empty.
// As in sklearn's TruncatedSVD, the matrix is not centred.
//
// Method: randomized subspace iteration on the Gram matrix G = AᵀA (Halko,
// Martinsson & Tropp 2011, SIAM Review 53:217, Alg. 4.4 and §5.3 with a
// Rayleigh–Ritz step), which never forms anything larger than
// vocabulary × (dims+10):
//
//  1. Ω: vocabulary × l Gaussian matrix from rand.NewPCG(seed, …), l = dims+10
//     (capped at the vocabulary size); Q = orth(G Ω).
//  2. Three times: Q = orth(G Q).
//  3. T = Qᵀ G Q = (AQ)ᵀ(AQ), an l × l symmetric matrix; T = W Λ Wᵀ
//     (gonum mat.EigenSym).
//  4. V = Q W (top dims eigenvectors): approximate right singular vectors,
//     σ² = λ. Each row a becomes a V / ‖a V‖.
//
// G·X is computed row by row as Σ_d a_d (a_dᵀ X) in document order, split
// over GOMAXPROCS goroutines by columns of X, so the result does not depend
// on the number of cores; each pass costs O(nnz·l). orth is CholeskyQR2
// (modified Gram–Schmidt when the columns are nearly dependent). It returns an error when dims < 1 or dims >=
// the number of columns, and when the eigen decomposition fails.
func LSA(m *Matrix, dims int, seed uint64) (*Matrix, error) {
	return LSAContext(context.Background(), m, dims, seed)
}

// LSAContext is LSA returning ctx.Err() when ctx is cancelled (checked
// between the passes over the matrix and every few thousand documents).
func LSAContext(ctx context.Context, m *Matrix, dims int, seed uint64) (*Matrix, error) {
	v := m.Cols()
	if dims < 1 || dims >= v {
		return nil, fmt.Errorf("lsa dims must be in [1, %d), got %d", v, dims)
	}
	vs, err := lsaBasis(ctx, m, dims, seed)
	if err != nil {
		return nil, err
	}
	out := &Matrix{Vocab: make([]string, dims), Docs: make([]SparseVec, len(m.Docs)), Weight: m.Weight}
	for c := range dims {
		out.Vocab[c] = "lsa" + strconv.Itoa(c+1)
	}
	idx := make([]int32, dims)
	for c := range idx {
		idx[c] = int32(c)
	}
	vals := make([]float64, 0, len(m.Docs)*dims)
	row := make([]float64, dims)
	for i, d := range m.Docs {
		if i%4096 == 4095 {
			if err := ctx.Err(); err != nil {
				return nil, err
			}
		}
		if len(d.Idx) == 0 {
			continue
		}
		rowTimes(d, vs, dims, row)
		if !normalize(row) {
			continue
		}
		lo := len(vals)
		vals = append(vals, row...)
		out.Docs[i] = SparseVec{Idx: idx, Val: vals[lo:len(vals):len(vals)]}
	}
	return out, nil
}

// lsaBasis returns the approximate top dims right singular vectors of m as
// a vocabulary × dims row-major matrix (see LSA for the method).
func lsaBasis(ctx context.Context, m *Matrix, dims int, seed uint64) ([]float64, error) {
	v := m.Cols()
	l := min(dims+lsaOversample, v)
	workers := resolveWorkers(0)
	rng := rand.New(rand.NewPCG(seed, lsaStream))
	q := make([]float64, v*l) // v × l row-major
	for i := range q {
		q[i] = rng.NormFloat64()
	}
	for range lsaPowerIters + 1 {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		q = gramMul(m, q, l, workers)
		orthonormalize(q, v, l)
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	// T = Qᵀ (G Q) = (AQ)ᵀ(AQ), symmetrised against rounding.
	qm := mat.NewDense(v, l, q)
	gq := mat.NewDense(v, l, gramMul(m, q, l, workers))
	var tt mat.Dense
	tt.Mul(qm.T(), gq)
	t := mat.NewSymDense(l, nil)
	for a := range l {
		for b := a; b < l; b++ {
			t.SetSym(a, b, (tt.At(a, b)+tt.At(b, a))/2)
		}
	}
	var eig mat.EigenSym
	if !eig.Factorize(t, true) {
		return nil, errors.New("lsa eigen decomposition did not converge")
	}
	var w mat.Dense
	eig.VectorsTo(&w) // columns in ascending eigenvalue order
	// V = Q · W[:, l-1 … l-dims] (descending).
	top := mat.NewDense(l, dims, nil)
	for c := range dims {
		for a := range l {
			top.Set(a, c, w.At(a, l-1-c))
		}
	}
	vs := mat.NewDense(v, dims, nil)
	vs.Mul(qm, top)
	return vs.RawMatrix().Data, nil
}

// rowTimes sets dst (length l) to dᵀX for the v × l row-major matrix x.
func rowTimes(d SparseVec, x []float64, l int, dst []float64) {
	clear(dst)
	for p, t := range d.Idx {
		w := d.Val[p]
		row := x[int(t)*l : int(t)*l+l]
		for a, xv := range row {
			dst[a] += w * xv
		}
	}
}

// gramMul returns AᵀWA X for the v × l row-major matrix x, W the rows'
// weights (a weighted row counts as its copies). Workers split the
// l columns, each running over all documents in order, so every output
// element is summed in the same order whatever the number of workers.
func gramMul(m *Matrix, x []float64, l, workers int) []float64 {
	out := make([]float64, len(x))
	parts := min(workers, l)
	var wg sync.WaitGroup
	for w := range parts {
		a0, a1 := w*l/parts, (w+1)*l/parts
		wg.Go(func() {
			p := make([]float64, a1-a0)
			for i, d := range m.Docs {
				if len(d.Idx) == 0 {
					continue
				}
				clear(p)
				for k, t := range d.Idx {
					wt := d.Val[k]
					row := x[int(t)*l+a0 : int(t)*l+a1]
					for a, xv := range row {
						p[a] += wt * xv
					}
				}
				if w := m.W(i); w != 1 {
					for a := range p {
						p[a] *= w
					}
				}
				for k, t := range d.Idx {
					wt := d.Val[k]
					row := out[int(t)*l+a0 : int(t)*l+a1]
					for a, pv := range p {
						row[a] += wt * pv
					}
				}
			}
		})
	}
	wg.Wait()
	return out
}

// orthonormalize replaces the l columns of the v × l row-major matrix x by
// an orthonormal basis of their span: CholeskyQR2 (Fukaya et al. 2014,
// Q = X R⁻¹ with RᵀR = XᵀX, done twice) with gonum, falling back to
// modified Gram–Schmidt when XᵀX is not positive definite or its condition
// number exceeds 1e12.
func orthonormalize(x []float64, v, l int) {
	for range 2 {
		xm := mat.NewDense(v, l, x)
		var g mat.SymDense
		g.SymOuterK(1, xm.T())
		var ch mat.Cholesky
		if !ch.Factorize(&g) || ch.Cond() > 1e12 {
			orth(x, v, l)
			return
		}
		var r, rinv mat.TriDense
		ch.UTo(&r)
		if err := rinv.InverseTri(&r); err != nil {
			orth(x, v, l)
			return
		}
		var q mat.Dense
		q.Mul(xm, &rinv)
		copy(x, q.RawMatrix().Data)
	}
}

// orth orthonormalises the l columns of the v × l row-major matrix x in place
// by modified Gram–Schmidt, run twice for stability, working on a
// column-major copy. A column that becomes exactly zero stays zero.
func orth(x []float64, v, l int) {
	c := make([]float64, len(x)) // l × v, column a at c[a*v:(a+1)*v]
	for i := range v {
		for a := range l {
			c[a*v+i] = x[i*l+a]
		}
	}
	for range 2 {
		for a := range l {
			ca := c[a*v : (a+1)*v]
			for b := range a {
				cb := c[b*v : (b+1)*v]
				var dot float64
				for i, y := range ca {
					dot += y * cb[i]
				}
				for i, y := range cb {
					ca[i] -= dot * y
				}
			}
			normalize(ca)
		}
	}
	for i := range v {
		for a := range l {
			x[i*l+a] = c[a*v+i]
		}
	}
}
