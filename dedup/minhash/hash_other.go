//go:build !amd64

package minhash

func minHash2(xs []uint64, a0, b0, a1, b1 uint64) (m0, m1 uint64) {
	return minHash2Go(xs, a0, b0, a1, b1)
}
