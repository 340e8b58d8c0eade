/* SPDX-License-Identifier: MIT */
/**
 * @file arch/riscv/trap_frame.h
 * @brief Frame layouts the RISC-V port's assembly and C share: the trap
 * frame on the interrupt stack (trap.S draws it) and the full frame of a
 * context switched by vt_offload's software interrupt (offload.S draws it).
 * Included by assembly: macros only.
 */
#ifndef VT_ARCH_RISCV_TRAP_FRAME_H
#define VT_ARCH_RISCV_TRAP_FRAME_H

#if defined(__riscv_flen) && __riscv_flen == 64
#define FSTORE fsd
#define FLOAD fld
#define FSZ 8
#elif defined(__riscv_flen)
#define FSTORE fsw
#define FLOAD flw
#define FSZ 4
#endif

/* ---- trap frame (trap.S) ---- */
#ifdef __riscv_32e
#define TF_SP 40
#define TF_END 44
#else
#define TF_SP 64
#define TF_END 68
#endif
#ifdef __riscv_flen
#define TF_FCSR TF_END
#define TF_F(i) (((TF_END + 4 + 7) & ~7) + (i) * FSZ)
#define TF_SIZE ((TF_F(20) + 15) & ~15)
#else
#define TF_SIZE ((TF_END + 15) & ~15)
#endif

/* ---- full frame of the background switch (offload.S) ----
 * word n holds register xn; the words of x0 and x2 (sp, implied by the
 * frame's address) hold mepc and mstatus; x3/x4 (gp, tp: the same for
 * every context) are not saved */
#ifdef __riscv_32e
#define BG_NX 16
#else
#define BG_NX 32
#endif
#define BG_X(n) ((n) * 4)
#define BG_MEPC BG_X(0)
#define BG_MSTATUS BG_X(2)
#ifdef __riscv_flen
#define BG_F(i) (BG_NX * 4 + (i) * FSZ)
#define BG_FCSR BG_F(32)
#define BG_FRAME ((BG_FCSR + 4 + 15) & ~15)
#else
#define BG_FRAME (BG_NX * 4)
#endif

#endif /* VT_ARCH_RISCV_TRAP_FRAME_H */
