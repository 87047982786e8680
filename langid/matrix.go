package langid

import (
	"errors"
	"fmt"
)

// matrix is a fastText weight matrix, dense or product-quantized. Arithmetic
// is in float32 in fastText's order of operations, so results match its C++
// code to the last bit or nearly so.
type matrix interface {
	rows() int64
	cols() int64
	// addRow adds row i to x.
	addRow(x []float32, i int64)
	// dot returns the dot product of x with row i.
	dot(x []float32, i int64) float32
}

func readMatrix(d *decoder, quantized bool) (matrix, error) {
	if quantized {
		return readQuantMatrix(d)
	}
	return readDenseMatrix(d)
}

// denseMatrix stores rows × cols float32 values, row by row.
type denseMatrix struct {
	m, n int64
	data []float32
}

func readDenseMatrix(d *decoder) (*denseMatrix, error) {
	m, n := d.i64(), d.i64()
	if d.err != nil {
		return nil, d.err
	}
	if m < 0 || n <= 0 || n > maxDim || m > d.rem/4/n {
		return nil, fmt.Errorf("bad dense matrix size %d×%d: %w", m, n, errTruncated)
	}
	data := d.f32s(m * n)
	if d.err != nil {
		return nil, d.err
	}
	return &denseMatrix{m: m, n: n, data: data}, nil
}

func (a *denseMatrix) rows() int64 { return a.m }
func (a *denseMatrix) cols() int64 { return a.n }

func (a *denseMatrix) addRow(x []float32, i int64) {
	row := a.data[i*a.n : (i+1)*a.n]
	for j, v := range row {
		x[j] += v
	}
}

func (a *denseMatrix) dot(x []float32, i int64) float32 {
	row := a.data[i*a.n : (i+1)*a.n]
	var s float32
	for j, v := range row {
		s += float32(v * x[j]) // the conversion forbids a fused multiply-add
	}
	return s
}

// productQuantizer splits a vector of dim values into nsubq sub-vectors of
// dsub values (the last one lastdsub) and codes each as one of 256 centroids.
type productQuantizer struct {
	dim, nsubq, dsub, lastdsub int
	centroids                  []float32 // dim × 256
}

func readPQ(d *decoder) (*productQuantizer, error) {
	pq := &productQuantizer{dim: int(d.i32()), nsubq: int(d.i32()), dsub: int(d.i32()), lastdsub: int(d.i32())}
	if d.err != nil {
		return nil, d.err
	}
	if pq.dim <= 0 || pq.dim > maxDim || pq.nsubq <= 0 || pq.dsub <= 0 || pq.lastdsub <= 0 ||
		pq.lastdsub > pq.dsub || (pq.nsubq-1)*pq.dsub+pq.lastdsub != pq.dim {
		return nil, fmt.Errorf("bad product quantizer (dim %d, nsubq %d, dsub %d, lastdsub %d)",
			pq.dim, pq.nsubq, pq.dsub, pq.lastdsub)
	}
	pq.centroids = d.f32s(int64(pq.dim) * pqCentroids)
	return pq, d.err
}

// centroid returns centroid c of sub-quantizer q.
func (pq *productQuantizer) centroid(q int, c byte) []float32 {
	if q == pq.nsubq-1 {
		off := q*pqCentroids*pq.dsub + int(c)*pq.lastdsub
		return pq.centroids[off : off+pq.lastdsub]
	}
	off := (q*pqCentroids + int(c)) * pq.dsub
	return pq.centroids[off : off+pq.dsub]
}

// quantMatrix is fastText's QuantMatrix: each row is nsubq centroid codes,
// optionally scaled by a separately quantized row norm.
type quantMatrix struct {
	m, n      int64
	codes     []byte // m × nsubq
	pq        *productQuantizer
	normCodes []byte // m, when norms are quantized
	npq       *productQuantizer
}

func readQuantMatrix(d *decoder) (*quantMatrix, error) {
	qnorm := d.u8() != 0
	a := &quantMatrix{m: d.i64(), n: d.i64()}
	codesize := int64(d.i32())
	if d.err != nil {
		return nil, d.err
	}
	if a.m < 0 || a.n <= 0 || a.n > maxDim || codesize < 0 {
		return nil, fmt.Errorf("bad quantized matrix size %d×%d", a.m, a.n)
	}
	a.codes = d.bytes(codesize)
	var err error
	if a.pq, err = readPQ(d); err != nil {
		return nil, err
	}
	if int64(a.pq.dim) != a.n || codesize != a.m*int64(a.pq.nsubq) {
		return nil, errors.New("quantizer does not fit the matrix")
	}
	if qnorm {
		a.normCodes = d.bytes(a.m)
		if a.npq, err = readPQ(d); err != nil {
			return nil, err
		}
		if a.npq.dim != 1 {
			return nil, errors.New("norm quantizer is not one-dimensional")
		}
	}
	return a, d.err
}

func (a *quantMatrix) rows() int64 { return a.m }
func (a *quantMatrix) cols() int64 { return a.n }

func (a *quantMatrix) norm(i int64) float32 {
	if a.npq == nil {
		return 1
	}
	return a.npq.centroid(0, a.normCodes[i])[0]
}

func (a *quantMatrix) addRow(x []float32, i int64) {
	alpha := a.norm(i)
	pq := a.pq
	code := a.codes[i*int64(pq.nsubq) : (i+1)*int64(pq.nsubq)]
	for q, c := range code {
		off := q * pq.dsub
		for n, v := range pq.centroid(q, c) {
			x[off+n] += float32(alpha * v)
		}
	}
}

func (a *quantMatrix) dot(x []float32, i int64) float32 {
	alpha := a.norm(i)
	pq := a.pq
	code := a.codes[i*int64(pq.nsubq) : (i+1)*int64(pq.nsubq)]
	var s float32
	for q, c := range code {
		off := q * pq.dsub
		for n, v := range pq.centroid(q, c) {
			s += float32(x[off+n] * v)
		}
	}
	return s * alpha
}
