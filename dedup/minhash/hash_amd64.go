package minhash

// minHash2 returns the minima over xs of hashP(a0, x8, b0) and
// hashP(a1, x8, b1), in assembly: the compiler's version of the loop spills
// its coefficients to the stack, this one keeps all in registers (about 30%
// faster).
//
//go:noescape
func minHash2(xs []uint64, a0, b0, a1, b1 uint64) (m0, m1 uint64)
