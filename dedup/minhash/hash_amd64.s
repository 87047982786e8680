#include "textflag.h"

// HASHMIN folds one hash function into its running minimum: with x8 in BX
// and P = 2^61-1 in DI, v = (a·x8 >> 64) + (a·x8 mod 2^64) >> 3 + b, folded
// mod P (see hashP in minhash.go); m = min(m, v). Clobbers AX and DX.
#define HASHMIN(a, b, m) \
	MOVQ a, AX        \
	MULQ BX           \
	SHRQ $3, AX       \
	ADDQ DX, AX       \
	ADDQ b, AX        \
	MOVQ AX, DX       \
	ANDQ DI, DX       \
	SHRQ $61, AX      \
	ADDQ DX, AX       \
	MOVQ AX, DX       \
	SUBQ DI, DX       \
	CMOVQCC DX, AX    \
	CMPQ AX, m        \
	CMOVQCS AX, m

// func minHash2(xs []uint64, a0, b0, a1, b1 uint64) (m0, m1 uint64)
TEXT ·minHash2(SB), NOSPLIT, $0-72
	MOVQ xs_base+0(FP), SI
	MOVQ xs_len+8(FP), CX
	MOVQ a0+24(FP), R8
	MOVQ b0+32(FP), R9
	MOVQ a1+40(FP), R10
	MOVQ b1+48(FP), R11
	MOVQ $0x1fffffffffffffff, DI
	MOVQ DI, R12
	MOVQ DI, R13
	TESTQ CX, CX
	JZ   done

loop:
	MOVQ (SI), BX
	HASHMIN(R8, R9, R12)
	HASHMIN(R10, R11, R13)
	ADDQ $8, SI
	DECQ CX
	JNZ  loop

done:
	MOVQ R12, m0+56(FP)
	MOVQ R13, m1+64(FP)
	RET
