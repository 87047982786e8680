#include "textflag.h"

// func minHash2(xs []uint64, a0, b0, a1, b1 uint64) (m0, m1 uint64)
//
// For each x8 in xs: v = (a·x8>>64) + (a·x8 mod 2^64)>>3 + b, folded mod
// 2^61-1 (see hashP), for two hash functions at once; returns the minima.
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

	MOVQ R8, AX
	MULQ BX
	SHRQ $3, AX
	ADDQ DX, AX
	ADDQ R9, AX
	MOVQ AX, DX
	ANDQ DI, DX
	SHRQ $61, AX
	ADDQ DX, AX
	MOVQ AX, DX
	SUBQ DI, DX
	CMOVQCC DX, AX
	CMPQ AX, R12
	CMOVQCS AX, R12

	MOVQ R10, AX
	MULQ BX
	SHRQ $3, AX
	ADDQ DX, AX
	ADDQ R11, AX
	MOVQ AX, DX
	ANDQ DI, DX
	SHRQ $61, AX
	ADDQ DX, AX
	MOVQ AX, DX
	SUBQ DI, DX
	CMOVQCC DX, AX
	CMPQ AX, R13
	CMOVQCS AX, R13

	ADDQ $8, SI
	DECQ CX
	JNZ  loop

done:
	MOVQ R12, m0+56(FP)
	MOVQ R13, m1+64(FP)
	RET

